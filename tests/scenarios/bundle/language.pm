// Language tags (RFC 4647 basic filtering) and case-insensitive URL and title comparisons.
message "Bonjour" {
    channel "Shop iOS"
    say "Bonjour !"
    respond agent {
        follow_up "Un instant."
    }
    when visitor.page_url contains "/lang-fr" and device.language is "fr"
    after screen_open
    frequency every_time
}

message "Bonjour Canada" {
    channel "Shop iOS"
    say "Bonjour, le Canada !"
    respond agent {
        follow_up "Un instant."
    }
    when visitor.page_url contains "/lang-ca" and device.language is "fr-ca"
    after screen_open
    frequency every_time
}

message "Case Test" {
    channel "Shop iOS"
    say "Big sale today."
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/CaseTest"
     and visitor.page_title is "Big Sale"
    after screen_open
    frequency every_time
}

message "Summer Sale" {
    channel "Shop iOS"
    say "Soldes d'été !"
    respond agent {
        follow_up "Un instant."
    }
    when visitor.page_url contains "/case-unicode"
     and visitor.page_title contains "Été"
    after screen_open
    frequency every_time
}
