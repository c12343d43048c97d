// Highlighting of the version-2 constructs.

condition pro = user.plan is "pro" and user.trial is not true and user.coupon is not set
//              ^ variable.builtin
//                   ^ variable.member
//                                                       ^ boolean
//                                                                                   ^ constant.builtin

condition shop = visitor.page_url starts_with "/shop" or visitor.page_title not ends_with "x"
//                                ^ keyword.operator
//                                                                          ^ keyword.operator
//                                                                              ^ keyword.operator

condition orders = visitor.page_url matches "/orders/[0-9]+" and visitor.page_url not matches "/a"
//                                  ^ keyword.operator
//                                                                                    ^ keyword.operator

condition recent = app.version >= "5.2" and app.build < 120 and user.cart_total > 49.99
//                 ^ variable.builtin
//                     ^ variable.member
//                             ^ operator
//                                                    ^ operator
//                                                      ^ number
//                                                                              ^ operator
//                                                                                ^ number

message "Cart help" {
    when recent and pro
    after event "added_to_cart" 30s
//  ^ keyword
//        ^ keyword
//              ^ string
//                              ^ number
    active from "2026-12-01T09:00:00+01:00" until "2026-12-25"
//  ^ keyword
//         ^ keyword
//              ^ string
//                                          ^ keyword
}
