//! The `pmc` compiler library: `.pm` source and `account.toml` in, diagnostics, a checked model
//! and bytecode bundles out.
//!
//! The library never prints, and does no IO outside one module: every module takes in-memory
//! texts in a [`source::SourceMap`] (or bytes) and returns values, except [`fs`], the file-system
//! edge that the command line and the language server share (a bundle's root, its files listed
//! and read, their names as users see them) and that also holds what only `pmc` uses (rule-test
//! discovery, output writing). No other module calls [`fs`]; the binary's own modules (the
//! subcommands, git access, key files) are under `src/cli/`, outside the library. See
//! `docs/ARCHITECTURE.md`.

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
pub mod pattern;
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
