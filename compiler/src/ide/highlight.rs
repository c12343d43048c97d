//! Semantic highlighting and inlay hints.
//!
//! Highlighting classifies every token: the syntax tree gives words their role (a field, a
//! named condition, a value), the lexer gives the rest (keywords, strings, numbers, comments).

use super::Snapshot;
use super::nodes::{Role, nodes};
use crate::source::{FileId, Span};
use crate::syntax::ast::{AgentClauseKind, ClauseKind, Item, Response};
use crate::syntax::lexer::{self, Token};

/// The classes of highlighted tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HighlightKind {
    /// Keywords and clause keywords.
    Keyword,
    /// `is`, `not`, `contains` in comparisons.
    Operator,
    /// String literals.
    String,
    /// Durations and integers.
    Number,
    /// Comments.
    Comment,
    /// `visitor`, `device`.
    Object,
    /// Fields of objects.
    Field,
    /// Value words (`returning`, `once_per_visit`, `anytime`).
    Value,
    /// Events (`screen_open`).
    Event,
    /// Named conditions.
    Condition,
}

/// One highlighted token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Highlight {
    /// The token (always on one line).
    pub span: Span,
    /// Its class.
    pub kind: HighlightKind,
    /// Whether it declares what it names (a named condition's definition).
    pub declaration: bool,
}

/// Every highlighted token of `file`, in source order.
pub fn semantic_tokens(snapshot: &Snapshot, file: FileId) -> Vec<Highlight> {
    let Some(ast) = snapshot.ast(file) else {
        return Vec::new();
    };
    let roles = nodes(ast);
    let lexed = lexer::lex(file, snapshot.text(file));
    let mut out: Vec<Highlight> = lexed
        .comments
        .iter()
        .map(|&span| Highlight {
            span,
            kind: HighlightKind::Comment,
            declaration: false,
        })
        .collect();
    for (token, span) in &lexed.tokens {
        let role = roles
            .iter()
            .filter(|n| n.span.contains(*span))
            .min_by_key(|n| n.span.end - n.span.start)
            .map(|n| &n.role);
        let (kind, declaration) = match (role, token) {
            (_, Token::Str(_)) => (HighlightKind::String, false),
            (_, Token::Duration(_) | Token::Int(_)) => (HighlightKind::Number, false),
            (Some(Role::ClauseKeyword(_)), _) => (HighlightKind::Keyword, false),
            (Some(Role::Object(_)), _) => (HighlightKind::Object, false),
            (Some(Role::Field(_)), _) => (HighlightKind::Field, false),
            (Some(Role::Operator(_)), _) => (HighlightKind::Operator, false),
            (Some(Role::Value(_)), _) => (HighlightKind::Value, false),
            (Some(Role::Event(_)), _) => (HighlightKind::Event, false),
            (Some(Role::ConditionRef(_)), _) => (HighlightKind::Condition, false),
            (Some(Role::ConditionDef(_)), _) => (HighlightKind::Condition, true),
            (
                _,
                Token::Message
                | Token::Condition
                | Token::When
                | Token::After
                | Token::And
                | Token::Or
                | Token::Not,
            ) => (HighlightKind::Keyword, false),
            (
                _,
                Token::Is | Token::Contains | Token::StartsWith | Token::EndsWith | Token::Matches,
            ) => (HighlightKind::Operator, false),
            _ => continue,
        };
        out.push(Highlight {
            span: *span,
            kind,
            declaration,
        });
    }
    out.sort_by_key(|h| h.span.start);
    out
}

/// A hint shown in the text that is not part of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlayHint {
    /// Where the hint is shown.
    pub offset: u32,
    /// What it says.
    pub label: String,
}

/// The defaults a message relies on, shown where they take effect: `send anytime` for a
/// message without `send`, `collect name, email` for a `respond agent` block without `collect`.
pub fn inlay_hints(snapshot: &Snapshot, file: FileId) -> Vec<InlayHint> {
    let Some(ast) = snapshot.ast(file) else {
        return Vec::new();
    };
    let mut hints = Vec::new();
    for item in &ast.items {
        let Item::Message(message) = item else {
            continue;
        };
        for clause in &message.clauses {
            if let ClauseKind::Respond(Response::Agent { clauses, body, .. }) = &clause.kind
                && !clauses
                    .iter()
                    .any(|c| matches!(c.kind, AgentClauseKind::Collect(_)))
            {
                let at = clauses.last().map_or(body.start + 1, |c| c.span.end);
                hints.push(InlayHint {
                    offset: at,
                    label: "collect name, email".into(),
                });
            }
        }
        if !message
            .clauses
            .iter()
            .any(|c| matches!(c.kind, ClauseKind::Send(_)))
        {
            let at = message
                .clauses
                .last()
                .map_or(message.body.start + 1, |c| c.span.end);
            hints.push(InlayHint {
                offset: at,
                label: "send anytime".into(),
            });
        }
    }
    hints.sort_by_key(|h| h.offset);
    hints
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;

    #[test]
    fn tokens_are_classified_by_role() {
        let text = "// hi\ncondition c = device.language is not \"fr\" and d\nmessage \"M\" { frequency every_time after screen_open 30s }";
        let (snapshot, file, _) = fixture(&[("a.pm", text)]);
        let source = snapshot.sources.get(file);
        let got: Vec<(&str, HighlightKind, bool)> = semantic_tokens(&snapshot, file)
            .into_iter()
            .map(|h| (source.slice(h.span), h.kind, h.declaration))
            .collect();
        use HighlightKind as K;
        assert_eq!(
            got,
            [
                ("// hi", K::Comment, false),
                ("condition", K::Keyword, false),
                ("c", K::Condition, true),
                ("device", K::Object, false),
                ("language", K::Field, false),
                ("is", K::Operator, false),
                ("not", K::Operator, false),
                ("\"fr\"", K::String, false),
                ("and", K::Keyword, false),
                ("d", K::Condition, false),
                ("message", K::Keyword, false),
                ("\"M\"", K::String, false),
                ("frequency", K::Keyword, false),
                ("every_time", K::Value, false),
                ("after", K::Keyword, false),
                ("screen_open", K::Event, false),
                ("30s", K::Number, false),
            ]
        );
    }

    #[test]
    fn hints_show_effective_defaults() {
        let text = "message \"M\" {\n    respond agent { follow_up \"x\" }\n    frequency every_time\n}\nmessage \"N\" { send anytime }";
        let (snapshot, file, _) = fixture(&[("a.pm", text)]);
        let hints: Vec<(String, &str)> = inlay_hints(&snapshot, file)
            .into_iter()
            .map(|h| (h.label, &text[..h.offset as usize]))
            .map(|(label, before)| (label, before.lines().last().unwrap()))
            .collect();
        assert_eq!(
            hints,
            [
                (
                    "collect name, email".to_string(),
                    "    respond agent { follow_up \"x\""
                ),
                ("send anytime".to_string(), "    frequency every_time"),
            ]
        );
    }
}
