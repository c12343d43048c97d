// E0419: a message has at most 64 different tags; this one has 65.

message "Tagged welcome" {
    brand "Acme"
    channel "Acme iOS"
    say "Welcome!"
    respond agent { follow_up "An agent will be with you shortly." }
    after screen_open 10s
    tags
        "tag01", "tag02", "tag03", "tag04", "tag05", "tag06", "tag07", "tag08", "tag09", "tag10",
        "tag11", "tag12", "tag13", "tag14", "tag15", "tag16", "tag17", "tag18", "tag19", "tag20",
        "tag21", "tag22", "tag23", "tag24", "tag25", "tag26", "tag27", "tag28", "tag29", "tag30",
        "tag31", "tag32", "tag33", "tag34", "tag35", "tag36", "tag37", "tag38", "tag39", "tag40",
        "tag41", "tag42", "tag43", "tag44", "tag45", "tag46", "tag47", "tag48", "tag49", "tag50",
        "tag51", "tag52", "tag53", "tag54", "tag55", "tag56", "tag57", "tag58", "tag59", "tag60",
        "tag61", "tag62", "tag63", "tag64", "tag65"
    frequency once_per_visit
}
