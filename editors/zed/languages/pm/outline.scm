; The outline panel and symbol search: messages and named conditions.

(message
  "message" @context
  name: (string) @name) @item

(condition_definition
  "condition" @context
  name: (identifier) @name) @item
