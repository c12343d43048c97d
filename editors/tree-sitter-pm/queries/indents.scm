; Indentation (nvim-treesitter's captures; Helix and Zed have their own dialects under
; editors/helix/ and editors/zed/): one level inside braces, brackets and parentheses, and the
; closing bracket back at the level of the line that opened it.

[
  (message_body)
  (agent_body)
  (list)
  (parenthesized_expression)
] @indent.begin

[
  "}"
  "]"
  ")"
] @indent.branch @indent.end

(comment) @indent.auto
