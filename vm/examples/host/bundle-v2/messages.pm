// The rules the bookshop app downloads while it runs (the reference host's bundle update):
// "Checkout help" says something new, and "Gift cards" is new.

message "Welcome" {
    brand "Bookshop"
    channel "Bookshop iOS"
    say "Welcome to the bookshop! Looking for something?"
    respond agent {
        follow_up "A bookseller will be right with you."
        collect none
    }
    when visitor.visit_history is new and visitor.page_url is "home"
    after screen_open 5s
    frequency once_per_device
}

message "Checkout help" {
    brand "Bookshop"
    channel "Bookshop iOS"
    say "Stuck at checkout? Orders over 30 € ship \"free\" 📦"
    respond agent {
        follow_up "An agent will help you finish your order."
        collect name, email
    }
    when visitor.page_url contains "/checkout"
    after screen_open 20s
    tags "checkout", "proactive"
    frequency once_per_visit
    priority 10
}

message "Book finder" {
    brand "Bookshop"
    channel "Bookshop iOS"
    say "Can't find it? Ask Book Bot."
    respond ai_agent "Book Bot" answer "Recommendations"
    when visitor.page_url contains "/search"
    after screen_open 10s
    frequency once_per_device
}

message "Gift cards" {
    brand "Bookshop"
    channel "Bookshop iOS"
    say "Gift cards arrive by e-mail within minutes."
    respond agent {
        follow_up "Tell us who it is for."
        collect email
    }
    when visitor.page_url contains "/gifts"
    after screen_open 3s
    tags "gifts"
    frequency every_time
}
