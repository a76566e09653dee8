; Folds: front matter, a definition with its properties, paragraphs and
; claims that span lines.
[
  (front_matter)
  (entity_definition)
  (paragraph)
  (claim)
] @fold
