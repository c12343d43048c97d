; Indentation in Zed: one level inside braces, brackets and parentheses.

(message_body "}" @end) @indent

(agent_body "}" @end) @indent

(list "]" @end) @indent

(parenthesized_expression ")" @end) @indent
