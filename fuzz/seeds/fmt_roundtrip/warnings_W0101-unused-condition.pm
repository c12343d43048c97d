// W0101: a named condition that no message or condition uses has no effect; here the
// checkout exclusion was defined but never added to the trigger.

condition plan_pages = visitor.page_url contains ["pricing", "plans"]

condition checkout_pages = visitor.page_url contains "checkout"

message "Plan questions" {
    channel "Acme iOS"
    say "Questions about our plans?"
    respond agent {
        follow_up "Let me connect you with our sales team."
    }
    when plan_pages
    after screen_open 30s
    frequency once_per_visit
}
