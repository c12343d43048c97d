// E0412: the business-hours schedule must be one of account.toml's `[[schedules]]`; its name
// is "Sales hours".

message "Live sales chat" {
    brand "Acme"
    channel "Acme iOS"
    say "Our sales team is online: ask us anything."
    respond agent { follow_up "Let me connect you with our sales team." }
    when visitor.page_url contains "pricing"
    after screen_open 30s
    send during business_hours "Sales"
    frequency once_per_visit
}
