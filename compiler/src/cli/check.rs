//! `pmc check`: bundles (or some of their files) checked and their diagnostics printed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use pmc::analysis::Analysis;
use pmc::diagnostic::Diagnostic;
use pmc::fs::{self, LoadedBundle};

use super::{analyze_loaded, open_bundle, paths_or_current, print_diagnostics};
use crate::{EXIT_INPUT_ERRORS, MessageFormat};

pub(crate) fn check(
    paths: &[PathBuf],
    message_format: MessageFormat,
    deny_warnings: bool,
    verbose: bool,
) -> Result<ExitCode, String> {
    let mut all: Vec<(LoadedBundle, Vec<Diagnostic>)> = Vec::new();
    for path in paths_or_current(paths) {
        if !path.exists() {
            return Err(format!("{} does not exist", path.display()));
        }
        let bundle = open_bundle(&path, verbose)?;
        let analysis = analyze_loaded(&bundle);
        let diagnostics = match Selection::of(&bundle, &path)? {
            Selection::Bundle => analysis.diagnostics,
            Selection::File(file) => only_file(&bundle, analysis, &file),
        };
        all.push((bundle, diagnostics));
    }
    let mut failed = false;
    for (bundle, diagnostics) in &all {
        failed |= diagnostics.iter().any(|d| {
            d.is_error() || (deny_warnings && d.severity == pmc::diagnostic::Severity::Warning)
        });
        print_diagnostics(bundle, diagnostics, message_format)?;
    }
    Ok(if failed {
        ExitCode::from(EXIT_INPUT_ERRORS)
    } else {
        ExitCode::SUCCESS
    })
}

/// What part of a bundle `pmc check PATH` reports on.
pub(crate) enum Selection {
    /// The whole bundle: PATH is a directory (the root or one inside the bundle).
    Bundle,
    /// One `.pm` file: its path relative to the root.
    File(String),
}

impl Selection {
    /// The part `path` designates in `bundle`.
    ///
    /// # Errors
    /// When `path` is left out of the bundle (hidden, in a hidden directory, `A.PM`), or is a
    /// file that is not one of its `.pm` files.
    fn of(bundle: &LoadedBundle, path: &Path) -> Result<Selection, String> {
        let part = fs::relative_path(&bundle.root, path);
        let not_part = |why: &str| {
            format!(
                "{} is not part of the bundle at {}: {why}",
                path.display(),
                fs::shown_root(bundle)
            )
        };
        let left_out = bundle
            .skipped
            .iter()
            .find(|s| part == s.path || part.starts_with(&format!("{}/", s.path)));
        if let Some(skipped) = left_out {
            return Err(not_part(skipped.reason.describe()));
        }
        if path.is_dir() {
            return Ok(Selection::Bundle);
        }
        if bundle.sources.find(&part).is_none() {
            return Err(not_part("it is not one of its `.pm` files"));
        }
        Ok(Selection::File(part))
    }
}

/// Keeps the diagnostics of one file and the account's.
pub(crate) fn only_file(bundle: &LoadedBundle, analysis: Analysis, file: &str) -> Vec<Diagnostic> {
    analysis
        .diagnostics
        .into_iter()
        .filter(|d| {
            let path = bundle.sources.get(d.primary.span.file).path.as_str();
            path == file || path == fs::ACCOUNT_FILE
        })
        .collect()
}
