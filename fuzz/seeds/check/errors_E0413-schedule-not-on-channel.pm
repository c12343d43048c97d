// E0413: the schedule exists, but it is not one of the channel's `schedules`: the Android
// channel only has "Support hours".

message "Android sales chat" {
    brand "Acme"
    channel "Acme Android"
    say "Our sales team is online: ask us anything."
    respond agent { follow_up "Let me connect you with our sales team." }
    when visitor.page_url contains "pricing"
    after screen_open 30s
    send during business_hours "Sales hours"
    frequency once_per_visit
}
