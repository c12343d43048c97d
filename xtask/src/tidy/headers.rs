//! Every Rust file opens with a `//!` comment saying what it is for: the module's job, for
//! whoever opens it first. That covers every `.rs` file of the checkout — the workspace's
//! crates, `fuzz/`, `benches/`, `bindings/`, the editors' crates, build scripts, integration
//! tests and their shared modules, and this crate. Blank lines may come first; nothing else
//! may (not even attributes: the comment says what the file is before how it is built).

use super::Problem;
use crate::repo::Tree;

/// A problem for each `.rs` file of `tree` that does not open with `//!`.
pub fn check(tree: &Tree) -> Result<Vec<Problem>, String> {
    let mut problems = Vec::new();
    for file in tree.files().iter().filter(|file| file.ends_with(".rs")) {
        if !opens_with_module_doc(&tree.read(file)?) {
            problems.push(Problem::new(
                file.as_str(),
                "does not open with a `//!` comment saying what the file is for",
            ));
        }
    }
    Ok(problems)
}

/// Whether the first line that is not blank is a `//!` comment.
fn opens_with_module_doc(text: &str) -> bool {
    text.lines()
        .map(str::trim_start)
        .find(|line| !line.is_empty())
        .is_some_and(|line| line.starts_with("//!"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo::testing::TempTree;

    #[test]
    fn a_file_must_open_with_an_inner_doc_comment() {
        assert!(opens_with_module_doc("//! What it is for.\nfn f() {}\n"));
        assert!(opens_with_module_doc(
            "\n\n  //! Indented, after blank lines.\n"
        ));
        assert!(!opens_with_module_doc("// A plain comment.\n"));
        assert!(!opens_with_module_doc(
            "/// An outer doc comment.\nfn f() {}\n"
        ));
        assert!(!opens_with_module_doc(
            "#![allow(dead_code)]\n//! Too late.\n"
        ));
        assert!(!opens_with_module_doc("use std::fs;\n//! Too late.\n"));
        assert!(!opens_with_module_doc(""));
    }

    #[test]
    fn every_rust_file_is_checked_and_only_rust_files() {
        let temp = TempTree::new(&[
            ("a/src/lib.rs", "//! Fine.\n"),
            ("a/build.rs", "fn main() {}\n"),
            ("fuzz/fuzz_targets/load.rs", "#![no_main]\n"),
            ("a/README.md", "# Not Rust\n"),
        ]);
        let problems = check(&temp.tree()).unwrap();
        let files: Vec<&str> = problems.iter().map(|p| p.file.as_str()).collect();
        assert_eq!(files, ["a/build.rs", "fuzz/fuzz_targets/load.rs"]);
    }
}
