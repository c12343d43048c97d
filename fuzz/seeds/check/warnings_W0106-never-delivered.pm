// W0106: a published message can never be shown: the "Holiday hotline" schedule has no
// opening hours. The same finding on a paused message is only a note.

message "Holiday hotline" {
    channel "Acme iOS"
    say "Our holiday hotline is open: ask us anything."
    respond agent {
        follow_up "A holiday agent will be with you shortly."
    }
    when visitor.page_url contains "gifts"
    after screen_open 20s
    send during business_hours "Holiday hotline"
    frequency once_per_visit
}

message "Holiday hotline (draft)" {
    channel "Acme iOS"
    say "Last-minute gift? Our hotline can help."
    respond agent {
        follow_up "A holiday agent will be with you shortly."
    }
    when visitor.page_url contains "gift-cards"
    after screen_open 20s
    send during business_hours "Holiday hotline"
    frequency once_per_visit
    status paused
}
