//! Request handlers: each finds the document's snapshot (given by the router), calls one IDE
//! query of the compiler library, and converts the answer with [`to_proto`].

use pmc::formatter::format_source;
use pmc::ide;
use pmc::source::FileId;
use tower_lsp_server::ls_types::{
    CodeActionOrCommand, CodeActionParams, CompletionParams, CompletionResponse,
    DocumentFormattingParams, DocumentSymbolResponse, FoldingRange, GotoDefinitionParams,
    GotoDefinitionResponse, Hover, HoverContents, HoverParams, InlayHint, InlayHintLabel,
    InlayHintParams, Location, Position, Range, ReferenceParams, RenameParams,
    SemanticTokensResult, TextEdit, WorkspaceEdit,
};

use crate::from_proto;
use crate::to_proto;
use crate::workspace::BundleFolder;

/// The result of a handler: `Err` carries a message for the client (an invalid rename).
pub type Answer<T> = Result<Option<T>, String>;

fn offset(bundle: &BundleFolder, file: FileId, position: Position) -> u32 {
    from_proto::offset(bundle.snapshot.sources.get(file), position)
}

/// `textDocument/completion`.
pub fn completion(
    bundle: &BundleFolder,
    file: FileId,
    params: CompletionParams,
) -> Answer<CompletionResponse> {
    let at = offset(bundle, file, params.text_document_position.position);
    let source = bundle.snapshot.sources.get(file);
    let items = ide::completions(&bundle.snapshot, file, at)
        .into_iter()
        .map(|c| to_proto::completion_item(source, c))
        .collect();
    Ok(Some(CompletionResponse::Array(items)))
}

/// `textDocument/hover`.
pub fn hover(bundle: &BundleFolder, file: FileId, params: HoverParams) -> Answer<Hover> {
    let at = offset(bundle, file, params.text_document_position_params.position);
    Ok(ide::hover(&bundle.snapshot, file, at).map(|h| Hover {
        contents: HoverContents::Markup(to_proto::markdown(h.markdown)),
        range: Some(to_proto::range(bundle.snapshot.sources.get(file), h.span)),
    }))
}

/// `textDocument/definition`.
pub fn definition(
    bundle: &BundleFolder,
    file: FileId,
    params: GotoDefinitionParams,
) -> Answer<GotoDefinitionResponse> {
    let at = offset(bundle, file, params.text_document_position_params.position);
    let locations: Vec<Location> = ide::definition(&bundle.snapshot, file, at)
        .into_iter()
        .filter_map(|span| to_proto::location(bundle, span))
        .collect();
    Ok((!locations.is_empty()).then_some(GotoDefinitionResponse::Array(locations)))
}

/// `textDocument/references`.
pub fn references(
    bundle: &BundleFolder,
    file: FileId,
    params: ReferenceParams,
) -> Answer<Vec<Location>> {
    let at = offset(bundle, file, params.text_document_position.position);
    let include = params.context.include_declaration;
    Ok(Some(
        ide::references(&bundle.snapshot, file, at, include)
            .into_iter()
            .filter_map(|span| to_proto::location(bundle, span))
            .collect(),
    ))
}

/// `textDocument/rename`.
pub fn rename(bundle: &BundleFolder, file: FileId, params: RenameParams) -> Answer<WorkspaceEdit> {
    let at = offset(bundle, file, params.text_document_position.position);
    let edits = ide::rename(&bundle.snapshot, file, at, &params.new_name)?;
    Ok(to_proto::workspace_edit(bundle, &edits))
}

/// `textDocument/documentSymbol`.
pub fn document_symbols(bundle: &BundleFolder, file: FileId) -> Answer<DocumentSymbolResponse> {
    let source = bundle.snapshot.sources.get(file);
    let symbols = ide::document_symbols(&bundle.snapshot, file)
        .into_iter()
        .map(|s| to_proto::document_symbol(source, s))
        .collect();
    Ok(Some(DocumentSymbolResponse::Nested(symbols)))
}

/// `textDocument/foldingRange`.
pub fn folding_ranges(bundle: &BundleFolder, file: FileId) -> Answer<Vec<FoldingRange>> {
    let source = bundle.snapshot.sources.get(file);
    Ok(Some(
        ide::folding_ranges(&bundle.snapshot, file)
            .into_iter()
            .map(|f| to_proto::folding_range(source, f))
            .collect(),
    ))
}

/// `textDocument/semanticTokens/full`.
pub fn semantic_tokens(bundle: &BundleFolder, file: FileId) -> Answer<SemanticTokensResult> {
    let source = bundle.snapshot.sources.get(file);
    let highlights = ide::semantic_tokens(&bundle.snapshot, file);
    Ok(Some(SemanticTokensResult::Tokens(
        to_proto::semantic_tokens(source, &highlights),
    )))
}

/// `textDocument/inlayHint`.
pub fn inlay_hints(
    bundle: &BundleFolder,
    file: FileId,
    params: InlayHintParams,
) -> Answer<Vec<InlayHint>> {
    let source = bundle.snapshot.sources.get(file);
    let wanted = params.range;
    Ok(Some(
        ide::inlay_hints(&bundle.snapshot, file)
            .into_iter()
            .map(|h| (to_proto::position(source, h.offset), h.label))
            .filter(|(at, _)| wanted.start <= *at && *at <= wanted.end)
            .map(|(position, label)| InlayHint {
                position,
                label: InlayHintLabel::String(label),
                kind: None,
                text_edits: None,
                tooltip: None,
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
            .collect(),
    ))
}

/// `textDocument/formatting` and `textDocument/rangeFormatting`: the whole document, formatted
/// as `pmc fmt` would; nothing when it has syntax errors or is already formatted.
pub fn formatting(
    bundle: &BundleFolder,
    file: FileId,
    _: DocumentFormattingParams,
) -> Answer<Vec<TextEdit>> {
    let source = bundle.snapshot.sources.get(file);
    if Some(file) == bundle.snapshot.account_file {
        return Ok(None);
    }
    let Some(formatted) = format_source(&source.text) else {
        return Ok(None);
    };
    if formatted == source.text {
        return Ok(Some(Vec::new()));
    }
    let whole = pmc::source::Span::new(file, 0..source.text.len());
    Ok(Some(vec![TextEdit::new(
        to_proto::range(source, whole),
        formatted,
    )]))
}

/// `textDocument/codeAction`: the fixes of the diagnostics that touch the range.
pub fn code_actions(
    bundle: &BundleFolder,
    file: FileId,
    params: CodeActionParams,
) -> Answer<Vec<CodeActionOrCommand>> {
    let source = bundle.snapshot.sources.get(file);
    let wanted: Range = params.range;
    let actions = bundle
        .snapshot
        .diagnostics_of(file)
        .filter(|d| {
            let range = to_proto::range(source, d.primary.span);
            range.start <= wanted.end && wanted.start <= range.end
        })
        .filter_map(|d| to_proto::code_action(bundle, d))
        .map(CodeActionOrCommand::CodeAction)
        .collect();
    Ok(Some(actions))
}
