// Another channel: an engine running for "Shop iOS" never delivers it, priority or not.
message "Android Hello" {
    channel "Shop Android"
    say "Hello from Android"
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/every"
    after screen_open
    frequency every_time
    priority 100
}
