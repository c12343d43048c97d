// E0404: the brand must be written exactly as account.toml names it ("Acme").

message "Team plans" {
    brand "ACME Inc"
    channel "Acme iOS"
    say "Buying for your team? Ask us about volume pricing."
    respond agent { follow_up "Let me connect you with our sales team." }
    when visitor.page_url contains "team"
    after screen_open 30s
    frequency once_per_visit
}
