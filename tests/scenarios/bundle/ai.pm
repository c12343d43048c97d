// Both answer on "/orders"; the generative one outranks the other while AI resolutions are
// available and is held back while they are not.
message "Genie Answer" {
    channel "Shop iOS"
    say "Where is my order? Ask Genie."
    respond ai_agent "Genie" answer "Order status"
    when visitor.page_url contains "/orders"
    after screen_open
    frequency every_time
    priority 5
}

message "Scripted Answer" {
    channel "Shop iOS"
    say "Questions? Our bot has answers."
    respond ai_agent "Scripted Bot" answer "FAQ"
    when visitor.page_url contains "/orders"
    after screen_open
    frequency every_time
    priority 1
}
