; Indentation in Helix: one level inside braces, brackets and parentheses; the closing bracket
; goes back to the level of the line that opened it. (Helix's captures; the nvim-treesitter
; version is queries/indents.scm.)

[
  (message_body)
  (agent_body)
  (list)
  (parenthesized_expression)
] @indent

[
  "}"
  "]"
  ")"
] @outdent
