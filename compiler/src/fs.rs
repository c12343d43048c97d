//! The file system edge: finding a bundle and its files, reading them, naming them as users open
//! them, and writing outputs.
//!
//! This is the only module of the library that touches the file system; the command line and
//! the language server call it, the analysis never does.
//!
//! Rules (documented for users in `docs/language.md`, *Files and bundles* and *The command
//! line*):
//! - the bundle root of a path is the nearest directory at or above it holding `account.toml`;
//! - a bundle's sources are the files ending in lower-case `.pm`, searched recursively; names
//!   starting with `.` are hidden and skipped, directories with their own `account.toml` are
//!   other bundles, symbolic links to files are followed, symbolic links to directories are
//!   not (no cycles, no file read twice), and only regular files are read (a FIFO never
//!   blocks a check). What is skipped is listed in [`LoadedBundle::skipped`];
//! - a source that is not UTF-8 is error `E0108` at its first bad byte, one over 16 MiB `E0107`;
//! - outputs replace regular files atomically and are written straight into devices and FIFOs;
//!   a symbolic link is followed to its target, which stays a link.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::render::{Paths, uri_path};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::lexer::{MAX_SOURCE_BYTES, file_too_large};

/// The name of the account file at a bundle's root.
pub const ACCOUNT_FILE: &str = "account.toml";

/// The extension of source files (lower case; `A.PM` is not a source file).
pub const SOURCE_EXTENSION: &str = "pm";

/// A bundle read from disk.
#[derive(Debug)]
pub struct LoadedBundle {
    /// The bundle root.
    pub root: PathBuf,
    /// `account.toml` and every `.pm` file, with paths relative to the root.
    pub sources: SourceMap,
    /// The id of `account.toml`, when it exists.
    pub account: Option<FileId>,
    /// The ids of the `.pm` files that were read.
    pub pm_files: Vec<FileId>,
    /// Problems found while reading: `E0107` for a `.pm` file too large to read (kept in
    /// `sources` with empty text, not analysed), `E0108` for a file that is not UTF-8 (analysed
    /// with each bad byte read as `�`, so that other errors still show; nothing is built).
    pub diagnostics: Vec<Diagnostic>,
    /// Entries under the root that look like sources, or could hold some, but are not part of
    /// the bundle, in path order.
    pub skipped: Vec<Skipped>,
}

/// An entry under a bundle root that is not part of the bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The path relative to the root, `/`-separated.
    pub path: String,
    /// Why it is left out.
    pub reason: SkipReason,
}

/// Why an entry is not part of a bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// A `.pm` file whose name starts with `.` (hidden, like editors' lock and backup files).
    HiddenFile,
    /// A directory whose name starts with `.` (`.git`, `.vscode`): not searched.
    HiddenDirectory,
    /// A file ending in `.pm` in another case (`A.PM`): sources end in lower-case `.pm`.
    ExtensionCase,
    /// A symbolic link to a directory: not followed.
    DirectoryLink,
    /// A directory with its own `account.toml`: another bundle.
    NestedBundle,
    /// A `.pm` entry that is not a regular file (a FIFO, a socket, a device).
    NotRegularFile,
}

impl SkipReason {
    /// Why, in words, for `--verbose` and notes.
    pub fn describe(self) -> &'static str {
        match self {
            SkipReason::HiddenFile => "its name starts with `.` (hidden)",
            SkipReason::HiddenDirectory => {
                "hidden directories (names starting with `.`) are not searched"
            }
            SkipReason::ExtensionCase => "sources end in lower-case `.pm`",
            SkipReason::DirectoryLink => {
                "it is a symbolic link to a directory, and those are not followed"
            }
            SkipReason::NestedBundle => "it has its own account.toml: it is another bundle",
            SkipReason::NotRegularFile => "it is not a regular file",
        }
    }

    /// Whether the author probably meant the entry to be part of the bundle: such skips are
    /// reported even without `--verbose`. Hidden directories and nested bundles are expected.
    pub fn is_surprising(self) -> bool {
        !matches!(self, SkipReason::HiddenDirectory | SkipReason::NestedBundle)
    }
}

impl LoadedBundle {
    /// Whether the directory holds nothing of a bundle: no `account.toml` and no `.pm` file.
    pub fn is_empty(&self) -> bool {
        self.sources.files().next().is_none()
    }

    /// Reports an empty directory ([`LoadedBundle::is_empty`]) as `E0507`, at an empty
    /// `account.toml` source added for the purpose (where the file belongs): checking or building
    /// nothing is an error, not a success. Does nothing for a directory with any file.
    pub fn report_if_empty(&mut self) {
        if !self.is_empty() {
            return;
        }
        let anchor = self.sources.add(ACCOUNT_FILE, "");
        self.diagnostics.push(
            Diagnostic::new(
                Code::E0507,
                Span::new(anchor, 0..0),
                "there is no bundle here: no account.toml and no .pm file",
            )
            .with_label("account.toml belongs here")
            .with_help("`pmc init` creates account.toml and a first message in a directory"),
        );
    }
}

/// The directory a path designates: the path itself for a directory, else its parent (`.` for
/// a bare file name).
fn directory_of(path: &Path) -> PathBuf {
    let dir = if path.is_dir() {
        path
    } else {
        path.parent().unwrap_or(Path::new(""))
    };
    if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir.to_path_buf()
    }
}

/// The bundle root of `path`: the nearest directory at or above it holding `account.toml`, or
/// the directory itself (or the file's directory) when there is none.
///
/// The lexical ancestors of `path` come first, so the root keeps the form `path` was given in
/// (`support/s.pm` → `.`); above a relative path, the search goes on through the physical
/// parents (`.` inside `support/` → the absolute path of the bundle), as cargo and git do.
pub fn bundle_root(path: &Path) -> PathBuf {
    let start = directory_of(path);
    let has_account = |dir: &Path| dir.join(ACCOUNT_FILE).is_file();
    let lexical = start
        .ancestors()
        .map(|dir| {
            if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            }
        })
        .find(|dir| has_account(dir));
    if let Some(root) = lexical {
        return root.to_path_buf();
    }
    std::fs::canonicalize(&start)
        .ok()
        .and_then(|physical| {
            physical
                .ancestors()
                .find(|dir| has_account(dir))
                .map(Path::to_path_buf)
        })
        .unwrap_or(start)
}

/// `path` made absolute with every symbolic link of its *directory* resolved; the last
/// component is kept as it is (a linked `.pm` file is named by its link). `None` when the
/// directory does not exist.
fn physical(path: &Path) -> Option<PathBuf> {
    if path.is_dir() {
        return std::fs::canonicalize(path).ok();
    }
    let name = path.file_name()?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(dir).ok()?.join(name))
}

/// `path` relative to `root`, with `/` separators. Works whether or not both are given in the
/// same form (`support/s.pm` under `.`, a relative path under an absolute root); a path
/// outside `root` is returned whole.
pub fn relative_path(root: &Path, path: &Path) -> String {
    let joined = |relative: &Path| {
        relative
            .components()
            .filter(|c| !matches!(c, Component::CurDir))
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/")
    };
    if let Ok(relative) = path.strip_prefix(root) {
        return joined(relative);
    }
    if let (Some(root), Some(path)) = (std::fs::canonicalize(root).ok(), physical(path))
        && let Ok(relative) = path.strip_prefix(&root)
    {
        return joined(relative);
    }
    joined(path)
}

/// Reads `account.toml` and every `.pm` file under `root` (see the module comment for what is
/// searched), in a deterministic order.
///
/// # Errors
/// When a directory or file cannot be read (including a symbolic link to nothing), or
/// `account.toml` is larger than [`MAX_SOURCE_BYTES`]. Source problems are diagnostics.
pub fn load_bundle(root: &Path) -> Result<LoadedBundle, String> {
    let mut sources = SourceMap::new();
    let mut diagnostics = Vec::new();
    let account_path = root.join(ACCOUNT_FILE);
    let account = if account_path.is_file() {
        let bytes = read_bounded(&account_path)?;
        Some(add_decoded(
            &mut sources,
            &mut diagnostics,
            ACCOUNT_FILE.into(),
            bytes,
        ))
    } else {
        None
    };
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    collect_files(root, &pm_extension, &mut found, &mut skipped)?;
    let mut relative: Vec<(String, PathBuf)> = found
        .into_iter()
        .map(|p| (relative_path(root, &p), p))
        .collect();
    relative.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    skipped.sort_by(|a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
    let mut pm_files = Vec::new();
    for (name, path) in relative {
        let size = std::fs::metadata(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?
            .len();
        if size > MAX_SOURCE_BYTES as u64 {
            // Not read at all: memory stays bounded whatever the file's size.
            let id = sources.add(name, "");
            diagnostics.push(file_too_large(id, size));
            continue;
        }
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        pm_files.push(add_decoded(&mut sources, &mut diagnostics, name, bytes));
    }
    Ok(LoadedBundle {
        root: root.to_path_buf(),
        sources,
        account,
        pm_files,
        diagnostics,
        skipped,
    })
}

/// Adds a file's bytes to `sources`: its text, or, when it is not UTF-8, `E0108` at the first
/// bad byte and the text with each bad byte replaced by `�`.
fn add_decoded(
    sources: &mut SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
    name: String,
    bytes: Vec<u8>,
) -> FileId {
    match String::from_utf8(bytes) {
        Ok(text) => sources.add(name, text),
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            let bad = error.as_bytes()[at];
            let shown = String::from_utf8_lossy(error.as_bytes()).into_owned();
            let id = sources.add(name, shown);
            let replacement = '\u{fffd}'.len_utf8();
            diagnostics.push(
                Diagnostic::new(
                    Code::E0108,
                    Span::new(id, at..at + replacement),
                    format!("this file is not UTF-8 text: byte 0x{bad:02X} is not part of a UTF-8 character"),
                )
                .with_label("not UTF-8")
                .with_help("save the file as UTF-8 (every `.pm` file and account.toml is UTF-8)"),
            );
            id
        }
    }
}

/// Whether a file name ends in `.pm` in some case; `Some(true)` when in lower case.
fn pm_extension(name: &str) -> Option<bool> {
    let (_, extension) = name.rsplit_once('.')?;
    extension
        .eq_ignore_ascii_case(SOURCE_EXTENSION)
        .then(|| extension == SOURCE_EXTENSION)
}

/// The rule-test files (`*.pmtest.json`, [`crate::ruletest::FILE_SUFFIX`]) under `dir`,
/// searched as a bundle's sources are (hidden entries, other bundles and links to directories
/// are left out), sorted by path relative to `dir`, byte by byte.
///
/// # Errors
/// When a directory cannot be read, or a test file is a symbolic link to nothing.
pub fn rule_test_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let suffix = crate::ruletest::FILE_SUFFIX;
    let is_test =
        |name: &str| (name.len() > suffix.len() && name.ends_with(suffix)).then_some(true);
    let mut found = Vec::new();
    collect_files(dir, &is_test, &mut found, &mut Vec::new())?;
    let mut relative: Vec<(String, PathBuf)> = found
        .into_iter()
        .map(|p| (relative_path(dir, &p), p))
        .collect();
    relative.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    Ok(relative.into_iter().map(|(_, path)| path).collect())
}

/// Finds the files under `root` that `kind` accepts (with a work list, not recursion: any
/// depth is fine) and the entries skipped on the way. `kind` gives `Some(true)` for a wanted
/// name, `Some(false)` for one that differs only in case (skipped, reported), `None` otherwise.
fn collect_files(
    root: &Path,
    kind: &dyn Fn(&str) -> Option<bool>,
    found: &mut Vec<PathBuf>,
    skipped: &mut Vec<Skipped>,
) -> Result<(), String> {
    let cannot = |path: &Path, e: std::io::Error| format!("cannot read {}: {e}", path.display());
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| cannot(&dir, e))? {
            let entry = entry.map_err(|e| cannot(&dir, e))?;
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let hidden = name.starts_with('.');
            let link = entry
                .file_type()
                .map_err(|e| cannot(&path, e))?
                .is_symlink();
            let extension = kind(&name);
            // Follows a link; a link to nothing is an error only where a source was expected.
            let target = match std::fs::metadata(&path) {
                Ok(target) => target,
                Err(_) if link && extension == Some(true) && !hidden => {
                    return Err(format!(
                        "cannot read {}: it is a symbolic link to nothing",
                        path.display()
                    ));
                }
                Err(_) if link => continue,
                Err(e) => return Err(cannot(&path, e)),
            };
            let mut skip = |reason| {
                skipped.push(Skipped {
                    path: relative_path(root, &path),
                    reason,
                });
            };
            if target.is_dir() {
                if hidden {
                    skip(SkipReason::HiddenDirectory);
                } else if link {
                    skip(SkipReason::DirectoryLink);
                } else if path.join(ACCOUNT_FILE).is_file() {
                    skip(SkipReason::NestedBundle);
                } else {
                    pending.push(path);
                }
                continue;
            }
            let Some(lower_case) = extension else {
                continue;
            };
            if hidden {
                skip(SkipReason::HiddenFile);
            } else if !lower_case {
                skip(SkipReason::ExtensionCase);
            } else if !target.is_file() {
                skip(SkipReason::NotRegularFile);
            } else {
                found.push(path);
            }
        }
    }
    Ok(())
}

/// Reads a file of at most [`MAX_SOURCE_BYTES`].
fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
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
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Reads a source file as text: `Ok(Err(message))` when it is not UTF-8, the message naming
/// the line and column of the first bad byte (an input error, like a syntax error).
///
/// # Errors
/// When the file cannot be read or is larger than [`MAX_SOURCE_BYTES`].
pub fn read_source(path: &Path) -> Result<Result<String, String>, String> {
    let bytes = read_bounded(path)?;
    Ok(String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let valid = std::str::from_utf8(&e.as_bytes()[..at]).unwrap_or_default();
        let line = valid.matches('\n').count() + 1;
        let column = valid.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        format!(
            "{}:{line}:{column}: the file is not UTF-8 text (byte 0x{:02X}) [E0108]",
            path.display(),
            e.as_bytes()[at]
        )
    }))
}

/// Whether `a` and `b` are the same file (after following symbolic links; hard links too).
/// `false` when either does not exist.
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

/// What an output path designates, once symbolic links are followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputTarget {
    /// Nothing exists there yet: a new file is created.
    New(PathBuf),
    /// A regular file, replaced atomically.
    File(PathBuf),
    /// A device, FIFO or socket, written to directly (never replaced).
    Special(PathBuf),
}

impl OutputTarget {
    /// Resolves `path`: a symbolic link is followed to its final target.
    ///
    /// # Errors
    /// When `path` is a directory, a symbolic link to nothing, or cannot be examined.
    pub fn resolve(path: &Path) -> Result<OutputTarget, String> {
        let link = match std::fs::symlink_metadata(path) {
            Ok(metadata) => metadata.file_type().is_symlink(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(OutputTarget::New(path.to_path_buf()));
            }
            Err(e) => return Err(format!("cannot write {}: {e}", path.display())),
        };
        let target = if link {
            std::fs::canonicalize(path).map_err(|_| {
                let to = std::fs::read_link(path)
                    .map(|t| t.display().to_string())
                    .unwrap_or_default();
                format!(
                    "cannot write {}: it is a symbolic link to {to}, which does not exist",
                    path.display()
                )
            })?
        } else {
            path.to_path_buf()
        };
        let metadata = std::fs::metadata(&target)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        if metadata.is_dir() {
            Err(format!(
                "cannot write {}: it is a directory",
                path.display()
            ))
        } else if metadata.is_file() {
            Ok(OutputTarget::File(target))
        } else {
            Ok(OutputTarget::Special(target))
        }
    }

    /// The path that is written.
    pub fn path(&self) -> &Path {
        match self {
            OutputTarget::New(path) | OutputTarget::File(path) | OutputTarget::Special(path) => {
                path
            }
        }
    }

    /// Writes `bytes`: atomically for a new or regular file ([`write_atomically`]), directly
    /// into a device or FIFO (a FIFO waits for its reader).
    ///
    /// # Errors
    /// When the target cannot be written.
    pub fn write(&self, bytes: &[u8]) -> Result<(), String> {
        match self {
            OutputTarget::New(path) | OutputTarget::File(path) => write_atomically(path, bytes),
            OutputTarget::Special(path) => std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .and_then(|mut device| {
                    device.write_all(bytes)?;
                    device.flush()
                })
                .map_err(|e| format!("cannot write {}: {e}", path.display())),
        }
    }
}

/// Writes `bytes` to `path` as [`OutputTarget::write`] does: following symbolic links,
/// atomically for regular files, directly into devices and FIFOs.
///
/// # Errors
/// When the path is a directory or a link to nothing, or cannot be written.
pub fn write_output(path: &Path, bytes: &[u8]) -> Result<(), String> {
    OutputTarget::resolve(path)?.write(bytes)
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

/// Writes `bytes` to the regular file `path` atomically: to a temporary file in the same
/// directory, flushed to disk, then renamed over `path`. A crash leaves either the old file or
/// the new one. A file that is replaced keeps its permissions. Callers with a path that may be
/// a link, a device or a FIFO use [`write_output`].
///
/// # Errors
/// When the temporary file cannot be written or renamed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let temporary = temporary_path(path);
    let result = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        if let Ok(existing) = std::fs::metadata(path) {
            file.set_permissions(existing.permissions())?;
        }
        std::fs::rename(&temporary, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        format!("cannot write {}: {e}", path.display())
    })
}

/// The current directory, with its links resolved (`.` when it cannot be found).
pub fn current_dir() -> PathBuf {
    std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .unwrap_or_else(|_| PathBuf::from("."))
}

/// The repository `dir` is in: the nearest directory at or above it holding `.git` (a
/// directory, or a file in a worktree or submodule), or the current directory when there is
/// none.
pub fn repository_root(dir: &Path) -> PathBuf {
    std::fs::canonicalize(dir)
        .ok()
        .and_then(|dir| {
            dir.ancestors()
                .find(|d| d.join(".git").exists())
                .map(Path::to_path_buf)
        })
        .unwrap_or_else(current_dir)
}

/// `path` relative to `base` (both absolute, links resolved), with `/` separators. When `path`
/// is not under `base`: with `climb`, a path through `..` (unless the two share nothing but the
/// file system root), else the absolute path.
fn relative_to(path: &Path, base: &Path, climb: bool) -> String {
    let text = |components: &[Component]| {
        components
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/")
    };
    let path_parts: Vec<Component> = path.components().collect();
    let base_parts: Vec<Component> = base.components().collect();
    let common = path_parts
        .iter()
        .zip(&base_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let shares_only_the_root = common <= 1;
    if common == base_parts.len() {
        let rest = text(&path_parts[common..]);
        return if rest.is_empty() { ".".into() } else { rest };
    }
    if climb && !shares_only_the_root {
        let mut parts = vec![".."; base_parts.len() - common].join("/");
        let rest = text(&path_parts[common..]);
        if !rest.is_empty() {
            parts.push('/');
            parts.push_str(&rest);
        }
        return parts;
    }
    path.to_string_lossy().replace('\\', "/")
}

/// The absolute `file:` URI of a directory, ending in `/`.
fn directory_uri(dir: &Path) -> String {
    let path = dir.to_string_lossy().replace('\\', "/");
    let path = if path.starts_with('/') {
        path
    } else {
        format!("/{path}")
    };
    let mut uri = format!("file://{}", uri_path(&path));
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// How reports name a bundle's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// Relative to the current directory (through `..` where needed): what a person opens.
    FromCurrentDir,
    /// Relative to the repository root ([`repository_root`]), which becomes SARIF's
    /// `SRCROOT`: what GitHub and code-scanning tools resolve.
    FromRepository,
}

/// The names of `bundle`'s files under `naming`, and the base URI. A file whose place cannot
/// be found keeps its path relative to the bundle root.
pub fn report_paths(bundle: &LoadedBundle, naming: Naming) -> Paths {
    let Ok(root) = std::fs::canonicalize(&bundle.root) else {
        return Paths::default();
    };
    let (base, climb) = match naming {
        Naming::FromCurrentDir => (current_dir(), true),
        Naming::FromRepository => (repository_root(&root), false),
    };
    let names = bundle
        .sources
        .files()
        .map(|file| relative_to(&root.join(&file.path), &base, climb))
        .collect();
    Paths {
        names,
        root_uri: Some(directory_uri(&base)),
    }
}

/// The bundle root as a person would type it from the current directory (`.` for the current
/// directory itself).
pub fn shown_root(bundle: &LoadedBundle) -> String {
    std::fs::canonicalize(&bundle.root).map_or_else(
        |_| bundle.root.display().to_string(),
        |root| relative_to(&root, &current_dir(), true),
    )
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

    #[test]
    fn relative_names_climb_only_when_asked() {
        let at = |p: &str| PathBuf::from(p);
        assert_eq!(relative_to(&at("/r/b/a.pm"), &at("/r"), true), "b/a.pm");
        assert_eq!(
            relative_to(&at("/r/b/a.pm"), &at("/r/b/c"), true),
            "../a.pm"
        );
        assert_eq!(
            relative_to(&at("/r/b/a.pm"), &at("/r/b/c"), false),
            "/r/b/a.pm"
        );
        assert_eq!(relative_to(&at("/r/b"), &at("/r/b"), true), ".");
        // Sharing only `/`: the absolute path reads better than `../../..`.
        assert_eq!(
            relative_to(&at("/tmp/a.pm"), &at("/home/u"), true),
            "/tmp/a.pm"
        );
    }

    #[test]
    fn directory_uris_are_absolute_encoded_and_end_in_a_slash() {
        assert_eq!(
            directory_uri(Path::new("/w/my repo")),
            "file:///w/my%20repo/"
        );
        assert_eq!(directory_uri(Path::new("/")), "file:///");
    }

    #[test]
    fn rule_tests_are_found_as_sources_are() {
        let dir = std::env::temp_dir().join(format!("pmc-fs-tests-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for file in [
            "b.pmtest.json",
            "a/z.pmtest.json",
            "a/.hidden.pmtest.json",
            ".git/x.pmtest.json",
            "other/account.toml",
            "other/o.pmtest.json",
            "a/notes.json",
            "a/.pmtest.json",
        ] {
            let path = dir.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "{}").unwrap();
        }
        let found: Vec<String> = rule_test_files(&dir)
            .unwrap()
            .iter()
            .map(|p| relative_path(&dir, p))
            .collect();
        assert_eq!(found, ["a/z.pmtest.json", "b.pmtest.json"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn pm_extensions() {
        assert_eq!(pm_extension("a.pm"), Some(true));
        assert_eq!(pm_extension(".hidden.pm"), Some(true));
        assert_eq!(pm_extension("A.PM"), Some(false));
        assert_eq!(pm_extension("a.pmb"), None);
        assert_eq!(pm_extension("pm"), None);
    }
}
