//! The parser's problems in plain words: chumsky's errors as `E0201` ("expected …, found …"),
//! and what the parser read but reports after the parse: unknown or misspelt clause keywords
//! (`E0204`, with the keyword meant as a fix) and durations written without their unit (`E0103`).

use chumsky::error::{Rich, RichPattern, RichReason};

use super::{meant_agent_clause, meant_clause};
use crate::diagnostic::{Code, Diagnostic, Fix};
use crate::source::Span;
use crate::syntax::ast::{self, AgentClauseKind, ClauseKind, Response, Trigger};
use crate::syntax::lexer::{MAX_DURATION_SECONDS, Token};

/// Turns a chumsky error into an `E0201` diagnostic in plain words.
pub(super) fn syntax_error(error: &Rich<'_, Token<'_>, Span>) -> Diagnostic {
    let span = *error.span();
    match error.reason() {
        RichReason::ExpectedFound { expected, found } => {
            let found = match found {
                Some(token) => token.to_string(),
                None => "the end of the file".to_string(),
            };
            let mut wanted: Vec<String> = expected.iter().filter_map(describe_pattern).collect();
            wanted.sort();
            wanted.dedup();
            let expected = match wanted.as_slice() {
                [] => "something else".to_string(),
                [one] => one.clone(),
                [init @ .., last] => format!("{} or {last}", init.join(", ")),
            };
            let context = error
                .contexts()
                .next()
                .and_then(|(pattern, _)| describe_pattern(pattern));
            let message = match context {
                Some(context) => format!("expected {expected} in {context}, found {found}"),
                None => format!("expected {expected}, found {found}"),
            };
            Diagnostic::new(Code::E0201, span, message).with_label(format!("expected {expected}"))
        }
        RichReason::Custom(message) => Diagnostic::new(Code::E0201, span, message.clone()),
    }
}

fn describe_pattern(pattern: &RichPattern<'_, Token<'_>>) -> Option<String> {
    match pattern {
        RichPattern::Token(token) => Some(token.to_string()),
        RichPattern::Label(label) => Some(label.to_string()),
        RichPattern::Identifier(word) => Some(format!("`{word}`")),
        RichPattern::EndOfInput => Some("the end of the file".to_string()),
        _ => None,
    }
}

/// Reports clauses whose keyword is unknown or misspelt, with the closest keyword as a fix.
pub(super) fn report_unknown_clauses(message: &ast::Message, diagnostics: &mut Vec<Diagnostic>) {
    for clause in &message.clauses {
        let unknown = match &clause.kind {
            ClauseKind::Unknown(word) => Some(word),
            _ => None,
        };
        for word in clause.misspelt.iter().chain(unknown) {
            diagnostics.push(
                Diagnostic::new(Code::E0204, word.span, format!("`{}` is not a message clause", word.text))
                    .with_label("unknown clause")
                    .with_suggestion(word.span, meant_clause(&word.text))
                    .with_note(
                        "a message's clauses are `brand`, `channel`, `say`, `respond`, `when … after …`, \
                         `tags`, `send`, `frequency`, `priority` and `status`",
                    ),
            );
        }
        let ClauseKind::Respond(Response::Agent { clauses, .. }) = &clause.kind else {
            continue;
        };
        for clause in clauses {
            let word = match (&clause.misspelt, &clause.kind) {
                (Some(word), _) => word,
                (None, AgentClauseKind::Unknown) => &clause.keyword,
                _ => continue,
            };
            diagnostics.push(
                Diagnostic::new(
                    Code::E0204,
                    word.span,
                    format!("`{}` is not a clause of `respond agent`", word.text),
                )
                .with_label("unknown clause")
                .with_suggestion(word.span, meant_agent_clause(&word.text))
                .with_note("`respond agent { … }` takes `follow_up \"TEXT\"` and `collect FIELDS`"),
            );
        }
    }
}

/// Reports a trigger's duration written as a bare number (`after screen_open 30`), with the
/// unit added as a fix when that makes a valid duration.
pub(super) fn report_bare_durations(message: &ast::Message, diagnostics: &mut Vec<Diagnostic>) {
    for clause in &message.clauses {
        let ClauseKind::Trigger(Trigger {
            duration:
                Some(ast::Duration {
                    bare: Some(number),
                    span,
                    ..
                }),
            ..
        }) = &clause.kind
        else {
            continue;
        };
        let diagnostic = Diagnostic::new(
            Code::E0103,
            *span,
            format!("`{number}` is a number, not a duration"),
        )
        .with_label("a duration needs its unit");
        let in_range = u32::try_from(*number).is_ok_and(|s| s <= MAX_DURATION_SECONDS);
        diagnostics.push(if in_range {
            diagnostic
                .with_help(format!("write `{number}s` for {number} seconds"))
                .with_fix(Fix::replace(*span, format!("{number}s")))
        } else {
            diagnostic.with_note(
                "durations are written as seconds (`45s`), minutes (`2m`) or both (`1m30s`), \
                 up to 59m59s",
            )
        });
    }
}
