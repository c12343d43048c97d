//! `cargo xtask tidy`: the house rules no compiler checks, each a module with its own
//! reasoning, run over every file of the checkout that git tracks or would track (new files
//! count before they are added; ignored build outputs never do):
//!
//! - [`headers`]: every Rust file opens with a `//!` comment saying what it is for;
//! - [`dependencies`]: every dependency's version is declared once, in the root
//!   `[workspace.dependencies]`;
//! - [`code_map`]: every source file of the shipped crates is named in a code map.
//!
//! It prints every problem, one a line (`path: what is wrong, and what to do`), and fails
//! when there is one. CI runs it first: it needs no build of the crates it reads.

mod code_map;
mod dependencies;
mod headers;

use crate::repo::{Repo, Tree};

/// One broken rule.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The file to change, relative to the root.
    pub file: String,
    /// What is wrong, and what to do.
    pub message: String,
}

impl Problem {
    fn new(file: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            file: file.into(),
            message: message.into(),
        }
    }
}

/// Checks the repository and reports.
pub fn run(repo: &Repo) -> Result<(), String> {
    let problems = check(&repo.tree()?)?;
    if problems.is_empty() {
        eprintln!("tidy: no problem");
        return Ok(());
    }
    for problem in &problems {
        println!("{}: {}", problem.file, problem.message);
    }
    Err(format!(
        "tidy: {} problem{} (above)",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    ))
}

/// Every problem of `tree`, sorted by file.
fn check(tree: &Tree) -> Result<Vec<Problem>, String> {
    let mut problems = headers::check(tree)?;
    problems.extend(dependencies::check(tree)?);
    problems.extend(code_map::check(tree)?);
    problems.sort();
    Ok(problems)
}
