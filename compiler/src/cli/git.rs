//! The binary's read access to git, for `pmc diff --git REV`: a bundle directory as a revision
//! has it, copied into a temporary directory by running the `git` command (the library never
//! runs programs). Only regular files are copied (symbolic links and submodules are left out,
//! as a checkout on another machine might not have them), and only under the bundle directory.

use std::path::{Component, Path, PathBuf};
use std::process::Command;

/// A bundle directory as a revision has it, in a temporary directory removed on drop.
pub struct Checkout {
    dir: PathBuf,
}

impl Checkout {
    /// The directory `bundle` (in a git work tree) as revision `rev` has it.
    ///
    /// # Errors
    /// When `git` does not run, `rev` is not a revision of the repository, the revision has
    /// nothing at that place, or the copy cannot be written.
    pub fn of(bundle: &Path, rev: &str) -> Result<Checkout, String> {
        if rev.starts_with('-') || rev.is_empty() {
            return Err(format!("{rev:?} is not a git revision"));
        }
        let listing = git(bundle, &["ls-tree", "-r", "-z", rev])?;
        let checkout = Checkout::empty()?;
        let mut files = 0;
        for entry in listing.split(|&b| b == 0).filter(|e| !e.is_empty()) {
            let entry = String::from_utf8_lossy(entry);
            let Some((meta, path)) = entry.split_once('\t') else {
                return Err(format!("unexpected output from git ls-tree: {entry:?}"));
            };
            let mut meta = meta.split(' ');
            let (Some(mode), Some("blob"), Some(object)) = (meta.next(), meta.next(), meta.next())
            else {
                continue;
            };
            let relative = Path::new(path);
            let plain = relative
                .components()
                .all(|c| matches!(c, Component::Normal(_)));
            if !matches!(mode, "100644" | "100755") || !plain {
                continue;
            }
            let target = checkout.dir.join(relative);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            let bytes = git(bundle, &["cat-file", "blob", object])?;
            std::fs::write(&target, bytes)
                .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
            files += 1;
        }
        if files == 0 {
            return Err(format!(
                "revision {rev} has no files in {}",
                bundle.display()
            ));
        }
        Ok(checkout)
    }

    /// A new empty temporary directory.
    fn empty() -> Result<Checkout, String> {
        let base = std::env::temp_dir();
        for attempt in 0..100u32 {
            let dir = base.join(format!("pmc-diff-{}-{attempt}", std::process::id()));
            match std::fs::create_dir(&dir) {
                Ok(()) => return Ok(Checkout { dir }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(format!("cannot create {}: {e}", dir.display())),
            }
        }
        Err(format!(
            "cannot create a temporary directory in {}",
            base.display()
        ))
    }

    /// Where the copy is.
    pub fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Checkout {
    fn drop(&mut self) {
        // Best effort: a copy left behind in the temporary directory harms nothing.
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `git ARGS` run in `dir`: its standard output, or its error message.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        let message = String::from_utf8_lossy(&output.stderr);
        return Err(format!("git {} failed: {}", args.join(" "), message.trim()));
    }
    Ok(output.stdout)
}
