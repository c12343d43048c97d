// E0309: the only trigger event is `screen_open`; `page_view` is not an event.

message "Pricing page dwell" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about our plans?"
    respond agent { follow_up "Let me connect you with our sales team." }
    when visitor.page_url contains "pricing"
    after page_view 30s
    frequency once_per_visit
}
