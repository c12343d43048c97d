// E0508: this bundle's account.toml has more intervals on one day than a bundle holds.

message "Pricing help" {
    channel "Acme iOS"
    say "Questions about our plans?"
    respond agent { follow_up "Let me connect you with our sales team." }
    when visitor.page_url contains "pricing"
    after screen_open 30s
    send during business_hours "Blinking hours"
    frequency once_per_visit
}
