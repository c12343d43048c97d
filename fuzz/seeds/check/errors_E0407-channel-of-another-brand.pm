// E0407: the channel "Acme iOS" belongs to the brand "Acme", not to "Acme Travel".

message "Trip planning" {
    brand "Acme Travel"
    channel "Acme iOS"
    say "Planning a trip? We can help."
    respond agent { follow_up "A travel agent will help you shortly." }
    when visitor.page_url contains "trips"
    after screen_open 30s
    frequency once_per_visit
}
