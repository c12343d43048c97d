// E0105: priorities are integers from -2147483648 to 2147483647.

message "Black Friday deals" {
    brand "Acme"
    channel "Acme iOS"
    say "Black Friday: our biggest discounts are live."
    respond agent { follow_up "Let me connect you with our sales team." }
    when visitor.page_url contains "black-friday"
    after screen_open 10s
    frequency once_per_visit
    priority 99999999999
}

message "Cyber Monday deals" {
    brand "Acme"
    channel "Acme Android"
    say "Cyber Monday: free shipping on every order."
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url contains "cyber-monday"
    after screen_open 10s
    frequency once_per_visit
    priority -99999999999999999999
}
