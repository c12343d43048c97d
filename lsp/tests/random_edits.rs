//! 2,000 random insertions and deletions in an example file, with requests in between: the
//! server answers every request, never with an internal error, and never crashes.

mod common;

use common::{Client, repo, uri};
use serde_json::{Value, json};

/// A small deterministic generator (xorshift64*), so a failure replays identically.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The LSP position (UTF-16 column) of character `index` of `text`.
fn position(text: &str, index: usize) -> Value {
    let before: String = text.chars().take(index).collect();
    let line = before.matches('\n').count();
    let column: usize = before
        .rsplit('\n')
        .next()
        .unwrap_or("")
        .chars()
        .map(char::len_utf16)
        .sum();
    json!({ "line": line, "character": column })
}

const PIECES: &[&str] = &[
    " ",
    "\n",
    "\"",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ",",
    ".",
    "=",
    "👋",
    "é",
    "\\",
    "//",
    "message ",
    "condition ",
    "when ",
    "after ",
    "and ",
    "or ",
    "not ",
    "is ",
    "contains ",
    "visitor.",
    "device.language ",
    "\"fr\"",
    "screen_open 30s",
    "channel \"",
    "respond ai_agent \"",
    "answer \"",
    "send during business_hours \"",
    "frequency ",
    "pricing_pages",
    "1m75s",
    "-99999999999",
    "&&",
    "Message",
    "\u{201c}",
];

const REQUESTS: &[&str] = &[
    "textDocument/completion",
    "textDocument/hover",
    "textDocument/definition",
    "textDocument/references",
    "textDocument/documentSymbol",
    "textDocument/foldingRange",
    "textDocument/semanticTokens/full",
    "textDocument/inlayHint",
    "textDocument/formatting",
    "textDocument/codeAction",
    "textDocument/rename",
];

#[test]
fn two_thousand_random_edits_never_break_the_server() {
    let path = repo().join("examples/acme/pricing.pm");
    let file = uri(&path);
    let mut text = std::fs::read_to_string(&path).unwrap();
    let mut client = Client::start();
    client.open(&path, &text);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut answered = 0;
    for version in 2..2002 {
        let chars = text.chars().count();
        let start = rng.below(chars + 1);
        let (end, insert) = if rng.below(2) == 0 {
            (start, PIECES[rng.below(PIECES.len())].to_string())
        } else {
            ((start + 1 + rng.below(20)).min(chars), String::new())
        };
        let range = json!({ "start": position(&text, start), "end": position(&text, end) });
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": file, "version": version },
                "contentChanges": [{ "range": range, "text": insert }],
            }),
        );
        let begin = text
            .char_indices()
            .nth(start)
            .map_or(text.len(), |(i, _)| i);
        let finish = text.char_indices().nth(end).map_or(text.len(), |(i, _)| i);
        text.replace_range(begin..finish, &insert);
        if rng.below(4) == 0 {
            let method = REQUESTS[rng.below(REQUESTS.len())];
            let at = position(&text, rng.below(text.chars().count() + 1));
            let params = json!({
                "textDocument": { "uri": file },
                "position": at,
                "range": { "start": at, "end": at },
                "context": { "includeDeclaration": true, "diagnostics": [] },
                "options": { "tabSize": 4, "insertSpaces": true },
                "newName": "renamed",
                "query": "",
            });
            let answer = client.request(method, params);
            let internal = answer["error"]["code"] == json!(-32603);
            assert!(
                !internal && (answer.get("result").is_some() || answer.get("error").is_some()),
                "{method}: {answer}"
            );
            answered += 1;
        }
        client
            .notifications
            .retain(|n| n["method"] != "textDocument/publishDiagnostics");
    }
    assert!(answered > 400, "only {answered} requests were sent");
    // The server's text is ours: its diagnostics lie inside the text we think it has.
    let lines = text.split('\n').count() as u64;
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": file } }),
    );
    assert!(symbols.get("result").is_some(), "{symbols}");
    let diagnostics = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": file }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": lines, "character": 0 } }, "context": { "diagnostics": [] } }),
    );
    for action in diagnostics["result"].as_array().unwrap() {
        for d in action["diagnostics"].as_array().unwrap() {
            assert!(d["range"]["end"]["line"].as_u64().unwrap() < lines, "{d}");
        }
    }
    assert!(client.shutdown().success());
}
