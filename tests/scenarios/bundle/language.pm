// Language tags as devices report them (docs/language.md, "Device languages") and
// case-insensitive URL and title comparisons.
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

message "Taiwan" {
    channel "Shop iOS"
    say "歡迎，台灣！"
    respond agent {
        follow_up "..."
    }
    when visitor.page_url contains "/lang-zh-tw" and device.language is "zh-tw"
    after screen_open
    frequency every_time
}

message "Traditional Chinese" {
    channel "Shop iOS"
    say "歡迎！"
    respond agent {
        follow_up "..."
    }
    when visitor.page_url contains "/lang-zh-hant" and device.language is "zh-hant"
    after screen_open
    frequency every_time
}

message "Shalom" {
    channel "Shop iOS"
    say "שלום!"
    respond agent {
        follow_up "..."
    }
    when visitor.page_url contains "/lang-he" and device.language is "he"
    after screen_open
    frequency every_time
}

message "Hola Latinoamerica" {
    channel "Shop iOS"
    say "¡Hola!"
    respond agent {
        follow_up "..."
    }
    when visitor.page_url contains "/lang-es-419" and device.language is "es-419"
    after screen_open
    frequency every_time
}
