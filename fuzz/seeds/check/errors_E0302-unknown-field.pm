// E0302: `visitor` has the fields `page_url`, `page_title` and `visit_history`; the language
// is a field of `device`.

message "Hola" {
    brand "Acme"
    channel "Acme Android"
    say "¡Hola! ¿Podemos ayudarte?"
    respond agent { follow_up "Un agente te atenderá enseguida." }
    when visitor.language is "es" and visitor.page_name contains "help"
    after screen_open 20s
    frequency once_per_visit
}
