// E0103: durations are `45s`, `2m` or `1m30s`; with minutes, seconds run from 0 to 59,
// there is no `min` unit, and a bare number has no unit at all.

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

message "Order help" {
    brand "Acme"
    channel "Acme iOS"
    say "Need help with your order?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url contains "orders"
    after screen_open 30
    frequency once_per_visit
}
