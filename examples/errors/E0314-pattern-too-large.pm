// E0314: a pattern's automaton is capped at 256 KiB; forty Unicode word characters in a row
// need far more. `[a-z0-9_]{40}` (URLs are compared in lower case) fits.

message "Long slug help" {
    brand "Acme"
    channel "Acme iOS"
    say "Looking for something?"
    respond agent { follow_up "An agent will help you find it." }
    when visitor.page_url matches "https://acme\\.com/\\w{40}"
    after screen_open 10s
    frequency once_per_visit
}
