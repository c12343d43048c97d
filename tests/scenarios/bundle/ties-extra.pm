// "ties-extra.pm" sorts before "ties.pm" ('-' is 0x2D, '.' is 0x2E), which sorts before
// "ties/a.pm" ('/' is 0x2F).
message "Tie Extra" {
    channel "Shop iOS"
    say "Tie: ties-extra.pm"
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/tie"
    after screen_open
    frequency once_per_visit
    priority 3
}
