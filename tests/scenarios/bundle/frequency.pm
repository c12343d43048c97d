message "Visit Once" {
    channel "Shop iOS"
    say "Once per visit."
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/visit-once"
    after screen_open
    frequency once_per_visit
}

message "Device Once" {
    channel "Shop iOS"
    say "Once per device."
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/device-once"
    after screen_open
    frequency once_per_device
}
