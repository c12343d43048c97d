// E0504: this bundle's account.toml has malformed business-hours intervals.

message "Pricing help" {
    channel "Acme iOS"
    say "Questions about our plans?"
    respond agent { follow_up "Let me connect you with our sales team." }
    when visitor.page_url contains "pricing"
    after screen_open 30s
    send during business_hours "Sales hours"
    frequency once_per_visit
}
