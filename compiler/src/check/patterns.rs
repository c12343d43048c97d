//! The checker's side of `matches`: compiles a pattern literal ([`crate::pattern::compile`])
//! and reports why one cannot be compiled, pointing inside the string literal at the
//! offending text (through the literal's escapes).

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Pattern;
use crate::pattern::{PatternError, compile};
use crate::source::Span;
use crate::syntax::ast::Text;
use crate::syntax::lexer::body_offset;
use pm_vm::format::limits::MAX_AUTOMATON_TABLE_BYTES;
use std::sync::Arc;

/// The pattern of `literal`, or `E0313`/`E0314`/`E0315` when it cannot become an automaton.
pub fn pattern(literal: &Text, diagnostics: &mut Vec<Diagnostic>) -> Option<Pattern> {
    match compile(&literal.value) {
        Ok(automaton) => Some(Pattern {
            source: literal.value.clone(),
            automaton: Arc::new(automaton),
        }),
        Err(PatternError::Invalid { at, why }) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::E0313,
                    inside(literal, at.start, at.end),
                    format!("this regular expression does not parse: {why}"),
                )
                .with_label(why)
                .with_note(
                    "patterns use the syntax of Rust's `regex` crate, without look-around or \
                     backreferences",
                )
                .with_help(
                    "in a `.pm` string a backslash is written `\\\\`: `\"acme\\\\.com\"` is the \
                     pattern `acme\\.com`",
                ),
            );
            None
        }
        Err(PatternError::TooLarge { table_bytes }) => {
            let size = match table_bytes {
                Some(bytes) => format!("{} KiB", bytes.div_ceil(1024)),
                None => "too large to build".to_owned(),
            };
            diagnostics.push(
                Diagnostic::new(
                    Code::E0314,
                    literal.span,
                    format!(
                        "this regular expression's automaton is {size}; a pattern's table holds \
                         at most {} KiB",
                        MAX_AUTOMATON_TABLE_BYTES / 1024
                    ),
                )
                .with_label("automaton too large")
                .with_note(
                    "the bundle stores each pattern as a table of states × byte classes, so the \
                     device matches in one pass without compiling anything",
                )
                .with_help(
                    "replace Unicode classes such as `\\w` and `\\d` with ASCII ones \
                     (`[a-z0-9_]`, `[0-9]`) or turn Unicode off with `(?-u)`, and bound long \
                     repetitions",
                ),
            );
            None
        }
        Err(PatternError::Unsupported { why }) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::E0315,
                    literal.span,
                    format!("this regular expression cannot become an automaton: {why}"),
                )
                .with_label("not supported in a pattern")
                .with_help(
                    "a Unicode word boundary `\\b` has no automaton: write the ASCII one, \
                     `(?-u:\\b)`",
                ),
            );
            None
        }
    }
}

/// The span in the source of bytes `start..end` of `literal`'s decoded value: through its
/// escapes when the source is known, at least one character wide (the closing quote for a
/// problem at the end of the pattern).
fn inside(literal: &Text, start: usize, end: usize) -> Span {
    let body_start = literal.span.start as usize + 1;
    let (from, to) = match &literal.source {
        Some(body) => (body_offset(body, start), body_offset(body, end)),
        // Without its source, the value maps one to one only when no escape changed it.
        None if literal.span.end as usize - body_start == literal.value.len() + 1 => (start, end),
        None => return literal.span,
    };
    let from = body_start + from;
    let to = (body_start + to)
        .max(from + 1)
        .min(literal.span.end as usize);
    Span::new(literal.span.file, from.min(to - 1)..to)
}
