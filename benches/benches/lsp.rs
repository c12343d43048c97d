//! Language-server latency through the real `pm-lsp` binary over stdio, on the generated
//! 140-message bundle (7 files on disk, one open): time from sending `didChange` to receiving
//! the `publishDiagnostics` of that version, and completion request → response; p50 and p99.
//!
//! Run: `cargo build --release -p pm-lsp && cargo bench -p pm-benches --bench lsp`
//! (`PM_LSP=/path/to/pm-lsp` to use another binary; `PM_LSP_EDITS=N`, default 400).
//!
//! Edits alternate between breaking and repairing a field name in the first message's `when`
//! clause (so half the analyses end with an error diagnostic and half without), like typing.

use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[path = "../../lsp/tests/common/framing.rs"]
mod framing;

const TIMEOUT: Duration = Duration::from_secs(30);

/// A minimal JSON-RPC client over the server's stdio (after `lsp/tests/common`).
struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start(program: &Path, root: &Path) -> Client {
        let mut child = Command::new(program)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let incoming = framing::spawn_reader(stdout);
        let mut client = Client {
            child,
            stdin,
            incoming,
            next_id: 0,
        };
        let answer = client.request(
            "initialize",
            json!({ "processId": null, "rootUri": uri(root), "capabilities": {} }),
        );
        assert!(answer.get("result").is_some(), "{answer}");
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: &Value) {
        framing::write_message(&mut self.stdin, message);
    }

    fn receive(&mut self) -> Value {
        self.incoming
            .recv_timeout(TIMEOUT)
            .expect("pm-lsp answers within the timeout")
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.receive();
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                return message;
            }
        }
    }

    /// Waits for the diagnostics of `uri` at `version`; returns them.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        loop {
            let m = self.receive();
            if m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == json!(version)
            {
                return m["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
        }
    }

    fn shutdown(mut self) {
        let _ = self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        while self.child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn server() -> PathBuf {
    if let Some(p) = std::env::var_os("PM_LSP") {
        return p.into();
    }
    // target/release/deps/lsp-HASH → target/release/pm-lsp
    let exe = std::env::current_exe().expect("the benchmark's path");
    let p = exe.ancestors().nth(2).expect("a target dir").join("pm-lsp");
    assert!(
        p.exists(),
        "{} not found: run `cargo build --release -p pm-lsp` first, or set PM_LSP",
        p.display()
    );
    p
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

fn report(what: &str, mut times: Vec<Duration>, target_ms: f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let p99 = ms(percentile(&times, 0.99));
    println!(
        "{what:<32} n={:<5} p50 {:>7.3} ms   p99 {:>7.3} ms   max {:>7.3} ms   target p99 <= {target_ms} ms ({:.2}x of target)",
        times.len(),
        ms(percentile(&times, 0.50)),
        p99,
        ms(*times.last().expect("samples")),
        p99 / target_ms
    );
}

fn main() {
    let edits: usize = std::env::var("PM_LSP_EDITS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(400);
    let program = server();
    let root = std::env::temp_dir().join(format!("pm-lsp-bench-{}", std::process::id()));
    std::fs::create_dir_all(&root).expect("temp dir");
    std::fs::write(root.join("account.toml"), pm_benches::ACCOUNT_TOML).expect("write");
    let files = pm_benches::bundle_140();
    for (path, text) in &files {
        std::fs::write(root.join(path), text).expect("write");
    }
    let (path, text) = &files[0];
    let file = root.join(path);
    let file_uri = uri(&file);
    // The first message's `when` line, and the column of `page_url` in it (ASCII line).
    let (line, line_text) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.trim_start().starts_with("when "))
        .expect("a when clause");
    let col = line_text.find("visitor.page_url").expect("page_url") as u64;
    let field_end = col + "visitor.page_url".len() as u64;
    let after_dot = col + "visitor.".len() as u64;

    let mut client = Client::start(&program, &root);
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": file_uri, "languageId": "pm", "version": 1, "text": text } }),
    );
    let first = client.diagnostics(&file_uri, 1);
    assert!(
        first.iter().all(|d| d["severity"] != json!(1)),
        "the generated bundle has errors: {first:?}"
    );

    let mut version = 1;
    let mut change_times = Vec::new();
    let warmup = 20;
    for k in 0..warmup + edits {
        version += 1;
        let broken = k % 2 == 0;
        let change = json!({
            "range": { "start": { "line": line, "character": field_end - 1 },
                       "end": { "line": line, "character": field_end } },
            "text": if broken { "x" } else { "l" },
        });
        let start = Instant::now();
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": file_uri, "version": version }, "contentChanges": [change] }),
        );
        let diagnostics = client.diagnostics(&file_uri, version);
        let elapsed = start.elapsed();
        assert_eq!(
            diagnostics.iter().any(|d| d["severity"] == json!(1)),
            broken,
            "edit {k}: {diagnostics:?}"
        );
        if k >= warmup {
            change_times.push(elapsed);
        }
    }
    let mut completion_times = Vec::new();
    for k in 0..warmup + edits {
        let start = Instant::now();
        let answer = client.request(
            "textDocument/completion",
            json!({ "textDocument": { "uri": file_uri },
                    "position": { "line": line, "character": after_dot },
                    "context": { "triggerKind": 2, "triggerCharacter": "." } }),
        );
        let elapsed = start.elapsed();
        let result = &answer["result"];
        let items = result
            .as_array()
            .or_else(|| result["items"].as_array())
            .map_or(0, Vec::len);
        assert!(items > 0, "completion answers items: {answer}");
        if k >= warmup {
            completion_times.push(elapsed);
        }
    }
    client.shutdown();
    let _ = std::fs::remove_dir_all(&root);

    println!(
        "pm-lsp {} on the generated 140-message bundle ({} files, {} bytes); absolute times are machine-dependent",
        program.display(),
        files.len(),
        files.iter().map(|(_, t)| t.len()).sum::<usize>()
    );
    report("didChange -> publishDiagnostics", change_times, 15.0);
    report("completion", completion_times, 5.0);
}
