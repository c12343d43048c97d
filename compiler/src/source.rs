//! Source files, byte spans and the one line index that turns offsets into positions.
//!
//! Everything inside the compiler speaks in [`Span`]s: a [`FileId`] plus a half-open range of
//! `u32` byte offsets. Lines and columns (UTF-8, UTF-16 or characters) exist only at the edges —
//! rendering and the language server — and are computed here, by [`LineIndex`], and nowhere else.

use std::fmt;
use std::ops::Range;

/// Identifies one file of a [`SourceMap`]. Ids are dense indices in insertion order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A half-open byte range `start..end` in one file.
///
/// Invariant: `start <= end`, and both lie on UTF-8 character boundaries of the file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    /// The file the range belongs to.
    pub file: FileId,
    /// First byte of the range.
    pub start: u32,
    /// One past the last byte of the range.
    pub end: u32,
}

impl Span {
    /// A span over `range` in `file`.
    ///
    /// # Panics
    /// Never: offsets beyond `u32::MAX` are clamped (source files are limited far below that).
    pub fn new(file: FileId, range: Range<usize>) -> Span {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span {
            file,
            start: clamp(range.start),
            end: clamp(range.end.max(range.start)),
        }
    }

    /// The byte range, for slicing the file's text.
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The smallest span covering both `self` and `other` (which must be in the same file).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// An empty span at the end of `self`, where something missing would be inserted.
    pub fn after(self) -> Span {
        Span {
            file: self.file,
            start: self.end,
            end: self.end,
        }
    }

    /// Whether `offset` lies inside the span or at its end (cursor positions touch spans).
    pub fn touches(self, offset: u32) -> bool {
        self.start <= offset && offset <= self.end
    }

    /// Whether `other` lies entirely inside `self`.
    pub fn contains(self, other: Span) -> bool {
        self.file == other.file && self.start <= other.start && other.end <= self.end
    }
}

/// A zero-based line and column. The unit of `column` depends on the method that produced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// Zero-based line number.
    pub line: u32,
    /// Zero-based column, in the unit the producing method names.
    pub column: u32,
}

/// Line starts of one text, for converting byte offsets to positions and back.
///
/// Every conversion is a binary search or two — O(log n) whatever the length of the line —
/// so that converting the positions of thousands of diagnostics on one long line stays linear
/// overall. Besides the line starts, the index records each character of more than one byte
/// (none in ASCII text) with the running count of bytes the text has beyond its UTF-16 units
/// and beyond its characters: a column in either unit is then a byte column minus the
/// difference of two such counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset of each line's first byte.
    line_starts: Vec<u32>,
    /// The characters of more than one byte, in text order.
    wide: Vec<WideChar>,
}

/// A character of two to four bytes, and the bytes saved by the units of other encodings up to
/// and including it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct WideChar {
    /// Byte offset of the character's first byte.
    start: u32,
    /// Bytes in the text up to the end of this character, minus their UTF-16 code units.
    utf16_saved: u32,
    /// Bytes in the text up to the end of this character, minus their characters.
    chars_saved: u32,
}

impl LineIndex {
    /// Indexes `text`. Lines end at `\n`; a `\r` before it belongs to the line's content.
    pub fn new(text: &str) -> LineIndex {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| clamp(i + 1)),
        );
        let mut wide = Vec::new();
        if !text.is_ascii() {
            let (mut utf16_saved, mut chars_saved) = (0u32, 0u32);
            for (i, c) in text.char_indices().filter(|(_, c)| !c.is_ascii()) {
                let bytes = c.len_utf8() as u32;
                utf16_saved += bytes - c.len_utf16() as u32;
                chars_saved += bytes - 1;
                wide.push(WideChar {
                    start: clamp(i),
                    utf16_saved,
                    chars_saved,
                });
            }
        }
        LineIndex { line_starts, wide }
    }

    /// Number of lines (a text ending in `\n` has an empty last line).
    pub fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }

    /// The line containing byte `offset` and the byte column within it.
    pub fn line_col(&self, offset: u32) -> LineCol {
        let line = self
            .line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        LineCol {
            line: line as u32,
            column: offset - self.line_starts[line],
        }
    }

    /// Byte range of line `line` (without its `\n`), clamped to the text.
    pub fn line_range(&self, text: &str, line: u32) -> Range<usize> {
        let start = self
            .line_starts
            .get(line as usize)
            .map_or(text.len(), |&s| s as usize);
        let end = self
            .line_starts
            .get(line as usize + 1)
            .map_or(text.len(), |&next| (next as usize).saturating_sub(1));
        start.min(text.len())..end.max(start).min(text.len())
    }

    /// Position of byte `offset` with the column in UTF-16 code units (the LSP default).
    pub fn to_utf16(&self, text: &str, offset: u32) -> LineCol {
        self.to_unit(text, offset, |w| w.utf16_saved)
    }

    /// Position of byte `offset` with the column in Unicode scalar values (characters).
    pub fn to_chars(&self, text: &str, offset: u32) -> LineCol {
        self.to_unit(text, offset, |w| w.chars_saved)
    }

    /// The number of characters (Unicode scalar values) before byte `offset`, counted from the
    /// start of the text: SARIF's `charOffset` when the run counts Unicode code points.
    pub fn to_char_offset(&self, text: &str, offset: u32) -> u32 {
        let offset = char_floor(text, offset);
        offset - self.saved_before(offset, |w| w.chars_saved)
    }

    /// The bytes saved (as `saved` counts them) by the characters starting before `offset`.
    fn saved_before(&self, offset: u32, saved: impl Fn(&WideChar) -> u32) -> u32 {
        let before = self.wide.partition_point(|w| w.start < offset);
        before.checked_sub(1).map_or(0, |i| saved(&self.wide[i]))
    }

    /// The position of `offset` (moved back to the start of the character it falls in), its
    /// column in the unit whose savings `saved` reads.
    fn to_unit(&self, text: &str, offset: u32, saved: impl Fn(&WideChar) -> u32) -> LineCol {
        let offset = char_floor(text, offset);
        let LineCol { line, column } = self.line_col(offset);
        let start = self.line_starts[line as usize];
        LineCol {
            line,
            column: column - (self.saved_before(offset, &saved) - self.saved_before(start, &saved)),
        }
    }

    /// Byte offset of a position whose column counts UTF-16 code units. Positions past the end
    /// of a line clamp to the line's end; positions past the last line clamp to the text's end;
    /// a column inside a surrogate pair snaps to the character's start.
    pub fn offset_of_utf16(&self, text: &str, position: LineCol) -> u32 {
        let range = self.line_range(text, position.line);
        let (start, end) = (range.start as u32, range.end as u32);
        let first = self.wide.partition_point(|w| w.start < start);
        let last = self.wide.partition_point(|w| w.start < end);
        let line_wide = &self.wide[first..last];
        // Bytes saved before the line, and before the `i`th wide character of the line.
        let base = first.checked_sub(1).map_or(0, |i| self.wide[i].utf16_saved);
        let saved_before = |i: usize| i.checked_sub(1).map_or(base, |i| line_wide[i].utf16_saved);
        // The UTF-16 columns where a wide character starts and ends.
        let units = |w: &WideChar| {
            let c = text[w.start as usize..].chars().next().unwrap_or('\0');
            let saved_before = w.utf16_saved - (c.len_utf8() - c.len_utf16()) as u32;
            let begin = w.start - start - (saved_before - base);
            (begin, begin + c.len_utf16() as u32)
        };
        let column = position.column;
        // The first wide character of the line that does not end at or before the column.
        let next = line_wide.partition_point(|w| units(w).1 <= column);
        if let Some(w) = line_wide.get(next)
            && units(w).0 < column
        {
            return w.start;
        }
        let offset = u64::from(start) + u64::from(column) + u64::from(saved_before(next) - base);
        offset.min(u64::from(end)) as u32
    }
}

/// `offset` clamped to `text` and moved back to the start of the character it falls in.
fn char_floor(text: &str, offset: u32) -> u32 {
    let mut offset = (offset as usize).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset as u32
}

/// One source file: its path relative to the bundle root (with `/` separators), its text and
/// its line index.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The file's id in its [`SourceMap`].
    pub id: FileId,
    /// Path as shown to users, `/`-separated, relative to the bundle root where there is one.
    pub path: String,
    /// The file's full text, without the UTF-8 byte order mark some editors write at its start
    /// (editors do not show it, so positions count from the character after it).
    pub text: String,
    /// Line starts of `text`.
    pub lines: LineIndex,
}

impl SourceFile {
    /// The text a span covers (empty if the span does not fit the text).
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }
}

/// All files of one compilation: the `.pm` files of a bundle and its `account.toml`.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// Adds a file and returns its id. A leading byte order mark is dropped.
    pub fn add(&mut self, path: impl Into<String>, text: impl Into<String>) -> FileId {
        let id = FileId(self.files.len() as u32);
        let mut text = text.into();
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        let lines = LineIndex::new(&text);
        self.files.push(SourceFile {
            id,
            path: path.into(),
            text,
            lines,
        });
        id
    }

    /// The file with id `id`.
    ///
    /// # Panics
    /// If `id` was not returned by this map's [`SourceMap::add`] — ids never cross maps.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// All files, in id order.
    pub fn files(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter()
    }

    /// The file with this path, if any.
    pub fn find(&self, path: &str) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.path == path)
    }
}

impl fmt::Display for FileId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leading_byte_order_mark_is_dropped() {
        let mut sources = SourceMap::new();
        let id = sources.add("a.pm", "\u{feff}message \"a\" {}");
        let file = sources.get(id);
        assert_eq!(file.text, "message \"a\" {}");
        assert_eq!(
            file.lines.to_chars(&file.text, 8),
            LineCol { line: 0, column: 8 }
        );
    }

    #[test]
    fn line_col_counts_bytes_utf16_and_chars() {
        let text = "ab\nsay \"👋 x\"\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap() as u32;
        assert_eq!(
            index.line_col(x),
            LineCol {
                line: 1,
                column: 10
            }
        );
        assert_eq!(index.to_utf16(text, x), LineCol { line: 1, column: 8 });
        assert_eq!(index.to_chars(text, x), LineCol { line: 1, column: 7 });
        assert_eq!(
            index.offset_of_utf16(text, LineCol { line: 1, column: 8 }),
            x
        );
        assert_eq!(index.line_count(), 3);
        assert_eq!(index.to_char_offset(text, x), 10);
        assert_eq!(index.to_char_offset(text, text.len() as u32), 13);
    }

    #[test]
    fn utf16_offsets_clamp_and_snap() {
        let text = "a👋b\nc";
        let index = LineIndex::new(text);
        // Column 2 falls inside the surrogate pair of 👋: snap to its start.
        assert_eq!(
            index.offset_of_utf16(text, LineCol { line: 0, column: 2 }),
            1
        );
        assert_eq!(
            index.offset_of_utf16(
                text,
                LineCol {
                    line: 0,
                    column: 99
                }
            ),
            6
        );
        assert_eq!(
            index.offset_of_utf16(text, LineCol { line: 9, column: 0 }),
            8
        );
    }

    /// Positions counted the slow, obvious way: walking the characters from the line start.
    fn naive_position(text: &str, offset: usize, width: impl Fn(char) -> usize) -> LineCol {
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        LineCol {
            line: text[..offset].matches('\n').count() as u32,
            column: text[line_start..offset].chars().map(width).sum::<usize>() as u32,
        }
    }

    #[test]
    fn conversions_match_walking_the_characters_in_mixed_text() {
        let texts = [
            "",
            "plain ascii\nsecond line\n",
            "é\u{e9}ü\n€uro 👋 wave\r\n\n𝄞𝄞x\n",
            "a👋b\nc",
            "ß\u{10FFFF}\u{800}\u{7FF}\u{80}\n\n\u{FFFF}",
        ];
        for text in texts {
            let index = LineIndex::new(text);
            for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let o = offset as u32;
                assert_eq!(
                    index.to_utf16(text, o),
                    naive_position(text, offset, char::len_utf16),
                    "{text:?} @ {offset}"
                );
                assert_eq!(
                    index.to_chars(text, o),
                    naive_position(text, offset, |_| 1),
                    "{text:?} @ {offset}"
                );
                assert_eq!(
                    index.to_char_offset(text, o),
                    text[..offset].chars().count() as u32
                );
            }
            // Every UTF-16 position of every line, and a few past its end, back to bytes.
            for (line, line_text) in text.split('\n').enumerate() {
                let line_start = text
                    .split('\n')
                    .take(line)
                    .map(|l| l.len() + 1)
                    .sum::<usize>();
                let units = line_text.encode_utf16().count() as u32;
                for column in 0..units + 3 {
                    let mut expected = line_start + line_text.len();
                    let mut walked = 0;
                    for (i, c) in line_text.char_indices() {
                        if walked + c.len_utf16() as u32 > column {
                            expected = line_start + i;
                            break;
                        }
                        walked += c.len_utf16() as u32;
                    }
                    let position = LineCol {
                        line: line as u32,
                        column,
                    };
                    assert_eq!(
                        index.offset_of_utf16(text, position) as usize,
                        expected,
                        "{text:?} @ {position:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn an_offset_inside_a_character_counts_from_its_start() {
        let text = "a👋b";
        let index = LineIndex::new(text);
        for inside in 2..5 {
            assert_eq!(index.to_utf16(text, inside), LineCol { line: 0, column: 1 });
            assert_eq!(index.to_char_offset(text, inside), 1);
        }
        assert_eq!(index.to_utf16(text, 99), LineCol { line: 0, column: 4 });
    }

    /// 4,000 positions spread over one 400 KB line of mixed-width text, converted both ways.
    /// Walking the line from its start for each of them (the old conversion) is about 10⁹
    /// steps, seconds in a debug build; the indexed conversion is a few binary searches each.
    /// The wall-clock limit is only a hang guard, far above what the indexed conversion needs.
    #[test]
    fn thousands_of_positions_on_one_long_line_convert_without_walking_it() {
        let text: String = "say \"é👋€\" x ".repeat(400_000 / 16);
        let index = LineIndex::new(&text);
        let started = std::time::Instant::now();
        let offsets: Vec<u32> = text
            .char_indices()
            .map(|(i, _)| i as u32)
            .step_by(text.chars().count() / 4_000)
            .collect();
        assert!(offsets.len() >= 4_000);
        let mut last = LineCol { line: 0, column: 0 };
        for &offset in &offsets {
            let at = index.to_utf16(&text, offset);
            assert!(at >= last && at.line == 0);
            assert_eq!(index.offset_of_utf16(&text, at), offset);
            assert!(index.to_chars(&text, offset).column <= at.column);
            last = at;
        }
        let elapsed = started.elapsed();
        assert!(
            elapsed < std::time::Duration::from_secs(2),
            "4,000 conversions took {elapsed:?}"
        );
    }

    #[test]
    fn span_helpers() {
        let a = Span::new(FileId(0), 2..4);
        let b = Span::new(FileId(0), 6..9);
        assert_eq!(a.to(b).range(), 2..9);
        assert!(a.to(b).contains(b));
        assert_eq!(a.after().range(), 4..4);
        assert!(a.touches(4) && !a.touches(5));
    }
}
