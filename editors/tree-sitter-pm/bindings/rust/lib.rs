//! The tree-sitter grammar of `.pm` files for Rust hosts: the generated parser and its queries.
//!
//! The grammar (`grammar.js`) and the queries are the editor side of the language; the compiler
//! stays the reference. The drift tests of this crate (`tests/drift.rs`) hold the two together.
//!
//! ```
//! let mut parser = tree_sitter::Parser::new();
//! parser.set_language(&tree_sitter_pm::LANGUAGE.into()).unwrap();
//! let tree = parser.parse("condition c = visitor.page_url is \"/\"", None).unwrap();
//! assert!(!tree.root_node().has_error());
//! ```

use tree_sitter_language::LanguageFn;

unsafe extern "C" {
    fn tree_sitter_pm() -> *const ();
}

/// The language of `.pm` files; `tree_sitter::Language::from(LANGUAGE)` gives the parser's
/// language.
// SAFETY: `tree_sitter_pm` is the generated parser's entry point, which returns a pointer to a
// static `TSLanguage` and has no preconditions.
pub const LANGUAGE: LanguageFn = unsafe { LanguageFn::from_raw(tree_sitter_pm) };

/// The node types of the grammar (`src/node-types.json`).
pub const NODE_TYPES: &str = include_str!("../../src/node-types.json");

/// The highlight query (`queries/highlights.scm`, nvim-treesitter's capture names).
pub const HIGHLIGHTS_QUERY: &str = include_str!("../../queries/highlights.scm");

/// The locals query: named conditions, their definitions and references.
pub const LOCALS_QUERY: &str = include_str!("../../queries/locals.scm");
