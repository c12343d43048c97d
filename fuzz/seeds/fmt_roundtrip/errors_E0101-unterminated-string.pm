// E0101: a string must end on the line where it starts. The `say` text below lost its closing
// quote, so it runs to the end of the line (write `\n` for a line break inside a string).

message "Plans overview" {
    brand "Acme"
    channel "Acme iOS"
    say "Hi there 👋 Questions about our plans?
    respond agent { follow_up "Let me connect you with our sales team." }
    when visitor.page_url contains "plans"
    after screen_open 30s
    frequency once_per_visit
}
