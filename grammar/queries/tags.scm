; Symbols for tree-sitter tags and code navigation: every entity definition
; is a definition, every reference, mention and claim source a reference.
(entity_definition id: (entity_id) @name) @definition.constant

(reference id: (entity_id) @name) @reference.constant

(mention id: (entity_id) @name) @reference.constant

(source id: (entity_id) @name) @reference.constant
