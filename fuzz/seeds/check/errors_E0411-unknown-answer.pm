// E0411: the answer must be one of the AI agent's `answers`; "Acme Assistant" knows
// "Order status", "Pricing FAQ" and "Returns".

message "Order tracking bot" {
    brand "Acme"
    channel "Acme iOS"
    say "Want to know where your parcel is?"
    respond ai_agent "Acme Assistant" answer "Order tracking"
    when visitor.page_url contains "tracking"
    after screen_open 10s
    frequency once_per_device
}
