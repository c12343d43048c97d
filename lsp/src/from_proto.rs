//! Conversions from LSP types to the compiler's: positions to byte offsets, URIs to paths, and
//! incremental text changes applied to a buffer. Offsets are computed only by
//! [`pmc::source::LineIndex`].

use std::path::PathBuf;

use pmc::source::{LineCol, LineIndex, SourceFile};
use tower_lsp_server::ls_types::{Position, TextDocumentContentChangeEvent, Uri};

/// The byte offset of an LSP position (UTF-16 columns) in `file`.
pub fn offset(file: &SourceFile, position: Position) -> u32 {
    file.lines.offset_of_utf16(&file.text, line_col(position))
}

fn line_col(position: Position) -> LineCol {
    LineCol {
        line: position.line,
        column: position.character,
    }
}

/// The file-system path of a `file:` URI.
pub fn path(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| p.into_owned())
}

/// Applies one change of `textDocument/didChange` to `text`: a range replacement, or the whole
/// text when the change has no range.
pub fn apply_change(text: &mut String, change: TextDocumentContentChangeEvent) {
    match change.range {
        Some(range) => {
            let index = LineIndex::new(text);
            let start = index.offset_of_utf16(text, line_col(range.start)) as usize;
            let end = index.offset_of_utf16(text, line_col(range.end)) as usize;
            let (start, end) = (start.min(end), end.max(start));
            text.replace_range(start..end, &change.text);
        }
        None => *text = change.text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::Range;

    fn change(range: ((u32, u32), (u32, u32)), text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(
                Position::new(range.0.0, range.0.1),
                Position::new(range.1.0, range.1.1),
            )),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn incremental_changes_count_utf16_columns() {
        let mut text = String::from("say \"👋 x\"\nnext");
        // The 👋 is two UTF-16 units: column 8 is the `x`.
        apply_change(&mut text, change(((0, 8), (0, 9)), "y"));
        assert_eq!(text, "say \"👋 y\"\nnext");
        apply_change(&mut text, change(((0, 10), (1, 0)), " "));
        assert_eq!(text, "say \"👋 y\" next");
        apply_change(&mut text, change(((9, 0), (9, 0)), "!"));
        assert_eq!(text, "say \"👋 y\" next!");
    }
}
