// W0105: a list item repeats an earlier one: URL comparisons ignore case, so "Orders" is
// "orders" again, and a tag is listed twice.

message "Order status help" {
    channel "Acme iOS"
    say "Looking for your order?"
    respond ai_agent "Acme Assistant" answer "Order status"
    when visitor.page_url contains ["orders", "tracking", "Orders"]
    after screen_open 10s
    frequency once_per_device
    tags "orders", "proactive", "orders"
}
