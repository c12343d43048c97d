//! The unit tests of the message framing (`framing.rs`).

use super::*;

/// Every event of `input` fed in one piece, then byte by byte (the result must not depend
/// on how the stream is cut).
fn events(input: &[u8]) -> Vec<Framed> {
    let whole = {
        let mut framer = Framer::default();
        framer.push(input);
        std::iter::from_fn(|| framer.next_frame()).collect::<Vec<_>>()
    };
    let mut framer = Framer::default();
    let mut split = Vec::new();
    for byte in input {
        framer.push(std::slice::from_ref(byte));
        split.extend(std::iter::from_fn(|| framer.next_frame()));
    }
    assert_eq!(whole, split, "{}", String::from_utf8_lossy(input));
    whole
}

fn message(body: &str) -> Framed {
    Framed::Message(body.as_bytes().to_vec())
}

const VALID: &str = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;

fn valid_frame() -> Vec<u8> {
    frame(VALID.as_bytes())
}

fn then_valid(broken: &[u8]) -> Vec<u8> {
    [broken, &valid_frame()].concat()
}

fn is_broken(event: &Framed) -> bool {
    matches!(event, Framed::Broken(_))
}

#[test]
fn frames_are_cut_at_their_length() {
    let input = [
        frame(b"{}"),
        b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length:  2\r\n\r\n[]"
            .to_vec(),
        b"\r\nContent-Length: 2\n\n{}".to_vec(),
    ]
    .concat();
    assert_eq!(
        events(&input),
        [message("{}"), message("[]"), message("{}")]
    );
}

#[test]
fn broken_headers_are_reported_once_and_the_next_message_is_read() {
    let cases: [&[u8]; 7] = [
        b"{\"jsonrpc\":\"2.0\",\"method\":\"x\"}",
        b"Content-Type: text/plain\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"x\"}",
        b"Content-Length: abc\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"x\"}",
        b"Content-Length: -5\r\n\r\n{}",
        b"Content-Length: 99999999999999999999999\r\n\r\n{}",
        b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
        b"garbage\r\n\r\n",
    ];
    for broken in cases {
        let found = events(&then_valid(broken));
        assert_eq!(
            found.len(),
            2,
            "{}: {found:?}",
            String::from_utf8_lossy(broken)
        );
        assert!(is_broken(&found[0]), "{found:?}");
        assert_eq!(found[1], message(VALID));
    }
}

#[test]
fn a_content_length_too_long_stops_at_the_next_header() {
    let broken = b"Content-Length: 500\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"x\"}";
    let found = events(&then_valid(broken));
    assert!(is_broken(&found[0]), "{found:?}");
    assert_eq!(found[1..], [message(VALID)]);
}

#[test]
fn a_body_may_mention_content_length_in_a_string() {
    let body = r#"{"jsonrpc":"2.0","method":"x","params":"Content-Length: 12\r\n"}"#;
    assert_eq!(events(&frame(body.as_bytes())), [message(body)]);
}

#[test]
fn headers_and_searches_keep_little_memory() {
    let mut framer = Framer::default();
    framer.push(b"Content-Type: ");
    framer.push(&[b'x'; MAX_HEADER_BYTES]);
    assert!(matches!(framer.next_frame(), Some(Framed::Broken(_))));
    for _ in 0..100 {
        framer.push(&[b'x'; 10_000]);
        assert_eq!(framer.next_frame(), None);
        assert!(framer.buffer.len() < 100, "{}", framer.buffer.len());
    }
    framer.push(&valid_frame());
    assert_eq!(framer.next_frame(), Some(message(VALID)));
}

#[test]
fn messages_are_checked() {
    assert_eq!(check_message(VALID.as_bytes()), Ok(()));
    let response = br#"{"jsonrpc":"2.0","id":3,"result":null}"#;
    assert_eq!(check_message(response), Ok(()));
    let code = |body: &[u8]| check_message(body).unwrap_err().error.code;
    assert_eq!(code(b"{not json"), ErrorCode::ParseError);
    assert_eq!(
        code(b"{\"jsonrpc\":\"2.0\",\"method\":\"\xff\"}"),
        ErrorCode::ParseError
    );
    assert_eq!(
        code(br#"{"id":7,"method":"initialize"}"#),
        ErrorCode::InvalidRequest
    );
    assert_eq!(
        code(br#"{"jsonrpc":"1.0","id":7}"#),
        ErrorCode::InvalidRequest
    );
    assert_eq!(code(b"[]"), ErrorCode::InvalidRequest);
    assert_eq!(code(b"42"), ErrorCode::InvalidRequest);
    let rejection = check_message(br#"{"id":7,"method":"initialize"}"#).unwrap_err();
    assert_eq!(rejection.id, Id::Number(7));
    let cut = check_message(br#"{"jsonrpc":"2.0","id":9,"#).unwrap_err();
    assert!(cut.cut_short && cut.id == Id::Null);
    let answer: Value = serde_json::from_slice(&rejection.response()).unwrap();
    assert_eq!(answer["error"]["code"], -32600);
    assert_eq!(answer["id"], 7);
    assert_eq!(answer["jsonrpc"], "2.0");
}

#[test]
fn ordinary_messages_take_the_fast_path() {
    let text = "message \"a\" {\n\tsay \"👋 \\u00e9\"\n}\n".repeat(2_000);
    let change = serde_json::json!({
        "jsonrpc": "2.0",
        "method": "textDocument/didChange",
        "params": { "textDocument": { "uri": "file:///a.pm", "version": 7 },
                    "contentChanges": [{ "text": text }] },
    })
    .to_string();
    for plain in [
        VALID,
        &change,
        r#"{"id":"x","jsonrpc":"2.0","method":"m","params":null}"#,
    ] {
        assert!(is_plain_message(plain), "{plain}");
        assert_eq!(check_message(plain.as_bytes()), Ok(()));
    }
    // Responses, odd ids and repeated fields are left to the exact check, which decides.
    let response = r#"{"jsonrpc":"2.0","id":3,"result":null}"#;
    for (text, routed) in [
        (r#"{"jsonrpc":"2.0","id":1.5,"method":"m"}"#, false),
        (
            r#"{"jsonrpc":"2.0","id":18446744073709551615,"method":"m"}"#,
            false,
        ),
        (r#"{"jsonrpc":"2.0","method":"a","method":"b"}"#, false),
        (r#"{"jsonrpc":"2.0","params":1,"params":2}"#, false),
        (r#"{"jsonrpc":"2.0","method":null}"#, false),
        (r#"{"jsonrpc":"1.0","method":"m"}"#, false),
        (r#"{"jsonrpc":"2.0","method":"m","params":"\ud800"}"#, false),
    ] {
        assert!(!is_plain_message(text), "{text}");
        assert_eq!(check_message(text.as_bytes()).is_ok(), routed, "{text}");
    }
    assert!(check_message(response.as_bytes()).is_ok());
    // Nesting deeper than serde_json reads is refused by both paths.
    let deep = format!(
        r#"{{"jsonrpc":"2.0","method":"m","params":{}{}}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    assert!(!is_plain_message(&deep));
    assert!(check_message(deep.as_bytes()).is_err());
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    /// Feeds `input` in pieces of the given sizes (cycled), returning the events and checking
    /// that the framer never holds much more than a header block, or the body it reads.
    fn events_in_pieces(input: &[u8], sizes: &[usize]) -> Vec<Framed> {
        let mut framer = Framer::default();
        let mut found = Vec::new();
        let mut rest = input;
        for &size in sizes.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (piece, tail) = rest.split_at(size.clamp(1, rest.len()));
            rest = tail;
            framer.push(piece);
            found.extend(std::iter::from_fn(|| framer.next_frame()));
            let bound = match framer.state {
                State::Body { length, .. } => length,
                State::Headers | State::Resync => MAX_HEADER_BYTES,
            };
            assert!(
                framer.buffer.len() <= bound + piece.len(),
                "{}",
                framer.buffer.len()
            );
        }
        found
    }

    /// Bytes that cannot hold a `Content-Length` header (no `c` nor `C`), with the line
    /// breaks, colons and braces of the protocol frequent.
    fn garbage() -> impl Strategy<Value = Vec<u8>> {
        prop::collection::vec(
            prop_oneof![
                3 => prop::sample::select(b"\r\n: {}\"0123456789ontet-Lgh".to_vec()),
                1 => any::<u8>().prop_filter("no c", |b| b | 0x20 != b'c'),
            ],
            0..80,
        )
    }

    fn sizes() -> impl Strategy<Value = Vec<usize>> {
        prop::collection::vec(1usize..40, 1..8)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn any_bytes_are_framed_the_same_however_they_are_cut(
            input in prop::collection::vec(any::<u8>(), 0..400),
            sizes in sizes(),
        ) {
            let whole = events_in_pieces(&input, &[input.len().max(1)]);
            prop_assert_eq!(events_in_pieces(&input, &sizes), whole);
        }

        #[test]
        fn after_any_garbage_the_next_message_is_read(
            garbage in garbage(),
            text in ".{0,40}",
            sizes in sizes(),
        ) {
            let body = serde_json::json!({ "jsonrpc": "2.0", "method": "m", "params": text })
                .to_string();
            let input = [garbage.as_slice(), &frame(body.as_bytes())].concat();
            let found = events_in_pieces(&input, &sizes);
            let (last, before) = found.split_last().expect("an event");
            prop_assert_eq!(last, &Framed::Message(body.into_bytes()));
            prop_assert!(before.iter().all(|event| matches!(event, Framed::Broken(_))));
        }

        /// The fast path accepts only messages the server itself routes.
        #[test]
        fn the_fast_path_accepts_only_what_the_server_routes(
            fields in prop::collection::vec(
                (
                    prop::sample::select(vec!["jsonrpc", "method", "id", "params", "result", "x"]),
                    prop::sample::select(vec![
                        r#""2.0""#, r#""2\u002e0""#, r#""1.0""#, "null", "7", "-7", "1.5", "1e400",
                        "18446744073709551615", r#""m""#, r#""\ud800""#, r#""\ud83d\udc4b""#,
                        "[]", "{}", r#"{"a":[1,{"b":null}]}"#, "true", "[1,]", "\"x",
                    ]),
                ),
                0..6,
            ),
            depth in 0usize..140,
        ) {
            let mut body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
            body.push(format!(r#""deep":{}{}"#, "[".repeat(depth), "]".repeat(depth)));
            let text = format!("{{{}}}", body.join(","));
            if is_plain_message(&text) {
                prop_assert!(serde_json::from_str::<Incoming>(&text).is_ok(), "{}", text);
            }
        }

        #[test]
        fn well_formed_messages_come_out_as_they_went_in(
            texts in prop::collection::vec(
                prop_oneof![".{0,30}", Just("Content-Length: 12\r\n\r\n".to_string())],
                1..5,
            ),
            sizes in sizes(),
        ) {
            let bodies: Vec<Vec<u8>> = texts
                .iter()
                .map(|text| serde_json::json!({ "jsonrpc": "2.0", "method": "m", "params": text })
                    .to_string()
                    .into_bytes())
                .collect();
            let input: Vec<u8> = bodies.iter().flat_map(|body| frame(body)).collect();
            let expected: Vec<Framed> = bodies.into_iter().map(Framed::Message).collect();
            prop_assert_eq!(events_in_pieces(&input, &sizes), expected);
        }
    }
}
