//! The diagnostics the server publishes are those of `pmc check`: for every file of the
//! example bundles, the same codes, messages and ranges (positions in UTF-16, computed here
//! independently from the text).

mod common;

use common::{Client, repo, uri};
use pmc::analysis::analyze;
use pmc::fs::load_bundle;
use serde_json::{Value, json};

/// `(code, message, start line, start UTF-16 column, end line, end UTF-16 column)`.
type Expected = (String, String, usize, usize, usize, usize);

fn utf16_position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let column = before
        .rsplit('\n')
        .next()
        .unwrap_or("")
        .encode_utf16()
        .count();
    (line, column)
}

fn published(list: &[Value]) -> Vec<Expected> {
    let n = |v: &Value| v.as_u64().unwrap() as usize;
    list.iter()
        .map(|d| {
            let r = &d["range"];
            (
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
                n(&r["start"]["line"]),
                n(&r["start"]["character"]),
                n(&r["end"]["line"]),
                n(&r["end"]["character"]),
            )
        })
        .collect()
}

#[test]
fn every_example_gets_the_diagnostics_of_pmc_check() {
    let mut client = Client::start();
    for bundle in ["examples/errors", "examples/warnings", "examples/acme"] {
        let root = repo().join(bundle);
        let loaded = load_bundle(&root).unwrap();
        let analysis = analyze(&loaded.sources, loaded.account, &loaded.pm_files);
        for &id in &loaded.pm_files {
            let file = loaded.sources.get(id);
            let expected: Vec<Expected> = analysis
                .diagnostics
                .iter()
                .filter(|d| d.primary.span.file == id)
                .map(|d| {
                    let (l0, c0) = utf16_position(&file.text, d.primary.span.start as usize);
                    let (l1, c1) = utf16_position(&file.text, d.primary.span.end as usize);
                    (
                        d.code.as_str().to_string(),
                        d.message.clone(),
                        l0,
                        c0,
                        l1,
                        c1,
                    )
                })
                .collect();
            let path = root.join(&file.path);
            client.open(&path, &file.text);
            let got = client.diagnostics(&uri(&path), |_| true);
            assert_eq!(published(&got), expected, "{}", path.display());
            client.notify(
                "textDocument/didClose",
                json!({ "textDocument": { "uri": uri(&path) } }),
            );
        }
    }
    assert!(client.shutdown().success());
}

#[test]
fn an_emoji_before_an_error_counts_two_utf16_units_and_account_edits_recheck() {
    let root = repo().join("examples/acme");
    let path = root.join("unsaved-emoji.pm");
    let text = "message \"Hi\" {\n    say \"👋👋\" when visitor.pgae_url contains \"x\" after screen_open\n}\n";
    let mut client = Client::start();
    client.open(&path, text);
    let got = client.diagnostics(&uri(&path), |l| l.iter().any(|d| d["code"] == "E0302"));
    let e0302 = got.iter().find(|d| d["code"] == "E0302").unwrap();
    // `    say "` is 9 units, the two emoji 4, `" when visitor.` 15.
    assert_eq!(
        e0302["range"]["start"],
        json!({ "line": 1, "character": 28 })
    );
    assert_eq!(e0302["range"]["end"], json!({ "line": 1, "character": 36 }));
    let related = e0302["relatedInformation"].as_array().unwrap();
    assert!(
        related
            .iter()
            .any(|r| r["message"] == "help: did you mean `page_url`?"),
        "{related:?}"
    );
    // Editing account.toml (unsaved) re-checks the open .pm file: the channel disappears.
    let account = root.join("account.toml");
    let pricing = root.join("pricing.pm");
    client.open(&pricing, &std::fs::read_to_string(&pricing).unwrap());
    let account_text = std::fs::read_to_string(&account)
        .unwrap()
        .replace("\"Acme iOS\"", "\"Acme iPhone\"");
    client.open(&account, &account_text);
    let after = client.diagnostics(&uri(&pricing), |l| l.iter().any(|d| d["code"] == "E0406"));
    assert!(
        after
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains("Acme iOS"))
    );
    assert!(client.shutdown().success());
}
