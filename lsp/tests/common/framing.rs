//! LSP base-protocol framing (`Content-Length` headers) for the clients that drive the real
//! `pm-lsp` binary: the tests' client and the latency benchmark, which includes this file.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::ChildStdout;
use std::sync::mpsc::{Receiver, channel};

use serde_json::Value;

/// Reads the server's messages on a thread, in order; the channel closes when the server's
/// output ends.
pub fn spawn_reader(stdout: ChildStdout) -> Receiver<Value> {
    let (sender, incoming) = channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        loop {
            let mut length = None;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(n) = line.strip_prefix("Content-Length: ") {
                    length = n.parse::<usize>().ok();
                }
            }
            let mut body = vec![0; length.expect("a Content-Length header")];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
            let message: Value = serde_json::from_slice(&body).expect("JSON from the server");
            if sender.send(message).is_err() {
                return;
            }
        }
    });
    incoming
}

/// Writes one framed message to the server and flushes.
pub fn write_message(stdin: &mut impl Write, message: &Value) {
    let body = message.to_string();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write to pm-lsp");
    stdin.flush().expect("flush pm-lsp's stdin");
}
