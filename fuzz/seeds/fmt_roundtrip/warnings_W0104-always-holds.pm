// W0104: a condition always holds: every device fails at least one of the two negated
// comparisons (`or` was written where `and` was meant), so the `when` part filters nothing.

message "English pricing help" {
    channel "Acme iOS"
    say "Questions about our plans?"
    respond ai_agent "Acme Assistant" answer "Pricing FAQ"
    when device.language is not "fr" or device.language is not "de"
    after screen_open 45s
    frequency once_per_device
}
