// E0104: clauses are not ended by semicolons, and logic is written with the words `and`,
// `or` and `not`, not with `&&` or `!`.

message "Spring sale" {
    brand "Acme"
    channel "Acme iOS";
    say "Spring sale: 20% off every plan this week!";
    respond agent { follow_up "Let me connect you with our sales team." }
    when visitor.page_url contains "sale"
    after screen_open 15s
    frequency once_per_device;
}
