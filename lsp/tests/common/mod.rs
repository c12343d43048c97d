//! A minimal LSP client for the tests: starts the real `pm-lsp` binary and speaks JSON-RPC
//! over its stdio (`Content-Length` framing), with a timeout on every wait.

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the client"
)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod framing;

/// How long any single answer may take.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The `file://` URI of a path.
pub fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A running server and the messages it sent that nobody has read yet.
pub struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for something else, oldest first.
    pub notifications: Vec<Value>,
    /// Responses to no request of this client (answers to malformed messages), oldest first.
    pub unmatched: Vec<Value>,
}

impl Client {
    /// Starts `pm-lsp` and completes the `initialize` handshake.
    pub fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pm-lsp"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start pm-lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let incoming = framing::spawn_reader(stdout);
        let mut client = Client {
            child,
            stdin,
            incoming,
            next_id: 0,
            notifications: Vec::new(),
            unmatched: Vec::new(),
        };
        let answer = client.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": {} }),
        );
        assert!(answer.get("result").is_some(), "{answer}");
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: &Value) {
        framing::write_message(&mut self.stdin, message);
    }

    fn receive(&mut self, deadline: Instant) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.incoming.recv_timeout(left) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!("pm-lsp did not answer within {TIMEOUT:?}"),
            Err(RecvTimeoutError::Disconnected) => panic!("pm-lsp closed its output (crashed?)"),
        }
    }

    /// Sends a notification.
    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and waits for its response (the whole message: `result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self.receive(deadline);
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                return message;
            }
            if message.get("method").is_some() && message.get("id").is_none() {
                self.notifications.push(message);
            } else if message.get("method").is_none() {
                self.unmatched.push(message);
            }
        }
    }

    /// Writes `bytes` to the server as they are, as a broken client would.
    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).expect("write to pm-lsp");
        self.stdin.flush().expect("flush pm-lsp's stdin");
    }

    /// Waits for a response to none of this client's requests, and returns it.
    pub fn unmatched_response(&mut self) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if !self.unmatched.is_empty() {
                return self.unmatched.remove(0);
            }
            let message = self.receive(deadline);
            if message.get("method").is_none() {
                return message;
            }
            self.notifications.push(message);
        }
    }

    /// Waits for the diagnostics of `uri` that satisfy `accept`, and returns them.
    pub fn diagnostics(&mut self, uri: &str, accept: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let deadline = Instant::now() + TIMEOUT;
        let mut pending = std::mem::take(&mut self.notifications).into_iter();
        loop {
            let message = pending.next().unwrap_or_else(|| self.receive(deadline));
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                let list = message["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                if accept(&list) {
                    self.notifications.extend(pending);
                    return list;
                }
            }
        }
    }

    /// Opens a document.
    pub fn open(&mut self, path: &Path, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri(path), "languageId": "pm", "version": 1, "text": text } }),
        );
    }

    /// Sends `shutdown` and `exit`, and returns how the server exited.
    pub fn shutdown(mut self) -> ExitStatus {
        let answer = self.request("shutdown", Value::Null);
        assert!(answer.get("error").is_none(), "{answer}");
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for pm-lsp") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "pm-lsp did not exit after `exit`"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Whether `program` can be run (`program --version` succeeds). When it cannot, the caller
/// skips its test with a printed reason — except in CI (`CI` set), where the test fails, since
/// CI installs every client.
pub fn tool_available(program: &str) -> bool {
    let found = Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "`{program}` is required in CI but was not found"
        );
        println!("SKIPPED: `{program}` is not installed, so this end-to-end test did not run");
    }
    found
}
