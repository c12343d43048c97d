//! Syntax: the lexer, the syntax tree and the parser of `.pm` files.
//!
//! [`parse_file`] is the entry point: source text in, a (possibly partial) tree and diagnostics
//! out. It never fails and never panics, whatever the input.

pub mod ast;
pub mod lexer;
pub mod parser;

use crate::diagnostic::Diagnostic;
use crate::source::FileId;

/// Lexes and parses one file; problems are appended to `diagnostics`.
pub fn parse_file(file: FileId, text: &str, diagnostics: &mut Vec<Diagnostic>) -> ast::File {
    let lexed = lexer::lex(file, text);
    parser::parse(file, text.len(), lexed, diagnostics)
}
