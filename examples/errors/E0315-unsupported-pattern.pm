// E0315: a Unicode word boundary `\b` has no automaton; the ASCII one, `(?-u:\b)`, has.

message "Help page help" {
    brand "Acme"
    channel "Acme iOS"
    say "Did this page answer your question?"
    respond agent { follow_up "An agent will join you." }
    when visitor.page_title matches ".*\\bhelp\\b.*"
    after screen_open 10s
    frequency once_per_visit
}
