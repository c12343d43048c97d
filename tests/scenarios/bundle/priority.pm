// Six messages on "/promo". In priority order: Paused (100, never shown), French (50, device in
// French only), Hours (40, Paris business hours only), High (10), Low (1), Negative (-5).
// "Promo Low" comes before "Promo High" in the file: priority beats bundle order.
message "Promo Paused" {
    channel "Shop iOS"
    say "Paused promotion."
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/promo"
    after screen_open
    frequency every_time
    priority 100
    status paused
}

message "Promo Low" {
    channel "Shop iOS"
    say "Low-priority promotion."
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/promo"
    after screen_open
    frequency once_per_visit
    priority 1
}

message "Promo French" {
    channel "Shop iOS"
    say "Promotion en français."
    respond agent {
        follow_up "Un instant."
    }
    when visitor.page_url contains "/promo" and device.language is "fr"
    after screen_open
    frequency once_per_visit
    priority 50
}

message "Promo Hours" {
    channel "Shop iOS"
    say "Promotion during Paris hours."
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/promo"
    after screen_open
    send during business_hours "Paris hours"
    frequency once_per_visit
    priority 40
}

message "Promo High" {
    channel "Shop iOS"
    say "High-priority promotion."
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/promo"
    after screen_open
    frequency once_per_visit
    priority 10
}

message "Promo Negative" {
    channel "Shop iOS"
    say "Negative-priority promotion."
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/promo"
    after screen_open
    frequency every_time
    priority -5
}
