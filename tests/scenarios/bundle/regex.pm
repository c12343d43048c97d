// Regular expressions (`matches`, `not matches`): the pattern matches the whole URL or title,
// ignoring case.

message "Invoice Page Help" {
    channel "Shop iOS"
    say "Questions about this invoice?"
    respond agent {
        follow_up "Let me look it up."
    }
    when visitor.page_url matches "https://shop\\.example/invoices/[0-9]+"
     and visitor.page_title not matches "(cancelled|refunded) .*"
    after screen_open
    frequency every_time
}
