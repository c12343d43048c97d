// E0102: the only escapes are \" \\ \n \t and \u{…}. A backslash pasted from a Windows path,
// and a Unicode escape written without braces, are reported.

condition help_center_pages = visitor.page_url contains "help\faq"
condition waving_titles = visitor.page_title contains "\u1F44B"

message "Help center greeting" {
    brand "Acme"
    channel "Acme Android"
    say "Need a hand? We are here."
    respond agent { follow_up "An agent will be with you shortly." }
    when help_center_pages or waving_titles
    after screen_open 20s
    frequency once_per_visit
}
