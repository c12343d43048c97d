// Highlighting of the constructs of version 1. `^` points at the column of the line above.
// <- comment

condition pricing_pages = visitor.page_url contains ["pricing", "plans"]
// <- keyword
//        ^ function
//                      ^ operator
//                        ^ variable.builtin
//                               ^ punctuation.delimiter
//                                ^ variable.member
//                                         ^ keyword.operator
//                                                  ^ punctuation.bracket
//                                                   ^ string
//                                                            ^ punctuation.delimiter

condition returning = visitor.visit_history is not new and not device.language is ["fr", "de"]
//                                          ^ keyword.operator
//                                             ^ keyword.operator
//                                                 ^ constant.builtin
//                                                     ^ keyword.operator
//                                                         ^ keyword.operator
//                                                             ^ variable.builtin
//                                                                    ^ variable.member

condition typo = visitor.page_url is "x" or visit.page_url not contains "y" or pricing_pages
//                                       ^ keyword.operator
//                                                         ^ keyword.operator
//                                                             ^ keyword.operator
//                                                                             ^ function

message "Pricing help" {
// <- keyword
//      ^ string
//                     ^ punctuation.bracket
    brand "Acme"
//  ^ keyword
//        ^ string
    channel "Acme iOS"
//  ^ keyword
    say "Hi \"there\" \\ \n\t \u{1F44B} // not a comment"
//  ^ keyword
//       ^ string
//          ^ string.escape
//                    ^ string.escape
//                       ^ string.escape
//                         ^ string.escape
//                             ^^^^^^^^^ string.escape
//                                      ^ string
    respond agent {
//  ^ keyword
//          ^ keyword
        follow_up "Let me connect you."
//      ^ keyword
        collect name, email
//      ^ keyword
//              ^ constant.builtin
//                    ^ constant.builtin
    }
//  ^ punctuation.bracket
    when (pricing_pages or returning)
//  ^ keyword.conditional
//       ^ punctuation.bracket
//        ^ function
    after screen_open 0m30s
//  ^ keyword
//        ^ constant.builtin
//                    ^ number
    tags "pricing", "proactive"
//  ^ keyword
//       ^ string
    send during business_hours "Sales hours"
//  ^ keyword
//       ^ keyword
//              ^ keyword
//                             ^ string
    frequency once_per_visit
//  ^ keyword
//            ^ constant.builtin
    priority -5
//  ^ keyword
//           ^ number
    status paused
//  ^ keyword
//         ^ constant.builtin
}

// Misspelt words keep no colour (a negative assertion needs some other highlight at its
// position, so tests/drift.rs checks this).
message "Misspelt words stay plain" {
    respond ai_agent "Acme Assistant" answer "Order status"
//          ^ keyword
//                                    ^ keyword
    after screen_opened 10s
    send anytime
//       ^ keyword
    frequency once_per_vist
    status pause
}
