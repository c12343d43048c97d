// E0311: each named condition uses the one before twice, so written out in full (the bundle
// has no calls) the message's condition doubles with every line: 196,607 parts.

condition new_0 = visitor.visit_history is new
condition new_1 = new_0 and new_0
condition new_2 = new_1 and new_1
condition new_3 = new_2 and new_2
condition new_4 = new_3 and new_3
condition new_5 = new_4 and new_4
condition new_6 = new_5 and new_5
condition new_7 = new_6 and new_6
condition new_8 = new_7 and new_7
condition new_9 = new_8 and new_8
condition new_10 = new_9 and new_9
condition new_11 = new_10 and new_10
condition new_12 = new_11 and new_11
condition new_13 = new_12 and new_12
condition new_14 = new_13 and new_13
condition new_15 = new_14 and new_14
condition new_16 = new_15 and new_15

message "Doubled welcome" {
    brand "Acme"
    channel "Acme iOS"
    say "Welcome back!"
    respond agent { follow_up "An agent will be with you shortly." }
    when new_16
    after screen_open 10s
    frequency once_per_visit
}
