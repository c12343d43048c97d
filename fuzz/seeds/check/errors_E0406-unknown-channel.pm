// E0406: the channel must be one of account.toml's channels, written exactly; the iOS app's
// channel is "Acme iOS".

message "iPhone upgrade" {
    brand "Acme"
    channel "Acme iPhone"
    say "Upgrading your phone? Move your plan in two taps."
    respond agent { follow_up "Let me connect you with our support team." }
    when visitor.page_url contains "upgrade"
    after screen_open 30s
    frequency once_per_visit
}
