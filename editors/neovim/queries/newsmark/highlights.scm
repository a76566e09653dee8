; Newsmark highlights for Neovim (capture names of :help treesitter-highlight-groups).
; In Neovim the LAST matching pattern wins: general patterns first, specific after.

; ---- Blocks ----------------------------------------------------------------

(heading) @markup.heading

((heading
  marker: (heading_marker) @_marker) @markup.heading.1
  (#match? @_marker "^#[ \t]"))

((heading
  marker: (heading_marker) @_marker) @markup.heading.2
  (#match? @_marker "^##[ \t]"))

((heading
  marker: (heading_marker) @_marker) @markup.heading.3
  (#match? @_marker "^###[ \t]"))

((heading
  marker: (heading_marker) @_marker) @markup.heading.4
  (#match? @_marker "^####[ \t]"))

((heading
  marker: (heading_marker) @_marker) @markup.heading.5
  (#match? @_marker "^#####[ \t]"))

((heading
  marker: (heading_marker) @_marker) @markup.heading.6
  (#match? @_marker "^######[ \t]"))

(heading
  marker: (heading_marker) @punctuation.special)

; Front matter and property lines: `key: value`
(property
  key: (key) @property)

((property
  key: (key) @_key
  value: (value) @constant.builtin)
  (#eq? @_key "kind"))

((property
  key: (key) @_key
  value: (value) @string.special)
  (#any-of? @_key "date" "wikidata"))

((property
  key: (key) @_key
  value: (value) @string.special.url)
  (#eq? @_key "url"))

; `@lavrov: Sergey Lavrov`
(entity_definition
  "@" @punctuation.special
  id: (entity_id) @label)

(entity_definition
  name: (name) @markup.strong)

; ---- Inline marks ----------------------------------------------------------

; [He] said: editorial brackets are plain text
(editorial) @markup.italic

; {claim text | @source}
(claim
  text: (content) @markup.quote)

; [surface text]@id
(mention
  text: (content) @markup.link.label)

(mention
  id: (entity_id) @markup.link)

; @id
(reference
  id: (entity_id) @constant)

; the sources after `|`
(source
  id: (entity_id) @attribute)

[
  "["
  "]"
  "{"
  "}"
] @punctuation.bracket

[
  ","
  "|"
] @punctuation.delimiter

(mention
  "@" @punctuation.special)

(reference
  "@" @punctuation.special)

(source
  "@" @punctuation.special)

; Newsmark 2: `@jon via @kcna`, `}#munitions`, `@seoul denies #munitions`,
; `~[allegedly]`, `[the two ministers]@lavrov+@rubio`
(conduit
  "via" @keyword)

(conduit
  "@" @punctuation.special)

(conduit
  id: (entity_id) @attribute)

(label) @label

(stance
  [
    "denies"
    "confirms"
    "disputes"
  ] @keyword)

(stance
  label: (label_name) @label)

(hedge
  "~[" @punctuation.special)

(hedge
  text: (content) @markup.italic)

(mention
  "+@" @operator)

(escape) @string.escape

; ---- Comments (last: they win over everything around them) ----------------

(comment) @comment @spell

(directive) @keyword.directive

; Conflict markers (`<<<<<<< alice`, `=======`, `>>>>>>> bob`).
[(conflict_start) (conflict_separator) (conflict_end)] @comment.warning
