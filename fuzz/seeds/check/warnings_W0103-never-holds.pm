// W0103: part of a condition can never hold: a device language cannot be both French and
// German (`and` was written where `or` was meant).

message "European visitors" {
    channel "Acme iOS"
    say "We ship to all of Europe. Any questions?"
    respond agent {
        follow_up "Let me connect you with our sales team."
    }
    when visitor.page_url contains "shipping"
      or (device.language is "fr" and device.language is "de")
    after screen_open 30s
    frequency once_per_visit
}
