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

// `zh-hant` matches every Traditional Chinese device however it reports its language:
// `zh-Hant-TW` (iOS), `zh_TW_#Hant` (Android), `zh-HK`; not `zh-CN`.
message "繁體中文客服" {
    brand "Acme"
    channel "Acme Android"
    say "需要協助嗎？"
    respond agent {
        follow_up "客服人員馬上為您服務。"
    }
    when device.language is "zh-hant"
    after screen_open 40s
    tags "chinese"
    frequency once_per_visit
}
