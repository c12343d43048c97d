// E0106: keywords, values and condition names are written in lower case only.

Message "Welcome back" {
    brand "Acme"
    channel "Acme iOS"
    say "Welcome back! Anything we can help with?"
    respond agent { follow_up "Let me connect you with our support team." }
    when visitor.visit_history is Returning
    after screen_open 30s
    frequency once_per_visit
}
