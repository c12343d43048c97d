// Messages about plans and pricing on the iOS app.

message "Pricing help" {
    brand "Acme"
    channel "Acme iOS"

    say "Hi there 👋 Questions about our plans?"

    respond agent {
        follow_up "Let me connect you with our sales team."
        collect name, email
    }

    when pricing_pages
     and french_or_german
     and returning_visitor
     and visitor.page_title not contains ["checkout"]
    after screen_open 30s

    tags "pricing", "proactive"
    send during business_hours "Sales hours"
    frequency once_per_visit
    priority 10
}

message "Pricing FAQ bot" {
    brand "Acme"
    channel "Acme iOS"
    say "Want quick answers about pricing?"
    respond ai_agent "Acme Assistant" answer "Pricing FAQ"
    when pricing_pages and not french_or_german
    after screen_open 45s
    send outside business_hours "Sales hours"
    frequency once_per_device
}

message "Enterprise plans" {
    brand "Acme"
    channel "Acme iOS"
    say "Buying for a team of 50 or more? Talk to us."
    respond agent {
        follow_up "An account executive will reply shortly."
        collect email
    }
    when visitor.page_url is "https://acme.com/pricing/enterprise"
    after screen_open 1m30s
    tags "enterprise"
    send during business_hours "Sales hours"
    frequency once_per_device
    priority 20
}
