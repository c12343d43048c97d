// E0306: a trigger refers to a named condition that no file of the bundle defines; here its
// name is misspelt.

condition sale_pages = visitor.page_url contains ["sale", "deals"]

message "Sale on iOS" {
    brand "Acme"
    channel "Acme iOS"
    say "Everything on this page is 30% off today."
    respond agent { follow_up "Let me connect you with our sales team." }
    when sale_pages
    after screen_open 20s
    frequency once_per_visit
}

message "Sale on Android" {
    brand "Acme"
    channel "Acme Android"
    say "Everything on this page is 30% off today."
    respond agent { follow_up "An agent will be with you shortly." }
    when sales_pages
    after screen_open 20s
    frequency once_per_visit
}
