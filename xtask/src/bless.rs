//! `cargo xtask bless`: regenerates, in one command, every generated file and snapshot that a
//! test or a CI check holds to its source.
//!
//! Each step drives the mechanism the check itself offers, so there is one way to write each
//! file: the drift tests' environment variables (`PM_VM_BLESS`, `PM_BLESS`), insta's
//! `INSTA_UPDATE=always`, the tree-sitter CLI, and the editors' copy scripts. The steps run in
//! [`STEPS`] order (fixtures before the seeds built the same way, say); a step that fails, for
//! example because its tool is not installed, does not stop the others, and the command fails
//! at the end naming it. Review the result with `git diff` before committing: blessing makes
//! the checks pass, it does not make the change right.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::manifest::Manifest;
use crate::repo::{self, Repo, Tree};

/// The arguments of `cargo xtask bless`.
#[derive(clap::Args)]
pub struct Args {
    /// Only these steps (default: every step), run in the order `--list` shows.
    #[arg(value_parser = clap::builder::PossibleValuesParser::new(STEPS.iter().map(|s| s.name)))]
    steps: Vec<String>,
    /// Lists the steps and what each one writes, and runs none.
    #[arg(long)]
    list: bool,
}

/// One thing `bless` regenerates.
struct Step {
    /// The name given on the command line.
    name: &'static str,
    /// What it writes, from what.
    writes: &'static str,
    /// Does it.
    run: fn(&Repo) -> Result<(), String>,
}

/// Every step, in the order they run.
const STEPS: &[Step] = &[
    Step {
        name: "opcodes",
        writes: "vm/FORMAT.md's opcode section, from the opcode table (vm/src/opcode.rs)",
        run: opcodes,
    },
    Step {
        name: "fixtures",
        writes: "vm/tests/fixtures/*.pmb, the bundles the VM's C tests load, built by today's pmc",
        run: fixtures,
    },
    Step {
        name: "fuzz-seeds",
        writes: "fuzz/seeds/load/*.pmb, the load target's seed bundles (plain, and signed with the fuzz key)",
        run: fuzz_seeds,
    },
    Step {
        name: "account-schema",
        writes: "schemas/account.schema.json, the JSON Schema derived from the account types (compiler/src/schema.rs)",
        run: account_schema,
    },
    Step {
        name: "snapshots",
        writes: "every insta snapshot of the workspace; snapshots no test asserts any more are removed",
        run: snapshots,
    },
    Step {
        name: "tree-sitter",
        writes: "editors/tree-sitter-pm/src, the parser generated from grammar.js (needs the pinned tree-sitter CLI)",
        run: tree_sitter,
    },
    Step {
        name: "tree-sitter-corpus",
        writes: "the expected trees of editors/tree-sitter-pm/test/corpus, from the parser (needs the pinned tree-sitter CLI)",
        run: tree_sitter_corpus,
    },
    Step {
        name: "editor-queries",
        writes: "the Helix and Zed copies of editors/tree-sitter-pm/queries (needs node)",
        run: editor_queries,
    },
    Step {
        name: "vscode-grammar",
        writes: "editors/vscode/syntaxes/, the extension's copy of grammar/pm.tmLanguage.json, not committed (needs node)",
        run: vscode_grammar,
    },
];

/// Runs the steps `args` selects.
pub fn run(repo: &Repo, args: &Args) -> Result<(), String> {
    if args.list {
        for step in STEPS {
            println!("{:<20}{}", step.name, step.writes);
        }
        return Ok(());
    }
    let selected: Vec<&Step> = STEPS
        .iter()
        .filter(|step| args.steps.is_empty() || args.steps.iter().any(|s| s == step.name))
        .collect();
    let mut failed = Vec::new();
    for step in &selected {
        eprintln!("== bless {}: {}", step.name, step.writes);
        if let Err(message) = (step.run)(repo) {
            eprintln!("error: bless {}: {message}", step.name);
            failed.push(step.name);
        }
    }
    if failed.is_empty() {
        eprintln!(
            "bless: {} step{} done; review the changes with `git diff`",
            selected.len(),
            if selected.len() == 1 { "" } else { "s" }
        );
        Ok(())
    } else {
        Err(format!(
            "{} of {} bless steps failed: {} (see above)",
            failed.len(),
            selected.len(),
            failed.join(", ")
        ))
    }
}

fn opcodes(repo: &Repo) -> Result<(), String> {
    bless_test(
        repo,
        &["-p", "pm-vm", "--lib"],
        "opcode::doc_tests::format_md_opcode_section_matches_the_table",
        "PM_VM_BLESS",
    )
}

fn fixtures(repo: &Repo) -> Result<(), String> {
    bless_test(
        repo,
        &["-p", "pmc", "--test", "codegen"],
        "the_vm_fixtures_are_todays_builds",
        "PM_BLESS",
    )
}

fn account_schema(repo: &Repo) -> Result<(), String> {
    bless_test(
        repo,
        &["-p", "pmc", "--test", "schemas"],
        "the_account_schema_is_derived_from_the_account_types",
        "PM_BLESS",
    )
}

/// Runs the one test `test` with the environment variable `variable` set, under which it
/// rewrites its file instead of failing, and checks that it ran: a filter that matches no
/// test (the test was renamed) would otherwise pass having written nothing.
fn bless_test(repo: &Repo, target: &[&str], test: &str, variable: &str) -> Result<(), String> {
    let mut cargo = repo.cargo();
    cargo
        .args(["test", "--locked"])
        .args(target)
        .args(["--", "--exact", test])
        .env(variable, "1");
    let out = repo::output(&mut cargo)?;
    let ran = format!("test {test} ... ok");
    if out.lines().any(|line| line == ran) {
        Ok(())
    } else {
        print!("{out}");
        Err(format!(
            "the test {test} did not run (renamed?); bless runs it by name, in xtask/src/bless.rs"
        ))
    }
}

/// The private key the fuzz `load` target trusts (`pm_fuzz::fuzz_key`: the Ed25519 seed
/// `[7; 32]`), in `pmc`'s key file format. It is public on purpose.
const FUZZ_KEY_FILE: &str = "PM-ED25519-PRIVATE-KEY \
    0707070707070707070707070707070707070707070707070707070707070707\n";

fn fuzz_seeds(repo: &Repo) -> Result<(), String> {
    let scratch = Scratch::new("fuzz-key")?;
    let key = scratch.path().join("fuzz.key");
    write_private(&key, FUZZ_KEY_FILE)?;
    let key = key.to_string_lossy();
    for (output, signing) in [
        ("fuzz/seeds/load/acme.pmb", None),
        (
            "fuzz/seeds/load/acme-signed-fuzz-key.pmb",
            Some(["--sign", &key]),
        ),
    ] {
        let mut pmc = repo.cargo();
        pmc.args([
            "run",
            "--locked",
            "-q",
            "-p",
            "pmc",
            "--",
            "build",
            "examples/acme",
        ])
        .args(signing.iter().flatten())
        .args(["-o", output]);
        repo::run(&mut pmc)?;
    }
    Ok(())
}

/// Writes `text` to a new file at `path` that only its owner may read.
fn write_private(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Snapshot tests are run as they are, with `INSTA_UPDATE=always` (each mismatching snapshot
/// is written in place and the assertion passes) and insta's record of the snapshot files
/// each assertion reads (`INSTA_SNAPSHOT_REFERENCES_FILE`, what `cargo insta test
/// --unreferenced=delete` uses). Then, in the `snapshots/` folders of the crates that ran,
/// the snapshots of the targets that ran that no assertion read are removed, with insta's
/// left-over `.snap.new` and `.pending-snap` files. Snapshots of targets that did not run are
/// never touched.
fn snapshots(repo: &Repo) -> Result<(), String> {
    let tree = repo.tree()?;
    let root = Manifest::read(&tree, "")?;
    let scratch = Scratch::new("insta")?;
    let references = scratch.path().join("references");
    let mut ran = Vec::new();
    for dir in root.members()? {
        let manifest = Manifest::read(&tree, &dir)?;
        if !manifest.depends_on("insta") {
            continue;
        }
        let name = manifest
            .package_name()
            .ok_or_else(|| format!("{} has no [package] name", manifest.path()))?
            .to_owned();
        let targets = snapshot_targets(&tree, &dir, &name)?;
        if targets.is_empty() {
            continue;
        }
        let mut cargo = repo.cargo();
        cargo.args(["test", "--locked", "-p", &name]);
        for target in &targets {
            cargo.args(target.cargo_args());
        }
        cargo
            .env("INSTA_UPDATE", "always")
            .env("INSTA_SNAPSHOT_REFERENCES_FILE", &references);
        repo::run(&mut cargo)?;
        ran.push((dir, targets));
    }
    if ran.is_empty() {
        eprintln!("no workspace crate asserts insta snapshots");
        return Ok(());
    }
    let read = read_references(&references)?;
    for (dir, targets) in &ran {
        for file in unreferenced_snapshots(&tree, dir, targets, &read) {
            std::fs::remove_file(repo.path(&file))
                .map_err(|e| format!("cannot remove {file}: {e}"))?;
            let why = if file.ends_with(".snap") {
                "no assertion reads it any more"
            } else {
                "a pending snapshot of an earlier run"
            };
            eprintln!("removed {file}: {why}");
        }
    }
    Ok(())
}

/// A test target that asserts snapshots.
#[derive(Debug, PartialEq)]
enum SnapshotTarget {
    /// The library's unit tests; the crate name prefixes its snapshot names.
    Lib { crate_name: String },
    /// The integration test `tests/NAME.rs` (or `tests/NAME/main.rs`).
    Test { name: String },
}

impl SnapshotTarget {
    fn cargo_args(&self) -> Vec<&str> {
        match self {
            SnapshotTarget::Lib { .. } => vec!["--lib"],
            SnapshotTarget::Test { name } => vec!["--test", name],
        }
    }

    /// What insta's snapshot file names start with for this target: the first part of the
    /// module path, then `__`.
    fn file_prefix(&self) -> String {
        match self {
            SnapshotTarget::Lib { crate_name } => format!("{crate_name}__"),
            SnapshotTarget::Test { name } => format!("{name}__"),
        }
    }
}

/// The targets of the package in `dir` whose own source files use insta: each integration
/// test whose file does, and the library when any file under `src/` does.
fn snapshot_targets(tree: &Tree, dir: &str, package: &str) -> Result<Vec<SnapshotTarget>, String> {
    let tests = format!("{dir}/tests/");
    let src = format!("{dir}/src/");
    let mut targets = Vec::new();
    let mut lib = false;
    for file in tree.files() {
        if !file.ends_with(".rs") {
            continue;
        }
        let test_name = file.strip_prefix(&tests).and_then(|rest| {
            rest.strip_suffix("/main.rs")
                .or_else(|| rest.strip_suffix(".rs"))
                .filter(|name| !name.contains('/'))
        });
        let in_src = file.starts_with(&src);
        if (test_name.is_none() && !in_src) || !tree.read(file)?.contains("insta::") {
            continue;
        }
        match test_name {
            Some(name) => targets.push(SnapshotTarget::Test {
                name: name.to_owned(),
            }),
            None => lib = true,
        }
    }
    if lib {
        targets.push(SnapshotTarget::Lib {
            crate_name: package.replace('-', "_"),
        });
    }
    Ok(targets)
}

/// The snapshot files insta recorded as read, canonicalized.
fn read_references(path: &Path) -> Result<BTreeSet<PathBuf>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "insta recorded no snapshot in {} ({e}); was INSTA_SNAPSHOT_REFERENCES_FILE honoured?",
            path.display()
        )
    })?;
    Ok(text
        .lines()
        .filter(|line| !line.is_empty())
        .map(|line| std::fs::canonicalize(line).unwrap_or_else(|_| PathBuf::from(line)))
        .collect())
}

/// The files to remove from the `snapshots/` folders of the package in `dir`: snapshots of
/// `targets` not in `read`, and every left-over pending snapshot of those targets.
fn unreferenced_snapshots(
    tree: &Tree,
    dir: &str,
    targets: &[SnapshotTarget],
    read: &BTreeSet<PathBuf>,
) -> Vec<String> {
    let prefixes: Vec<String> = targets.iter().map(SnapshotTarget::file_prefix).collect();
    tree.files()
        .iter()
        .filter(|file| {
            let Some((folder, name)) = file.rsplit_once('/') else {
                return false;
            };
            let pending = name.ends_with(".snap.new") || name.ends_with(".pending-snap");
            file.starts_with(&format!("{dir}/"))
                && (folder.ends_with("/snapshots"))
                && prefixes.iter().any(|prefix| name.starts_with(prefix))
                && (pending
                    || (name.ends_with(".snap")
                        && std::fs::canonicalize(tree.path(file))
                            .is_ok_and(|path| !read.contains(&path))))
        })
        .cloned()
        .collect()
}

fn tree_sitter(repo: &Repo) -> Result<(), String> {
    TreeSitter::new(repo)?.run(&["generate", "--js-runtime", "native"])
}

fn tree_sitter_corpus(repo: &Repo) -> Result<(), String> {
    TreeSitter::new(repo)?.run(&["test", "--update"])
}

/// The tree-sitter CLI of the version `editors/tree-sitter-pm/ci.sh` pins, run in the
/// grammar's folder with a private configuration as `ci.sh` runs it: no user settings, no
/// other grammars, the parser compiled afresh.
struct TreeSitter {
    grammar: PathBuf,
    config: Scratch,
}

impl TreeSitter {
    /// The CLI, or why it cannot be used.
    fn new(repo: &Repo) -> Result<TreeSitter, String> {
        let ci = "editors/tree-sitter-pm/ci.sh";
        let script = std::fs::read_to_string(repo.path(ci)).map_err(|e| format!("{ci}: {e}"))?;
        let pinned = script
            .lines()
            .find_map(|line| line.trim().strip_prefix("readonly cli_version="))
            .ok_or_else(|| format!("{ci} no longer pins the CLI (readonly cli_version=…)"))?;
        let wanted = format!("tree-sitter {pinned}");
        let found = Command::new("tree-sitter")
            .arg("--version")
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned());
        if found.as_deref() != Some(wanted.as_str()) {
            return Err(format!(
                "the grammar is built with {wanted} (another version generates another parser), \
                 found {}; install it with `cargo install tree-sitter-cli --version ={pinned} --locked`",
                found.as_deref().unwrap_or("no tree-sitter CLI")
            ));
        }
        let config = Scratch::new("tree-sitter")?;
        let grammars = config.path().join("grammars");
        for dir in [grammars.clone(), config.path().join("lib")] {
            std::fs::create_dir(&dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        let settings = config.path().join("config.json");
        std::fs::write(
            &settings,
            format!(
                "{{\"parser-directories\": [{:?}]}}\n",
                grammars.display().to_string()
            ),
        )
        .map_err(|e| format!("cannot write {}: {e}", settings.display()))?;
        Ok(TreeSitter {
            grammar: repo.path("editors/tree-sitter-pm"),
            config,
        })
    }

    /// Runs `tree-sitter ARGS`.
    fn run(&self, args: &[&str]) -> Result<(), String> {
        let mut cli = Command::new("tree-sitter");
        cli.args(args)
            .current_dir(&self.grammar)
            .env("TREE_SITTER_DIR", self.config.path())
            .env("TREE_SITTER_LIBDIR", self.config.path().join("lib"));
        repo::run(&mut cli)
    }
}

fn editor_queries(repo: &Repo) -> Result<(), String> {
    let mut node = Command::new("node");
    node.arg("scripts/editor-queries.mjs")
        .current_dir(repo.path("editors/tree-sitter-pm"));
    repo::run(&mut node)
}

fn vscode_grammar(repo: &Repo) -> Result<(), String> {
    let mut node = Command::new("node");
    node.arg("scripts/copy-grammar.js")
        .current_dir(repo.path("editors/vscode"));
    repo::run(&mut node)
}

/// A fresh temporary directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(purpose: &str) -> Result<Scratch, String> {
        let path = std::env::temp_dir().join(format!("xtask-{purpose}-{}", std::process::id()));
        // A directory left by a killed run of the same process id holds nothing of value.
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir(&path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        Ok(Scratch(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo::testing::TempTree;

    #[test]
    fn snapshot_targets_are_the_files_that_use_insta() {
        let tree = TempTree::new(&[
            (
                "c/tests/diagnostics.rs",
                "//! x\nfn t() { insta::assert_snapshot!(\"a\"); }",
            ),
            (
                "c/tests/split/main.rs",
                "//! x\nuse insta::assert_snapshot;",
            ),
            ("c/tests/plain.rs", "//! x\n#[test] fn t() {}"),
            (
                "c/tests/common/mod.rs",
                "//! x\nuse insta::assert_snapshot;",
            ),
            ("c/src/lib.rs", "//! x\n"),
            (
                "c/src/deep/inner.rs",
                "//! x\n#[test] fn t() { insta::assert_snapshot!(1); }",
            ),
            ("d/tests/other.rs", "//! x\nuse insta::assert_snapshot;"),
        ]);
        let targets = snapshot_targets(&tree.tree(), "c", "my-crate").unwrap();
        assert_eq!(
            targets,
            [
                SnapshotTarget::Test {
                    name: "diagnostics".into()
                },
                SnapshotTarget::Test {
                    name: "split".into()
                },
                SnapshotTarget::Lib {
                    crate_name: "my_crate".into()
                },
            ]
        );
    }

    #[test]
    fn only_unread_snapshots_of_targets_that_ran_are_removed() {
        let temp = TempTree::new(&[
            ("c/tests/snapshots/diagnostics__read.snap", "x"),
            ("c/tests/snapshots/diagnostics__gone.snap", "x"),
            ("c/tests/snapshots/diagnostics__gone.snap.new", "x"),
            ("c/tests/snapshots/other__not_run.snap", "x"),
            ("c/tests/diagnostics__stray.snap", "x"),
            ("d/tests/snapshots/diagnostics__other_crate.snap", "x"),
        ]);
        let tree = temp.tree();
        let read = BTreeSet::from([std::fs::canonicalize(
            tree.path("c/tests/snapshots/diagnostics__read.snap"),
        )
        .unwrap()]);
        let targets = [SnapshotTarget::Test {
            name: "diagnostics".into(),
        }];
        assert_eq!(
            unreferenced_snapshots(&tree, "c", &targets, &read),
            [
                "c/tests/snapshots/diagnostics__gone.snap",
                "c/tests/snapshots/diagnostics__gone.snap.new",
            ]
        );
    }
}
