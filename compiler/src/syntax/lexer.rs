//! The lexer: `.pm` source text to tokens with byte spans, never failing.
//!
//! Token shapes are declared once, with logos. Problems inside a token (a bad escape, a duration
//! out of range, an integer too large) are reported as diagnostics while the token itself is
//! still produced with a best-effort value, so parsing goes on undisturbed. Characters that start
//! no token at all are reported and dropped. Comments are kept aside for the formatter.
//!
//! A UTF-8 byte order mark at the start of the file is skipped (spans still count its bytes).
//! Characters that change the direction of text ([`TEXT_DIRECTION_CHARS`]) inside comments and
//! strings get a warning: they can make code display differently from what it does.

use std::borrow::Cow;
use std::fmt;

use logos::Logos;

use crate::diagnostic::{Code, Diagnostic, Fix};
use crate::source::{FileId, Span};

/// Largest `.pm` file the compiler reads, in bytes (a 140-message bundle is well under 1 MiB).
pub const MAX_SOURCE_BYTES: usize = 16 * 1024 * 1024;

/// Longest duration the language accepts, in seconds (`59m59s`).
pub const MAX_DURATION_SECONDS: u32 = 59 * 60 + 59;

/// The byte order mark some editors write at the start of UTF-8 files.
const BYTE_ORDER_MARK: char = '\u{feff}';

/// The invisible characters that change the direction in which the text after them is
/// displayed (embeddings, overrides, isolates and the two characters that end them), with their
/// names. In a comment or a string they can make code display differently from what it does
/// ("Trojan Source", CVE-2021-42574). The same nine characters rustc warns about; the
/// directional marks (U+200E, U+200F, U+061C) only set the direction of neighbouring neutral
/// characters, have legitimate uses in right-to-left texts, and are not among them.
pub const TEXT_DIRECTION_CHARS: [(char, &str); 9] = [
    ('\u{202a}', "left-to-right embedding"),
    ('\u{202b}', "right-to-left embedding"),
    ('\u{202c}', "pop directional formatting"),
    ('\u{202d}', "left-to-right override"),
    ('\u{202e}', "right-to-left override"),
    ('\u{2066}', "left-to-right isolate"),
    ('\u{2067}', "right-to-left isolate"),
    ('\u{2068}', "first strong isolate"),
    ('\u{2069}', "pop directional isolate"),
];

/// The name of `c` when it is one of the [`TEXT_DIRECTION_CHARS`].
pub fn text_direction_name(c: char) -> Option<&'static str> {
    TEXT_DIRECTION_CHARS
        .iter()
        .find(|&&(direction, _)| direction == c)
        .map(|&(_, name)| name)
}

/// One token of the language.
#[derive(Logos, Debug, Clone, PartialEq, Eq)]
#[logos(extras = LexState)]
#[logos(skip r"[ \t\r\n\f]+")]
pub enum Token<'s> {
    /// `message`: starts a message item.
    #[token("message")]
    Message,
    /// `condition`: starts a named condition.
    #[token("condition")]
    Condition,
    /// `when`: starts a trigger's condition.
    #[token("when")]
    When,
    /// `after`: names a trigger's event.
    #[token("after")]
    After,
    /// `and`.
    #[token("and")]
    And,
    /// `or`.
    #[token("or")]
    Or,
    /// `not`, also in `not contains`, `not starts_with`, `not ends_with` and `not matches`.
    #[token("not")]
    Not,
    /// `is`, also in `is not`.
    #[token("is")]
    Is,
    /// `contains`.
    #[token("contains")]
    Contains,
    /// `starts_with`.
    #[token("starts_with")]
    StartsWith,
    /// `ends_with`.
    #[token("ends_with")]
    EndsWith,
    /// `matches`.
    #[token("matches")]
    Matches,
    /// A lower-case identifier: clause keywords, objects, fields, values and condition names.
    #[regex("[a-z_][a-z0-9_]*", |lex| Cow::Borrowed(lex.slice()), priority = 3)]
    Ident(Cow<'s, str>),
    /// A string literal's decoded value. The opening quote starts it; [`string`] scans the rest
    /// (a regex would make logos's generated code recurse once per escape, which overflows the
    /// stack of an unoptimised build on a long string).
    #[token("\"", string)]
    Str(Cow<'s, str>),
    /// A duration in seconds, such as `1m30s`.
    #[regex("[0-9]+m[0-9]+s|[0-9]+[ms]", duration, priority = 3)]
    Duration(u32),
    /// An integer, such as `-10`.
    #[regex("-?[0-9]+", integer)]
    Int(i64),
    /// `{`.
    #[token("{")]
    LBrace,
    /// `}`.
    #[token("}")]
    RBrace,
    /// `(`.
    #[token("(")]
    LParen,
    /// `)`.
    #[token(")")]
    RParen,
    /// `[`.
    #[token("[")]
    LBracket,
    /// `]`.
    #[token("]")]
    RBracket,
    /// `,`.
    #[token(",")]
    Comma,
    /// `.`.
    #[token(".")]
    Dot,
    /// `=`.
    #[token("=")]
    Eq,
    /// `<`.
    #[token("<")]
    Lt,
    /// `<=`.
    #[token("<=")]
    Le,
    /// `>`.
    #[token(">")]
    Gt,
    /// `>=`.
    #[token(">=")]
    Ge,
    /// A `//` comment (never reaches the parser).
    #[regex("//[^\n]*", allow_greedy = true)]
    Comment,
    /// An identifier with upper-case letters (reported, then read as its lower-case form).
    #[regex("[A-Za-z_][A-Za-z0-9_]*", upper_case_ident, priority = 2)]
    UpperIdent(&'s str),
    /// A group nested too deeply, replaced by one token after it was reported (see the parser's
    /// nesting check). Logos never produces it.
    Error,
    /// A number directly followed by letters, such as `5min` (reported, then dropped).
    #[regex("[0-9]+[A-Za-z_][A-Za-z0-9_]*", bad_number, priority = 2)]
    BadNumber,
}

/// Lexer state: the file being lexed and the diagnostics found inside tokens.
#[derive(Debug, Default)]
pub struct LexState {
    file: FileId,
    diagnostics: Vec<Diagnostic>,
}

impl LexState {
    fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.file, range)
    }
}

type Lexer<'s> = logos::Lexer<'s, Token<'s>>;

/// Scans a string literal from its opening quote: up to the closing quote, or, for a string
/// that is never closed, up to the end of its line (a `\` there is left out); then decodes it.
/// A `\` takes the character after it, so `\"` does not close the string. One loop, whatever
/// the length.
fn string<'s>(lex: &mut Lexer<'s>) -> Cow<'s, str> {
    let rest = lex.remainder().as_bytes();
    let mut i = 0;
    let closed = loop {
        match rest.get(i) {
            Some(b'"') => break true,
            Some(b'\\') if rest.get(i + 1).is_some_and(|&b| b != b'\n') => i += 2,
            Some(b'\n') | None => break false,
            // Any other byte, a `\` that ends the line among them. The bytes of a character
            // after the first are never `"`, `\` or a line break, so stepping over them one by
            // one (or two at a time after a `\`) stops only at those three.
            Some(_) => i += 1,
        }
    };
    let start = lex.span().start + 1;
    if closed {
        lex.bump(i + 1);
        let slice = lex.slice();
        return decode_string(&mut lex.extras, &slice[1..slice.len() - 1], start);
    }
    lex.bump(i);
    let span = lex.extras.span(lex.span());
    lex.extras.diagnostics.push(
        Diagnostic::new(Code::E0101, span, "this string is never closed")
            .with_label("the string starts here and runs to the end of the line")
            .with_help("add a closing `\"`; strings cannot span several lines (write `\\n` for a line break)")
            .with_fix(Fix::replace(span.after(), "\"")),
    );
    let slice = lex.slice();
    let body = slice[1..].strip_suffix('\\').unwrap_or(&slice[1..]);
    decode_string(&mut lex.extras, body, start)
}

/// Decodes a string literal's body; bad escapes are reported and read as U+FFFD.
fn decode_string<'s>(state: &mut LexState, body: &'s str, body_start: usize) -> Cow<'s, str> {
    if !body.contains('\\') {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let escape_start = body_start + i;
        match chars.next() {
            Some((_, '"')) => out.push('"'),
            Some((_, '\\')) => out.push('\\'),
            Some((_, 'n')) => out.push('\n'),
            Some((_, 't')) => out.push('\t'),
            Some((_, 'u')) => {
                let rest = &body[i + 2..];
                match unicode_escape(rest) {
                    Ok((ch, len)) => {
                        out.push(ch);
                        for _ in 0..len {
                            chars.next();
                        }
                    }
                    Err((len, why)) => {
                        let span = state.span(escape_start..escape_start + 2 + len);
                        state.diagnostics.push(
                            Diagnostic::new(Code::E0102, span, format!("invalid unicode escape: {why}"))
                                .with_label("this escape")
                                .with_help("write a unicode escape as `\\u{1F44B}`: one to six hex digits in braces"),
                        );
                        out.push(char::REPLACEMENT_CHARACTER);
                        for _ in 0..len {
                            chars.next();
                        }
                    }
                }
            }
            Some((j, other)) => {
                let span = state.span(escape_start..body_start + j + other.len_utf8());
                state.diagnostics.push(
                    Diagnostic::new(Code::E0102, span, format!("unknown escape sequence `\\{other}`"))
                        .with_label("not an escape")
                        .with_help("the escapes are `\\\"`, `\\\\`, `\\n`, `\\t` and `\\u{…}`; write `\\\\` for a backslash")
                        .with_fix(Fix::replace(state.span(escape_start..escape_start + 1), "\\\\")),
                );
                out.push(char::REPLACEMENT_CHARACTER);
            }
            None => out.push('\\'),
        }
    }
    Cow::Owned(out)
}

/// The byte offset in a string literal's `body` (as written, between the quotes) of the
/// character that decoding puts at byte `decoded` of the value: escapes are stepped over as
/// [`decode_string`] reads them. Past the end, the end of the body.
pub fn body_offset(body: &str, decoded: usize) -> usize {
    let mut value_at = 0;
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        if value_at >= decoded {
            return i;
        }
        if c != '\\' {
            value_at += c.len_utf8();
            continue;
        }
        match chars.next() {
            Some((_, 'u')) => match unicode_escape(&body[i + 2..]) {
                Ok((ch, len)) => {
                    value_at += ch.len_utf8();
                    chars.by_ref().take(len).for_each(drop);
                }
                Err((len, _)) => {
                    value_at += char::REPLACEMENT_CHARACTER.len_utf8();
                    chars.by_ref().take(len).for_each(drop);
                }
            },
            Some((_, '"' | '\\' | 'n' | 't')) => value_at += 1,
            Some(_) => value_at += char::REPLACEMENT_CHARACTER.len_utf8(),
            None => value_at += 1,
        }
    }
    body.len()
}

/// Reads `{hex}` after `\u`. Returns the character and the bytes consumed, or the bytes to skip
/// and why it is invalid.
fn unicode_escape(rest: &str) -> Result<(char, usize), (usize, &'static str)> {
    if !rest.starts_with('{') {
        return Err((0, "expected `{` after `\\u`"));
    }
    let Some(close) = rest.find('}') else {
        return Err((rest.len(), "missing `}`"));
    };
    let digits = &rest[1..close];
    if digits.is_empty() || digits.len() > 6 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err((close + 1, "expected one to six hexadecimal digits"));
    }
    u32::from_str_radix(digits, 16)
        .ok()
        .and_then(char::from_u32)
        .map(|c| (c, close + 1))
        .ok_or((close + 1, "not a Unicode scalar value"))
}

/// Reads a duration, reporting values out of range (the token keeps a clamped value).
fn duration(lex: &mut Lexer<'_>) -> u32 {
    let text = lex.slice();
    let number = |s: &str| s.parse::<u64>().unwrap_or(u64::MAX);
    let (minutes, seconds, has_minutes) = match text.split_once('m') {
        Some((m, rest)) => (number(m), rest.strip_suffix('s').map_or(0, number), true),
        None => (0, number(text.trim_end_matches('s')), false),
    };
    let total = minutes.saturating_mul(60).saturating_add(seconds);
    let problem = if has_minutes && seconds > 59 {
        Some(format!(
            "`{text}` has {seconds} seconds; with minutes, seconds run from 0 to 59"
        ))
    } else if total > u64::from(MAX_DURATION_SECONDS) {
        Some(format!(
            "`{text}` is longer than the longest duration, 59m59s"
        ))
    } else {
        None
    };
    if let Some(message) = problem {
        let span = lex.extras.span(lex.span());
        let mut diagnostic =
            Diagnostic::new(Code::E0103, span, message).with_label("invalid duration");
        if has_minutes && seconds > 59 && total <= u64::from(MAX_DURATION_SECONDS) {
            let canonical = format!("{}m{}s", total / 60, total % 60);
            diagnostic = diagnostic
                .with_help(format!("write `{canonical}`"))
                .with_fix(Fix::replace(span, canonical));
        }
        lex.extras.diagnostics.push(diagnostic);
    }
    total.min(u64::from(MAX_DURATION_SECONDS)) as u32
}

/// Reads an integer, reporting values that do not fit (the token keeps 0).
fn integer(lex: &mut Lexer<'_>) -> i64 {
    lex.slice().parse().unwrap_or_else(|_| {
        let span = lex.extras.span(lex.span());
        lex.extras.diagnostics.push(
            Diagnostic::new(Code::E0105, span, "this number is out of range")
                .with_label("out of range")
                .with_note("priorities range from -2147483648 to 2147483647"),
        );
        0
    })
}

/// Reports an identifier with upper-case letters; the token reads as its lower-case form.
fn upper_case_ident<'s>(lex: &mut Lexer<'s>) -> &'s str {
    let text = lex.slice();
    let span = lex.extras.span(lex.span());
    let lower = text.to_lowercase();
    lex.extras.diagnostics.push(
        Diagnostic::new(Code::E0106, span, format!("`{text}` is not lower-case"))
            .with_label("identifiers are written in lower case")
            .with_help(format!("write `{lower}`"))
            .with_fix(Fix::replace(span, lower)),
    );
    text
}

/// Reports a number followed by letters, such as `5min` or `1m30`.
fn bad_number(lex: &mut Lexer<'_>) {
    let text = lex.slice();
    let span = lex.extras.span(lex.span());
    lex.extras.diagnostics.push(
        Diagnostic::new(Code::E0103, span, format!("`{text}` is not a duration"))
            .with_label("invalid duration")
            .with_help("write durations as seconds (`45s`), minutes (`2m`) or both (`1m30s`)"),
    );
}

/// The result of lexing one file.
#[derive(Debug, Default)]
pub struct Lexed<'s> {
    /// Tokens for the parser: no comments, no invalid characters.
    pub tokens: Vec<(Token<'s>, Span)>,
    /// Spans of `//` comments, in order.
    pub comments: Vec<Span>,
    /// Problems found while lexing.
    pub diagnostics: Vec<Diagnostic>,
}

/// `E0107` for a file of `size` bytes, over [`MAX_SOURCE_BYTES`]. The file system edge uses it
/// too, for files it refuses to read whole.
pub fn file_too_large(file: FileId, size: u64) -> Diagnostic {
    Diagnostic::new(
        Code::E0107,
        Span::new(file, 0..0),
        format!("this file is {size} bytes; source files are limited to {MAX_SOURCE_BYTES} bytes"),
    )
    .with_label("file too large")
    .with_help("split the messages over several `.pm` files")
}

/// Lexes `text` (file `file`). Never fails: problems become diagnostics.
pub fn lex(file: FileId, text: &str) -> Lexed<'_> {
    let mut lexed = Lexed::default();
    if text.len() > MAX_SOURCE_BYTES {
        lexed
            .diagnostics
            .push(file_too_large(file, text.len() as u64));
        return lexed;
    }
    let mut lexer = Token::lexer_with_extras(
        text,
        LexState {
            file,
            diagnostics: Vec::new(),
        },
    );
    if text.starts_with(BYTE_ORDER_MARK) {
        lexer.bump(BYTE_ORDER_MARK.len_utf8());
    }
    // Real files have about one token per six bytes: reserving that avoids copying the tokens
    // over and over as the vector grows.
    lexed.tokens.reserve(text.len() / 6);
    let mut stray: Vec<Span> = Vec::new();
    while let Some(result) = lexer.next() {
        let span = Span::new(file, lexer.span());
        if let Ok(kind @ (Token::Comment | Token::Str(_))) = &result {
            let in_comment = matches!(kind, Token::Comment);
            if let Some(warning) = text_direction_warning(span, lexer.slice(), in_comment) {
                lexed.diagnostics.push(warning);
            }
        }
        match result {
            Ok(Token::Comment) => lexed.comments.push(span),
            Ok(Token::BadNumber) => {}
            Ok(Token::UpperIdent(text)) => {
                let lower = text.to_ascii_lowercase();
                let token = Token::keyword(&lower).unwrap_or(Token::Ident(Cow::Owned(lower)));
                lexed.tokens.push((token, span));
            }
            Ok(token) => lexed.tokens.push((token, span)),
            Err(()) => match stray.last_mut() {
                // Adjacent stray characters (`&&`) make one report.
                Some(last) if last.end == span.start => last.end = span.end,
                _ => stray.push(span),
            },
        }
    }
    for span in stray {
        lexed
            .diagnostics
            .push(stray_characters(span, &text[span.range()]));
    }
    lexed.diagnostics.append(&mut lexer.extras.diagnostics);
    lexed
}

/// `W0107` when the comment or string literal `slice` at `span` holds text-direction characters:
/// one warning per token, at its first such character, with the others as secondary labels and
/// a fix that escapes them (in a string) or removes them (in a comment).
fn text_direction_warning(span: Span, slice: &str, in_comment: bool) -> Option<Diagnostic> {
    // Every text-direction character is encoded with a leading 0xE2 byte.
    if !slice.bytes().any(|b| b == 0xE2) {
        return None;
    }
    let found: Vec<(Span, char, &str)> = slice
        .char_indices()
        .filter_map(|(i, c)| {
            let name = text_direction_name(c)?;
            let start = span.start as usize + i;
            Some((Span::new(span.file, start..start + c.len_utf8()), c, name))
        })
        .collect();
    let &(first, first_char, first_name) = found.first()?;
    let what = if in_comment { "comment" } else { "string" };
    let message = match found.len() {
        1 => format!("this {what} holds an invisible character that changes the direction of text"),
        n => {
            format!("this {what} holds {n} invisible characters that change the direction of text")
        }
    };
    let shown = |c: char| format!("\\u{{{:x}}}", u32::from(c));
    let mut diagnostic = Diagnostic::new(Code::W0107, first, message)
        .with_label(format!("`{}` ({first_name})", shown(first_char)))
        .with_note(
            "text-direction characters make an editor or a review tool show the text around them \
             in another order than the compiler reads it",
        );
    for &(at, c, name) in &found[1..] {
        diagnostic = diagnostic.with_secondary(at, format!("`{}` ({name})", shown(c)));
    }
    let help = match (in_comment, found.len()) {
        (true, 1) => "remove it: a comment needs no text-direction character".to_string(),
        (true, _) => "remove them: a comment needs no text-direction characters".to_string(),
        (false, 1) => format!(
            "if it is meant, write it as the escape `{}`, so that it can be seen",
            shown(first_char)
        ),
        (false, _) => format!(
            "if they are meant, write them as escapes such as `{}`, so that they can be seen",
            shown(first_char)
        ),
    };
    let title = if in_comment {
        "remove the text-direction characters"
    } else {
        "write the text-direction characters as escapes"
    };
    let edits = found
        .iter()
        .map(|&(at, c, _)| crate::diagnostic::Edit {
            span: at,
            replacement: if in_comment { String::new() } else { shown(c) },
        })
        .collect();
    Some(
        diagnostic
            .with_help(help)
            .with_fix(Fix::titled(title, edits)),
    )
}

/// `E0104` for characters that start no token, with the word meant when it is a common habit
/// from other languages (`&&`, `||`, `!`, curly quotes).
fn stray_characters(span: Span, text: &str) -> Diagnostic {
    let shown: String = text.chars().flat_map(char::escape_debug).collect();
    let diagnostic = Diagnostic::new(Code::E0104, span, format!("unexpected `{shown}`"))
        .with_label("not part of the language");
    let meant = match text {
        "&&" | "&" => Some("and"),
        "||" | "|" => Some("or"),
        "!" => Some("not"),
        "\u{201c}" | "\u{201d}" | "\u{201c}\u{201d}" => Some("\""),
        _ => None,
    };
    match meant {
        Some(word) => diagnostic.with_suggestion(span, Some(word)),
        None => diagnostic,
    }
}

impl Token<'_> {
    /// The hard keyword spelt `word`, if it is one.
    pub fn keyword(word: &str) -> Option<Token<'static>> {
        Some(match word {
            "message" => Token::Message,
            "condition" => Token::Condition,
            "when" => Token::When,
            "after" => Token::After,
            "and" => Token::And,
            "or" => Token::Or,
            "not" => Token::Not,
            "is" => Token::Is,
            "contains" => Token::Contains,
            "starts_with" => Token::StartsWith,
            "ends_with" => Token::EndsWith,
            "matches" => Token::Matches,
            _ => return None,
        })
    }
}

impl fmt::Display for Token<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Message => f.write_str("`message`"),
            Token::Condition => f.write_str("`condition`"),
            Token::When => f.write_str("`when`"),
            Token::After => f.write_str("`after`"),
            Token::And => f.write_str("`and`"),
            Token::Or => f.write_str("`or`"),
            Token::Not => f.write_str("`not`"),
            Token::Is => f.write_str("`is`"),
            Token::Contains => f.write_str("`contains`"),
            Token::StartsWith => f.write_str("`starts_with`"),
            Token::EndsWith => f.write_str("`ends_with`"),
            Token::Matches => f.write_str("`matches`"),
            Token::Ident(name) => write!(f, "`{name}`"),
            Token::UpperIdent(name) => write!(f, "`{name}`"),
            Token::Str(_) => f.write_str("a string"),
            Token::Duration(_) => f.write_str("a duration"),
            Token::Int(_) => f.write_str("a number"),
            Token::LBrace => f.write_str("`{`"),
            Token::RBrace => f.write_str("`}`"),
            Token::LParen => f.write_str("`(`"),
            Token::RParen => f.write_str("`)`"),
            Token::LBracket => f.write_str("`[`"),
            Token::RBracket => f.write_str("`]`"),
            Token::Comma => f.write_str("`,`"),
            Token::Dot => f.write_str("`.`"),
            Token::Eq => f.write_str("`=`"),
            Token::Lt => f.write_str("`<`"),
            Token::Le => f.write_str("`<=`"),
            Token::Gt => f.write_str("`>`"),
            Token::Ge => f.write_str("`>=`"),
            Token::Comment => f.write_str("a comment"),
            Token::BadNumber => f.write_str("an invalid number"),
            Token::Error => f.write_str("an invalid piece"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Token<'_>> {
        lex(FileId(0), text)
            .tokens
            .into_iter()
            .map(|(t, _)| t)
            .collect()
    }

    fn codes(text: &str) -> Vec<Code> {
        lex(FileId(0), text)
            .diagnostics
            .into_iter()
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn keywords_identifiers_and_literals() {
        assert_eq!(
            kinds(
                r#"message "Hi" { when not visitor.page_url is "x" after screen_open 1m30s priority -2 }"#
            ),
            vec![
                Token::Message,
                Token::Str(Cow::Borrowed("Hi")),
                Token::LBrace,
                Token::When,
                Token::Not,
                Token::Ident(Cow::Borrowed("visitor")),
                Token::Dot,
                Token::Ident(Cow::Borrowed("page_url")),
                Token::Is,
                Token::Str(Cow::Borrowed("x")),
                Token::After,
                Token::Ident(Cow::Borrowed("screen_open")),
                Token::Duration(90),
                Token::Ident(Cow::Borrowed("priority")),
                Token::Int(-2),
                Token::RBrace,
            ]
        );
        assert_eq!(
            kinds("messages notable"),
            vec![
                Token::Ident(Cow::Borrowed("messages")),
                Token::Ident(Cow::Borrowed("notable"))
            ]
        );
    }

    #[test]
    fn durations() {
        assert_eq!(
            kinds("45s 2m 0m30s 59m59s"),
            vec![
                Token::Duration(45),
                Token::Duration(120),
                Token::Duration(30),
                Token::Duration(3599)
            ]
        );
        assert_eq!(codes("1m75s"), vec![Code::E0103]);
        assert_eq!(codes("60m"), vec![Code::E0103]);
        assert_eq!(codes("3600s"), vec![Code::E0103]);
        assert_eq!(codes("5min"), vec![Code::E0103]);
        assert_eq!(codes("1m30"), vec![Code::E0103]);
        assert!(kinds("5min").is_empty());
    }

    #[test]
    fn strings_and_escapes() {
        assert_eq!(
            kinds(r#""a\"b\\c\n\t\u{1F44B}""#),
            vec![Token::Str(Cow::Owned("a\"b\\c\n\t👋".into()))]
        );
        assert_eq!(codes(r#""bad \q escape""#), vec![Code::E0102]);
        assert_eq!(codes(r#""bad \u{110000}""#), vec![Code::E0102]);
        assert_eq!(codes(r#""bad \u1234""#), vec![Code::E0102]);
        let lexed = lex(FileId(0), "say \"open\nnext");
        assert_eq!(lexed.diagnostics[0].code, Code::E0101);
        assert_eq!(lexed.tokens[1].0, Token::Str(Cow::Borrowed("open")));
        assert_eq!(lexed.tokens[2].0, Token::Ident(Cow::Borrowed("next")));
    }

    #[test]
    fn long_strings_full_of_escapes_are_lexed_in_one_loop() {
        // 100,000 escapes, good and bad: the regex this replaced made the generated lexer
        // recurse once per escape and overflowed the test thread's stack unoptimised.
        let body = "\\qé\\\"👋".repeat(50_000);
        let text = format!("\"{body}\" \"{body}");
        let lexed = lex(FileId(0), &text);
        assert_eq!(lexed.tokens.len(), 2);
        let errors: Vec<Code> = lexed.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(
            errors.iter().filter(|&&c| c == Code::E0102).count(),
            100_000
        );
        assert_eq!(errors.iter().filter(|&&c| c == Code::E0101).count(), 1);
        let Token::Str(value) = &lexed.tokens[0].0 else {
            panic!("{:?}", lexed.tokens[0].0);
        };
        assert_eq!(value.chars().filter(|&c| c == '"').count(), 50_000);
        // A `\` at the end of an unclosed string's line is left out of its value.
        assert_eq!(kinds("\"ab\\\n"), vec![Token::Str(Cow::Borrowed("ab"))]);
    }

    #[test]
    fn comments_are_kept_aside_and_bad_characters_reported() {
        let lexed = lex(FileId(0), "a // note 👋\n@ b");
        assert_eq!(lexed.comments.len(), 1);
        assert_eq!(lexed.tokens.len(), 2);
        assert_eq!(lexed.diagnostics[0].code, Code::E0104);
        assert_eq!(codes("Visitor"), vec![Code::E0106]);
        assert_eq!(codes("99999999999999999999"), vec![Code::E0105]);
    }

    #[test]
    fn a_byte_order_mark_at_the_start_is_skipped() {
        let lexed = lex(FileId(0), "\u{feff}message \"a\" {}");
        assert!(lexed.diagnostics.is_empty(), "{:?}", lexed.diagnostics);
        assert_eq!(lexed.tokens[0].0, Token::Message);
        assert_eq!(lexed.tokens[0].1.range(), 3..10);
        // Anywhere else it is a stray character.
        assert_eq!(codes("message \u{feff}\"a\""), vec![Code::E0104]);
    }

    #[test]
    fn text_direction_characters_in_comments_and_strings_are_warned_about() {
        let text = "say \"a\u{202e}b\u{2069}\" // c\u{2066}\nsay \"\\u{202e}\"";
        let lexed = lex(FileId(0), text);
        let warnings: Vec<&Diagnostic> = lexed
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::W0107)
            .collect();
        assert_eq!(warnings.len(), 2, "{:?}", lexed.diagnostics);
        let (string, comment) = (warnings[0], warnings[1]);
        assert_eq!(string.severity, crate::diagnostic::Severity::Warning);
        assert_eq!(&text[string.primary.span.range()], "\u{202e}");
        assert_eq!(&text[string.secondary[0].span.range()], "\u{2069}");
        let edits = &string.fix.as_ref().unwrap().edits;
        let replacements: Vec<&str> = edits.iter().map(|e| e.replacement.as_str()).collect();
        assert_eq!(replacements, ["\\u{202e}", "\\u{2069}"]);
        assert_eq!(&text[comment.primary.span.range()], "\u{2066}");
        assert_eq!(comment.fix.as_ref().unwrap().edits[0].replacement, "");
        // The escape written out is the visible spelling: no warning.
        assert!(lex(FileId(0), "say \"\\u{202e}\"").diagnostics.is_empty());
        // Outside comments and strings, the character is not part of the language.
        let stray = lex(FileId(0), "a \u{202e} b").diagnostics;
        assert_eq!(stray.len(), 1);
        assert_eq!(stray[0].code, Code::E0104);
        assert_eq!(stray[0].message, "unexpected `\\u{202e}`");
    }

    #[test]
    fn unterminated_strings_are_checked_for_text_direction_characters_too() {
        let lexed = lex(FileId(0), "say \"a\u{202e}\nnext");
        let found: Vec<Code> = lexed.diagnostics.iter().map(|d| d.code).collect();
        assert!(found.contains(&Code::W0107), "{found:?}");
    }
}
