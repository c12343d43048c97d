//! `pmc fmt`: `.pm` files rewritten in the canonical layout, or (`--check`) the differences shown.

use std::path::PathBuf;
use std::process::ExitCode;

use pmc::formatter;
use pmc::fs;
use pmc::terminal;

use super::{paths_or_current, shown};
use crate::EXIT_INPUT_ERRORS;

pub(crate) fn fmt(paths: &[PathBuf], check_only: bool) -> Result<ExitCode, String> {
    let mut files = Vec::new();
    for path in paths_or_current(paths) {
        if path.is_dir() {
            let bundle = fs::load_bundle(&path)?;
            for skipped in bundle.skipped.iter().filter(|s| s.reason.is_surprising()) {
                eprintln!(
                    "note: {} is not formatted: {}",
                    shown(&path.join(&skipped.path)),
                    skipped.reason.describe()
                );
            }
            files.extend(
                bundle
                    .pm_files
                    .iter()
                    .map(|&id| path.join(&bundle.sources.get(id).path)),
            );
        } else if path.is_file() {
            files.push(path);
        } else {
            return Err(format!("{} does not exist", path.display()));
        }
    }
    let mut unformatted = 0;
    let mut errors = 0;
    for file in files {
        let text = match fs::read_source(&file)? {
            Ok(text) => text,
            Err(not_text) => {
                eprintln!("error: {}", terminal::escape(&not_text));
                errors += 1;
                continue;
            }
        };
        let Some(formatted) = formatter::format_source(&text) else {
            eprintln!(
                "error: {} has syntax errors; run `pmc check` first",
                shown(&file)
            );
            errors += 1;
            continue;
        };
        if formatted == text {
            continue;
        }
        unformatted += 1;
        if check_only {
            print!(
                "{}",
                formatter::unified_diff(&file.display().to_string(), &text, &formatted)
            );
        } else {
            fs::write_output(&file, formatted.as_bytes())?;
            eprintln!("formatted {}", shown(&file));
        }
    }
    Ok(if errors > 0 || (check_only && unformatted > 0) {
        ExitCode::from(EXIT_INPUT_ERRORS)
    } else {
        ExitCode::SUCCESS
    })
}
