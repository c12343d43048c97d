//! Source excerpts for terminal reports whose labels sit on very long lines.
//!
//! ariadne prints each labelled line whole. On a generated or minified file that is one line of
//! 50 KB, every report would print all of it: thousands of diagnostics on such a line would
//! print gigabytes. A report with a label on a line longer than [`LONG_LINE_CHARS`] is therefore
//! given its own copy of the lines it shows ([`Excerpt`]), in which each long line keeps only
//! windows of [`WINDOW_MARGIN`] bytes around the label ends, the rest shown as `…`. Line numbers
//! stay those of the file (the lines before the excerpt are empty lines in its text: ariadne
//! 0.6's display line offset moves the header's line number but not the margin's); the
//! header's column, which
//! ariadne computes from the text it is given, is put back to the file's
//! ([`Excerpts::restore_columns`]). Output is linear in the number of diagnostics, whatever the
//! line length.

use std::collections::HashMap;
use std::ops::Range;

use ariadne::Source;

use super::render::clamp;
use super::{Diagnostic, Label};
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::terminal;

/// Lines longer than this many characters are cut to windows around the labels.
pub(super) const LONG_LINE_CHARS: u32 = 240;

/// Bytes kept on each side of a label's start and end on a long line.
const WINDOW_MARGIN: usize = 60;

/// What stands for the text left out of a long line.
const ELISION: &str = "…";

/// The excerpts of one report, one per file its labels point into.
pub(super) struct Excerpts {
    files: Vec<(FileId, Excerpt)>,
}

/// The lines of one file that a report shows, long lines cut to windows.
struct Excerpt {
    /// The excerpt's text (terminal stand-ins applied), after one empty line for each line of
    /// the file before it.
    text: String,
    /// The pieces of the file kept, in order: their byte ranges in the file and the character
    /// offset in `text` where each starts.
    kept: Vec<(Range<usize>, u32)>,
}

impl Excerpts {
    /// The excerpts for `diagnostic`, or `None` when none of its labels is on a long line (the
    /// report then shows the files as they are).
    pub(super) fn of(diagnostic: &Diagnostic, sources: &SourceMap) -> Option<Excerpts> {
        let labels: Vec<&Label> = std::iter::once(&diagnostic.primary)
            .chain(&diagnostic.secondary)
            .collect();
        let mut points: Vec<(FileId, Vec<usize>)> = Vec::new();
        for label in &labels {
            let range = clamp(sources, label.span);
            match points.iter_mut().find(|(file, _)| *file == label.span.file) {
                Some((_, file_points)) => file_points.extend([range.start, range.end]),
                None => points.push((label.span.file, vec![range.start, range.end])),
            }
        }
        let any_long = points.iter().any(|(file, file_points)| {
            let file = sources.get(*file);
            file_points.iter().any(|&point| {
                line_chars(file, file.lines.line_col(point as u32).line) > LONG_LINE_CHARS
            })
        });
        if !any_long {
            return None;
        }
        let files = points
            .into_iter()
            .map(|(file, mut file_points)| {
                file_points.sort_unstable();
                (file, Excerpt::new(sources.get(file), &file_points))
            })
            .collect();
        Some(Excerpts { files })
    }

    /// `span` as a character range of its file's excerpt.
    pub(super) fn char_range(&self, sources: &SourceMap, span: Span) -> Range<usize> {
        let range = clamp(sources, span);
        let file = sources.get(span.file);
        let excerpt = self.excerpt(span.file);
        let start = excerpt.char_offset(file, range.start);
        start..excerpt.char_offset(file, range.end).max(start)
    }

    /// The sources ariadne reads for this report, named as the report names files.
    pub(super) fn sources(&self, name: impl Fn(FileId) -> String) -> HashMap<String, Source<&str>> {
        self.files
            .iter()
            .map(|(file, excerpt)| (name(*file), Source::from(excerpt.text.as_str())))
            .collect()
    }

    /// Puts the file's columns back into the `name:line:column` headers of `report`, the text
    /// ariadne wrote for this report: ariadne counted the column in the excerpt. `headers` are
    /// the spans whose starts the headers show, one per file, with the file's name.
    pub(super) fn restore_columns(
        &self,
        sources: &SourceMap,
        report: String,
        headers: &[(String, Span)],
    ) -> String {
        let Some(first_line_end) = report.find('\n') else {
            return report;
        };
        let (title, mut body) = report.split_at(first_line_end);
        let mut out = String::from(title);
        for (name, span) in headers {
            let file = sources.get(span.file);
            let offset = clamp(sources, *span).start;
            let at = file.lines.to_chars(&file.text, offset as u32);
            let line_start = line_range(file, at.line).start;
            let excerpt = self.excerpt(span.file);
            let shown = excerpt.char_offset(file, offset) - excerpt.char_offset(file, line_start);
            let line = at.line + 1;
            // The trailing space ends the column: `a.pm:1:2` is not found in `a.pm:1:25`.
            let wrong = format!("{name}:{line}:{} ", shown + 1);
            if let Some(found) = body.find(&wrong) {
                out.push_str(&body[..found]);
                out.push_str(&format!("{name}:{line}:{} ", at.column + 1));
                body = &body[found + wrong.len()..];
            }
        }
        out.push_str(body);
        out
    }

    fn excerpt(&self, file: FileId) -> &Excerpt {
        // Every label's file has an excerpt (`of` made one per file of the labels).
        &self
            .files
            .iter()
            .find(|(id, _)| *id == file)
            .expect("an excerpt for every labelled file")
            .1
    }
}

impl Excerpt {
    /// The lines of `file` from the first to the last of `points` (sorted byte offsets), long
    /// lines cut to windows around the points.
    fn new(file: &SourceFile, points: &[usize]) -> Excerpt {
        let line_of = |point: usize| file.lines.line_col(point as u32).line;
        let first_line = line_of(points[0]);
        let last_line = line_of(points[points.len() - 1]);
        let mut pieces: Vec<Option<Range<usize>>> = Vec::new();
        let mut kept_from = line_range(file, first_line).start;
        for line in first_line..=last_line {
            if line_chars(file, line) <= LONG_LINE_CHARS {
                continue;
            }
            let line_bytes = line_range(file, line);
            let windows = windows(file, &line_bytes, points);
            if windows.is_empty() {
                continue;
            }
            pieces.push(Some(kept_from..line_bytes.start));
            let mut at = line_bytes.start;
            for window in windows {
                if window.start > at {
                    pieces.push(None);
                }
                at = window.end;
                pieces.push(Some(window));
            }
            if at < line_bytes.end {
                pieces.push(None);
            }
            kept_from = line_bytes.end;
        }
        pieces.push(Some(kept_from..line_range(file, last_line).end));

        let mut raw = "\n".repeat(first_line as usize);
        let mut kept = Vec::new();
        let mut chars = first_line;
        for piece in pieces {
            match piece {
                Some(range) => {
                    let text = &file.text[range.clone()];
                    kept.push((range, chars));
                    chars += text.chars().count() as u32;
                    raw.push_str(text);
                }
                None => {
                    chars += 1;
                    raw.push_str(ELISION);
                }
            }
        }
        Excerpt {
            text: terminal::stand_in(&raw).into_owned(),
            kept,
        }
    }

    /// The character offset in the excerpt of byte `offset` of the file: within a kept piece,
    /// its place there; in text left out, the end of the piece before it; before the excerpt,
    /// its start.
    fn char_offset(&self, file: &SourceFile, offset: usize) -> usize {
        let index = self
            .kept
            .partition_point(|(range, _)| range.start <= offset);
        let Some((range, start)) = index.checked_sub(1).map(|i| &self.kept[i]) else {
            return self.kept.first().map_or(0, |(_, start)| *start as usize);
        };
        let offset = offset.min(range.end) as u32;
        let chars = |byte: u32| file.lines.to_char_offset(&file.text, byte);
        (start + chars(offset) - chars(range.start as u32)) as usize
    }
}

/// The windows of a long line: `WINDOW_MARGIN` bytes around each of the points on it, on
/// character boundaries, merged where they meet or nearly do.
fn windows(file: &SourceFile, line: &Range<usize>, points: &[usize]) -> Vec<Range<usize>> {
    let text = &file.text;
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let ceil = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i += 1;
        }
        i
    };
    let mut windows: Vec<Range<usize>> = Vec::new();
    for &point in points.iter().filter(|&&p| line.start <= p && p <= line.end) {
        let start = floor(point.saturating_sub(WINDOW_MARGIN).max(line.start));
        let end = ceil((point + WINDOW_MARGIN).min(line.end));
        match windows.last_mut() {
            Some(last) if start <= last.end + WINDOW_MARGIN => last.end = last.end.max(end),
            _ => windows.push(start..end),
        }
    }
    windows
}

/// The byte range of zero-based `line` of `file`, without its line break.
fn line_range(file: &SourceFile, line: u32) -> Range<usize> {
    file.lines.line_range(&file.text, line)
}

/// The number of characters of zero-based `line` of `file`.
fn line_chars(file: &SourceFile, line: u32) -> u32 {
    let range = line_range(file, line);
    let chars = |byte: usize| file.lines.to_char_offset(&file.text, byte as u32);
    chars(range.end) - chars(range.start)
}
