// E0204: a clause starts with an unknown word. The channel is misspelt, the message text is
// `say` (not `text`), and the hand-over text is `follow_up`.

message "Pricing questions" {
    brand "Acme"
    chanel "Acme iOS"
    text "Questions about our plans?"
    respond agent {
        followup "Let me connect you with our sales team."
    }
    after screen_open 30s
    frequency once_per_visit
}
