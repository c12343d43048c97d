//! Sources built to exhaust a naive checker — a chain of 10,000 named conditions, a cycle of
//! 20,000, conditions that double with every line, a 2 KB file of all of them — get their
//! diagnostics from the server like any other file, and the server keeps serving (it used to
//! overflow its stack, or exhaust memory).

mod common;

use common::Client;

const ACCOUNT: &str =
    "[[brands]]\nname = \"B\"\n[[channels]]\nname = \"C\"\nbrand = \"B\"\nplatform = \"ios\"\n";

fn message(when: &str) -> String {
    format!(
        "message \"M\" {{\n channel \"C\"\n say \"s\"\n respond agent {{ follow_up \"f\" }}\n when {when}\n after screen_open\n frequency every_time\n}}\n"
    )
}

/// `c0 = c1`, … `c{len-1} = c{len}` (or `= c0` when `cycle`).
fn chain(len: usize, cycle: bool) -> String {
    let mut out: String = (0..len)
        .map(|i| {
            let next = if cycle && i + 1 == len { 0 } else { i + 1 };
            format!("condition c{i} = c{next}\n")
        })
        .collect();
    if !cycle {
        out.push_str(&format!(
            "condition c{len} = visitor.visit_history is new\n"
        ));
    }
    out
}

/// `d0 = visitor.visit_history is new`, then `dN = dN-1 and dN-1` up to `depth`.
fn doubling(depth: usize) -> String {
    let mut out = String::from("condition d0 = visitor.visit_history is new\n");
    for i in 1..=depth {
        out.push_str(&format!("condition d{i} = d{} and d{}\n", i - 1, i - 1));
    }
    out
}

#[test]
fn adversarial_sources_get_diagnostics_and_the_server_keeps_serving() {
    let root = std::env::temp_dir().join(format!("pm-lsp-adversarial-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let list: Vec<String> = (0..60).map(|i| format!("\"p{i}\"")).collect();
    let small = format!(
        "{}{}",
        doubling(24),
        message(&format!(
            "d24 or visitor.page_url contains [{}]",
            list.join(", ")
        ))
    );
    assert!(small.len() <= 2048);
    let cases = [
        ("chain", chain(10_000, false) + &message("c0"), None),
        ("cycle", chain(20_000, true) + &message("c0"), Some("E0307")),
        ("doubling", doubling(24) + &message("d24"), Some("E0311")),
        ("small", small, Some("E0311")),
    ];
    let mut client = Client::start();
    for (name, text, expected) in &cases {
        // Each case in a bundle of its own, so that a case never sees the one before it,
        // whatever order the server handles the previous `didClose` and this `didOpen` in.
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("account.toml"), ACCOUNT).unwrap();
        let path = dir.join(format!("{name}.pm"));
        std::fs::write(&path, text).unwrap();
        client.open(&path, text);
        let uri = common::uri(&path);
        let errors: Vec<String> = client
            .diagnostics(&uri, |_| true)
            .iter()
            .filter(|d| d["severity"] == 1)
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            errors,
            expected.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
            "{name}"
        );
        client.notify(
            "textDocument/didClose",
            serde_json::json!({ "textDocument": { "uri": uri } }),
        );
    }
    assert!(client.shutdown().success());
    std::fs::remove_dir_all(&root).unwrap();
}
