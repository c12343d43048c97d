// E0310: a word is not one of the values its place accepts: visit histories are `new` and
// `returning`, frequencies `once_per_device`, `once_per_visit` and `every_time`, statuses
// `published` and `paused`.

message "Regulars corner" {
    brand "Acme"
    channel "Acme Android"
    say "Good to see you again! Need anything?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.visit_history is regular
    after screen_open 30s
    frequency once_per_day
    status draft
}
