// Within a file, messages keep their order: "Tie Z" before "Tie Y".
message "Tie Z" {
    channel "Shop iOS"
    say "Tie: ties.pm, first"
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/tie"
    after screen_open
    frequency once_per_visit
    priority 3
}

message "Tie Y" {
    channel "Shop iOS"
    say "Tie: ties.pm, second"
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/tie"
    after screen_open
    frequency once_per_visit
    priority 3
}
