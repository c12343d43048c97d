// E0201: after `not` in a comparison comes `contains`, `starts_with` or `ends_with`; `is not`
// is written with `is` first.

message "Not the checkout" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about your order?"
    respond agent { follow_up "One moment, please." }
    when visitor.page_title not is "Checkout"
    after screen_open 30s
    frequency once_per_visit
}
