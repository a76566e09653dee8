; Newsmark highlights for Helix (capture names of the Helix theme scopes).
; In Helix the FIRST matching pattern wins: specific patterns come first,
; general ones after.

; ---- Comments first: nothing inside them is markup ------------------------

(directive) @keyword.directive

(comment) @comment.line

(escape) @constant.character.escape

; ---- Blocks ----------------------------------------------------------------

(heading
  marker: (heading_marker) @markup.heading.marker)

((heading
  marker: (heading_marker) @_marker
  text: (content) @markup.heading.1)
  (#match? @_marker "^#[ \t]"))

((heading
  marker: (heading_marker) @_marker
  text: (content) @markup.heading.2)
  (#match? @_marker "^##[ \t]"))

((heading
  marker: (heading_marker) @_marker
  text: (content) @markup.heading.3)
  (#match? @_marker "^###[ \t]"))

((heading
  marker: (heading_marker) @_marker
  text: (content) @markup.heading.4)
  (#match? @_marker "^####[ \t]"))

((heading
  marker: (heading_marker) @_marker
  text: (content) @markup.heading.5)
  (#match? @_marker "^#####[ \t]"))

((heading
  marker: (heading_marker) @_marker
  text: (content) @markup.heading.6)
  (#match? @_marker "^######[ \t]"))

; `@lavrov: Sergey Lavrov`
(entity_definition
  "@" @punctuation.special
  id: (entity_id) @label)

(entity_definition
  name: (name) @markup.bold)

; `key: value` in definitions and front matter
((property
  key: (key) @_key
  value: (value) @constant.builtin)
  (#eq? @_key "kind"))

((property
  key: (key) @_key
  value: (value) @string.special.url)
  (#eq? @_key "url"))

((property
  key: (key) @_key
  value: (value) @constant)
  (#any-of? @_key "date" "wikidata"))

(property
  key: (key) @variable.other.member)

; ---- Inline marks ----------------------------------------------------------

; the sources after `|`
(source
  "@" @punctuation.special
  id: (entity_id) @attribute)

; `@jon via @kcna`: who carried the source's words
(conduit
  "via" @keyword
  "@" @punctuation.special
  id: (entity_id) @attribute)

; `}#munitions` and `@seoul denies #munitions`
(label) @label

(stance
  label: (label_name) @label)

[
  "denies"
  "confirms"
  "disputes"
] @keyword

; `~[allegedly]`
(hedge
  "~[" @punctuation.special
  text: (content) @markup.italic)

; `[the two ministers]@lavrov+@rubio`
(mention
  "+@" @operator)

; [surface text]@id
(mention
  "@" @punctuation.special
  id: (entity_id) @markup.link.url)

(mention
  text: (content) @markup.link.label)

; @id
(reference
  "@" @punctuation.special
  id: (entity_id) @constant)

; {claim text | @source}
(claim
  text: (content) @markup.quote)

; [He] said: editorial brackets are plain text
(editorial
  text: (content) @markup.italic)

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

; Conflict markers (`<<<<<<< alice`, `=======`, `>>>>>>> bob`).
[(conflict_start) (conflict_separator) (conflict_end)] @diff.delta
