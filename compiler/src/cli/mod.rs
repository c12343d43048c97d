//! The subcommands of `pmc`, one module each, and what they share: opening a bundle from disk
//! (with the notes on what is left out), analysing it, printing its diagnostics.

pub mod build;
pub mod check;
pub mod diff;
pub mod disasm;
pub mod explain;
pub mod fmt;
pub mod git;
pub mod init;
pub mod keyfile;
pub mod keygen;
pub mod simulate;
pub mod test;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use pmc::analysis::{Analysis, analyze_read};
use pmc::diagnostic::{Diagnostic, render};
use pmc::fs::{self, LoadedBundle};
use pmc::terminal;
use pmc::truth::ConstantValues;

use crate::MessageFormat;

/// A path as printed for people: its control characters escaped.
pub(crate) fn shown(path: &Path) -> String {
    terminal::escape(&path.display().to_string()).into_owned()
}

/// The paths given, or the current directory.
pub(crate) fn paths_or_current(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    }
}

/// Loads the bundle `path` belongs to (the nearest directory at or above it with
/// account.toml), reports an empty directory as E0507, and notes on stderr what was left out:
/// surprising entries always, every entry with `verbose`.
pub(crate) fn open_bundle(path: &Path, verbose: bool) -> Result<LoadedBundle, String> {
    let mut bundle = fs::load_bundle(&fs::bundle_root(path))?;
    bundle.report_if_empty();
    let root = fs::shown_root(&bundle);
    for skipped in &bundle.skipped {
        if verbose || skipped.reason.is_surprising() {
            let shown = if root == "." {
                skipped.path.clone()
            } else {
                format!("{root}/{}", skipped.path)
            };
            eprintln!(
                "note: {} is left out of the bundle: {}",
                terminal::escape(&shown),
                skipped.reason.describe()
            );
        }
    }
    Ok(bundle)
}

/// Analyses a bundle read from disk, with the problems found while reading it.
pub(crate) fn analyze_loaded(bundle: &LoadedBundle) -> Analysis {
    analyze_read(
        &bundle.sources,
        bundle.account,
        &bundle.pm_files,
        bundle.diagnostics.clone(),
        &mut ConstantValues::default(),
    )
}

/// Prints diagnostics of one bundle in `format`: human reports and the summary on stderr,
/// machine formats on stdout. People get paths relative to the current directory (human, JSON),
/// tools paths relative to the repository root (GitHub, SARIF).
pub(crate) fn print_diagnostics(
    bundle: &LoadedBundle,
    diagnostics: &[Diagnostic],
    format: MessageFormat,
) -> Result<(), String> {
    if diagnostics.is_empty() && matches!(format, MessageFormat::Human) {
        // Nothing to report: the terminal reports' sources would be built for nothing.
        return Ok(());
    }
    let color = matches!(format, MessageFormat::Human) && std::io::stderr().is_terminal();
    let naming = match format {
        MessageFormat::Human | MessageFormat::Json => fs::Naming::FromCurrentDir,
        MessageFormat::Sarif | MessageFormat::Github => fs::Naming::FromRepository,
    };
    let paths = fs::report_paths(bundle, naming);
    let text = render::render_with(format.into(), diagnostics, &bundle.sources, &paths, color);
    if matches!(format, MessageFormat::Human) {
        eprint!("{text}");
        if let Some(summary) = render::summary(diagnostics) {
            eprintln!("{}: {summary}", terminal::escape(&fs::shown_root(bundle)));
        }
        Ok(())
    } else {
        writeln!(std::io::stdout().lock(), "{}", text.trim_end())
            .map_err(|e| format!("cannot write output: {e}"))
    }
}
