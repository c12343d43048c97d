// E0402: each clause appears at most once. Alternatives go in one trigger joined with `or`,
// and `tags` takes a list.

message "Plans and pricing" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about our plans?"
    respond agent { follow_up "Let me connect you with our sales team." }
    when visitor.page_url contains "pricing" after screen_open 30s
    when visitor.page_url contains "plans" after screen_open 30s
    frequency once_per_visit
    tags "pricing"
    tags "proactive"
}
