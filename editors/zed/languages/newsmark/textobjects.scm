; Zed text objects (vim mode): comments, and entity definitions as "classes".
(comment) @comment.around

(entity_definition) @class.around

(entity_definition
  (property) @class.inside)
