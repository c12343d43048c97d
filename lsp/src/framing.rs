//! The LSP base protocol, read defensively: `Content-Length` framing and the check that a
//! message is a JSON-RPC 2.0 request, notification or response.
//!
//! [`Framer`] cuts a byte stream into message bodies and reports each broken frame once: a
//! header block that is not `Name: value` lines, a `Content-Length` that is missing, not a
//! number or over [`MAX_BODY_BYTES`], headers over [`MAX_HEADER_BYTES`], or a body that
//! another message's header interrupts (its `Content-Length` was too long). After a broken frame
//! it resynchronises on the next `Content-Length` header, keeping at most a few bytes while it
//! searches. A valid JSON text never holds such a header (`Content-Length:`, digits and a raw
//! line break cannot appear outside a string, nor a raw line break inside one), so the search
//! never cuts a well-formed message.
//!
//! [`check_message`] then says whether a body is a message the server can route (exactly what
//! `tower-lsp-server` accepts), and, when not, the JSON-RPC error to answer: -32700 (parse
//! error) for bytes that are not UTF-8 JSON, -32600 (invalid request) for JSON that is not a
//! JSON-RPC 2.0 message.

use serde::Deserialize;
use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};

/// Longest header block accepted, in bytes (real clients send one or two short lines).
pub const MAX_HEADER_BYTES: usize = 8 * 1024;

/// Largest message body accepted, in bytes: a source file is at most 16 MiB, and its text as a
/// JSON string at most about four times that in practice.
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// The header that starts every message, compared ignoring case.
const CONTENT_LENGTH: &[u8] = b"content-length:";

/// Most bytes between `Content-Length:` and its line break worth reading as a header.
const MAX_LENGTH_FIELD: usize = 64;

/// What the framer found next in the stream.
#[derive(Debug, PartialEq, Eq)]
pub enum Framed {
    /// A message body, exactly as long as its `Content-Length` said.
    Message(Vec<u8>),
    /// A broken frame, and why (the framer is already resynchronising).
    Broken(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Reading a header block.
    Headers,
    /// Reading a body of `length` bytes; no header starts before `scanned` in it.
    Body { length: usize, scanned: usize },
    /// Skipping bytes up to the next `Content-Length` header.
    Resync,
}

/// Cuts a byte stream into message bodies; see the module documentation.
#[derive(Debug)]
pub struct Framer {
    buffer: Vec<u8>,
    state: State,
}

impl Default for Framer {
    fn default() -> Framer {
        Framer {
            buffer: Vec::new(),
            state: State::Headers,
        }
    }
}

impl Framer {
    /// Appends bytes read from the stream.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// Skips everything up to the next `Content-Length` header: the caller found that the last
    /// message was cut short (its length was too small), so what follows is its remainder.
    pub fn resync(&mut self) {
        self.state = State::Resync;
    }

    /// The next message or broken frame, or `None` when more bytes are needed.
    pub fn next_frame(&mut self) -> Option<Framed> {
        loop {
            match self.state {
                State::Headers => match self.headers()? {
                    Ok(length) => self.state = State::Body { length, scanned: 0 },
                    Err(problem) => {
                        self.state = State::Resync;
                        return Some(Framed::Broken(problem));
                    }
                },
                State::Body { length, scanned } => return self.body(length, scanned),
                State::Resync => match find_header(&self.buffer, 0) {
                    Search::Found(at) => {
                        self.buffer.drain(..at);
                        self.state = State::Headers;
                    }
                    Search::Partial(at) => {
                        self.buffer.drain(..at);
                        return None;
                    }
                    Search::Absent => {
                        self.buffer.clear();
                        return None;
                    }
                },
            }
        }
    }

    /// Reads the header block at the start of the buffer: `None` until it is complete, then the
    /// body's length or the problem. A complete block is consumed; after a line that cannot be
    /// a header only its first byte is, and the search for the next header starts after it.
    /// Empty lines before the first header are skipped.
    fn headers(&mut self) -> Option<Result<usize, String>> {
        let mut length: Option<Result<usize, String>> = None;
        let mut position = 0;
        loop {
            let rest = &self.buffer[position..];
            let line_end = rest.iter().position(|&b| b == b'\n');
            let line = &rest[..line_end.unwrap_or(rest.len())];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let too_long = position + line_end.map_or(rest.len(), |end| end + 1) > MAX_HEADER_BYTES;
            let problem = header_line_problem(line, line_end.is_some()).or_else(|| {
                too_long.then(|| format!("the headers are longer than {MAX_HEADER_BYTES} bytes"))
            });
            if let Some(problem) = problem {
                self.buffer.drain(..1);
                return Some(Err(problem));
            }
            let line_end = line_end?;
            let line_start = position;
            position += line_end + 1;
            let Some(colon) = line.iter().position(|&b| b == b':') else {
                // An empty line: the end of the headers, or a stray line break before them.
                self.buffer.drain(..position);
                if length.is_none() && line_start == 0 {
                    position = 0;
                    continue;
                }
                return Some(length.unwrap_or_else(|| {
                    Err("the message has no Content-Length header".to_string())
                }));
            };
            let (name, value) = (&line[..colon], &line[colon + 1..]);
            if name.eq_ignore_ascii_case(&CONTENT_LENGTH[..CONTENT_LENGTH.len() - 1]) {
                length = Some(match (length, content_length(value)) {
                    (Some(Ok(first)), Ok(second)) if first != second => Err(format!(
                        "the message has two Content-Length headers, {first} and {second}"
                    )),
                    (Some(Err(problem)), _) => Err(problem),
                    (_, parsed) => parsed,
                });
            }
        }
    }

    /// Reads a body of `length` bytes, unless another message's header starts inside it.
    fn body(&mut self, length: usize, scanned: usize) -> Option<Framed> {
        let available = self.buffer.len().min(length);
        match find_header(&self.buffer[..available], scanned) {
            Search::Found(at) => {
                self.buffer.drain(..at);
                self.state = State::Headers;
                return Some(Framed::Broken(format!(
                    "the message is shorter than its Content-Length of {length} bytes: \
                     another message starts after {at} bytes"
                )));
            }
            Search::Partial(at) if available < length => {
                self.state = State::Body {
                    length,
                    scanned: at,
                };
                return None;
            }
            Search::Partial(_) | Search::Absent => {}
        }
        if available < length {
            self.state = State::Body {
                length,
                scanned: available,
            };
            return None;
        }
        self.state = State::Headers;
        Some(Framed::Message(self.buffer.drain(..length).collect()))
    }
}

/// Why `line` (without its line break; `complete` when the break was read) cannot be a header
/// line, if it cannot: a header is a name of token characters, a colon and a value, and no
/// `Content-Length:` starts after the line's start (it is another message's header, after
/// garbage). The problem quotes the line up to where it first goes wrong, so it does not
/// depend on how much of the line was read.
fn header_line_problem(line: &[u8], complete: bool) -> Option<String> {
    let token = |b: &u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(b);
    let name_end = line.iter().position(|b| !token(b)).unwrap_or(line.len());
    // Each problem: the offset of the byte that makes it certain, and the text to quote.
    let bad_name = match line.get(name_end) {
        Some(b':') if name_end > 0 => None,
        Some(_) => Some((name_end, &line[..=name_end])),
        None if complete && !line.is_empty() => Some((line.len(), line)),
        None => None,
    };
    let later_header = find_content_length(line, 1)
        .filter(|&at| at + CONTENT_LENGTH.len() <= line.len())
        .map(|at| (at + CONTENT_LENGTH.len() - 1, &line[..at]));
    let (_, quoted) = [bad_name, later_header]
        .into_iter()
        .flatten()
        .min_by_key(|&(at, _)| at)?;
    let shown: String = String::from_utf8_lossy(&quoted[..quoted.len().min(40)])
        .chars()
        .flat_map(char::escape_debug)
        .collect();
    Some(format!(
        "expected a header such as `Content-Length: 42`, found `{shown}`"
    ))
}

/// The value of a `Content-Length` header: decimal digits, at most [`MAX_BODY_BYTES`].
fn content_length(value: &[u8]) -> Result<usize, String> {
    let value = value.trim_ascii();
    let shown = String::from_utf8_lossy(&value[..value.len().min(40)]).into_owned();
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return Err(format!("the Content-Length `{shown}` is not a number"));
    }
    match std::str::from_utf8(value)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        Some(n) if n <= MAX_BODY_BYTES as u64 => Ok(n as usize),
        _ => Err(format!(
            "the Content-Length {shown} is over the limit of {MAX_BODY_BYTES} bytes"
        )),
    }
}

/// Where a `Content-Length` header starts in a byte string.
#[derive(Debug, PartialEq, Eq)]
enum Search {
    /// One starts at this offset: `Content-Length:`, blanks, digits and a line break.
    Found(usize),
    /// None before this offset; what starts there may be one, when more bytes come.
    Partial(usize),
    /// None, and no part of one at the end.
    Absent,
}

/// Finds the first `Content-Length` header starting at or after `from` in `bytes`.
fn find_header(bytes: &[u8], from: usize) -> Search {
    let mut at = from;
    while let Some(found) = find_content_length(bytes, at) {
        let rest = &bytes[found..];
        let compared = rest.len().min(CONTENT_LENGTH.len());
        if compared < CONTENT_LENGTH.len() {
            return Search::Partial(found);
        }
        match length_field(&rest[compared..]) {
            Some(true) => return Search::Found(found),
            None => return Search::Partial(found),
            Some(false) => at = found + 1,
        }
    }
    Search::Absent
}

/// The offset of the first `Content-Length:` (ignoring case) at or after `from` in `bytes`, or of
/// a start of it cut off by the end of `bytes`.
fn find_content_length(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        // Only `c` and `C` set to lower case by the 0x20 bit give `c`.
        at += bytes.get(at..)?.iter().position(|&b| b | 0x20 == b'c')?;
        let rest = &bytes[at..];
        let compared = rest.len().min(CONTENT_LENGTH.len());
        if rest[..compared].eq_ignore_ascii_case(&CONTENT_LENGTH[..compared]) {
            return Some(at);
        }
        at += 1;
    }
}

/// Whether `rest` (what follows `Content-Length:`) is blanks, digits and a line break:
/// `None` when it is so far but ends too soon to tell.
fn length_field(rest: &[u8]) -> Option<bool> {
    let blanks = rest
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    let digits = rest[blanks..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let after = &rest[blanks + digits..];
    if blanks + digits > MAX_LENGTH_FIELD {
        return Some(false);
    }
    match after {
        [] | [b'\r'] => None,
        [b'\n', ..] | [b'\r', b'\n', ..] => Some(digits > 0),
        _ => Some(false),
    }
}

/// A JSON-RPC message as `tower-lsp-server` reads it (the same shape as its own, which is not
/// public): a body that deserializes to this is routed by the server.
#[derive(Deserialize)]
#[serde(untagged)]
enum Incoming {
    /// The client's answer to a request of the server.
    #[allow(dead_code, reason = "only whether it deserializes matters")]
    Response(Response),
    /// A request or a notification.
    #[allow(dead_code, reason = "only whether it deserializes matters")]
    Request(Request),
}

/// Why a message body was refused: the JSON-RPC error to answer with, for the request `id` when
/// it could be read.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// The error (its code is -32700 or -32600).
    pub error: Error,
    /// The request's id, or null when the message has none that can be read.
    pub id: Id,
    /// Whether the body ends in the middle of a JSON value: its Content-Length was too short,
    /// and what follows the body is the rest of the message.
    pub cut_short: bool,
}

impl Rejection {
    /// A parse error (-32700) for a broken frame.
    pub fn broken_frame(problem: String) -> Rejection {
        Rejection {
            error: error(ErrorCode::ParseError, problem),
            id: Id::Null,
            cut_short: false,
        }
    }

    /// The framed JSON-RPC response that answers the refused message.
    pub fn response(&self) -> Vec<u8> {
        let response = Response::from_error(self.id.clone(), self.error.clone());
        serde_json::to_vec(&response).expect("a response always serializes")
    }
}

fn error(code: ErrorCode, message: String) -> Error {
    Error {
        code,
        message: message.into(),
        data: None,
    }
}

/// Checks that `body` is a JSON-RPC 2.0 message the server routes.
pub fn check_message(body: &[u8]) -> Result<(), Rejection> {
    let text = std::str::from_utf8(body).map_err(|e| Rejection {
        error: error(
            ErrorCode::ParseError,
            format!("the message is not UTF-8 (byte {})", e.valid_up_to()),
        ),
        id: Id::Null,
        cut_short: false,
    })?;
    if is_plain_message(text) || serde_json::from_str::<Incoming>(text).is_ok() {
        return Ok(());
    }
    let value: Value = serde_json::from_str(text).map_err(|e| Rejection {
        error: error(
            ErrorCode::ParseError,
            format!("the message is not JSON: {e}"),
        ),
        id: Id::Null,
        cut_short: e.is_eof(),
    })?;
    let id = value
        .get("id")
        .and_then(|id| Id::deserialize(id).ok())
        .unwrap_or(Id::Null);
    let why = match &value {
        Value::Array(_) => "batches of messages are not supported".to_string(),
        Value::Object(fields) if fields.get("jsonrpc") != Some(&Value::from("2.0")) => {
            "the message has no `\"jsonrpc\": \"2.0\"`".to_string()
        }
        Value::Object(_) => {
            "the message is not a JSON-RPC request, notification or response".to_string()
        }
        _ => "a message is a JSON object".to_string(),
    };
    Err(Rejection {
        error: error(ErrorCode::InvalidRequest, why),
        id,
        cut_short: false,
    })
}

/// Whether `text` is, at a glance, a message `tower-lsp-server` routes as a request or a
/// notification: a JSON object whose `jsonrpc` is `"2.0"`, whose `method`, when present, is a
/// string and whose `id`, when present, is an integer, a string or null, each of these and
/// `params` at most once.
///
/// This is the fast path of [`check_message`]: one pass over the text that builds nothing (no
/// tree, no copy of the parameters), where deserializing [`Incoming`] first copies the whole
/// message into serde's buffer for untagged enums and then builds the parameters' tree. It
/// accepts only what [`Incoming`] accepts — every value is read through the same
/// `deserialize_any` calls that build a `serde_json::Value`, so with the same checks of syntax,
/// strings, numbers and nesting depth — and anything it does not accept goes to the exact check.
fn is_plain_message(text: &str) -> bool {
    serde_json::from_str::<shallow::Envelope>(text).is_ok_and(|envelope| envelope.is_plain())
}

/// The one-pass reading of a message's envelope behind [`is_plain_message`].
mod shallow {
    use std::fmt;

    use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

    /// What the envelope's fields held; the parameters and any other field are only checked
    /// to be JSON.
    #[derive(Debug, Default)]
    pub(super) struct Envelope {
        version_2_0: bool,
        seen: [bool; 4],
    }

    impl Envelope {
        /// A `jsonrpc` of `"2.0"` was read (and `method` and `id`, if present, had the right
        /// types, or reading would have failed).
        pub(super) fn is_plain(&self) -> bool {
            self.version_2_0
        }
    }

    /// The fields the envelope looks at.
    enum Field {
        Jsonrpc,
        Method,
        Id,
        Params,
        Other,
    }

    /// Any JSON value, read and dropped.
    struct Skip;

    /// A string equal to "2.0" (`true`) or another string (`false`).
    struct Version(bool);

    /// A string, read and dropped.
    struct Method;

    /// A JSON-RPC id as `tower-lsp-server` reads one: an `i64`, a string or null.
    struct Id;

    impl<'de> Deserialize<'de> for Envelope {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_any(EnvelopeVisitor)
        }
    }

    struct EnvelopeVisitor;

    impl<'de> Visitor<'de> for EnvelopeVisitor {
        type Value = Envelope;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON-RPC message")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope, A::Error> {
            let mut envelope = Envelope::default();
            while let Some(field) = map.next_key::<Field>()? {
                let slot = match field {
                    Field::Jsonrpc => 0,
                    Field::Method => 1,
                    Field::Id => 2,
                    Field::Params => 3,
                    Field::Other => {
                        map.next_value::<Skip>()?;
                        continue;
                    }
                };
                if std::mem::replace(&mut envelope.seen[slot], true) {
                    return Err(de::Error::custom("a field is repeated"));
                }
                match field {
                    Field::Jsonrpc => envelope.version_2_0 = map.next_value::<Version>()?.0,
                    Field::Method => {
                        map.next_value::<Method>()?;
                    }
                    Field::Id => {
                        map.next_value::<Id>()?;
                    }
                    Field::Params => {
                        map.next_value::<Skip>()?;
                    }
                    Field::Other => unreachable!("skipped above"),
                }
            }
            Ok(envelope)
        }
    }

    impl<'de> Deserialize<'de> for Field {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct FieldVisitor;
            impl Visitor<'_> for FieldVisitor {
                type Value = Field;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a field name")
                }
                fn visit_str<E: de::Error>(self, name: &str) -> Result<Field, E> {
                    Ok(match name {
                        "jsonrpc" => Field::Jsonrpc,
                        "method" => Field::Method,
                        "id" => Field::Id,
                        "params" => Field::Params,
                        _ => Field::Other,
                    })
                }
            }
            deserializer.deserialize_any(FieldVisitor)
        }
    }

    impl<'de> Deserialize<'de> for Skip {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_any(SkipVisitor)
        }
    }

    struct SkipVisitor;

    impl<'de> Visitor<'de> for SkipVisitor {
        type Value = Skip;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON value")
        }
        fn visit_bool<E>(self, _: bool) -> Result<Skip, E> {
            Ok(Skip)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Skip, E> {
            Ok(Skip)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Skip, E> {
            Ok(Skip)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Skip, E> {
            Ok(Skip)
        }
        fn visit_str<E>(self, _: &str) -> Result<Skip, E> {
            Ok(Skip)
        }
        fn visit_unit<E>(self) -> Result<Skip, E> {
            Ok(Skip)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
            while seq.next_element::<Skip>()?.is_some() {}
            Ok(Skip)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
            while map.next_entry::<Skip, Skip>()?.is_some() {}
            Ok(Skip)
        }
    }

    impl<'de> Deserialize<'de> for Version {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct VersionVisitor;
            impl Visitor<'_> for VersionVisitor {
                type Value = Version;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a version string")
                }
                fn visit_str<E>(self, version: &str) -> Result<Version, E> {
                    Ok(Version(version == "2.0"))
                }
            }
            deserializer.deserialize_any(VersionVisitor)
        }
    }

    impl<'de> Deserialize<'de> for Method {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct MethodVisitor;
            impl Visitor<'_> for MethodVisitor {
                type Value = Method;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a method name")
                }
                fn visit_str<E>(self, _: &str) -> Result<Method, E> {
                    Ok(Method)
                }
            }
            deserializer.deserialize_any(MethodVisitor)
        }
    }

    impl<'de> Deserialize<'de> for Id {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct IdVisitor;
            impl Visitor<'_> for IdVisitor {
                type Value = Id;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an integer, a string or null")
                }
                fn visit_i64<E>(self, _: i64) -> Result<Id, E> {
                    Ok(Id)
                }
                fn visit_u64<E: de::Error>(self, id: u64) -> Result<Id, E> {
                    i64::try_from(id)
                        .map(|_| Id)
                        .map_err(|_| E::custom("an id over i64"))
                }
                fn visit_str<E>(self, _: &str) -> Result<Id, E> {
                    Ok(Id)
                }
                fn visit_unit<E>(self) -> Result<Id, E> {
                    Ok(Id)
                }
            }
            deserializer.deserialize_any(IdVisitor)
        }
    }
}

/// `body` with its `Content-Length` header.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    framed.extend_from_slice(body);
    framed
}

#[cfg(test)]
mod tests;
