//! `cargo xtask`: the repository's chores, written once in Rust instead of in scattered
//! scripts and environment variables.
//!
//! - `bless` regenerates every generated file and snapshot that a test holds to its source
//!   ([`bless`]);
//! - `tidy` checks the house rules that no compiler checks ([`tidy`]);
//! - `wasm-bindgen` generates the web binding's JavaScript with the wasm-bindgen CLI's own
//!   library at the version Cargo.lock pins ([`wasm_bindgen`], feature `wasm-bindgen`).
//!
//! `.cargo/config.toml` defines the alias (`cargo run --locked -p xtask --`). Every command
//! works on the repository this binary was built from, whatever the current directory.

mod bless;
mod manifest;
mod repo;
mod tidy;
mod wasm_bindgen;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The repository's chores.
#[derive(Parser)]
#[command(name = "cargo xtask", about, disable_version_flag = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerates every generated file and snapshot from its source (all steps, or the ones
    /// named), then lists what failed.
    Bless(bless::Args),
    /// Checks the house rules: `//!` headers, dependencies declared once, every source file
    /// in a code map.
    Tidy,
    /// Generates the JavaScript and TypeScript of a wasm-bindgen module (as the
    /// `wasm-bindgen` CLI of the same version does).
    WasmBindgen(wasm_bindgen::Args),
}

fn main() -> ExitCode {
    let repo = repo::Repo::of_this_build();
    let result = match Cli::parse().command {
        Command::Bless(args) => bless::run(&repo, &args),
        Command::Tidy => tidy::run(&repo),
        Command::WasmBindgen(args) => wasm_bindgen::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
