// W0103: a pattern that matches no value makes its test false everywhere: `[0-9&&a-z]` is
// the characters that are both digits and letters, which are none.

message "Numbered aisle help" {
    channel "Acme iOS"
    say "Looking for an aisle?"
    respond agent {
        follow_up "Let me connect you with the store."
    }
    when visitor.page_title matches "aisle [0-9&&a-z]+"
    after screen_open 30s
    frequency once_per_visit
}
