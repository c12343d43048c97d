// E0510: this bundle's account.toml sets channel limits that are not valid.

message "Pricing help" {
    channel "Acme iOS"
    say "Questions about our plans?"
    respond agent { follow_up "Let me connect you with our sales team." }
    when visitor.page_url contains "pricing"
    after screen_open 30s
    frequency once_per_visit
}
