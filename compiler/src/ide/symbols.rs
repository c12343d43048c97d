//! Outline and structure: document symbols, workspace symbols and folding ranges.

use super::Snapshot;
use crate::source::{FileId, Span};
use crate::syntax::ast::{ClauseKind, Item, Response};

/// What a symbol is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    /// A message.
    Message,
    /// A named condition.
    Condition,
    /// A brand of `account.toml`.
    Brand,
    /// A channel of `account.toml`.
    Channel,
    /// A schedule of `account.toml`.
    Schedule,
    /// An AI agent of `account.toml`.
    Agent,
}

/// A named thing of the bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    /// Its name.
    pub name: String,
    /// What it is.
    pub kind: SymbolKind,
    /// A short description (a message's channel).
    pub detail: Option<String>,
    /// The whole item.
    pub span: Span,
    /// The name within it.
    pub name_span: Span,
}

/// The messages and named conditions of `file`, in source order.
pub fn document_symbols(snapshot: &Snapshot, file: FileId) -> Vec<Symbol> {
    let Some(ast) = snapshot.ast(file) else {
        return Vec::new();
    };
    ast.items
        .iter()
        .map(|item| match item {
            Item::Message(message) => Symbol {
                name: message.name.value.clone(),
                kind: SymbolKind::Message,
                detail: message.clauses.iter().find_map(|c| match &c.kind {
                    ClauseKind::Channel(channel) => Some(channel.value.clone()),
                    _ => None,
                }),
                span: message.span,
                name_span: message.name.span,
            },
            Item::Condition(def) => Symbol {
                name: def.name.text.clone(),
                kind: SymbolKind::Condition,
                detail: None,
                span: def.span,
                name_span: def.name.span,
            },
        })
        .collect()
}

/// Every symbol of the bundle (messages, conditions and account entities) whose name contains
/// `query`, ignoring case; all of them for an empty query.
pub fn workspace_symbols(snapshot: &Snapshot, query: &str) -> Vec<Symbol> {
    let query = query.to_lowercase();
    let mut symbols: Vec<Symbol> = snapshot
        .pm_files
        .iter()
        .flat_map(|&file| document_symbols(snapshot, file))
        .collect();
    if let Some(account) = snapshot.account() {
        let mut add = |named: &crate::account::Named, kind| {
            symbols.push(Symbol {
                name: named.name.clone(),
                kind,
                detail: Some("account.toml".into()),
                span: named.span,
                name_span: named.span,
            });
        };
        account
            .brands
            .iter()
            .for_each(|b| add(&b.name, SymbolKind::Brand));
        account
            .channels
            .iter()
            .for_each(|c| add(&c.name, SymbolKind::Channel));
        account
            .schedules
            .iter()
            .for_each(|s| add(&s.name, SymbolKind::Schedule));
        account
            .ai_agents
            .iter()
            .for_each(|a| add(&a.name, SymbolKind::Agent));
    }
    symbols.retain(|s| s.name.to_lowercase().contains(&query));
    symbols
}

/// What a fold hides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoldKind {
    /// An item or block.
    Region,
    /// Consecutive comment lines.
    Comment,
}

/// A foldable range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fold {
    /// What is folded (the editor folds whole lines from its start to its end).
    pub span: Span,
    /// What it is.
    pub kind: FoldKind,
}

/// Messages, `respond agent` blocks, conditions and `when` clauses that span several lines,
/// and runs of consecutive comment lines.
pub fn folding_ranges(snapshot: &Snapshot, file: FileId) -> Vec<Fold> {
    let Some(ast) = snapshot.ast(file) else {
        return Vec::new();
    };
    let source = snapshot.sources.get(file);
    let line = |offset: u32| source.lines.line_col(offset).line;
    let mut folds = Vec::new();
    let mut region = |span: Span| {
        folds.push(Fold {
            span,
            kind: FoldKind::Region,
        })
    };
    for item in &ast.items {
        region(item.span());
        if let Item::Message(message) = item {
            for clause in &message.clauses {
                match &clause.kind {
                    ClauseKind::Respond(Response::Agent { body, .. }) => region(*body),
                    ClauseKind::Trigger(_) => region(clause.span),
                    _ => {}
                }
            }
        }
    }
    let mut run: Option<Span> = None;
    for &comment in &ast.comments {
        run = match run {
            Some(r) if line(comment.start) == line(r.end) + 1 => Some(r.to(comment)),
            Some(r) => {
                folds.push(Fold {
                    span: r,
                    kind: FoldKind::Comment,
                });
                Some(comment)
            }
            None => Some(comment),
        };
    }
    folds.extend(run.map(|span| Fold {
        span,
        kind: FoldKind::Comment,
    }));
    folds.retain(|f| line(f.span.start) < line(f.span.end));
    folds.sort_by_key(|f| (f.span.start, f.span.end));
    folds
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;

    const TEXT: &str = "// one\n// two\ncondition c = visitor.page_url is \"a\"\n\nmessage \"M\" {\n    channel \"Acme iOS\"\n    respond agent {\n        follow_up \"x\"\n    }\n    when c\n     and c\n    after screen_open\n}\n";

    #[test]
    fn outline_of_a_file_and_the_bundle() {
        let (snapshot, file, _) = fixture(&[("a.pm", TEXT)]);
        let names: Vec<(String, SymbolKind, Option<String>)> = document_symbols(&snapshot, file)
            .into_iter()
            .map(|s| (s.name, s.kind, s.detail))
            .collect();
        assert_eq!(
            names,
            [
                ("c".into(), SymbolKind::Condition, None),
                ("M".into(), SymbolKind::Message, Some("Acme iOS".into()))
            ]
        );
        let found: Vec<String> = workspace_symbols(&snapshot, "acme")
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(found, ["Acme", "Acme iOS", "Acme Android", "Acme Web"]);
        assert_eq!(workspace_symbols(&snapshot, "").len(), 2 + 2 + 4 + 2 + 2);
    }

    #[test]
    fn folds_span_several_lines() {
        let (snapshot, file, _) = fixture(&[("a.pm", TEXT)]);
        let folds: Vec<(String, FoldKind)> = folding_ranges(&snapshot, file)
            .into_iter()
            .map(|f| {
                (
                    snapshot
                        .sources
                        .get(file)
                        .slice(f.span)
                        .lines()
                        .next()
                        .unwrap()
                        .to_string(),
                    f.kind,
                )
            })
            .collect();
        assert_eq!(
            folds,
            [
                ("// one".to_string(), FoldKind::Comment),
                ("message \"M\" {".to_string(), FoldKind::Region),
                ("{".to_string(), FoldKind::Region),
                ("when c".to_string(), FoldKind::Region),
            ]
        );
    }
}
