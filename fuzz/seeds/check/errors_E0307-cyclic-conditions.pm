// E0307: two named conditions are defined from each other, so neither has a meaning.

condition shop_pages = visitor.page_url contains "shop" or catalog_pages
condition catalog_pages = visitor.page_url contains "catalog" or shop_pages

message "Browsing help" {
    brand "Acme"
    channel "Acme Android"
    say "Looking for something in particular?"
    respond agent { follow_up "An agent will be with you shortly." }
    when shop_pages
    after screen_open 45s
    frequency once_per_visit
}
