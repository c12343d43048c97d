message "Limited Tip" {
    channel "Shop Limited"
    say "A tip, as often as the channel's limits allow."
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/limited"
    after screen_open
    frequency every_time
}
