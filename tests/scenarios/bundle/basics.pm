// Dwell timers, checks at screen_open, every_time and paused.
message "Dwell" {
    channel "Shop iOS"
    say "Still looking? We can help."
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/dwell"
    after screen_open 30s
    frequency every_time
}

message "Instant" {
    channel "Shop iOS"
    say "Welcome to this page."
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/instant"
    after screen_open
    frequency every_time
}

message "Timer 10s" {
    channel "Shop iOS"
    say "Ten seconds on this page."
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/timers"
    after screen_open 10s
    frequency every_time
}

message "Timer 30s" {
    channel "Shop iOS"
    say "Thirty seconds on this page."
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/timers"
    after screen_open 30s
    frequency every_time
}

message "Every Time" {
    channel "Shop iOS"
    say "Hello again."
    respond agent {
        follow_up "One moment."
        collect none
    }
    when visitor.page_url contains "/every"
    after screen_open
    frequency every_time
}

message "Paused" {
    channel "Shop iOS"
    say "You should never see this."
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/paused"
    after screen_open
    frequency every_time
    status paused
}
