//! Which diagnostics to send: the last list and version published for each document, so that a
//! re-check publishes only the documents whose diagnostics changed (and the edited document,
//! whose new version the client waits for), and never an older version after a newer one.
//!
//! A change to one file re-checks its whole bundle, and the diagnostics of every file are
//! computed again; sending them all would cost a notification (and the client's work) per file
//! per keystroke. [`Published::select`] keeps only what the client does not already have.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tower_lsp_server::ls_types::{Diagnostic, Uri};

/// One document's diagnostics as computed after a check: the list and the version of the text
/// they were computed from (`None` for a file that is not open).
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The document's path, as the workspace names open documents.
    pub path: PathBuf,
    /// The document.
    pub uri: Uri,
    /// Its diagnostics, in the protocol's terms.
    pub diagnostics: Vec<Diagnostic>,
    /// The version of the open document they are for.
    pub version: Option<i32>,
}

/// What was last sent for a document.
#[derive(Debug, Clone)]
struct Sent {
    diagnostics: Vec<Diagnostic>,
    version: Option<i32>,
}

/// The diagnostics last published for each document of each bundle.
#[derive(Debug, Default)]
pub struct Published {
    /// Per bundle root, per document path.
    sent: HashMap<PathBuf, HashMap<PathBuf, (Uri, Sent)>>,
}

impl Published {
    /// Forgets what was sent for the document at `path` in the bundle at `root`: it was just
    /// opened, so its versions start again and the client expects its diagnostics anew.
    pub fn forget(&mut self, root: &Path, path: &Path) {
        if let Some(documents) = self.sent.get_mut(root) {
            documents.remove(path);
        }
    }

    /// The reports to send after a check of the bundle at `root` that produced `reports` (one
    /// per file of the bundle), recorded as sent:
    ///
    /// - a document whose diagnostics differ from those last sent, or whose version is newer
    ///   than the last sent (the edited document: the client waits for that version's list);
    /// - never a version older than one already sent for the document;
    /// - an empty list for a document that had diagnostics and is no longer in the bundle.
    pub fn select(&mut self, root: &Path, reports: Vec<Report>) -> Vec<Report> {
        let mut before = self.sent.remove(root).unwrap_or_default();
        let mut now = HashMap::with_capacity(reports.len());
        let mut out = Vec::new();
        for report in reports {
            let previous = before.remove(&report.path).map(|(_, sent)| sent);
            if let Some(previous) = previous.as_ref()
                && let (Some(sent), Some(new)) = (previous.version, report.version)
                && new < sent
            {
                // Keep what the client has: it is for a newer text.
                now.insert(report.path, (report.uri, previous.clone()));
                continue;
            }
            let send = match &previous {
                Some(p) => p.diagnostics != report.diagnostics || p.version != report.version,
                // A file not open, never published, with nothing to say needs no notification.
                None => report.version.is_some() || !report.diagnostics.is_empty(),
            };
            now.insert(
                report.path.clone(),
                (
                    report.uri.clone(),
                    Sent {
                        diagnostics: report.diagnostics.clone(),
                        version: report.version,
                    },
                ),
            );
            if send {
                out.push(report);
            }
        }
        // Documents no longer in the bundle: clear those that had diagnostics.
        out.extend(
            before
                .into_iter()
                .filter(|(_, (_, sent))| !sent.diagnostics.is_empty())
                .map(|(path, (uri, _))| Report {
                    path,
                    uri,
                    diagnostics: Vec::new(),
                    version: None,
                }),
        );
        self.sent.insert(root.to_path_buf(), now);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn uri(name: &str) -> Uri {
        format!("file:///b/{name}").parse().unwrap()
    }

    fn diagnostic(line: u32) -> Diagnostic {
        Diagnostic::new_simple(
            Range::new(Position::new(line, 0), Position::new(line, 1)),
            "an error".into(),
        )
    }

    fn report(name: &str, lines: &[u32], version: Option<i32>) -> Report {
        Report {
            path: Path::new("/b").join(name),
            uri: uri(name),
            diagnostics: lines.iter().map(|&l| diagnostic(l)).collect(),
            version,
        }
    }

    fn sent(selected: &[Report]) -> Vec<(String, usize, Option<i32>)> {
        selected
            .iter()
            .map(|r| (r.uri.as_str().to_string(), r.diagnostics.len(), r.version))
            .collect()
    }

    #[test]
    fn only_changed_documents_and_the_edited_one_are_sent() {
        let root = Path::new("/b");
        let mut published = Published::default();
        let first = published.select(
            root,
            vec![
                report("a.pm", &[1], Some(1)),
                report("b.pm", &[2], None),
                report("account.toml", &[], None),
            ],
        );
        // A file not open and without diagnostics is not worth a notification.
        assert_eq!(
            sent(&first),
            [
                ("file:///b/a.pm".into(), 1, Some(1)),
                ("file:///b/b.pm".into(), 1, None)
            ]
        );
        // Editing a.pm without changing its diagnostics still answers its new version; the
        // other files are unchanged, so nothing is sent for them.
        let second = published.select(
            root,
            vec![
                report("a.pm", &[1], Some(2)),
                report("b.pm", &[2], None),
                report("account.toml", &[], None),
            ],
        );
        assert_eq!(sent(&second), [("file:///b/a.pm".into(), 1, Some(2))]);
        // A change that moves b.pm's diagnostic republishes it.
        let third = published.select(
            root,
            vec![
                report("a.pm", &[], Some(3)),
                report("b.pm", &[3], None),
                report("account.toml", &[], None),
            ],
        );
        assert_eq!(
            sent(&third),
            [
                ("file:///b/a.pm".into(), 0, Some(3)),
                ("file:///b/b.pm".into(), 1, None)
            ]
        );
    }

    #[test]
    fn an_older_version_is_never_sent_after_a_newer_one() {
        let root = Path::new("/b");
        let mut published = Published::default();
        published.select(root, vec![report("a.pm", &[1], Some(5))]);
        assert!(
            published
                .select(root, vec![report("a.pm", &[2], Some(4))])
                .is_empty()
        );
        // The newer list is still what the client has, so an equal later check sends nothing.
        assert!(
            published
                .select(root, vec![report("a.pm", &[1], Some(5))])
                .is_empty()
        );
        // A reopened document starts its versions again.
        published.forget(root, Path::new("/b/a.pm"));
        assert_eq!(
            sent(&published.select(root, vec![report("a.pm", &[1], Some(1))])),
            [("file:///b/a.pm".into(), 1, Some(1))]
        );
    }

    #[test]
    fn a_document_gone_from_the_bundle_is_cleared_once() {
        let root = Path::new("/b");
        let mut published = Published::default();
        published.select(
            root,
            vec![
                report("a.pm", &[1], Some(1)),
                report("new.pm", &[1], Some(1)),
            ],
        );
        let cleared = published.select(root, vec![report("a.pm", &[1], Some(1))]);
        assert_eq!(sent(&cleared), [("file:///b/new.pm".into(), 0, None)]);
        assert!(
            published
                .select(root, vec![report("a.pm", &[1], Some(1))])
                .is_empty()
        );
    }
}
