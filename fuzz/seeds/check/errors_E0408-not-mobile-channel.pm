// E0408: proactive messages are shown by the mobile SDK; "Acme Web" is a web channel.

message "Website pricing help" {
    brand "Acme"
    channel "Acme Web"
    say "Questions about our plans?"
    respond agent { follow_up "Let me connect you with our sales team." }
    when visitor.page_url contains "pricing"
    after screen_open 30s
    frequency once_per_visit
}
