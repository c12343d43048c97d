// E0201: the tokens do not form a valid item or clause. The named condition lacks its `=`,
// and the `and` in the trigger has no right-hand operand.

condition plan_pages visitor.page_url contains ["pricing", "plans"]

message "Plan comparison" {
    brand "Acme"
    channel "Acme iOS"
    say "Comparing plans? We can help you choose."
    respond agent { follow_up "Let me connect you with our sales team." }
    when visitor.visit_history is returning and
    after screen_open 30s
    frequency once_per_visit
}
