//! Runs the Node end-to-end test (`tests/e2e/e2e.mjs`): the real `pm-lsp` driven by
//! `vscode-languageserver-protocol`, the client library VS Code uses. Skipped, with a printed
//! reason, when `node` is not installed (never in CI).

mod common;

use std::process::Command;

use common::{repo, tool_available};

/// `lsp/tests/e2e`, the Node client's folder, with its npm packages installed.
fn client_dir() -> std::path::PathBuf {
    let dir = repo().join("lsp/tests/e2e");
    if !dir
        .join("node_modules/vscode-languageserver-protocol")
        .is_dir()
    {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status()
            .expect("run npm ci in lsp/tests/e2e");
        assert!(status.success(), "npm ci failed in lsp/tests/e2e");
    }
    dir
}

#[test]
fn vscode_languageserver_protocol_client_drives_the_server() {
    if !tool_available("node") {
        return;
    }
    let dir = client_dir();
    let output = Command::new("node")
        .arg("e2e.mjs")
        .arg(env!("CARGO_BIN_EXE_pm-lsp"))
        .arg(repo())
        .current_dir(&dir)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "the Node end-to-end test failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("12 checks passed"), "{stdout}");
}

/// `tests/e2e/latency.mjs` (the latency benchmark's client) on a small bundle of two files,
/// one open: each full-document edit gets the diagnostics of its version, nothing is published
/// for the other file during the edits after the warm-up (its diagnostics never change), and no
/// older version comes after a newer.
#[test]
fn edits_publish_only_the_edited_document_in_version_order() {
    if !tool_available("node") {
        return;
    }
    let dir = client_dir();
    let bundle = std::env::temp_dir().join(format!("pm-lsp-e2e-publish-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&bundle);
    std::fs::create_dir_all(&bundle).unwrap();
    std::fs::write(
        bundle.join("account.toml"),
        "[[brands]]\nname = \"B\"\n[[channels]]\nname = \"C\"\nbrand = \"B\"\nplatform = \"ios\"\n",
    )
    .unwrap();
    let message = |name: &str, when: &str| {
        format!(
            "message \"{name}\" {{\n channel \"C\"\n say \"s\"\n respond agent {{ follow_up \"f\" }}\n when {when}\n after screen_open\n frequency every_time\n}}\n"
        )
    };
    let edited = bundle.join("a.pm");
    std::fs::write(
        &edited,
        message("A", "visitor.page_url contains \"x\"")
            + &message("A2", "visitor.visit_history is new"),
    )
    .unwrap();
    // The other file has a diagnostic of its own (an unused condition), published once.
    std::fs::write(
        bundle.join("b.pm"),
        message("B", "device.language is \"fr\"")
            + "condition unused = visitor.page_title contains \"y\"\n",
    )
    .unwrap();
    let output = Command::new("node")
        .arg("latency.mjs")
        .arg(env!("CARGO_BIN_EXE_pm-lsp"))
        .arg(&edited)
        .arg("20")
        .current_dir(&dir)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "latency.mjs failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let figures: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one JSON line");
    assert_eq!(figures["edits"], 20, "{figures}");
    assert_eq!(
        figures["other_documents_published_during_edits"], 0,
        "{figures}"
    );
    assert_eq!(figures["stale_publishes"], 0, "{figures}");
    std::fs::remove_dir_all(&bundle).unwrap();
}
