// W0108: "zh-tw" is inside "zh-hant" (Taiwan implies the Traditional script), and "es-mx" is
// inside "es-419" (Latin America): each first tag changes nothing.

message "Traditional Chinese welcome" {
    channel "Acme iOS"
    say "歡迎！需要幫忙嗎？"
    respond agent { follow_up "客服人員將為您服務。" }
    when device.language is "zh-tw" or device.language is "zh-hant"
    after screen_open 20s
    frequency once_per_visit
}

message "Latin America welcome" {
    channel "Acme iOS"
    say "¡Hola! ¿Te ayudamos?"
    respond agent { follow_up "Un agente te atenderá." }
    when device.language is ["es-mx", "es-419"]
    after screen_open 20s
    frequency once_per_visit
}
