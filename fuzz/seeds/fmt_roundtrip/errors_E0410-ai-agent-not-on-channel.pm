// E0410: "Acme Assistant" is connected to the Acme iOS and Android apps only, not to the
// travel app.

message "Travel returns" {
    brand "Acme Travel"
    channel "Acme Travel App"
    say "Returning some gear from your trip?"
    respond ai_agent "Acme Assistant" answer "Returns"
    when visitor.page_url contains "returns"
    after screen_open 10s
    frequency once_per_visit
}
