// W0103: a URL cannot start with two paths neither of which starts the other: this message
// can never be shown (`and` was written where `or` was meant).

message "Help centre and docs" {
    channel "Acme iOS"
    say "Can't find what you need? Ask us."
    respond agent {
        follow_up "Let me connect you with support."
    }
    when visitor.page_url starts_with "https://acme.com/help/"
      and visitor.page_url starts_with "https://acme.com/docs/"
    after screen_open 30s
    frequency once_per_visit
}
