message "Paris Open" {
    channel "Shop iOS"
    say "Our Paris team is here."
    respond agent {
        follow_up "Connecting you to Paris."
    }
    when visitor.page_url contains "/hours"
    after screen_open
    send during business_hours "Paris hours"
    frequency every_time
}

message "After Hours" {
    channel "Shop iOS"
    say "We are closed; leave us a message."
    respond agent {
        follow_up "We will answer tomorrow."
        collect email
    }
    when visitor.page_url contains "/after-hours"
    after screen_open
    send outside business_hours "Paris hours"
    frequency every_time
}

message "NY Open" {
    channel "Shop iOS"
    say "Our New York team is here."
    respond agent {
        follow_up "Connecting you to New York."
    }
    when visitor.page_url contains "/ny"
    after screen_open
    send during business_hours "NY hours"
    frequency every_time
}
