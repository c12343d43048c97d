// E0405: the account has two brands ("Acme" and "Acme Travel"), so every message must say
// which one it speaks for.

message "Student discount" {
    channel "Acme iOS"
    say "Students get 50% off: ask us how."
    respond agent { follow_up "Let me connect you with our sales team." }
    when visitor.page_url contains "students"
    after screen_open 30s
    frequency once_per_device
}
