// E0313: the pattern of a `matches` test must parse; this group is never closed. The error
// points inside the string, through its escapes.

message "Order page help" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about this order?"
    respond agent { follow_up "An agent will look it up." }
    when visitor.page_url matches "https://acme\\.com/orders/([0-9]+"
    after screen_open 10s
    frequency once_per_visit
}
