// E0304: the value does not have the kind the field takes: `visit_history` takes the words
// `new` and `returning` (no quotes), URLs take strings (in quotes), and `is` takes one
// URL, not a list.

condition returning_shopper = visitor.visit_history is "returning"
condition pricing_url = visitor.page_url is pricing
condition pricing_or_plans = visitor.page_url is ["pricing", "plans"]

message "Loyal customer offer" {
    brand "Acme"
    channel "Acme iOS"
    say "Thanks for coming back: here is 10% off your next plan."
    respond agent { follow_up "Let me connect you with our sales team." }
    when returning_shopper and pricing_url and pricing_or_plans
    after screen_open 30s
    frequency once_per_device
}
