// E0103: durations are `45s`, `2m` or `1m30s`; with minutes, seconds run from 0 to 59, and
// there is no `min` unit.

message "Checkout reassurance" {
    brand "Acme"
    channel "Acme iOS"
    say "Any questions before you pay?"
    respond agent { follow_up "Let me connect you with our sales team." }
    when visitor.page_url contains "checkout"
    after screen_open 1m75s
    frequency once_per_visit
}

message "Cart reminder" {
    brand "Acme"
    channel "Acme Android"
    say "Still thinking it over? Your cart is saved."
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url contains "cart"
    after screen_open 5min
    frequency once_per_device
}
