// E0301: comparisons test fields of `visitor` or `device`; any other object is unknown.

condition returning_customer = visiter.visit_history is returning
condition speaks_french = user.language is "fr"

message "Bon retour" {
    brand "Acme"
    channel "Acme iOS"
    say "Bon retour ! Une question sur votre commande ?"
    respond agent { follow_up "Un conseiller vous répond tout de suite." }
    when returning_customer and speaks_french
    after screen_open 20s
    frequency once_per_visit
}
