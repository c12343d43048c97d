// E0305: language tags come from the supported list: Japanese is "ja" (not "jp"), and tags
// are codes, not language names.

message "Konnichiwa" {
    brand "Acme Travel"
    channel "Acme Travel App"
    say "こんにちは！旅行のご相談はこちらへ。"
    respond ai_agent "Trip Helper" answer "Booking changes"
    when device.language is "jp" or device.language is "japanese"
    after screen_open 20s
    frequency once_per_visit
}
