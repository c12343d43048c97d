// E0303: `app.version` and `app.build` take `is`, `is not`, `<`, `<=`, `>` and `>=`; text
// operators such as `starts_with` are for URLs and titles (`>= "5"` and `< "6"` say "5.x").

message "Saved carts tour for 5.x" {
    brand "Acme"
    channel "Acme iOS"
    say "New: your saved carts follow you across devices. Take the tour?"
    respond agent { follow_up "Here is how saved carts work." }
    when app.version starts_with "5."
    after screen_open
    frequency once_per_device
}
