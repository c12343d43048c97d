// Acme Travel: the Unity app, with its own brand and AI agent.

message "Booking changes" {
    brand "Acme Travel"
    channel "Acme Travel App"
    say "Plans changed? I can move your booking."
    respond ai_agent "Trip Helper" answer "Booking changes"
    when visitor.page_url starts_with "https://travel.acme.com/bookings/"
     and visitor.page_url not ends_with "/cancelled"
    after screen_open 15s
    tags "booking"
    frequency every_time
}

message "Baggage questions" {
    brand "Acme Travel"
    channel "Acme Travel App"
    say "Questions about baggage allowance?"
    respond ai_agent "Trip Helper" answer "Baggage rules"
    when visitor.page_title contains "baggage"
     and visitor.visit_history is not new
    after screen_open 30s
    frequency once_per_visit
}

message "Travel desk" {
    brand "Acme Travel"
    channel "Acme Travel App"
    say "Talk to our travel desk"
    respond agent {
        follow_up "A travel agent will be with you soon."
        collect email, name
    }
    when visitor.page_url contains ["/help", "/contact"]
    after screen_open 1m
    send during business_hours "Support hours"
    frequency once_per_visit
    priority 5
}
