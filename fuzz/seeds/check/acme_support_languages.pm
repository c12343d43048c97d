// Greetings in the customer's language (files in folders belong to the bundle too).

message "Aide en français" {
    brand "Acme"
    channel "Acme Android"
    say "Bonjour ! Besoin d'aide ?"
    respond agent {
        follow_up "Un conseiller vous répond dans un instant."
        collect name, email
    }
    when device.language is "fr" and not (device.language is "fr-ca")
    after screen_open 40s
    tags "french"
    send during business_hours "Support hours"
    frequency once_per_visit
}

message "Ayuda en español" {
    brand "Acme"
    channel "Acme Android"
    say "¿Necesitas ayuda?"
    respond agent {
        follow_up "Un agente te atenderá enseguida."
    }
    when device.language is "es" or device.language is "pt-br"
    after screen_open 40s
    tags "spanish", "latam"
    frequency once_per_visit
}
