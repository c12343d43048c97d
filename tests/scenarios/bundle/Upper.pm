// Bundle order is byte order of the paths: "Upper.pm" ('U' is 0x55) comes before every
// lower-case path, so "Tie Upper" is first among the equal-priority "/tie" messages.
message "Tie Upper" {
    channel "Shop iOS"
    say "Tie: Upper.pm"
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/tie"
    after screen_open
    frequency once_per_visit
    priority 3
}
