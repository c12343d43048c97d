//! The real `pm-lsp` binary, over stdio, answers each kind of malformed message with a
//! JSON-RPC error and goes on serving: after each one, a valid request is answered, and at the
//! end the server shuts down cleanly.

mod common;

use common::Client;
use serde_json::{Value, json};

/// `body` framed with `length` as its Content-Length.
fn framed_as(length: usize, body: &[u8]) -> Vec<u8> {
    [format!("Content-Length: {length}\r\n\r\n").as_bytes(), body].concat()
}

fn framed(body: &[u8]) -> Vec<u8> {
    framed_as(body.len(), body)
}

#[test]
fn malformed_messages_are_answered_and_the_server_keeps_serving() {
    let notification = br#"{"jsonrpc":"2.0","method":"$/unknown","params":{}}"#;
    // Each case: what it is, the bytes, the error code expected, and the id it answers.
    let cases: Vec<(&str, Vec<u8>, i64, Value)> = vec![
        (
            "invalid JSON",
            framed(b"{\"jsonrpc\": \"2.0\", oops}"),
            -32700,
            Value::Null,
        ),
        (
            "a body that is not UTF-8",
            framed(b"{\"jsonrpc\":\"2.0\",\"method\":\"$/x\",\"params\":\"\xff\xfe\"}"),
            -32700,
            Value::Null,
        ),
        (
            "a message without \"jsonrpc\"",
            framed(br#"{"id":7,"method":"workspace/symbol","params":{"query":""}}"#),
            -32600,
            json!(7),
        ),
        (
            "a JSON value that is not a message",
            framed(b"[1, 2, 3]"),
            -32600,
            Value::Null,
        ),
        (
            "a Content-Length too short",
            framed_as(12, notification),
            -32700,
            Value::Null,
        ),
        (
            "a Content-Length too long",
            framed_as(notification.len() + 500, notification),
            -32700,
            Value::Null,
        ),
        (
            "no Content-Length",
            [
                b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n".as_slice(),
                notification,
            ]
            .concat(),
            -32700,
            Value::Null,
        ),
        (
            "a Content-Length that is not a number",
            [b"Content-Length: twelve\r\n\r\n".as_slice(), notification].concat(),
            -32700,
            Value::Null,
        ),
        (
            "a Content-Length over the limit",
            [
                b"Content-Length: 99999999999999\r\n\r\n".as_slice(),
                notification,
            ]
            .concat(),
            -32700,
            Value::Null,
        ),
        (
            "bytes without any header",
            b"hello\r\n".to_vec(),
            -32700,
            Value::Null,
        ),
    ];
    let mut client = Client::start();
    for (what, bytes, code, id) in cases {
        client.send_raw(&bytes);
        // The next valid request is read and answered.
        let answer = client.request("workspace/symbol", json!({ "query": "" }));
        assert!(answer.get("result").is_some(), "after {what}: {answer}");
        let error = client.unmatched_response();
        assert_eq!(error["jsonrpc"], "2.0", "{what}: {error}");
        assert_eq!(error["error"]["code"], code, "{what}: {error}");
        assert_eq!(error["id"], id, "{what}: {error}");
        let message = error["error"]["message"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "{what}: {error}");
        // Each malformed message is answered once.
        assert!(
            client.unmatched.is_empty(),
            "{what}: {:?}",
            client.unmatched
        );
    }
    let status = client.shutdown();
    assert!(status.success(), "{status}");
}
