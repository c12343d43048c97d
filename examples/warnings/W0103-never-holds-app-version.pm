// W0103: no version is both below 2 and above 3, so this message is never shown.

message "Legacy app notice" {
    brand "Acme"
    channel "Acme iOS"
    say "Your version of the app will stop working soon."
    respond agent { follow_up "We can help you update." }
    when app.version < "2" and app.version > "3"
    after screen_open
    frequency once_per_device
}
