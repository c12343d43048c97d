// E0507: this directory has .pm files but no account.toml, so it is not a bundle the
// compiler can check (`pmc init` writes a starting account.toml). It lives outside
// examples/errors/ because a directory without account.toml would be read as part of the
// bundle around it.

message "Pricing help" {
    channel "Acme iOS"
    say "Questions about our plans?"
    respond agent {
        follow_up "Let me connect you with our sales team."
    }
    when visitor.page_url contains "pricing"
    after screen_open 30s
    frequency once_per_visit
}
