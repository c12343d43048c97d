//! Where a value sits in a JSON text: the line and column of the value at a path such as
//! `expect.deliveries[2].message`, so that problems found after parsing (a time going
//! backwards, an unknown message, a failing expectation) point at the place they come from.
//!
//! serde reports positions only for syntax and type errors; this scanner finds the others in
//! the text that serde already accepted. It walks only the objects and arrays on the path and
//! skips every other value with a bracket counter, so it neither recurses nor allocates per
//! value, whatever the nesting. On text that is not valid JSON it gives up with `None`.

/// One step of a path into a JSON document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    /// The member of an object with this key.
    Key(&'a str),
    /// The element of an array at this index (from 0).
    Index(usize),
}

/// A place in a text: line and column from 1, the column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1, in characters.
    pub column: usize,
}

impl Position {
    /// The start of the text.
    pub const START: Position = Position { line: 1, column: 1 };

    /// The position of byte `offset` of `text` (the end of the text when beyond it, the start
    /// of the character when inside one).
    pub fn of_offset(text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Position {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }

    /// The position inside `text` of a serde_json error: serde counts columns in bytes and
    /// reports an input that ends too soon one line past a final newline, so an error at the
    /// end of the input is placed just after the last character that is not white space, on a
    /// line the file really has.
    pub fn of_serde_error(text: &str, error: &serde_json::Error) -> Position {
        if error.is_eof() || error.line() == 0 {
            return Position::of_offset(text, text.trim_end().len());
        }
        let line_start = text
            .split_inclusive('\n')
            .take(error.line() - 1)
            .map(str::len)
            .sum::<usize>();
        // serde's column is the byte it stopped at, from 1; 0 means the newline ending the
        // line before.
        Position::of_offset(text, (line_start + error.column()).saturating_sub(1))
    }
}

/// The position of the value at `path` in `text`, or `None` when there is no such value.
pub fn locate(text: &str, path: &[Step<'_>]) -> Option<Position> {
    offset_of(text, path).map(|offset| Position::of_offset(text, offset))
}

/// The position of the value at `path`, or of the nearest enclosing value that exists (the
/// whole document at worst): the best place to point at for a problem with that value.
pub fn locate_nearest(text: &str, path: &[Step<'_>]) -> Position {
    (0..=path.len())
        .rev()
        .find_map(|len| locate(text, &path[..len]))
        .unwrap_or(Position::START)
}

/// The byte offset where the value at `path` starts.
fn offset_of(text: &str, path: &[Step<'_>]) -> Option<usize> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        at: 0,
    };
    scanner.skip_whitespace();
    for step in path {
        match *step {
            Step::Key(key) => scanner.enter_member(text, key)?,
            Step::Index(index) => scanner.enter_element(index)?,
        }
    }
    (scanner.at < scanner.bytes.len()).then_some(scanner.at)
}

struct Scanner<'t> {
    bytes: &'t [u8],
    at: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Consumes `byte` (after whitespace) or fails.
    fn expect(&mut self, byte: u8) -> Option<()> {
        self.skip_whitespace();
        (self.peek() == Some(byte)).then(|| self.at += 1)
    }

    /// Skips a string starting at the current `"`; returns its raw text with the quotes.
    fn skip_string(&mut self) -> Option<std::ops::Range<usize>> {
        let start = self.at;
        self.at += 1;
        loop {
            match self.peek()? {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    return Some(start..self.at);
                }
                _ => self.at += 1,
            }
        }
    }

    /// Skips one value of any kind: strings whole, objects and arrays by counting brackets
    /// outside strings, anything else up to the next delimiter.
    fn skip_value(&mut self) -> Option<()> {
        self.skip_whitespace();
        let mut depth = 0usize;
        loop {
            match self.peek()? {
                b'"' => {
                    self.skip_string()?;
                }
                b'{' | b'[' => {
                    depth += 1;
                    self.at += 1;
                }
                b'}' | b']' if depth > 0 => {
                    depth -= 1;
                    self.at += 1;
                }
                b',' | b'}' | b']' if depth == 0 => return Some(()),
                _ => self.at += 1,
            }
            if depth == 0 && matches!(self.bytes.get(self.at - 1), Some(b'"' | b'}' | b']')) {
                return Some(());
            }
        }
    }

    /// Moves to the value of member `key` of the object starting here.
    fn enter_member(&mut self, text: &str, key: &str) -> Option<()> {
        self.expect(b'{')?;
        loop {
            self.skip_whitespace();
            if self.peek()? != b'"' {
                return None;
            }
            let raw = self.skip_string()?;
            let name: String = serde_json::from_str(text.get(raw)?).ok()?;
            self.expect(b':')?;
            self.skip_whitespace();
            if name == key {
                return Some(());
            }
            self.skip_value()?;
            self.expect(b',')?;
        }
    }

    /// Moves to element `index` of the array starting here.
    fn enter_element(&mut self, index: usize) -> Option<()> {
        self.expect(b'[')?;
        for _ in 0..index {
            self.skip_value()?;
            self.expect(b',')?;
        }
        self.skip_whitespace();
        (self.peek()? != b']').then_some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"{
  "name": "a \"quoted\" name, with [brackets] and {braces}",
  "events": [ { "t": 0, "type": "app_launch" },
              { "t": 1.5, "type": "screen_open", "url": "é/[x]" } ],
  "expect": { "delivered": [ "A", "Ç" ] }
}"#;

    fn at(path: &[Step<'_>]) -> Option<(usize, usize)> {
        locate(TEXT, path).map(|p| (p.line, p.column))
    }

    #[test]
    fn finds_members_and_elements_past_strings_and_nested_values() {
        use Step::{Index, Key};
        assert_eq!(at(&[]), Some((1, 1)));
        assert_eq!(at(&[Key("name")]), Some((2, 11)));
        assert_eq!(at(&[Key("events"), Index(0)]), Some((3, 15)));
        assert_eq!(at(&[Key("events"), Index(1), Key("t")]), Some((4, 22)));
        assert_eq!(at(&[Key("events"), Index(1), Key("url")]), Some((4, 57)));
        assert_eq!(
            at(&[Key("expect"), Key("delivered"), Index(1)]),
            Some((5, 35))
        );
        assert_eq!(at(&[Key("expect"), Key("delivered"), Index(2)]), None);
        assert_eq!(at(&[Key("missing")]), None);
        assert_eq!(at(&[Key("name"), Index(0)]), None);
    }

    #[test]
    fn the_nearest_existing_value_stands_in_for_a_missing_one() {
        use Step::{Index, Key};
        let nearest = locate_nearest(TEXT, &[Key("events"), Index(7), Key("t")]);
        assert_eq!((nearest.line, nearest.column), (3, 13));
        assert_eq!(locate_nearest("not json", &[Key("a")]), Position::START);
    }

    #[test]
    fn gives_up_on_broken_text_without_panicking() {
        for text in ["", "{", "{\"a\"", "{\"a\":", "[1,", "\"", "{\"a\":\"\\"] {
            let _ = locate(text, &[Step::Key("a"), Step::Index(3)]);
        }
    }

    #[test]
    fn serde_errors_land_on_a_character_of_the_text() {
        let error = |text: &str| {
            let e = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
            let p = Position::of_serde_error(text, &e);
            (p.line, p.column)
        };
        // A line break inside a string: the break, at the end of the string's own line.
        assert_eq!(error("{\n  \"a\": \"b\n"), (2, 10));
        // The input ends too soon after a final newline: the end of the last line with
        // content, not the line after it.
        assert_eq!(error("{\"a\": 1,\n\n"), (1, 9));
        assert_eq!(error("{\"a\": \"b\\\n"), (1, 10));
        // A bad character after two-byte characters: its column in characters.
        assert_eq!(error("{\"é\": x}"), (1, 7));
    }

    #[test]
    fn columns_count_characters() {
        let position = Position::of_offset("ab\nçé x", "ab\nçé ".len());
        assert_eq!((position.line, position.column), (2, 4));
    }
}
