// E0303: `starts_with` and `ends_with` are for URLs and titles; a device language takes only
// `is` and `is not` (`is "pt"` already matches `pt-br` and `pt-pt`).

message "Olá" {
    brand "Acme"
    channel "Acme iOS"
    say "Olá! Dúvidas sobre os nossos planos?"
    respond agent { follow_up "Um consultor responde já." }
    when device.language starts_with "pt"
    after screen_open 30s
    frequency once_per_visit
}
