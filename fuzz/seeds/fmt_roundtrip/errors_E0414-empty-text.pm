// E0414: the message text and the hand-over text may not be empty (a message that is not
// ready yet can be kept with `status paused`).

message "Placeholder promo" {
    brand "Acme"
    channel "Acme iOS"
    say ""
    respond agent { follow_up "" }
    when visitor.page_url contains "promo"
    after screen_open 30s
    frequency once_per_visit
}
