; Foldable regions: a message's body, a live-agent block, a list of strings spread over lines,
; and a named condition written over several lines.

[
  (message_body)
  (agent_body)
  (list)
  (condition_definition)
] @fold
