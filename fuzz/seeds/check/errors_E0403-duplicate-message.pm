// E0403: message names are unique across the bundle: the iOS and Android variants of a
// message need different names.

message "Order tracking help" {
    brand "Acme"
    channel "Acme iOS"
    say "Looking for your order?"
    respond ai_agent "Acme Assistant" answer "Order status"
    when visitor.page_url contains "orders"
    after screen_open 10s
    frequency once_per_device
}

message "Order tracking help" {
    brand "Acme"
    channel "Acme Android"
    say "Looking for your order?"
    respond ai_agent "Acme Assistant" answer "Order status"
    when visitor.page_url contains "orders"
    after screen_open 10s
    frequency once_per_device
}
