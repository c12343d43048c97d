//! The workspace model: open buffers, and one analysed snapshot per bundle.
//!
//! A file belongs to the bundle whose root is the nearest folder above it holding
//! `account.toml` (the same rule as `pmc check`). A bundle's snapshot takes every `.pm` file and
//! `account.toml` as read from disk, replaces those open in the editor by their buffers (unsaved
//! text wins), adds open `.pm` files not yet on disk, and analyses them all together. Any change
//! to a file of the bundle — a `.pm` buffer or `account.toml` — drops the snapshot, so the next
//! query re-checks every file of the bundle. What is on disk is read once per bundle and read
//! again only when a file is saved, closed or changed on disk: typing never touches the disk.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use pmc::fs::{self, ACCOUNT_FILE};
use pmc::ide::Snapshot;
use pmc::source::{FileId, SourceMap};
use pmc::truth::ConstantValues;
use tower_lsp_server::ls_types::Uri;

/// One bundle folder as the server sees it: its root and its analysed snapshot.
#[derive(Debug)]
pub struct BundleFolder {
    /// The bundle root.
    pub root: PathBuf,
    /// The analysed sources.
    pub snapshot: Snapshot,
}

impl BundleFolder {
    /// The URI of a file of the bundle.
    pub fn uri(&self, file: FileId) -> Option<Uri> {
        Uri::from_file_path(self.root.join(&self.snapshot.sources.get(file).path))
    }

    /// The id of the file at `path`, if it is part of the bundle.
    pub fn file_of(&self, path: &Path) -> Option<FileId> {
        let relative = fs::relative_path(&self.root, path);
        self.snapshot.sources.find(&relative).map(|f| f.id)
    }
}

/// An open document.
#[derive(Debug)]
struct Document {
    text: String,
    version: i32,
}

/// Open documents and the bundles they belong to.
#[derive(Debug, Default)]
pub struct Workspace {
    open: HashMap<PathBuf, Document>,
    bundles: HashMap<PathBuf, Arc<BundleFolder>>,
    /// Each bundle's files as last read from disk (`None`: the bundle could not be read).
    disk: HashMap<PathBuf, Option<fs::LoadedBundle>>,
    /// What analyses decided of conditions (never/always, a pure function of the condition),
    /// kept from one analysis to the next: an edit changes few of a bundle's conditions.
    constants: ConstantValues,
}

/// Most conditions [`Workspace`] remembers the value of; past it the memory starts afresh
/// (a bundle has at most 140 messages, each a few dozen conditions and parts).
const REMEMBERED_CONDITIONS: usize = 50_000;

/// Whether the language server looks at this file.
pub fn is_bundle_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "pm")
        || path.file_name().is_some_and(|n| n == ACCOUNT_FILE)
}

impl Workspace {
    /// Records an opened buffer; returns its bundle root.
    pub fn open(&mut self, path: PathBuf, text: String, version: i32) -> PathBuf {
        let root = fs::bundle_root(&path);
        self.open.insert(path, Document { text, version });
        self.bundles.remove(&root);
        root
    }

    /// Applies edits to an open buffer; returns its bundle root. The disk is not read again.
    pub fn change(&mut self, path: &Path, version: i32, edit: impl FnOnce(&mut String)) -> PathBuf {
        if let Some(document) = self.open.get_mut(path) {
            edit(&mut document.text);
            document.version = version;
        }
        let root = fs::bundle_root(path);
        self.bundles.remove(&root);
        root
    }

    /// Forgets a closed buffer (the file on disk is read again); returns its bundle root.
    pub fn close(&mut self, path: &Path) -> PathBuf {
        self.open.remove(path);
        self.invalidate(path)
    }

    /// Drops the snapshot of the bundle holding `path` and what was read of it from disk
    /// (after a file changed on disk); returns the bundle root.
    pub fn invalidate(&mut self, path: &Path) -> PathBuf {
        let root = fs::bundle_root(path);
        self.bundles.remove(&root);
        self.disk.remove(&root);
        root
    }

    /// The bundle roots of the open documents.
    pub fn roots(&self) -> BTreeSet<PathBuf> {
        self.open.keys().map(|p| fs::bundle_root(p)).collect()
    }

    /// The version of an open document.
    pub fn version(&self, path: &Path) -> Option<i32> {
        self.open.get(path).map(|d| d.version)
    }

    /// The bundle of `path` and the file's id in it.
    pub fn document(&mut self, path: &Path) -> Option<(Arc<BundleFolder>, FileId)> {
        let bundle = self.bundle(&fs::bundle_root(path));
        let file = bundle.file_of(path)?;
        Some((bundle, file))
    }

    /// The snapshot of the bundle at `root`, analysed now if it is not current.
    pub fn bundle(&mut self, root: &Path) -> Arc<BundleFolder> {
        if let Some(bundle) = self.bundles.get(root) {
            return Arc::clone(bundle);
        }
        if !self.disk.contains_key(root) {
            self.disk
                .insert(root.to_path_buf(), fs::load_bundle(root).ok());
        }
        if self.constants.len() > REMEMBERED_CONDITIONS {
            self.constants = ConstantValues::default();
        }
        let bundle = Arc::new(self.build(root));
        self.bundles.insert(root.to_path_buf(), Arc::clone(&bundle));
        bundle
    }

    fn build(&mut self, root: &Path) -> BundleFolder {
        let mut sources = SourceMap::new();
        let mut account = None;
        let mut pm_files = Vec::new();
        let mut extra = Vec::new();
        // Disk first, keeping the loader's ids (its diagnostics refer to them)…
        if let Some(Some(loaded)) = self.disk.get(root) {
            for file in loaded.sources.files() {
                let text = self
                    .open
                    .get(&root.join(&file.path))
                    .map_or(file.text.as_str(), |d| d.text.as_str());
                let id = sources.add(file.path.clone(), text);
                if Some(file.id) == loaded.account {
                    account = Some(id);
                } else if loaded.pm_files.contains(&file.id) {
                    pm_files.push(id);
                }
            }
            extra = loaded.diagnostics.clone();
        }
        // …then open buffers of the bundle that are not on disk yet.
        let mut unsaved: Vec<(&PathBuf, &Document)> = self
            .open
            .iter()
            .filter(|(path, _)| path.extension().is_some_and(|e| e == "pm"))
            .filter(|(path, _)| fs::bundle_root(path) == root)
            .filter(|(path, _)| sources.find(&fs::relative_path(root, path)).is_none())
            .collect();
        unsaved.sort_by(|a, b| a.0.cmp(b.0));
        for (path, document) in unsaved {
            pm_files.push(sources.add(fs::relative_path(root, path), document.text.clone()));
        }
        BundleFolder {
            root: root.to_path_buf(),
            snapshot: Snapshot::new(sources, account, pm_files, extra, &mut self.constants),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_bundle(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("pm-lsp-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join(ACCOUNT_FILE), "[[brands]]\nname = \"Acme\"\n").unwrap();
        std::fs::write(
            dir.join("sub/a.pm"),
            "condition a = visitor.page_url is \"x\"\n",
        )
        .unwrap();
        dir
    }

    #[test]
    fn open_buffers_win_over_disk_and_unsaved_files_join_the_bundle() {
        let root = temp_bundle("buffers");
        let mut workspace = Workspace::default();
        let a = root.join("sub/a.pm");
        assert_eq!(workspace.open(a.clone(), "condition b = a".into(), 1), root);
        let (bundle, file) = workspace.document(&a).unwrap();
        assert_eq!(bundle.snapshot.text(file), "condition b = a");
        // `a` is no longer defined on disk's terms: the buffer wins, so `a` is unknown.
        assert!(
            bundle
                .snapshot
                .analysis
                .diagnostics
                .iter()
                .any(|d| d.code.as_str() == "E0306")
        );
        let new = root.join("new.pm");
        workspace.open(
            new.clone(),
            "condition a = visitor.page_url is \"y\"".into(),
            1,
        );
        let (bundle, _) = workspace.document(&new).unwrap();
        assert_eq!(bundle.snapshot.pm_files.len(), 2);
        assert!(
            !bundle
                .snapshot
                .analysis
                .diagnostics
                .iter()
                .any(|d| d.code.as_str() == "E0306")
        );
        workspace.change(&a, 2, |text| text.push_str(" and b"));
        let (bundle, file) = workspace.document(&a).unwrap();
        assert_eq!(bundle.snapshot.text(file), "condition b = a and b");
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn typing_reuses_the_disk_contents_until_a_file_changes_on_disk() {
        let root = temp_bundle("disk");
        let mut workspace = Workspace::default();
        let open = root.join("open.pm");
        workspace.open(open.clone(), "condition o = a".into(), 1);
        workspace.document(&open).unwrap();
        // A change on disk the server was not told about is not seen while typing…
        let on_disk = root.join("sub/a.pm");
        std::fs::write(&on_disk, "condition renamed = visitor.page_url is \"x\"\n").unwrap();
        workspace.change(&open, 2, |text| text.push(' '));
        let (bundle, _) = workspace.document(&open).unwrap();
        let a = bundle.file_of(&on_disk).unwrap();
        assert!(bundle.snapshot.text(a).starts_with("condition a ="));
        // …and is once the file is reported changed.
        workspace.invalidate(&on_disk);
        let (bundle, _) = workspace.document(&open).unwrap();
        let a = bundle.file_of(&on_disk).unwrap();
        assert!(bundle.snapshot.text(a).starts_with("condition renamed ="));
        let _ = std::fs::remove_dir_all(&root);
    }
}
