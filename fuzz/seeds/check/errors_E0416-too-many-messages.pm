// E0416: an account holds at most 140 messages, paused ones included. This file was generated
// with 141 small messages (one per product page), so the bundle holds more than 140 and the
// 141st message in bundle order is in this file.

message "Product page 001" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 001?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/pricing/product-001"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 002" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 002?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/plans/product-002"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 003" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 003?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/checkout/product-003"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 004" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 004?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/cart/product-004"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 005" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 005?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/orders/product-005"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 006" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 006?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/returns/product-006"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 007" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 007?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/shipping/product-007"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 008" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 008?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/support/product-008"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 009" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 009?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/account/product-009"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 010" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 010?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/billing/product-010"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 011" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 011?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/careers/product-011"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 012" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 012?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/blog/product-012"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 013" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 013?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/stores/product-013"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 014" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 014?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/gift-cards/product-014"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 015" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 015?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/rewards/product-015"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 016" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 016?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/warranty/product-016"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 017" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 017?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/repairs/product-017"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 018" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 018?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/accessories/product-018"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 019" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 019?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/deals/product-019"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 020" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 020?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/compare/product-020"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 021" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 021?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/pricing/product-021"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 022" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 022?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/plans/product-022"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 023" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 023?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/checkout/product-023"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 024" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 024?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/cart/product-024"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 025" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 025?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/orders/product-025"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 026" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 026?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/returns/product-026"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 027" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 027?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/shipping/product-027"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 028" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 028?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/support/product-028"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 029" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 029?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/account/product-029"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 030" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 030?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/billing/product-030"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 031" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 031?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/careers/product-031"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 032" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 032?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/blog/product-032"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 033" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 033?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/stores/product-033"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 034" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 034?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/gift-cards/product-034"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 035" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 035?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/rewards/product-035"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 036" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 036?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/warranty/product-036"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 037" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 037?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/repairs/product-037"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 038" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 038?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/accessories/product-038"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 039" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 039?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/deals/product-039"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 040" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 040?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/compare/product-040"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 041" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 041?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/pricing/product-041"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 042" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 042?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/plans/product-042"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 043" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 043?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/checkout/product-043"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 044" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 044?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/cart/product-044"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 045" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 045?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/orders/product-045"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 046" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 046?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/returns/product-046"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 047" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 047?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/shipping/product-047"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 048" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 048?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/support/product-048"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 049" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 049?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/account/product-049"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 050" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 050?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/billing/product-050"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 051" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 051?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/careers/product-051"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 052" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 052?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/blog/product-052"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 053" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 053?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/stores/product-053"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 054" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 054?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/gift-cards/product-054"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 055" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 055?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/rewards/product-055"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 056" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 056?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/warranty/product-056"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 057" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 057?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/repairs/product-057"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 058" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 058?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/accessories/product-058"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 059" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 059?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/deals/product-059"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 060" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 060?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/compare/product-060"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 061" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 061?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/pricing/product-061"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 062" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 062?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/plans/product-062"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 063" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 063?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/checkout/product-063"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 064" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 064?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/cart/product-064"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 065" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 065?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/orders/product-065"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 066" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 066?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/returns/product-066"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 067" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 067?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/shipping/product-067"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 068" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 068?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/support/product-068"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 069" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 069?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/account/product-069"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 070" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 070?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/billing/product-070"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 071" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 071?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/careers/product-071"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 072" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 072?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/blog/product-072"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 073" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 073?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/stores/product-073"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 074" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 074?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/gift-cards/product-074"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 075" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 075?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/rewards/product-075"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 076" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 076?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/warranty/product-076"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 077" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 077?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/repairs/product-077"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 078" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 078?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/accessories/product-078"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 079" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 079?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/deals/product-079"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 080" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 080?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/compare/product-080"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 081" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 081?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/pricing/product-081"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 082" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 082?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/plans/product-082"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 083" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 083?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/checkout/product-083"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 084" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 084?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/cart/product-084"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 085" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 085?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/orders/product-085"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 086" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 086?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/returns/product-086"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 087" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 087?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/shipping/product-087"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 088" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 088?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/support/product-088"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 089" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 089?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/account/product-089"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 090" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 090?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/billing/product-090"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 091" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 091?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/careers/product-091"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 092" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 092?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/blog/product-092"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 093" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 093?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/stores/product-093"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 094" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 094?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/gift-cards/product-094"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 095" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 095?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/rewards/product-095"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 096" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 096?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/warranty/product-096"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 097" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 097?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/repairs/product-097"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 098" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 098?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/accessories/product-098"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 099" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 099?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/deals/product-099"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 100" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 100?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/compare/product-100"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 101" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 101?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/pricing/product-101"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 102" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 102?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/plans/product-102"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 103" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 103?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/checkout/product-103"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 104" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 104?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/cart/product-104"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 105" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 105?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/orders/product-105"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 106" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 106?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/returns/product-106"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 107" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 107?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/shipping/product-107"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 108" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 108?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/support/product-108"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 109" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 109?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/account/product-109"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 110" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 110?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/billing/product-110"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 111" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 111?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/careers/product-111"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 112" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 112?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/blog/product-112"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 113" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 113?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/stores/product-113"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 114" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 114?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/gift-cards/product-114"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 115" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 115?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/rewards/product-115"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 116" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 116?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/warranty/product-116"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 117" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 117?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/repairs/product-117"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 118" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 118?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/accessories/product-118"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 119" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 119?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/deals/product-119"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 120" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 120?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/compare/product-120"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 121" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 121?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/pricing/product-121"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 122" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 122?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/plans/product-122"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 123" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 123?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/checkout/product-123"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 124" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 124?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/cart/product-124"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 125" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 125?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/orders/product-125"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 126" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 126?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/returns/product-126"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 127" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 127?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/shipping/product-127"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 128" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 128?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/support/product-128"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 129" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 129?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/account/product-129"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 130" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 130?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/billing/product-130"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 131" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 131?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/careers/product-131"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 132" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 132?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/blog/product-132"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 133" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 133?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/stores/product-133"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 134" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 134?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/gift-cards/product-134"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 135" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 135?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/rewards/product-135"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 136" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 136?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/warranty/product-136"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 137" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 137?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/repairs/product-137"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 138" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 138?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/accessories/product-138"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 139" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 139?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/deals/product-139"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 140" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions about product 140?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/compare/product-140"
    after screen_open 20s
    frequency once_per_device
}

message "Product page 141" {
    brand "Acme"
    channel "Acme Android"
    say "Questions about product 141?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_url is "https://acme.com/pricing/product-141"
    after screen_open 20s
    frequency once_per_device
}
