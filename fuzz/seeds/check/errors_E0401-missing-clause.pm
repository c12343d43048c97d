// E0401: a required clause is missing: this message has no trigger (`after …`) and no
// `frequency`, and its `respond agent` block has no `follow_up` text.

message "Newsletter signup" {
    brand "Acme"
    channel "Acme iOS"
    say "Want our monthly tips? Leave us your e-mail."
    respond agent { collect email }
}
