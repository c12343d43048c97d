//! Runs the Node end-to-end test (`tests/e2e/e2e.mjs`): the real `pm-lsp` driven by
//! `vscode-languageserver-protocol`, the client library VS Code uses. Skipped, with a printed
//! reason, when `node` is not installed (never in CI).

mod common;

use std::process::Command;

use common::{repo, tool_available};

#[test]
fn vscode_languageserver_protocol_client_drives_the_server() {
    if !tool_available("node") {
        return;
    }
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
