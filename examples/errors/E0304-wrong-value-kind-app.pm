// E0304: `app.build` compares with a whole number, `app.version` with a version in quotes.

message "Update reminder" {
    brand "Acme"
    channel "Acme iOS"
    say "A new version of the app is available."
    respond agent { follow_up "Anything else?" }
    when app.build < "5210" or app.version < 5
    after screen_open
    frequency once_per_visit
}
