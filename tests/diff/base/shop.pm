// Messages about the cart and orders.

message "Cart reminder" {
    brand "Shop"
    channel "Shop iOS"
    say "Anything we can help with before you check out?"
    respond agent { follow_up "Happy to help." }
    when visitor.page_url contains "/cart"
    after screen_open 10s
    frequency every_time
}

message "Order status bot" {
    brand "Shop"
    channel "Shop iOS"
    say "Where is my order? Ask me."
    respond ai_agent "Shop Assistant" answer "Order status"
    when visitor.page_url contains "/orders" and visitor.visit_history is returning
    after screen_open 5s
    frequency once_per_visit
}
