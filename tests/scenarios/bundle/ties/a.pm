message "Tie A" {
    channel "Shop iOS"
    say "Tie: ties/a.pm"
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/tie"
    after screen_open
    frequency once_per_visit
    priority 3
}
