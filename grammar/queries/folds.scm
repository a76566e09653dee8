; Folds: front matter, definitions with their properties, paragraphs and
; claims that span lines.
[
  (front_matter)
  (entity_definition)
  (paragraph)
  (claim)
] @fold
