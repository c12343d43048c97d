// E0409: the AI agent must be one of account.toml's `[[ai_agents]]`; the account's agent is
// "Acme Assistant".

message "Order bot" {
    brand "Acme"
    channel "Acme Android"
    say "Looking for your order?"
    respond ai_agent "Acme Bot" answer "Order status"
    when visitor.page_url contains "orders"
    after screen_open 10s
    frequency once_per_device
}
