// W0107: invisible characters that change the direction of text. The comment after the
// trigger holds a right-to-left override, so editors show its end reversed; the `say` text
// isolates a word with U+2067 and U+2069 written as they are, not as escapes.

message "Returns help" {
    channel "Acme iOS"
    say "Questions about ⁧returns⁩?"
    respond ai_agent "Acme Assistant" answer "Order status"
    when visitor.page_url contains "returns"
    after screen_open 20s // not before 20 s‮, or the visitor is still reading
    frequency once_per_visit
}
