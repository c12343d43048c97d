// W0102: the kiosk channel keeps conversation control (account.toml), so its proactive
// messages are never sent; the message below is reported as never delivered (W0106).

message "Kiosk welcome" {
    channel "Acme Kiosk"
    say "Welcome to the Acme store! Need help finding something?"
    respond agent {
        follow_up "A store assistant is on the way."
    }
    after screen_open 10s
    frequency every_time
}
