//! The file system edge: finding a bundle's files, reading them, and writing outputs atomically.
//!
//! This is the only module of the library that touches the file system; the command line and
//! the language server call it, the analysis never does.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, SourceMap};
use crate::syntax::lexer::{MAX_SOURCE_BYTES, file_too_large};

/// The name of the account file at a bundle's root.
pub const ACCOUNT_FILE: &str = "account.toml";

/// A bundle read from disk.
#[derive(Debug)]
pub struct LoadedBundle {
    /// The bundle root.
    pub root: PathBuf,
    /// `account.toml` and every `.pm` file, with paths relative to the root.
    pub sources: SourceMap,
    /// The id of `account.toml`, when it exists.
    pub account: Option<FileId>,
    /// The ids of the `.pm` files.
    pub pm_files: Vec<FileId>,
    /// `E0107` for each `.pm` file too large to read (kept in `sources` with empty text).
    pub diagnostics: Vec<Diagnostic>,
}

/// The bundle root of `path`: the nearest directory at or above it holding `account.toml`, or
/// the directory itself (or the file's directory) when there is none.
pub fn bundle_root(path: &Path) -> PathBuf {
    let start = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent().unwrap_or(Path::new(".")).to_path_buf()
    };
    let start = if start.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        start
    };
    start
        .ancestors()
        .find(|dir| dir.join(ACCOUNT_FILE).is_file())
        .map_or(start.clone(), Path::to_path_buf)
}

/// Reads `account.toml` and every `.pm` file under `root` (recursively, skipping hidden
/// directories), in a deterministic order.
///
/// # Errors
/// When a directory or file cannot be read, or a file is not UTF-8 or larger than
/// [`MAX_SOURCE_BYTES`].
pub fn load_bundle(root: &Path) -> Result<LoadedBundle, String> {
    let mut sources = SourceMap::new();
    let account_path = root.join(ACCOUNT_FILE);
    let account = if account_path.is_file() {
        Some(sources.add(ACCOUNT_FILE, read_source(&account_path)?))
    } else {
        None
    };
    let mut paths = Vec::new();
    collect_pm_files(root, &mut paths)?;
    let mut relative: Vec<(String, PathBuf)> = paths
        .into_iter()
        .map(|p| (relative_path(root, &p), p))
        .collect();
    relative.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut pm_files = Vec::new();
    let mut diagnostics = Vec::new();
    for (name, path) in relative {
        let size = std::fs::metadata(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?
            .len();
        if size > MAX_SOURCE_BYTES as u64 {
            // Not read at all: memory stays bounded whatever the file's size.
            let id = sources.add(name, "");
            diagnostics.push(file_too_large(id, size));
        } else {
            pm_files.push(sources.add(name, read_source(&path)?));
        }
    }
    Ok(LoadedBundle {
        root: root.to_path_buf(),
        sources,
        account,
        pm_files,
        diagnostics,
    })
}

/// `path` relative to `root`, with `/` separators.
pub fn relative_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn collect_pm_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        let kind = entry
            .file_type()
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if kind.is_dir() && !hidden && !path.join(ACCOUNT_FILE).is_file() {
            collect_pm_files(&path, out)?;
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "pm") {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads a source file, refusing files that are too large or not UTF-8.
///
/// # Errors
/// When the file cannot be read, is larger than [`MAX_SOURCE_BYTES`] or is not UTF-8.
pub fn read_source(path: &Path) -> Result<String, String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?
        .len();
    if size > MAX_SOURCE_BYTES as u64 {
        return Err(format!(
            "{} is {size} bytes; source files are limited to {} MiB",
            path.display(),
            MAX_SOURCE_BYTES / (1024 * 1024)
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{} is not UTF-8 text (byte {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// A temporary file beside `path` (same directory, so a rename onto `path` is atomic), named
/// after it and this process.
pub fn temporary_path(path: &Path) -> PathBuf {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(".{name}.{}.tmp", std::process::id()))
}

/// Writes `bytes` to `path` atomically: to a temporary file in the same directory, flushed to
/// disk, then renamed over `path`. A crash leaves either the old file or the new one.
///
/// # Errors
/// When the temporary file cannot be written or renamed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let temporary = temporary_path(path);
    let result = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        format!("cannot write {}: {e}", path.display())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("pmc-fs-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("out.pmb");
        write_atomically(&target, b"old").unwrap();
        write_atomically(&target, b"new").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        let leftovers = std::fs::read_dir(&dir).unwrap().count();
        assert_eq!(leftovers, 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
