// E0202: a `(` is never closed, and neither is the message's `{`: the next `message` keyword
// shows where they should have been closed.

message "European pricing help" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about our plans?"
    respond agent { follow_up "Let me connect you with our sales team." }
    when (device.language is "fr" or device.language is "de"
    after screen_open 30s
    frequency once_per_visit

message "Order status lookup" {
    brand "Acme"
    channel "Acme Android"
    say "Looking for your order?"
    respond ai_agent "Acme Assistant" answer "Order status"
    after screen_open 10s
    frequency once_per_device
}
