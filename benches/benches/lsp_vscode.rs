//! Language-server latency as VS Code sees it: `lsp/tests/e2e/latency.mjs` drives the real
//! `pm-lsp` through `vscode-languageserver-protocol` (the client library VS Code uses) with
//! full-document edits of the generated 140-message bundle written as one file, alternating
//! between the valid text and one with a misspelt field; p50 and p99 from didChange to the
//! publishDiagnostics of that version, idle and then while a `cargo build` runs beside it.
//!
//! Run: `cargo build --release -p pm-lsp && cargo bench -p pm-benches --bench lsp_vscode`
//! (`PM_LSP=/path/to/pm-lsp` to use another binary; `PM_LSP_EDITS=N`, default 300;
//! `PM_LSP_BUSY=0` to skip the run under load). Needs `node` and `npm`; runs `npm ci` in
//! `lsp/tests/e2e` when its `node_modules` is missing.
//!
//! The load is a from-scratch `cargo build --release -p pmc` into a temporary target
//! directory, started a few seconds before the edits and stopped after them.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Target of the diagnostics p99, in milliseconds.
const TARGET_P99_MS: f64 = 15.0;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the repository root")
        .to_path_buf()
}

fn server() -> PathBuf {
    if let Some(p) = std::env::var_os("PM_LSP") {
        return p.into();
    }
    // target/release/deps/lsp_vscode-HASH → target/release/pm-lsp
    let exe = std::env::current_exe().expect("the benchmark's path");
    let p = exe.ancestors().nth(2).expect("a target dir").join("pm-lsp");
    assert!(
        p.exists(),
        "{} not found: run `cargo build --release -p pm-lsp` first, or set PM_LSP",
        p.display()
    );
    p
}

/// `lsp/tests/e2e` with its Node modules installed.
fn client_dir() -> PathBuf {
    let dir = repo().join("lsp/tests/e2e");
    if !dir
        .join("node_modules/vscode-languageserver-protocol")
        .is_dir()
    {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status()
            .expect("run npm ci in lsp/tests/e2e (is npm installed?)");
        assert!(status.success(), "npm ci failed in lsp/tests/e2e");
    }
    dir
}

/// Runs the Node client once; returns its line of JSON.
fn measure(dir: &Path, program: &Path, file: &Path, edits: usize, label: &str) -> String {
    let output = Command::new("node")
        .arg("latency.mjs")
        .arg(program)
        .arg(file)
        .arg(edits.to_string())
        .arg(label)
        .current_dir(dir)
        .stderr(Stdio::inherit())
        .output()
        .expect("run node (is it installed?)");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "latency.mjs failed:\n{stdout}");
    stdout.trim().to_string()
}

/// A from-scratch release build of the compiler, in its own process group so that all of its
/// compiler processes can be stopped together.
fn start_load(target: &Path) -> Child {
    use std::os::unix::process::CommandExt;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let child = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--locked",
            "-p",
            "pmc",
            "--target-dir",
        ])
        .arg(target)
        .current_dir(repo())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("start cargo build");
    // Let it get past dependency resolution and into compiling.
    std::thread::sleep(Duration::from_secs(5));
    child
}

fn stop_load(mut child: Child) {
    let group = format!("-{}", child.id());
    let _ = Command::new("kill").args(["--", &group]).status();
    let _ = child.wait();
}

fn report(line: &str) {
    let value: serde_json::Value = serde_json::from_str(line).expect("latency.mjs prints JSON");
    let p99 = value["p99_ms"].as_f64().expect("p99_ms");
    println!(
        "{:<6} n={} p50 {:>7.3} ms   p99 {:>7.3} ms   max {:>7.3} ms   target p99 <= {TARGET_P99_MS} ms ({:.2}x)   other documents published: {}   stale publishes: {}",
        value["label"].as_str().unwrap_or("?"),
        value["edits"],
        value["p50_ms"].as_f64().unwrap_or(f64::NAN),
        p99,
        value["max_ms"].as_f64().unwrap_or(f64::NAN),
        p99 / TARGET_P99_MS,
        value["other_documents_published_during_edits"],
        value["stale_publishes"],
    );
}

fn main() {
    let edits: usize = std::env::var("PM_LSP_EDITS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let busy = std::env::var("PM_LSP_BUSY").map_or(true, |v| v != "0");
    let program = server();
    let dir = client_dir();
    let root = std::env::temp_dir().join(format!("pm-lsp-vscode-bench-{}", std::process::id()));
    std::fs::create_dir_all(&root).expect("temp dir");
    std::fs::write(root.join("account.toml"), pm_benches::ACCOUNT_TOML).expect("write");
    let rules = pm_benches::generated_rules(pm_benches::BUNDLE_MESSAGES);
    let [(path, text)]: [(String, String); 1] = pm_benches::bundle_files(&rules, rules.len())
        .try_into()
        .expect("one file");
    let file = root.join(path);
    std::fs::write(&file, &text).expect("write");

    println!(
        "pm-lsp {} on the generated 140-message bundle in one file ({} bytes), {edits} full-document edits; absolute times are machine-dependent",
        program.display(),
        text.len()
    );
    report(&measure(&dir, &program, &file, edits, "idle"));
    if busy {
        let target = root.join("load-target");
        let load = start_load(&target);
        let line = measure(&dir, &program, &file, edits, "busy");
        stop_load(load);
        report(&line);
    }
    let _ = std::fs::remove_dir_all(&root);
}
