//! Text that is safe to print on a terminal.
//!
//! Source files, message names and file names come from whoever wrote the bundle. Printed raw, an
//! escape character (ESC) can clear the screen or rewrite what was printed before it, BEL rings,
//! a carriage return overwrites the line, and bidirectional-text controls (U+202A–U+202E,
//! U+2066–U+2069) reorder what the reader sees ("Trojan Source"). Everything `pmc` prints for
//! people goes through one of the two functions here:
//!
//! - [`escape`] writes each such character as a Rust-style escape, `\u{1b}`: unambiguous, for
//!   messages, names and paths;
//! - [`stand_in`] replaces each by *one* visible character (`␛` for ESC, `�` where Unicode has
//!   no picture), so that character counts — and therefore columns — stay those of the source:
//!   for source excerpts, whose columns must match the reported positions.
//!
//! Tab and line feed pass through. Machine formats (JSON, SARIF) are escaped by their own
//! encoders and do not use this module.

use std::borrow::Cow;

/// Whether `c` must never reach a terminal raw: C0 controls but tab and line feed, DEL, C1
/// controls, the bidirectional-text controls and marks, and the Unicode line and paragraph
/// separators (which some renderers treat as line breaks, shifting line numbers).
pub fn is_unsafe(c: char) -> bool {
    matches!(
        c,
        '\0'..='\x08'
            | '\x0b'..='\x1f'
            | '\x7f'..='\u{9f}'
            | '\u{061c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// Whether `text` is printable ASCII, tabs and line feeds (and, when `crlf_kept`, carriage
/// returns right before a line feed): text with no unsafe character, the common case, found by
/// a look at each byte instead of decoding characters.
fn plain_ascii(text: &str, crlf_kept: bool) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| {
        matches!(b, 0x20..=0x7e | b'\t' | b'\n')
            || (crlf_kept && b == b'\r' && bytes.get(i + 1) == Some(&b'\n'))
    })
}

/// `text` with every unsafe character written as `\u{…}` (lower-case hex, as Rust writes it).
pub fn escape(text: &str) -> Cow<'_, str> {
    if plain_ascii(text, false) || !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` with every unsafe character replaced by one visible character: the Unicode control
/// picture for C0 controls and DEL (`␀`…`␟`, `␡`), `�` for the others. A carriage return
/// right before a line feed is kept (it is part of a CRLF line ending). The result has exactly
/// as many characters as `text`.
pub fn stand_in(text: &str) -> Cow<'_, str> {
    if plain_ascii(text, true) {
        return Cow::Borrowed(text);
    }
    let mut chars = text.chars().peekable();
    let mut out: Option<String> = None;
    let mut index = 0;
    while let Some(c) = chars.next() {
        let crlf = c == '\r' && chars.peek() == Some(&'\n');
        if is_unsafe(c) && !crlf {
            let out = out.get_or_insert_with(|| {
                let mut s = String::with_capacity(text.len() + 8);
                s.push_str(&text[..index]);
                s
            });
            out.push(picture(c));
        } else if let Some(out) = &mut out {
            out.push(c);
        }
        index += c.len_utf8();
    }
    out.map_or(Cow::Borrowed(text), Cow::Owned)
}

/// The visible stand-in of an unsafe character.
fn picture(c: char) -> char {
    match u32::from(c) {
        code @ 0..=0x1f => char::from_u32(0x2400 + code).unwrap_or('\u{fffd}'),
        0x7f => '\u{2421}',
        _ => '\u{fffd}',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bidi_but_not_text() {
        assert_eq!(escape("plain é 👋\tand\nlines"), "plain é 👋\tand\nlines");
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
        assert_eq!(escape("a\x1b[2Jb\x07"), "a\\u{1b}[2Jb\\u{7}");
        assert_eq!(
            escape("\u{202e}x\u{2066}\u{9b}\r"),
            "\\u{202e}x\\u{2066}\\u{9b}\\u{d}"
        );
    }

    #[test]
    fn stand_ins_keep_the_character_count() {
        let text = "say \"\x1b[2J\u{7}\u{202e}é\u{85}\"\r\nnext\rline\x0c";
        let shown = stand_in(text);
        assert_eq!(shown.chars().count(), text.chars().count());
        assert_eq!(shown, "say \"␛[2J␇�é�\"\r\nnext␍line␌");
        assert!(!shown.chars().any(|c| is_unsafe(c) && c != '\r'));
        assert!(matches!(stand_in("clean\r\n"), Cow::Borrowed(_)));
    }
}
