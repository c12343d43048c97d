// E0308: a condition name is defined twice (named conditions are shared by every file of the
// bundle, so the second definition clashes even in another file).

condition repeat_visitor = visitor.visit_history is returning

message "Repeat visitor discount" {
    brand "Acme"
    channel "Acme iOS"
    say "Welcome back! Your loyalty discount is waiting in your cart."
    respond agent { follow_up "Let me connect you with our sales team." }
    when repeat_visitor
    after screen_open 20s
    frequency once_per_device
}

condition repeat_visitor = visitor.visit_history is returning and visitor.page_url contains "cart"
