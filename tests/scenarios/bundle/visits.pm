message "Welcome New" {
    channel "Shop iOS"
    say "Welcome! First time here?"
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/welcome" and visitor.visit_history is new
    after screen_open
    frequency every_time
}

message "Welcome Back" {
    channel "Shop iOS"
    say "Welcome back!"
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/welcome"
     and visitor.visit_history is returning
    after screen_open
    frequency every_time
}
