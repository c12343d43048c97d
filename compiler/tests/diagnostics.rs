//! Every diagnostic code on an example, snapshot-tested.
//!
//! The cases are found on disk, so adding an example adds a case:
//!
//! - each `.pm` file of `examples/errors/` (one bundle) and `examples/warnings/` (another), named
//!   after the code it shows (`E0302-unknown-field.pm`);
//! - each `examples/errors/E05xx-*/` directory, a bundle of its own whose `account.toml` shows
//!   the problem;
//! - `examples/no-account/`, a directory without `account.toml` (E0507). It cannot live under
//!   `examples/errors/`: a subdirectory without `account.toml` belongs to the bundle around it.
//!
//! Each case is analysed as `pmc check` does (`load_bundle`, then `analyze`); the diagnostics of
//! the case's file (the whole bundle for a directory) are rendered for people and compared with
//! a snapshot in `tests/snapshots/`. A file case also keeps the account's diagnostics of the code
//! it shows, since some (W0102) are reported in `account.toml`. E0107 (a file over 16 MiB) is
//! tested on a text built in memory rather than a checked-in file.
//!
//! Update the snapshots with `cargo xtask bless` (or `cargo insta review`), then read the
//! `.snap` files: each must show the right diagnostic at the right place.

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use pmc::analysis::{analyze, analyze_read};
use pmc::diagnostic::{Code, Diagnostic, Severity, render};
use pmc::fs::{ACCOUNT_FILE, load_bundle};
use pmc::source::FileId;
use pmc::truth::ConstantValues;

/// What a case is expected to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// At least one error: `pmc check` exits 1.
    Errors,
    /// No error: `pmc check` exits 0.
    NoErrors,
}

/// One example: a `.pm` file of a shared bundle, or a bundle directory of its own.
#[derive(Debug)]
struct Case {
    /// The snapshot name, e.g. `errors-E0302-unknown-field`.
    name: String,
    /// The code the example is named after.
    code: Code,
    /// The bundle root.
    root: PathBuf,
    /// The `.pm` file, relative to the root, for file cases; `None` for a directory case.
    file: Option<String>,
    /// The path given to `pmc check`.
    path: PathBuf,
    expect: Expect,
}

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

/// The code at the start of a file or directory name such as `E0302-unknown-field.pm`.
fn code_of(name: &str) -> Code {
    name.get(..5)
        .and_then(Code::parse)
        .unwrap_or_else(|| panic!("{name} does not start with a diagnostic code"))
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    entries
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// The `.pm` files directly in `dir` (one bundle), each a case.
fn file_cases(family: &str, expect: Expect) -> Vec<Case> {
    let root = examples_dir().join(family);
    sorted_entries(&root)
        .into_iter()
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "pm"))
        .map(|path| {
            let file = file_name(&path);
            let stem = file.trim_end_matches(".pm");
            Case {
                name: format!("{family}-{stem}"),
                code: code_of(&file),
                root: root.clone(),
                file: Some(file.clone()),
                path,
                expect,
            }
        })
        .collect()
}

/// The bundle directories inside `examples/errors/` (the `E05xx` cases), and
/// `examples/no-account/`.
fn directory_cases() -> Vec<Case> {
    let errors = examples_dir().join("errors");
    let mut cases: Vec<Case> = sorted_entries(&errors)
        .into_iter()
        .filter(|p| p.is_dir())
        .map(|dir| {
            let name = file_name(&dir);
            assert!(
                dir.join(ACCOUNT_FILE).is_file(),
                "{} has no {ACCOUNT_FILE}: it would be read as part of the examples/errors bundle",
                dir.display()
            );
            Case {
                name: format!("errors-{name}"),
                code: code_of(&name),
                root: dir.clone(),
                file: None,
                path: dir,
                expect: Expect::Errors,
            }
        })
        .collect();
    let no_account = examples_dir().join("no-account");
    cases.push(Case {
        name: "errors-E0507-no-account".to_string(),
        code: Code::E0507,
        root: no_account.clone(),
        file: None,
        path: no_account,
        expect: Expect::Errors,
    });
    cases
}

fn all_cases() -> Vec<Case> {
    let mut cases = file_cases("errors", Expect::Errors);
    cases.extend(directory_cases());
    cases.extend(file_cases("warnings", Expect::NoErrors));
    cases
}

/// Analyses a case's bundle and renders the diagnostics the case is about.
fn analyse(case: &Case) -> (Vec<Diagnostic>, String) {
    let bundle = load_bundle(&case.root)
        .unwrap_or_else(|e| panic!("{}: cannot load the bundle: {e}", case.name));
    let analysis = analyze(&bundle.sources, bundle.account, &bundle.pm_files);
    let diagnostics: Vec<Diagnostic> = analysis
        .diagnostics
        .into_iter()
        .filter(|d| {
            let path = bundle.sources.get(d.primary.span.file).path.as_str();
            match &case.file {
                None => true,
                Some(file) => path == file || (path == ACCOUNT_FILE && d.code == case.code),
            }
        })
        .collect();
    let rendered = render::human(&diagnostics, &bundle.sources, false);
    (diagnostics, rendered)
}

fn check_case(case: &Case) {
    let (diagnostics, rendered) = analyse(case);
    let codes: Vec<Code> = diagnostics.iter().map(|d| d.code).collect();
    assert!(
        codes.contains(&case.code),
        "{}: expected {} among {codes:?}\n{rendered}",
        case.name,
        case.code
    );
    let has_error = diagnostics.iter().any(|d| d.severity == Severity::Error);
    assert_eq!(
        has_error,
        case.expect == Expect::Errors,
        "{}: errors expected: {:?}\n{rendered}",
        case.name,
        case.expect
    );
    let mut settings = insta::Settings::clone_current();
    let shown = case.path.strip_prefix(examples_dir()).unwrap_or(&case.path);
    settings.set_description(format!("pmc check examples/{}", shown.display()));
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(case.name.as_str(), rendered));
}

/// Runs `check` on every case and fails once at the end, naming every failing case.
fn check_all(cases: &[Case]) {
    assert!(!cases.is_empty());
    let failed: Vec<&str> = cases
        .iter()
        .filter(|case| catch_unwind(AssertUnwindSafe(|| check_case(case))).is_err())
        .map(|case| case.name.as_str())
        .collect();
    assert!(failed.is_empty(), "failing cases: {failed:?}");
}

/// What the language server relies on when it keeps one memory of decided conditions from
/// analysis to analysis: diagnostics do not depend on what that memory already holds. Every
/// case is analysed with one memory shared by all of them, in both orders, and gives exactly
/// what a fresh analysis gives.
#[test]
fn a_shared_memory_of_decided_conditions_changes_no_diagnostic() {
    let bundles: Vec<_> = all_cases()
        .iter()
        .map(|case| load_bundle(&case.root).unwrap())
        .collect();
    let fresh: Vec<Vec<Diagnostic>> = bundles
        .iter()
        .map(|b| analyze(&b.sources, b.account, &b.pm_files).diagnostics)
        .collect();
    let mut shared = ConstantValues::default();
    for order in [false, true] {
        let mut indices: Vec<usize> = (0..bundles.len()).collect();
        if order {
            indices.reverse();
        }
        for i in indices {
            let b = &bundles[i];
            let analysis =
                analyze_read(&b.sources, b.account, &b.pm_files, Vec::new(), &mut shared);
            assert_eq!(analysis.diagnostics, fresh[i], "{}", all_cases()[i].name);
        }
    }
    assert!(!shared.is_empty(), "the memory was used");
}

#[test]
fn error_files() {
    check_all(&file_cases("errors", Expect::Errors));
}

#[test]
fn account_errors() {
    check_all(&directory_cases());
}

#[test]
fn warning_files() {
    check_all(&file_cases("warnings", Expect::NoErrors));
}

#[test]
fn every_code_has_a_case() {
    let covered: BTreeSet<Code> = all_cases()
        .iter()
        .map(|c| c.code)
        // `source_file_too_large` below; E0108 (bytes that are not UTF-8) in `bundle_files.rs`.
        .chain([Code::E0107, Code::E0108])
        // Texts of 64 KiB and bundles of 8 MiB: built in memory by `tests/format_limits.rs`.
        .chain([Code::E0418, Code::E0420])
        .collect();
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|code| !covered.contains(code))
        .map(|code| code.as_str())
        .collect();
    assert!(missing.is_empty(), "codes without an example: {missing:?}");
}

#[test]
fn case_names_are_unique_and_match_their_family() {
    let cases = all_cases();
    let names: BTreeSet<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names.len(), cases.len());
    for case in &cases {
        let warning = case.code.default_severity() == Severity::Warning;
        assert_eq!(
            warning,
            case.expect == Expect::NoErrors,
            "{}: warnings go to examples/warnings, errors to examples/errors",
            case.name
        );
    }
}

#[test]
fn shared_accounts_are_clean() {
    // The errors bundle's account has no problem of its own, so each file shows only its
    // code; the warnings bundle's account has exactly the W0102 channel.
    for (family, expected) in [("errors", vec![]), ("warnings", vec![Code::W0102])] {
        let bundle = load_bundle(&examples_dir().join(family)).unwrap();
        let analysis = analyze(&bundle.sources, bundle.account, &bundle.pm_files);
        let in_account: Vec<Code> = analysis
            .diagnostics
            .iter()
            .filter(|d| Some(d.primary.span.file) == bundle.account)
            .map(|d| d.code)
            .collect();
        assert_eq!(
            in_account, expected,
            "diagnostics in examples/{family}/account.toml"
        );
    }
}

#[test]
fn source_file_too_large() {
    let line = "// generated by a script that wrote the same message over and over\n";
    let text = line.repeat(16 * 1024 * 1024 / line.len() + 1);
    assert!(text.len() > pmc::syntax::lexer::MAX_SOURCE_BYTES);
    let mut diagnostics = Vec::new();
    let started = Instant::now();
    let file = pmc::syntax::parse_file(FileId(0), &text, &mut diagnostics);
    let elapsed = started.elapsed();
    assert!(
        elapsed < Duration::from_millis(500),
        "a file over the limit is not lexed, yet it took {elapsed:?}"
    );
    assert!(file.items.is_empty());
    let codes: Vec<Code> = diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::E0107]);
    let diagnostic = &diagnostics[0];
    assert_eq!(diagnostic.severity, Severity::Error);
    assert_eq!(
        (diagnostic.primary.span.start, diagnostic.primary.span.end),
        (0, 0)
    );
    assert!(
        diagnostic.message.contains(&text.len().to_string()),
        "{}",
        diagnostic.message
    );
}

fn pmc_check(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pmc"))
        .arg("check")
        .args(args)
        .output()
        .expect("pmc runs")
}

#[test]
fn pmc_check_exit_status() {
    let mut wrong = Vec::new();
    for case in all_cases() {
        let output = pmc_check(&[case.path.as_os_str()]);
        let expected = match case.expect {
            Expect::Errors => 1,
            Expect::NoErrors => 0,
        };
        let stderr = String::from_utf8_lossy(&output.stderr);
        if output.status.code() != Some(expected) || !stderr.contains(&format!("[{}]", case.code)) {
            wrong.push(format!(
                "{}: exit {:?}, expected {expected} and a [{}] report\n{stderr}",
                case.name,
                output.status.code(),
                case.code
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn pmc_check_acme_is_clean() {
    let acme = examples_dir().join("acme");
    let output = pmc_check(&[
        acme.as_os_str(),
        "--message-format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    assert_eq!(value["diagnostics"], serde_json::json!([]));
    assert_eq!(value["errors"], 0);
    assert_eq!(value["warnings"], 0);
}

#[test]
fn byte_order_marks_are_accepted_in_pm_files_and_account_toml() {
    let dir = std::env::temp_dir().join(format!("pmc-bom-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let account = std::fs::read_to_string(examples_dir().join("errors/account.toml")).unwrap();
    std::fs::write(dir.join(ACCOUNT_FILE), format!("\u{feff}{account}")).unwrap();
    let message = "\u{feff}message \"Pricing help\" {\n    brand \"Acme\"\n    channel \"Acme iOS\"\n    \
                   say \"Questions?\"\n    respond agent { follow_up \"An agent will be with you shortly.\" }\n    \
                   after screen_open 30s\n    frequency once_per_visit\n}\n";
    std::fs::write(dir.join("a.pm"), message).unwrap();
    let clean = pmc_check(&[dir.as_os_str()]);
    // A mistake on the first line is reported at the column the editor shows, not one further.
    std::fs::write(dir.join("a.pm"), message.replace("message", "Message")).unwrap();
    let mistake = pmc_check(&[dir.as_os_str()]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );
    let stderr = String::from_utf8_lossy(&mistake.stderr);
    assert!(
        stderr.contains("[E0106]") && stderr.contains("a.pm:1:1 "),
        "{stderr}"
    );
}
