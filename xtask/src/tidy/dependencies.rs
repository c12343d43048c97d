//! Every dependency is declared once: its version (and default features, path, source) in the
//! root `Cargo.toml`'s `[workspace.dependencies]`, with the reason it earns its place beside
//! it, and members write `name.workspace = true`, adding at most `features` and `optional`.
//! So one version of each crate is chosen in one place, and a bump is a one-line change.
//!
//! - A member's dependency with its own version, path or source, or with keys beyond
//!   `features` and `optional`, is a problem; so is a workspace dependency no member uses.
//! - `fuzz/` and `editors/zed/` are workspaces of their own, on purpose: fuzzing builds with
//!   libFuzzer's instrumentation, which ordinary builds must not inherit, and Zed builds its
//!   extension alone from its folder. They cannot inherit, so each dependency they share with
//!   the root must ask for exactly the root's version requirement (or, for the workspace's
//!   own crates, point at the same directory); crates only they use (`libfuzzer-sys`,
//!   `zed_extension_api`) are theirs to declare.
//! - Any other `Cargo.toml` must be a member or a workspace of its own.

use std::collections::BTreeSet;

use super::Problem;
use crate::manifest::{Manifest, manifest_path};
use crate::repo::Tree;

/// What a member may write beside `workspace = true`.
const MEMBER_KEYS: [&str; 3] = ["workspace", "features", "optional"];

/// The dependency problems of `tree`.
pub fn check(tree: &Tree) -> Result<Vec<Problem>, String> {
    let root = Manifest::read(tree, "")?;
    let declared = root
        .workspace()
        .and_then(|w| w.get("dependencies"))
        .and_then(toml::Value::as_table)
        .cloned()
        .unwrap_or_default();
    let members = root.members()?;
    let mut problems = Vec::new();
    let mut used = BTreeSet::new();
    for dir in &members {
        let member = Manifest::read(tree, dir)?;
        for (table_name, table) in member.dependency_tables() {
            for (name, spec) in table {
                used.insert(name.clone());
                if let Some(message) = member_problem(name, spec) {
                    problems.push(Problem::new(
                        member.path(),
                        format!("{table_name} {message}"),
                    ));
                }
            }
        }
    }
    for name in declared.keys().filter(|name| !used.contains(*name)) {
        problems.push(Problem::new(
            root.path(),
            format!("[workspace.dependencies] {name} is used by no member: remove it"),
        ));
    }
    for file in tree.files() {
        let Some(dir) = file
            .strip_suffix("Cargo.toml")
            .filter(|dir| dir.is_empty() || dir.ends_with('/'))
            .map(|dir| dir.trim_end_matches('/'))
        else {
            continue;
        };
        if dir.is_empty() || members.iter().any(|member| member == dir) {
            continue;
        }
        let manifest = Manifest::read(tree, dir)?;
        if manifest.workspace().is_none() {
            problems.push(Problem::new(
                file.as_str(),
                "is in no workspace: add it to the root's [workspace] members, or give it a \
                 [workspace] of its own and say why",
            ));
            continue;
        }
        problems.extend(separate_workspace_problems(&manifest, &declared));
    }
    Ok(problems)
}

/// What is wrong with a member's dependency `name = spec`, if anything.
fn member_problem(name: &str, spec: &toml::Value) -> Option<String> {
    let inherits = spec
        .get("workspace")
        .and_then(toml::Value::as_bool)
        .unwrap_or(false);
    if !inherits {
        return Some(format!(
            "{name} is declared here ({}): declare it once in the root Cargo.toml's \
             [workspace.dependencies] and write `{name}.workspace = true` here",
            describe(spec)
        ));
    }
    let extra: Vec<&str> = spec
        .as_table()
        .into_iter()
        .flat_map(|table| table.keys())
        .map(String::as_str)
        .filter(|key| !MEMBER_KEYS.contains(key))
        .collect();
    (!extra.is_empty()).then(|| {
        format!(
            "{name} sets {} beside `workspace = true`: that belongs in the root Cargo.toml's \
             [workspace.dependencies] (a member adds only `features` and `optional`)",
            extra
                .iter()
                .map(|key| format!("`{key}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

/// The problems of a workspace of its own (`fuzz/`, `editors/zed/`): each dependency it
/// shares with the root must ask for what the root's `declared` asks for.
fn separate_workspace_problems(manifest: &Manifest, declared: &toml::Table) -> Vec<Problem> {
    let own_workspace = manifest
        .workspace()
        .and_then(|w| w.get("dependencies"))
        .and_then(toml::Value::as_table)
        .map(|table| ("[workspace.dependencies]".to_owned(), table));
    let mut problems = Vec::new();
    for (table_name, table) in manifest
        .dependency_tables()
        .into_iter()
        .chain(own_workspace)
    {
        for (name, spec) in table {
            // `workspace = true` here inherits from its own [workspace.dependencies], checked
            // below as a table of its own.
            let inherits = spec.get("workspace").and_then(toml::Value::as_bool) == Some(true);
            let Some(root_spec) = declared.get(name).filter(|_| !inherits) else {
                continue;
            };
            let wanted = Requirement::of(root_spec, "");
            let found = Requirement::of(spec, &manifest.dir);
            if found != wanted {
                problems.push(Problem::new(
                    manifest_path(&manifest.dir),
                    format!(
                        "{table_name} {name} asks for {found}, the root [workspace.dependencies] \
                         for {wanted}: ask for the same ({} is a workspace of its own, so it \
                         cannot inherit it)",
                        manifest.dir
                    ),
                ));
            }
        }
    }
    problems
}

/// What a dependency asks for: a version requirement, or a directory of the checkout.
#[derive(PartialEq)]
enum Requirement {
    Version(String),
    Path(String),
    Other(String),
}

impl Requirement {
    /// The requirement of `spec`, written in the manifest in directory `dir`. A path wins
    /// over a version (cargo uses the path inside the checkout).
    fn of(spec: &toml::Value, dir: &str) -> Requirement {
        if let Some(version) = spec.as_str() {
            return Requirement::Version(version.to_owned());
        }
        if let Some(path) = spec.get("path").and_then(toml::Value::as_str) {
            return Requirement::Path(normalize(dir, path));
        }
        match spec.get("version").and_then(toml::Value::as_str) {
            Some(version) => Requirement::Version(version.to_owned()),
            None => Requirement::Other(describe(spec)),
        }
    }
}

impl std::fmt::Display for Requirement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Requirement::Version(version) => write!(f, "version \"{version}\""),
            Requirement::Path(path) => write!(f, "the crate in {path}/"),
            Requirement::Other(spec) => f.write_str(spec),
        }
    }
}

/// `path`, written in directory `dir`, as a directory relative to the root (`../vm` in
/// `fuzz` is `vm`). `..` beyond the root is kept, so such a path never equals one inside.
fn normalize(dir: &str, path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in dir.split('/').chain(path.split('/')) {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|last| *last != "..") => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

/// A dependency's specification as written, for messages.
fn describe(spec: &toml::Value) -> String {
    match spec {
        toml::Value::String(version) => format!("\"{version}\""),
        other => other.to_string().trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo::testing::TempTree;

    const ROOT: &str = r#"
[workspace]
members = ["a", "b"]

[workspace.dependencies]
a = { path = "a" }
serde = "1.0.200"
ed = { version = "3.0.0", default-features = false }
unused = "0.1"
"#;

    fn problems(files: &[(&str, &str)]) -> Vec<String> {
        let temp = TempTree::new(files);
        check(&temp.tree())
            .unwrap()
            .into_iter()
            .map(|p| format!("{}: {}", p.file, p.message))
            .collect()
    }

    #[test]
    fn members_inherit_every_dependency() {
        let found = problems(&[
            ("Cargo.toml", ROOT),
            (
                "a/Cargo.toml",
                "[package]\nname = \"a\"\n[dependencies]\nserde.workspace = true\n\
                 ed = { workspace = true, features = [\"fast\"], optional = true }\n\
                 [dev-dependencies]\nunused.workspace = true\n",
            ),
            (
                "b/Cargo.toml",
                "[package]\nname = \"b\"\n[dependencies]\na.workspace = true\n\
                 getrandom = \"0.3\"\n\
                 [target.'cfg(unix)'.dependencies]\nlibc = { version = \"0.2\" }\n\
                 [build-dependencies]\ncc = { path = \"../cc\" }\n\
                 [dev-dependencies]\nserde = { workspace = true, default-features = false }\n",
            ),
        ]);
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(
            found[0]
                .starts_with("b/Cargo.toml: [dependencies] getrandom is declared here (\"0.3\")")
        );
        assert!(found[0].ends_with("write `getrandom.workspace = true` here"));
        assert!(
            found[1].starts_with("b/Cargo.toml: [dev-dependencies] serde sets `default-features`")
        );
        assert!(found[2].starts_with("b/Cargo.toml: [build-dependencies] cc is declared here"));
        assert!(
            found[3].starts_with(
                "b/Cargo.toml: [target.'cfg(unix)'.dependencies] libc is declared here"
            )
        );
    }

    #[test]
    fn an_unused_workspace_dependency_is_reported() {
        let found = problems(&[
            ("Cargo.toml", ROOT),
            (
                "a/Cargo.toml",
                "[package]\nname = \"a\"\n[dependencies]\nserde.workspace = true\ned.workspace = true\n",
            ),
            (
                "b/Cargo.toml",
                "[package]\nname = \"b\"\n[dependencies]\na.workspace = true\n",
            ),
        ]);
        assert_eq!(
            found,
            ["Cargo.toml: [workspace.dependencies] unused is used by no member: remove it"]
        );
    }

    #[test]
    fn a_separate_workspace_asks_for_the_roots_requirements() {
        let clean_members = [
            ("Cargo.toml", ROOT),
            (
                "a/Cargo.toml",
                "[package]\nname = \"a\"\n[dependencies]\nserde.workspace = true\ned.workspace = true\nunused.workspace = true\n",
            ),
            (
                "b/Cargo.toml",
                "[package]\nname = \"b\"\n[dependencies]\na.workspace = true\n",
            ),
        ];
        let agreeing = "[package]\nname = \"f\"\n[workspace]\n[dependencies]\n\
            serde = \"1.0.200\"\ned = \"3.0.0\"\na = { path = \"../a\", features = [\"x\"] }\n\
            libfuzzer-sys = \"0.4\"\n";
        let mut files = clean_members.to_vec();
        files.push(("fuzz/Cargo.toml", agreeing));
        assert_eq!(problems(&files), Vec::<String>::new());

        let disagreeing = "[package]\nname = \"f\"\n[workspace]\n[dependencies]\n\
            serde = \"1.0\"\na = { path = \"../b\" }\n[dev-dependencies]\ned = { version = \"2\" }\n";
        let mut files = clean_members.to_vec();
        files.push(("fuzz/Cargo.toml", disagreeing));
        let found = problems(&files);
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(found[0].starts_with(
            "fuzz/Cargo.toml: [dependencies] a asks for the crate in b/, the root \
             [workspace.dependencies] for the crate in a/"
        ));
        assert!(found[1].contains("serde asks for version \"1.0\", the root [workspace.dependencies] for version \"1.0.200\""));
        assert!(found[1].ends_with("(fuzz is a workspace of its own, so it cannot inherit it)"));
        assert!(found[2].contains("[dev-dependencies] ed asks for version \"2\""));
    }

    #[test]
    fn every_manifest_belongs_to_a_workspace() {
        let found = problems(&[
            ("Cargo.toml", ROOT),
            (
                "a/Cargo.toml",
                "[package]\nname = \"a\"\n[dependencies]\nserde.workspace = true\ned.workspace = true\nunused.workspace = true\n",
            ),
            (
                "b/Cargo.toml",
                "[package]\nname = \"b\"\n[dependencies]\na.workspace = true\n",
            ),
            ("stray/Cargo.toml", "[package]\nname = \"stray\"\n"),
            ("notCargo.toml", "not a manifest at all ["),
        ]);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].starts_with("stray/Cargo.toml: is in no workspace"));
    }

    #[test]
    fn paths_are_normalized_from_the_manifest_directory() {
        assert_eq!(normalize("fuzz", "../vm"), "vm");
        assert_eq!(normalize("", "vm"), "vm");
        assert_eq!(normalize("a/b", "./../../c/"), "c");
        assert_eq!(normalize("a", "../../outside"), "../outside");
    }
}
