// E0303: `device.language` and `visitor.visit_history` take only `is` and `is not`;
// `contains` is for URLs and titles.

message "Hallo" {
    brand "Acme"
    channel "Acme iOS"
    say "Hallo! Fragen zu unseren Tarifen?"
    respond agent { follow_up "Ein Berater meldet sich gleich." }
    when device.language contains "de"
    after screen_open 30s
    frequency once_per_visit
}
