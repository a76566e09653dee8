; The outline panel: headings and entity definitions.
(heading
  marker: (heading_marker) @context
  text: (content) @name) @item

(entity_definition
  id: (entity_id) @name
  name: (name)? @context) @item
