; Newsmark highlights for Zed (Zed theme capture names). Each node is
; captured by one pattern only.

(comment) @comment

(directive) @preproc

(escape) @string.escape

(heading_marker) @punctuation.special

(heading
  text: (content) @title)

(entity_definition
  id: (entity_id) @label)

(entity_definition
  name: (name) @emphasis.strong)

(property
  key: (key) @property)

(mention
  text: (content) @link_text)

(mention
  id: (entity_id) @link_uri)

(reference
  id: (entity_id) @constant)

(source
  id: (entity_id) @attribute)

(conduit
  id: (entity_id) @attribute)

"via" @keyword

[
  "denies"
  "confirms"
  "disputes"
] @keyword

(label) @label

(stance
  label: (label_name) @label)

(hedge
  text: (content) @emphasis)

"~[" @punctuation.special

"+@" @operator

(claim
  text: (content) @string)

(editorial
  text: (content) @emphasis)

"@" @punctuation.special

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
[(conflict_start) (conflict_separator) (conflict_end)] @keyword
