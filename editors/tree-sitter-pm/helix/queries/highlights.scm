; Generated from editors/tree-sitter-pm/queries/highlights.scm by editors/tree-sitter-pm/scripts/editor-queries.mjs: edit the source, then run `cargo xtask bless`.

; Syntax highlighting of .pm files.
;
; Capture names follow nvim-treesitter's conventions; scripts/editor-queries.mjs derives the
; Helix and Zed copies from this file. Every node gets at most one capture (strings and their
; escapes aside), so the result does not depend on whether an editor lets the first or the
; last matching pattern win. Lists of known words are kept in step with the compiler by the
; drift test (tests/drift.rs): a misspelt value such as `once_per_vist` stays uncoloured.

(comment) @comment

; ---- Keywords ----

[
  "message"
  "condition"
] @keyword

[
  "brand"
  "channel"
  "say"
  "respond"
  "answer"
  "follow_up"
  "collect"
  "after"
  "event"
  "tags"
  "send"
  "frequency"
  "priority"
  "status"
  "active"
  "from"
  "until"
] @keyword

"when" @keyword.control.conditional

[
  "and"
  "or"
  "not"
  "is"
  "contains"
  "starts_with"
  "ends_with"
  "matches"
] @keyword.operator

[
  "<"
  "<="
  ">"
  ">="
  "="
] @operator

; `respond agent { … }`, `respond ai_agent "A" answer "B"`.
((agent_response
  kind: (identifier) @keyword)
  (#eq? @keyword "agent"))

((ai_agent_response
  kind: (identifier) @keyword)
  (#eq? @keyword "ai_agent"))

; `send anytime`, `send during business_hours "S"`, `send outside business_hours "S"`.
((send_clause
  mode: (identifier) @keyword)
  (#any-of? @keyword "anytime" "during" "outside"))

((send_clause
  hours: (identifier) @keyword)
  (#eq? @keyword "business_hours"))

; ---- Named conditions ----

(condition_definition
  name: (identifier) @function)

(condition_reference
  (identifier) @function)

; ---- Fields: `visitor.page_url`, `device.language`, `app.version`, `user.plan` ----

((field
  object: (identifier) @variable.builtin)
  (#any-of? @variable.builtin "visitor" "device" "app" "user"))

(field
  name: (identifier) @variable.other.member)

; ---- Values ----

((comparison
  value: (identifier) @constant.builtin)
  (#any-of? @constant.builtin "new" "returning"))

((frequency_clause
  value: (identifier) @constant.builtin)
  (#any-of? @constant.builtin "once_per_device" "once_per_visit" "every_time"))

((status_clause
  value: (identifier) @constant.builtin)
  (#any-of? @constant.builtin "published" "paused"))

((collect_clause
  field: (identifier) @constant.builtin)
  (#any-of? @constant.builtin "name" "email" "none"))

((trigger_clause
  event: (identifier) @constant.builtin)
  (#eq? @constant.builtin "screen_open"))

(set) @constant.builtin

(boolean) @constant.builtin.boolean

[
  (integer)
  (number)
  (duration)
] @constant.numeric

(string) @string

(escape_sequence) @constant.character.escape

; ---- Punctuation ----

[
  "{"
  "}"
  "("
  ")"
  "["
  "]"
] @punctuation.bracket

[
  ","
  "."
] @punctuation.delimiter

