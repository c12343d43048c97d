// E0303: `matches` is for URLs and titles; a device language takes only `is` and `is not`.

message "Bonjour" {
    brand "Acme"
    channel "Acme iOS"
    say "Bonjour ! Une question ?"
    respond agent { follow_up "Un conseiller arrive." }
    when device.language matches "fr.*"
    after screen_open 30s
    frequency once_per_visit
}
