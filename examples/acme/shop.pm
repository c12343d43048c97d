// Shopping journeys on both Acme apps.

message "Cart reminder" {
    brand "Acme"
    channel "Acme Android"
    say "Need help completing your order?"
    respond agent {
        follow_up "A support agent is on the way."
        collect none
    }
    when engaged_shopper
    after screen_open 2m
    tags "cart"
    frequency once_per_visit
}

message "Order status bot" {
    brand "Acme"
    channel "Acme Android"
    say "Looking for your order?"
    respond ai_agent "Acme Assistant" answer "Order status"
    when visitor.page_url contains "/orders"
    after screen_open 10s
    frequency once_per_device
    status paused
}

message "Returns help" {
    brand "Acme"
    channel "Acme Android"
    say "Returning something? We can help."
    respond ai_agent "Acme Assistant" answer "Returns"
    when visitor.page_title contains ["return", "refund"]
      or visitor.page_url contains "/returns"
    after screen_open
    send during business_hours "Support hours"
    frequency every_time
    priority -5
}

message "Welcome back" {
    brand "Acme"
    channel "Acme iOS"
    say "Welcome back! Anything we can help with today?"
    respond agent {
        follow_up "Thanks! An agent will join you."
        collect name
    }
    when returning_visitor and visitor.page_url is "home"
    after screen_open 5s
    frequency once_per_visit
}

message "First visit" {
    brand "Acme"
    channel "Acme iOS"
    say "New here? Let us show you around."
    respond agent {
        follow_up "Connecting you with someone who can help."
    }
    when visitor.visit_history is new and visitor.page_url is not "settings"
    after screen_open 20s
    frequency once_per_device
    status published
}

message "New saved carts tour" {
    brand "Acme"
    channel "Acme Android"
    say "New in this version: saved carts follow you across devices. Take the tour?"
    respond agent {
        follow_up "Here is how saved carts work."
        collect none
    }
    when visitor.page_url contains "/saved-carts" and app.version >= "5.2"
    after screen_open
    tags "cart", "release"
    frequency once_per_device
}

message "Order page help" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about this order? We can help."
    respond agent {
        follow_up "A support agent will look it up."
        collect none
    }
    when visitor.page_url matches "https://acme\\.com/orders/[0-9]+"
    after screen_open 20s
    frequency once_per_visit
}
