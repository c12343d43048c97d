// E0417: `collect` asks for `name`, `email`, both, or `none`; the phone number cannot be
// collected.

message "Callback request" {
    brand "Acme"
    channel "Acme iOS"
    say "Prefer a call? Our sales team can ring you back."
    respond agent {
        follow_up "Let me connect you with our sales team."
        collect name, phone
    }
    when visitor.page_url contains "contact"
    after screen_open 30s
    frequency once_per_visit
}
