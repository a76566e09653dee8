; Helix text objects: claims are entries (`mae`, `mie`, `]e`), entity
; definitions are types (`mat`, `mit`, `]t`), comments are comments (`mac`).

(claim) @entry.around

(claim
  text: (content) @entry.inside)

(entity_definition) @class.around

(entity_definition
  (property) @class.inside)

(comment) @comment.around

(comment) @comment.inside
