// Messages about plans and pricing.

condition pricing_pages = visitor.page_url contains ["pricing", "plans"]

message "Pricing help" {
    brand "Shop"
    channel "Shop iOS"
    say "Questions about our plans?"
    respond agent {
        follow_up "Let me connect you with sales."
        collect email
    }
    when pricing_pages and device.language is "fr"
    after screen_open 30s
    tags "pricing"
    send during business_hours "Office"
    frequency once_per_visit
    priority 5
}

message "Welcome" {
    brand "Shop"
    channel "Shop iOS"
    say "Welcome to the shop!"
    respond agent { follow_up "How can we help?" }
    when visitor.visit_history is new
    after screen_open 10s
    frequency once_per_device
}
