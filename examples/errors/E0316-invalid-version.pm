// E0316: a version is numbers separated by dots, with an optional `-pre.release` and
// `+build`: the error points at the first character that does not fit.

condition saved_carts_app = app.version >= "5.2.x"
condition tagged_release = app.version is "v5.2"
condition empty_pre_release = app.version < "5.2-"

message "Saved carts tour for 5.2" {
    brand "Acme"
    channel "Acme iOS"
    say "New: your saved carts follow you across devices. Take the tour?"
    respond agent { follow_up "Here is how saved carts work." }
    when saved_carts_app or tagged_release or empty_pre_release
    after screen_open
    frequency once_per_device
}
