//! The repository as the chores see it: where it is, which files it has, and running the
//! tools they drive.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The checkout the chores work on: its root directory.
pub struct Repo {
    root: PathBuf,
}

impl Repo {
    /// The repository this binary was built from (`xtask/` is at its root), so that
    /// `cargo xtask` works from any directory of the checkout.
    pub fn of_this_build() -> Repo {
        let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        Repo {
            root: manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf(),
        }
    }

    /// `rel` (`/`-separated, relative to the root) as a path.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// The files of the checkout: those git tracks and those it would track (new files not
    /// yet added), never what `.gitignore` leaves out (build outputs, `node_modules`, fuzz
    /// corpora). Files deleted from the work tree are left out.
    pub fn tree(&self) -> Result<Tree, String> {
        let mut git = Command::new("git");
        git.args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(&self.root);
        let listing = output(&mut git)?;
        let mut files: Vec<String> = listing
            .split('\0')
            .filter(|file| !file.is_empty() && self.root.join(file).is_file())
            .map(str::to_owned)
            .collect();
        files.sort();
        files.dedup();
        Ok(Tree::new(self.root.clone(), files))
    }

    /// A `cargo` command run at the root, with the cargo (and so the toolchain) that runs
    /// this binary.
    pub fn cargo(&self) -> Command {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command.current_dir(&self.root);
        command
    }
}

/// A set of files under a root: what the checks read. Paths are relative and `/`-separated,
/// sorted.
pub struct Tree {
    root: PathBuf,
    files: Vec<String>,
}

impl Tree {
    /// The files `files` (relative to `root`).
    pub fn new(root: PathBuf, files: Vec<String>) -> Tree {
        Tree { root, files }
    }

    /// Every file, sorted.
    pub fn files(&self) -> &[String] {
        &self.files
    }

    /// Whether `rel` is one of the files.
    pub fn has(&self, rel: &str) -> bool {
        self.files
            .binary_search_by(|file| file.as_str().cmp(rel))
            .is_ok()
    }

    /// `rel` as a path.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// The text of `rel`.
    pub fn read(&self, rel: &str) -> Result<String, String> {
        std::fs::read_to_string(self.root.join(rel)).map_err(|e| format!("cannot read {rel}: {e}"))
    }
}

/// Runs `command` to the end, its output shown as it comes; an error names the command and
/// how it ended.
pub fn run(command: &mut Command) -> Result<(), String> {
    let status = command.status().map_err(|e| cannot_run(command, &e))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", shown(command)))
    }
}

/// Runs `command` and returns what it printed on standard output (its standard error is
/// shown as it comes); an error names the command and how it ended.
pub fn output(command: &mut Command) -> Result<String, String> {
    let out = command
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| cannot_run(command, &e))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if out.status.success() {
        Ok(stdout)
    } else {
        print!("{stdout}");
        Err(format!("{} failed ({})", shown(command), out.status))
    }
}

/// Why `command` did not start.
fn cannot_run(command: &Command, error: &std::io::Error) -> String {
    if error.kind() == std::io::ErrorKind::NotFound {
        format!(
            "cannot run {}: {} is not installed (not found on PATH)",
            shown(command),
            command.get_program().to_string_lossy()
        )
    } else {
        format!("cannot run {}: {error}", shown(command))
    }
}

/// The command line of `command`, for messages: `cargo test -p pmc`.
fn shown(command: &Command) -> String {
    let program = Path::new(command.get_program());
    let name = program.file_name().unwrap_or(program.as_os_str());
    std::iter::once(name)
        .chain(command.get_args())
        .map(|part| part.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
pub mod testing {
    //! Trees of files written to a temporary directory, for the checks' tests.

    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::Tree;

    /// A temporary directory holding given files, removed when dropped.
    pub struct TempTree {
        root: PathBuf,
        files: Vec<String>,
    }

    impl TempTree {
        /// A directory holding `files` (relative path, text).
        pub fn new(files: &[(&str, &str)]) -> TempTree {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let root = std::env::temp_dir().join(format!(
                "xtask-test-{}-{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = std::fs::remove_dir_all(&root);
            for (rel, text) in files {
                let path = root.join(rel);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
            let mut files: Vec<String> = files.iter().map(|(rel, _)| rel.to_string()).collect();
            files.sort();
            TempTree { root, files }
        }

        /// The files, as the checks read them.
        pub fn tree(&self) -> Tree {
            Tree::new(self.root.clone(), self.files.clone())
        }
    }

    impl Drop for TempTree {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.root);
        }
    }
}
