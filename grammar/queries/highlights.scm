; Newsmark highlights (capture names as in tree-sitter's and Neovim's
; standard set). In Neovim the last matching pattern wins, so general
; patterns come first and specific ones after them.

(comment) @comment @spell

(directive) @keyword.directive

(escape) @string.escape

; Front matter and properties
(front_matter (property key: (key) @property))

(entity_definition (property key: (key) @property))

; Blocks
(heading) @markup.heading

(heading marker: (heading_marker) @punctuation.special)

(entity_definition
  "@" @punctuation.special
  id: (entity_id) @label
  name: (name) @markup.strong)

; Inline marks
(reference "@" @punctuation.special)
(reference id: (entity_id) @constant)

(mention text: (content) @markup.link.label)
(mention "@" @punctuation.special)
(mention id: (entity_id) @markup.link)

(editorial) @markup.italic

(claim text: (content) @markup.quote)

(source "@" @punctuation.special)
(source id: (entity_id) @attribute)

; Newsmark 2: chains, labels, stances, hedges, several entities
(mention "+@" @operator)
(conduit "via" @keyword)
(conduit "@" @punctuation.special)
(conduit id: (entity_id) @attribute)
(label) @label
(stance ["denies" "confirms" "disputes"] @keyword)
(stance label: (label_name) @label)
(hedge "~[" @punctuation.special)
(hedge text: (content) @markup.italic)

["[" "]" "{" "}"] @punctuation.bracket

["," "|"] @punctuation.delimiter

; Conflict markers (`<<<<<<< alice`, `=======`, `>>>>>>> bob`).
[(conflict_start) (conflict_separator) (conflict_end)] @punctuation.special
