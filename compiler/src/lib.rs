//! The `pmc` compiler library: `.pm` source and `account.toml` in, diagnostics, a checked model
//! and bytecode bundles out.
//!
//! The library does no IO and never prints: inputs are in-memory texts in a [`source::SourceMap`];
//! the command line and the language server own the file system. See `docs/ARCHITECTURE.md`.

pub mod account;
pub mod analysis;
pub mod check;
pub mod codegen;
pub mod coverage;
pub mod diagnostic;
pub mod diff;
pub mod formatter;
pub mod fs;
pub mod ide;
pub mod json_position;
pub mod languages;
pub mod model;
pub mod ruletest;
pub mod scenario;
pub mod schema;
pub mod source;
pub mod suggest;
pub mod syntax;
pub mod terminal;
pub mod trace;
pub mod truth;
pub mod vocabulary;
