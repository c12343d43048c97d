//! IDE queries: completion, hover, navigation, symbols, folding, highlighting and inlay hints.
//!
//! Every query is a pure function of a [`Snapshot`] (the sources of one bundle and their
//! analysis), a file and, where it applies, a byte offset. Answers speak the compiler's own
//! types — [`Span`]s, [`Edit`]s, plain structs — and never a protocol's: the language server
//! converts them to LSP in one module, so these functions are tested without it.
//!
//! Queries work on broken input: completion reads the token stream around the offset, the
//! others the (possibly partial) syntax tree.

mod completion;
mod highlight;
mod hover;
mod navigation;
mod nodes;
mod symbols;

pub use completion::{Completion, CompletionKind, completions};
pub use highlight::{Highlight, HighlightKind, InlayHint, inlay_hints, semantic_tokens};
pub use hover::{Hover, hover};
pub use navigation::{definition, references, rename};
pub use symbols::{
    Fold, FoldKind, Symbol, SymbolKind, document_symbols, folding_ranges, workspace_symbols,
};

use crate::account::Account;
use crate::analysis::{Analysis, analyze_read};
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, SourceMap};
use crate::syntax::ast;
use crate::truth::ConstantValues;

#[cfg(test)]
pub(crate) use tests_support::fixture;

/// One bundle's sources and everything the front end found in them, at one instant.
#[derive(Debug)]
pub struct Snapshot {
    /// `account.toml` and the `.pm` files, paths relative to the bundle root.
    pub sources: SourceMap,
    /// The id of `account.toml`, when the bundle has one.
    pub account_file: Option<FileId>,
    /// The ids of the `.pm` files.
    pub pm_files: Vec<FileId>,
    /// The analysis of the whole bundle.
    pub analysis: Analysis,
}

impl Snapshot {
    /// Analyses the bundle. `extra` are diagnostics found while reading it (files too large to
    /// read): they are sorted in with the others, as `pmc check` does ([`analyze_read`]).
    /// `constants` remembers what earlier analyses decided of conditions (most of a bundle's
    /// conditions are the same from one edit to the next).
    pub fn new(
        sources: SourceMap,
        account_file: Option<FileId>,
        pm_files: Vec<FileId>,
        extra: Vec<Diagnostic>,
        constants: &mut ConstantValues,
    ) -> Snapshot {
        let analysis = analyze_read(&sources, account_file, &pm_files, extra, constants);
        Snapshot {
            sources,
            account_file,
            pm_files,
            analysis,
        }
    }

    /// The account, when `account.toml` could be read.
    pub fn account(&self) -> Option<&Account> {
        self.analysis.account.as_ref()
    }

    /// The syntax tree of a `.pm` file (`None` for `account.toml`).
    pub fn ast(&self, file: FileId) -> Option<&ast::File> {
        self.analysis.files.iter().find(|f| f.file == file)
    }

    /// The text of a file.
    pub fn text(&self, file: FileId) -> &str {
        &self.sources.get(file).text
    }

    /// The diagnostics whose primary span lies in `file`.
    pub fn diagnostics_of(&self, file: FileId) -> impl Iterator<Item = &Diagnostic> {
        self.analysis
            .diagnostics
            .iter()
            .filter(move |d| d.primary.span.file == file)
    }

    /// `offset` moved back to a character boundary of `file` and clamped to its length.
    fn clamp(&self, file: FileId, offset: u32) -> u32 {
        let text = self.text(file);
        let mut offset = (offset as usize).min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset as u32
    }
}

#[cfg(test)]
mod tests_support {
    //! Small bundles with a `$0` cursor marker, shared by the queries' tests.

    use super::{ConstantValues, Snapshot};
    use crate::source::{FileId, SourceMap};

    /// An account with two brands, mobile and web channels, schedules and AI agents.
    pub const ACCOUNT: &str = r#"[[brands]]
name = "Acme"

[[brands]]
name = "Other"

[[channels]]
name = "Acme iOS"
brand = "Acme"
platform = "ios"
schedules = ["Sales hours"]

[[channels]]
name = "Acme Android"
brand = "Acme"
platform = "android"
schedules = ["Night"]

[[channels]]
name = "Acme Web"
brand = "Acme"
platform = "web"

[[channels]]
name = "Other App"
brand = "Other"
platform = "unity"

[[schedules]]
name = "Sales hours"
timezone = "Europe/Paris"
[schedules.hours]
mon = ["09:00-17:00"]

[[schedules]]
name = "Night"
timezone = "UTC"

[[ai_agents]]
name = "Helper"
channels = ["Acme iOS"]
answers = ["Order status", "Returns"]
generative = true

[[ai_agents]]
name = "Other bot"
channels = ["Other App"]
answers = ["Trips"]
"#;

    /// A snapshot of `ACCOUNT` and the `.pm` files `files` (path, text); the one text holding
    /// `$0` gives the returned file and offset (the marker is removed).
    pub fn fixture(files: &[(&str, &str)]) -> (Snapshot, FileId, u32) {
        let mut sources = SourceMap::new();
        let account = sources.add("account.toml", ACCOUNT);
        let mut cursor = None;
        let mut pm_files = Vec::new();
        for (path, text) in files {
            let offset = text.find("$0");
            let id = sources.add(*path, text.replace("$0", ""));
            if let Some(offset) = offset {
                cursor = Some((id, offset as u32));
            }
            pm_files.push(id);
        }
        let (file, offset) = cursor.unwrap_or((pm_files[0], 0));
        (
            Snapshot::new(
                sources,
                Some(account),
                pm_files,
                Vec::new(),
                &mut ConstantValues::default(),
            ),
            file,
            offset,
        )
    }
}
