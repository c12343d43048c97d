//! `pmc diff`: two bundles (directories, `.pmb` files, or a git revision) compared.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use pmc::fs;
use pmc::terminal;

use super::{analyze_loaded, git, open_bundle, print_diagnostics, shown};
use crate::{DiffFormat, EXIT_USAGE, MessageFormat};

/// `pmc diff`: exit 0 when nothing differs, 1 when something does, 2 when a side cannot be
/// read or its sources have errors (printed).
pub(crate) fn diff(
    paths: &[PathBuf],
    rev: Option<&str>,
    format: DiffFormat,
) -> Result<ExitCode, String> {
    let checkout;
    let (old, new) = match (rev, paths) {
        (None, [old, new]) => (old.as_path(), new.as_path()),
        (None, _) => return Err("pmc diff needs OLD and NEW (or --git REV)".into()),
        (Some(rev), [] | [_]) => {
            let new = paths.first().map_or(Path::new("."), PathBuf::as_path);
            if !new.is_dir() {
                return Err(format!("{} is not a bundle directory", shown(new)));
            }
            checkout = git::Checkout::of(&fs::bundle_root(new), rev)?;
            (checkout.path(), new)
        }
        (Some(_), _) => return Err("with --git, pmc diff takes one bundle directory".into()),
    };
    let (Some(old), Some(new)) = (diff_side(old)?, diff_side(new)?) else {
        return Ok(ExitCode::from(EXIT_USAGE));
    };
    let report = pmc::diff::diff(&old, &new);
    // Conditions as written may hold text-direction characters: never printed raw.
    let text = match format {
        DiffFormat::Human => terminal::escape(&pmc::diff::render::to_human(&report)).into_owned(),
        DiffFormat::Markdown => {
            terminal::escape(&pmc::diff::render::to_markdown(&report)).into_owned()
        }
        DiffFormat::Json => pmc::diff::render::to_json(&report) + "\n",
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| format!("cannot write output: {e}"))?;
    Ok(ExitCode::from(u8::from(!report.is_empty())))
}

/// One side of `pmc diff`: a bundle directory checked and compiled (`None`, with its
/// diagnostics printed, when it has errors), or a `.pmb` file loaded.
pub(crate) fn diff_side(path: &Path) -> Result<Option<pmc::diff::Side>, String> {
    if !path.is_dir() {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", shown(path)))?;
        return pmc::diff::Side::from_bytes(&bytes)
            .map(Some)
            .map_err(|e| format!("{}: {e}", shown(path)));
    }
    let bundle = open_bundle(path, false)?;
    let analysis = analyze_loaded(&bundle);
    let Some(checked) = &analysis.bundle else {
        print_diagnostics(&bundle, &analysis.diagnostics, MessageFormat::Human)?;
        return Ok(None);
    };
    pmc::diff::Side::from_sources(checked, &analysis.files, &bundle.sources).map(Some)
}
