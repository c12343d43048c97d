// E0415: tags are lower case, without white space.

message "Pricing page visitors" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about our plans?"
    respond agent { follow_up "Let me connect you with our sales team." }
    when visitor.page_url contains "pricing"
    after screen_open 30s
    frequency once_per_visit
    tags "Pricing Page", "Proactive"
}
