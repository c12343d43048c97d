//! The whole front end in one call: a bundle's sources in, syntax trees, account, checked model
//! and every diagnostic out. The command line and the language server both start here.

use crate::account::{self, Account};
use crate::check;
use crate::diagnostic::{self, Code, Diagnostic, Severity};
use crate::model::CheckedBundle;
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::{self, ast};
use crate::truth::ConstantValues;

/// Everything the front end knows about one bundle.
#[derive(Debug)]
pub struct Analysis {
    /// The syntax tree of every `.pm` file, in bundle order (possibly partial).
    pub files: Vec<ast::File>,
    /// The account, when `account.toml` exists and could be read.
    pub account: Option<Account>,
    /// The checked bundle, when there is no error at all.
    pub bundle: Option<CheckedBundle>,
    /// Every diagnostic, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Analyses a bundle: `account` is the id of `account.toml` in `sources` (when it exists) and
/// `pm_files` the ids of the `.pm` files. Bundle order is the files sorted by path, byte by byte.
pub fn analyze(sources: &SourceMap, account: Option<FileId>, pm_files: &[FileId]) -> Analysis {
    analyze_read(
        sources,
        account,
        pm_files,
        Vec::new(),
        &mut ConstantValues::default(),
    )
}

/// Like [`analyze`], with the diagnostics found while reading the bundle's files (a file too
/// large to read, one that is not UTF-8): they are sorted in with the others, and any error
/// among them means no bundle, as an error of the front end does; conditions are decided
/// through `constants` ([`check::check_bundle`]).
pub fn analyze_read(
    sources: &SourceMap,
    account: Option<FileId>,
    pm_files: &[FileId],
    read_problems: Vec<Diagnostic>,
    constants: &mut ConstantValues,
) -> Analysis {
    let mut diagnostics = Vec::new();
    let mut order: Vec<FileId> = pm_files.to_vec();
    order.sort_by(|a, b| {
        sources
            .get(*a)
            .path
            .as_bytes()
            .cmp(sources.get(*b).path.as_bytes())
    });
    let files: Vec<ast::File> = order
        .iter()
        .map(|&id| syntax::parse_file(id, &sources.get(id).text, &mut diagnostics))
        .collect();
    let account = match account {
        Some(id) => account::load(id, &sources.get(id).text, &mut diagnostics),
        None => {
            if let Some(&first) = order.first() {
                diagnostics.push(
                    Diagnostic::new(
                        Code::E0507,
                        Span::new(first, 0..0),
                        "the bundle has no account.toml",
                    )
                    .with_label("this file's bundle has no account")
                    .with_help("create account.toml at the bundle root (`pmc init` writes one)"),
                );
            }
            None
        }
    };
    let syntax_end = diagnostics.len();
    let checked = check::check_bundle(&files, account.as_ref(), constants, &mut diagnostics);
    drop_follow_on_errors(&files, syntax_end, &mut diagnostics);
    // Problems of reading hide nothing the front end found in what could be read.
    diagnostics.extend(read_problems);
    // An error anywhere — in a `.pm` file or in `account.toml` — means no bundle.
    let bundle = match (checked, &account) {
        (Some((messages, conditions)), Some(account))
            if !diagnostics.iter().any(Diagnostic::is_error) =>
        {
            Some(CheckedBundle {
                account: account.clone(),
                conditions,
                messages,
            })
        }
        _ => None,
    };
    diagnostic::sort(&mut diagnostics);
    Analysis {
        files,
        account,
        bundle,
        diagnostics,
    }
}

/// Drops the checker's diagnostics (those from `first_checked` on) inside items that have
/// lexical or syntax errors leaving a partial tree: it says little, and "missing clause" or
/// "unknown condition" after a syntax error would only repeat it in other words. Errors after
/// which the tree is whole ([`syntax::keeps_tree_whole`]: a misspelt clause keyword, a bare
/// number for a duration, …) hide nothing. Items do not overlap, so each diagnostic's item is
/// found by binary search: linear in the diagnostics and items.
fn drop_follow_on_errors(
    files: &[ast::File],
    first_checked: usize,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut items: Vec<Span> = files
        .iter()
        .flat_map(|f| &f.items)
        .map(ast::Item::span)
        .collect();
    items.sort_by_key(|item| (item.file, item.start));
    let item_of = |span: Span| -> Option<usize> {
        let after =
            items.partition_point(|item| (item.file, item.start) <= (span.file, span.start));
        after.checked_sub(1).filter(|&i| items[i].contains(span))
    };
    let mut broken = vec![false; items.len()];
    for diagnostic in &diagnostics[..first_checked] {
        if diagnostic.severity == Severity::Error
            && !syntax::keeps_tree_whole(diagnostic.code)
            && let Some(item) = item_of(diagnostic.primary.span)
        {
            broken[item] = true;
        }
    }
    let mut index = 0;
    diagnostics.retain(|d| {
        index += 1;
        index <= first_checked || !item_of(d.primary.span).is_some_and(|item| broken[item])
    });
}
