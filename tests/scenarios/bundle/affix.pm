// Prefix and suffix tests of the URL and title (`starts_with`, `ends_with` and their
// negations, with a string or a list), compared ignoring case.

message "Docs Help" {
    channel "Shop iOS"
    say "Finding your way around the docs?"
    respond agent {
        follow_up "Let me connect you."
    }
    when visitor.page_url starts_with ["https://shop.example/docs/", "https://shop.example/guides/"]
     and visitor.page_url not ends_with ".pdf"
    after screen_open
    frequency every_time
}

message "Download Help" {
    channel "Shop iOS"
    say "Trouble with a download?"
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url ends_with [".pdf", ".zip"]
     and visitor.page_title not starts_with "Invoice"
    after screen_open
    frequency every_time
}
