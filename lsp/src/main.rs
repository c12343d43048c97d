//! `pm-lsp`: the language server.
fn main() {}
