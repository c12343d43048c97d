//! Syntax: the lexer, the syntax tree and the parser of `.pm` files.
//!
//! [`parse_file`] is the entry point: source text in, a (possibly partial) tree and diagnostics
//! out. It never fails and never panics, whatever the input.

pub mod ast;
pub mod lexer;
pub mod parser;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::FileId;

/// Lexes and parses one file; problems are appended to `diagnostics`.
pub fn parse_file(file: FileId, text: &str, diagnostics: &mut Vec<Diagnostic>) -> ast::File {
    let lexed = lexer::lex(file, text);
    let mut parsed = parser::parse(file, text.len(), lexed, diagnostics);
    keep_pattern_sources(&mut parsed, text);
    parsed
}

/// Keeps the source of each `matches` pattern in its [`ast::Text`], so that the checker can
/// point inside the literal (through its escapes) at what does not parse.
fn keep_pattern_sources(file: &mut ast::File, text: &str) {
    fn visit(expr: &mut ast::Expr, text: &str) {
        match &mut expr.kind {
            ast::ExprKind::Or(operands) | ast::ExprKind::And(operands) => {
                operands.iter_mut().for_each(|e| visit(e, text));
            }
            ast::ExprKind::Not(inner) | ast::ExprKind::Paren(inner) => visit(inner, text),
            ast::ExprKind::Compare(ast::Compare {
                op: ast::Op::Matches | ast::Op::NotMatches,
                value: ast::Value::Text(literal),
                ..
            }) => {
                let (start, end) = (literal.span.start as usize, literal.span.end as usize);
                // The span covers the quotes; an unclosed literal has no closing one.
                literal.source = text
                    .get(start + 1..end)
                    .map(|body| body.strip_suffix('"').unwrap_or(body).into());
            }
            ast::ExprKind::Compare(_) | ast::ExprKind::Ref(_) | ast::ExprKind::Error => {}
        }
    }
    for item in &mut file.items {
        match item {
            ast::Item::Condition(def) => visit(&mut def.expr, text),
            ast::Item::Message(message) => {
                for clause in &mut message.clauses {
                    if let ast::ClauseKind::Trigger(ast::Trigger {
                        when: Some(expr), ..
                    }) = &mut clause.kind
                    {
                        visit(expr, text);
                    }
                }
            }
        }
    }
}

/// Whether the syntax tree around a lexical or syntax error with this `code` is still the one
/// the author meant, so that the checker's findings in the same item are real problems and are
/// reported too: an upper-case word is read in lower case (E0106), a duration or number out of
/// range as the nearest valid one and a bare number after the event as seconds (E0103, E0105),
/// a misspelt clause keyword as the keyword meant, an unknown clause is skipped whole (E0204).
/// After any other error the tree of the item is partial, and the checker's findings in it
/// would only repeat the error in other words.
pub fn keeps_tree_whole(code: Code) -> bool {
    matches!(code, Code::E0103 | Code::E0105 | Code::E0106 | Code::E0204)
}
