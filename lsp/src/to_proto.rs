//! Conversions from the compiler's types to LSP types: the one place where spans become
//! UTF-16 ranges, diagnostics become LSP diagnostics (secondary labels, help and notes as
//! related information), fixes become code actions, and IDE answers become protocol answers.

use std::collections::HashMap;

use pmc::diagnostic::{self, Severity};
use pmc::ide::{
    Completion, CompletionKind, Fold, FoldKind, Highlight, HighlightKind, Symbol, SymbolKind,
};
use pmc::source::{SourceFile, Span};
use tower_lsp_server::ls_types::{
    self as lsp, CodeAction, CodeActionKind, CompletionItem, CompletionItemKind,
    CompletionTextEdit, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag,
    FoldingRange, FoldingRangeKind, InsertTextFormat, Location, MarkupContent, MarkupKind,
    NumberOrString, Position, Range, SemanticToken, SemanticTokenModifier, SemanticTokenType,
    SemanticTokens, SemanticTokensLegend, TextEdit, Uri, WorkspaceEdit,
};

use crate::workspace::BundleFolder;

/// The LSP position of byte `offset` in `file`.
pub fn position(file: &SourceFile, offset: u32) -> Position {
    let at = file.lines.to_utf16(&file.text, offset);
    Position::new(at.line, at.column)
}

/// The LSP range of `span` (in `file`).
pub fn range(file: &SourceFile, span: Span) -> Range {
    Range::new(position(file, span.start), position(file, span.end))
}

/// The location of `span` in its bundle.
pub fn location(bundle: &BundleFolder, span: Span) -> Option<Location> {
    let file = bundle.snapshot.sources.get(span.file);
    Some(Location::new(bundle.uri(span.file)?, range(file, span)))
}

/// A compiler diagnostic as LSP shows it: same code, message and range as `pmc check`.
pub fn diagnostic(bundle: &BundleFolder, d: &diagnostic::Diagnostic) -> lsp::Diagnostic {
    let sources = &bundle.snapshot.sources;
    let primary = location(bundle, d.primary.span);
    let mut related: Vec<DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .filter_map(|label| {
            Some(DiagnosticRelatedInformation {
                location: location(bundle, label.span)?,
                message: label.message.clone(),
            })
        })
        .collect();
    if let Some(primary) = &primary {
        let extra = d
            .notes
            .iter()
            .map(|n| format!("note: {n}"))
            .chain(d.help.iter().map(|h| format!("help: {h}")));
        related.extend(extra.map(|message| DiagnosticRelatedInformation {
            location: primary.clone(),
            message,
        }));
    }
    lsp::Diagnostic {
        range: range(sources.get(d.primary.span.file), d.primary.span),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Note => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(d.code.as_str().to_string())),
        source: Some("pmc".into()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: (d.code.as_str() == "W0101").then(|| vec![DiagnosticTag::UNNECESSARY]),
        ..lsp::Diagnostic::default()
    }
}

/// Edits grouped by file, as a workspace edit.
pub fn workspace_edit(bundle: &BundleFolder, edits: &[diagnostic::Edit]) -> Option<WorkspaceEdit> {
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for edit in edits {
        let file = bundle.snapshot.sources.get(edit.span.file);
        changes
            .entry(bundle.uri(edit.span.file)?)
            .or_default()
            .push(TextEdit::new(
                range(file, edit.span),
                edit.replacement.clone(),
            ));
    }
    Some(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    })
}

/// The quick fix of a diagnostic that has one.
pub fn code_action(bundle: &BundleFolder, d: &diagnostic::Diagnostic) -> Option<CodeAction> {
    let fix = d.fix.as_ref()?;
    Some(CodeAction {
        title: fix.title.clone(),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic(bundle, d)]),
        edit: Some(workspace_edit(bundle, &fix.edits)?),
        is_preferred: Some(true),
        ..CodeAction::default()
    })
}

/// A completion proposal.
pub fn completion_item(file: &SourceFile, completion: Completion) -> CompletionItem {
    let kind = match completion.kind {
        CompletionKind::Keyword => CompletionItemKind::KEYWORD,
        CompletionKind::Object => CompletionItemKind::MODULE,
        CompletionKind::Field => CompletionItemKind::FIELD,
        CompletionKind::Operator => CompletionItemKind::OPERATOR,
        CompletionKind::Value => CompletionItemKind::ENUM_MEMBER,
        CompletionKind::Event => CompletionItemKind::EVENT,
        CompletionKind::Condition => CompletionItemKind::VARIABLE,
        CompletionKind::Snippet => CompletionItemKind::SNIPPET,
    };
    CompletionItem {
        label: completion.label,
        kind: Some(kind),
        detail: completion.detail,
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
            range(file, completion.replace),
            completion.insert_text,
        ))),
        insert_text_format: Some(if completion.is_snippet {
            InsertTextFormat::SNIPPET
        } else {
            InsertTextFormat::PLAIN_TEXT
        }),
        ..CompletionItem::default()
    }
}

/// Markdown hover contents.
pub fn markdown(text: String) -> MarkupContent {
    MarkupContent {
        kind: MarkupKind::Markdown,
        value: text,
    }
}

/// The LSP symbol kind of a symbol.
pub fn symbol_kind(kind: SymbolKind) -> lsp::SymbolKind {
    match kind {
        SymbolKind::Message => lsp::SymbolKind::EVENT,
        SymbolKind::Condition => lsp::SymbolKind::FUNCTION,
        SymbolKind::Brand => lsp::SymbolKind::NAMESPACE,
        SymbolKind::Channel => lsp::SymbolKind::INTERFACE,
        SymbolKind::Schedule => lsp::SymbolKind::STRUCT,
        SymbolKind::Agent => lsp::SymbolKind::CLASS,
    }
}

/// A document symbol (the outline).
#[allow(
    deprecated,
    reason = "`deprecated` is a required field of the LSP type"
)]
pub fn document_symbol(file: &SourceFile, symbol: Symbol) -> lsp::DocumentSymbol {
    lsp::DocumentSymbol {
        name: symbol.name,
        detail: symbol.detail,
        kind: symbol_kind(symbol.kind),
        tags: None,
        deprecated: None,
        range: range(file, symbol.span),
        selection_range: range(file, symbol.name_span),
        children: None,
    }
}

/// A workspace symbol.
#[allow(
    deprecated,
    reason = "`deprecated` is a required field of the LSP type"
)]
pub fn symbol_information(bundle: &BundleFolder, symbol: Symbol) -> Option<lsp::SymbolInformation> {
    Some(lsp::SymbolInformation {
        location: location(bundle, symbol.name_span)?,
        name: symbol.name,
        kind: symbol_kind(symbol.kind),
        tags: None,
        deprecated: None,
        container_name: symbol.detail,
    })
}

/// A folding range (whole lines).
pub fn folding_range(file: &SourceFile, fold: Fold) -> FoldingRange {
    let range = range(file, fold.span);
    FoldingRange {
        start_line: range.start.line,
        start_character: None,
        end_line: range.end.line,
        end_character: None,
        kind: Some(match fold.kind {
            FoldKind::Region => FoldingRangeKind::Region,
            FoldKind::Comment => FoldingRangeKind::Comment,
        }),
        collapsed_text: None,
    }
}

/// The token types of semantic highlighting, indexed by [`token_type`].
const TOKEN_TYPES: [SemanticTokenType; 10] = [
    SemanticTokenType::KEYWORD,
    SemanticTokenType::OPERATOR,
    SemanticTokenType::STRING,
    SemanticTokenType::NUMBER,
    SemanticTokenType::COMMENT,
    SemanticTokenType::NAMESPACE,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::ENUM_MEMBER,
    SemanticTokenType::EVENT,
    SemanticTokenType::VARIABLE,
];

fn token_type(kind: HighlightKind) -> u32 {
    match kind {
        HighlightKind::Keyword => 0,
        HighlightKind::Operator => 1,
        HighlightKind::String => 2,
        HighlightKind::Number => 3,
        HighlightKind::Comment => 4,
        HighlightKind::Object => 5,
        HighlightKind::Field => 6,
        HighlightKind::Value => 7,
        HighlightKind::Event => 8,
        HighlightKind::Condition => 9,
    }
}

/// The legend the server announces for semantic tokens.
pub fn semantic_tokens_legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TOKEN_TYPES.to_vec(),
        token_modifiers: vec![SemanticTokenModifier::DECLARATION],
    }
}

/// Highlights, delta-encoded in UTF-16 as the protocol wants.
pub fn semantic_tokens(file: &SourceFile, highlights: &[Highlight]) -> SemanticTokens {
    let mut data = Vec::with_capacity(highlights.len());
    let (mut line, mut column) = (0, 0);
    for h in highlights {
        let range = range(file, h.span);
        if range.start.line != range.end.line {
            continue;
        }
        let delta_line = range.start.line - line;
        let delta_start = if delta_line == 0 {
            range.start.character - column
        } else {
            range.start.character
        };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length: range.end.character - range.start.character,
            token_type: token_type(h.kind),
            token_modifiers_bitset: u32::from(h.declaration),
        });
        (line, column) = (range.start.line, range.start.character);
    }
    SemanticTokens {
        result_id: None,
        data,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pmc::source::{FileId, SourceMap};

    #[test]
    fn token_types_match_the_legend() {
        let kinds = [
            HighlightKind::Keyword,
            HighlightKind::Operator,
            HighlightKind::String,
            HighlightKind::Number,
            HighlightKind::Comment,
            HighlightKind::Object,
            HighlightKind::Field,
            HighlightKind::Value,
            HighlightKind::Event,
            HighlightKind::Condition,
        ];
        let mut seen: Vec<u32> = kinds.iter().map(|&k| token_type(k)).collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..TOKEN_TYPES.len() as u32).collect::<Vec<_>>());
    }

    #[test]
    fn semantic_tokens_are_delta_encoded_in_utf16() {
        let mut sources = SourceMap::new();
        let id = sources.add("a.pm", "say \"👋\" 30s\nand");
        let file = sources.get(id);
        let highlight = |start: usize, end: usize, kind| Highlight {
            span: Span::new(FileId(0), start..end),
            kind,
            declaration: false,
        };
        let tokens = semantic_tokens(
            file,
            &[
                highlight(4, 10, HighlightKind::String),
                highlight(11, 14, HighlightKind::Number),
                highlight(15, 18, HighlightKind::Keyword),
            ],
        );
        let data: Vec<(u32, u32, u32)> = tokens
            .data
            .iter()
            .map(|t| (t.delta_line, t.delta_start, t.length))
            .collect();
        assert_eq!(data, [(0, 4, 4), (0, 5, 3), (1, 0, 3)]);
    }
}
