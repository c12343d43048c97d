// The pricing rule of benches/benches/eval.rs, case (a): message 0 of pm_benches::pricing_bundle().

message "Generated 00000" {
    brand "Acme"
    channel "Acme iOS"
    say "Message 0: can we help you with this page?"
    respond agent {
        follow_up "An agent will join you shortly."
        collect name, email
    }
    when visitor.page_url contains ["pricing","plans"] and (device.language is "fr" or device.language is "de") and visitor.visit_history is returning and visitor.page_title not contains ["checkout"]
    after screen_open 5s
    send during business_hours "Sales hours"
    tags "generated", "bench"
    frequency once_per_visit
    priority 0
}
