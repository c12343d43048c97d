// The passing tests never see a new visitor on the pricing page, so
// `visitor.visit_history is returning` is never false: coverage reports it.

message "Pricing help" {
    brand "Shop"
    channel "Shop iOS"
    say "Questions about pricing?"
    respond agent {
        follow_up "An agent is on the way."
    }
    when visitor.page_url contains "pricing"
     and visitor.visit_history is returning
    after screen_open 10s
    send during business_hours "Office"
    frequency once_per_visit
}

message "Bienvenue" {
    brand "Shop"
    channel "Shop iOS"
    say "Bonjour !"
    respond agent {
        follow_up "Un conseiller arrive."
    }
    when device.language is "fr"
    after screen_open 5s
    frequency once_per_device
}

message "Paused offer" {
    brand "Shop"
    channel "Shop iOS"
    say "An offer"
    respond agent {
        follow_up "Here it is."
    }
    when visitor.page_url contains "offers"
    after screen_open
    frequency every_time
    status paused
}
