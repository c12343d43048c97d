//! `pmc test` end to end, on the bundle `tests/ruletest/bundle` (a passing suite in `passing/`,
//! a failing one in `failing/` with every kind of expectation, malformed files and unknown
//! names) and on `examples/acme`: the report for people, exit statuses, coverage and its
//! threshold, LCOV read by Debian's `lcov` and `genhtml`, JUnit XML read by `junitparser` (the
//! parser GitHub's test-result actions use), the JSON report, `pmc init`'s first test, and
//! the source-order evaluation behind coverage agreeing with the VM.
//!
//! Tests that need `lcov`, `genhtml` or Python's `junitparser` skip with a printed reason when
//! the tool is missing, and fail instead when `CI` is set (`.ci/run` installs them).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use pmc::analysis::analyze;
use pmc::trace::{Comparisons, facts_of};
use proptest::prelude::*;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

/// `pmc ARGS` run from the repository root.
fn pmc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pmc"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("pmc runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn temporary(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ruletest");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Whether `program` runs; when not, skips with a reason, or fails under CI.
fn tool(program: &str, probe: &[&str]) -> bool {
    let found = Command::new(program)
        .args(probe)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "`{program} {}` is required in CI but does not run",
            probe.join(" ")
        );
        println!("SKIPPED: `{program}` is not available, so this check did not run");
    }
    found
}

const PASSING: &str = "tests/ruletest/bundle/passing";
const FAILING: &str = "tests/ruletest/bundle/failing";

#[test]
fn a_passing_suite_exits_0_and_ends_with_the_counts() {
    let output = pmc(&["test", PASSING]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert_eq!(text.lines().last(), Some("2 passed, 0 failed"), "{text}");
    insta::assert_snapshot!("passing", text);
}

#[test]
fn a_failing_suite_reports_each_expectation_at_its_line_and_the_other_tests_still_run() {
    let output = pmc(&["test", FAILING]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert_eq!(text.lines().last(), Some("1 passed, 6 failed"), "{text}");
    for expected in [
        // `deliveries`: a diff, and why the expected delivery did not happen.
        "after-hours.pmtest.json:12:19: the deliveries are not the ones expected",
        "      - t=11s \"Pricing help\"",
        "\"Pricing help\" was not delivered at t=11s: outside business hours of \"Office\" (Monday 18:00 in Europe/Paris; Monday's hours are 09:00-17:00)",
        // `delivered`: every check, with the comparison that made the condition false.
        "delivered.pmtest.json:13:20: expected \"Bienvenue\" to be delivered, but it was not",
        "at t=6s: its condition is false: `device.language is \"fr\"` (tests/ruletest/bundle/messages.pm:25:10) is false, with device.language \"en-GB\"",
        // `not_delivered`.
        "not-delivered.pmtest.json:12:24: expected \"Pricing help\" not to be delivered, but it was delivered at t=11s",
        // Unknown names, with the closest one.
        "unknown-message.pmtest.json:12:20: the bundle has no message named \"Bienvenu\"; did you mean \"Bienvenue\"?",
        "unknown-message.pmtest.json:13:24: the bundle has no message named \"Pricing hlep\"; did you mean \"Pricing help\"?",
        // Malformed files: positioned errors.
        "malformed.pmtest.json:5:3: error: expected `,` or `}`",
        "no-expectation.pmtest.json:7:13: error: `expect` states nothing",
        "ok     tests/ruletest/bundle/failing/still-runs.pmtest.json",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    insta::assert_snapshot!("failing", text);
}

#[test]
fn one_test_file_runs_alone_and_other_files_are_refused() {
    let output = pmc(&[
        "test",
        "tests/ruletest/bundle/failing/still-runs.pmtest.json",
    ]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.ends_with("1 passed, 0 failed\n"), "{text}");
    let output = pmc(&["test", "tests/ruletest/bundle/messages.pm"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("neither a directory nor a rule test")
    );
}

#[test]
fn coverage_reports_the_comparison_that_is_never_false_at_its_line() {
    let lcov = temporary("passing.lcov");
    let output = pmc(&[
        "test",
        PASSING,
        "--coverage",
        lcov.to_str().unwrap(),
        "--min-coverage",
        "87.5",
    ]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains(
            "coverage: 87.5% (7 of 8 outcomes): 2 of 2 messages delivered, 2 of 3 comparisons both true and false\n  tests/ruletest/bundle/messages.pm:12:10: `visitor.visit_history is returning` is never false\n  note: \"Paused offer\" is paused: it is not counted\n2 passed, 0 failed"
        ),
        "{text}"
    );
    let records = std::fs::read_to_string(&lcov).unwrap();
    let messages = root().join("tests/ruletest/bundle/messages.pm");
    assert!(
        records.starts_with(&format!("TN:\nSF:{}\n", messages.display())),
        "{records}"
    );
    // `visit_history is returning`, line 12: true once, false never.
    for record in [
        "FN:4,Pricing help",
        "FNDA:1,Pricing help",
        "FNDA:1,Bienvenue",
        "BRDA:11,0,0,1",
        "BRDA:11,0,1,1",
        "BRDA:12,1,0,1",
        "BRDA:12,1,1,0",
        "BRF:6\nBRH:5",
        "DA:12,1",
    ] {
        assert!(
            records.lines().any(|l| l == record) || records.contains(record),
            "missing {record} in\n{records}"
        );
    }
    assert!(!records.contains("Paused offer"), "{records}");
}

#[test]
fn lcov_output_is_read_by_lcov_and_genhtml() {
    if !tool("lcov", &["--version"]) || !tool("genhtml", &["--version"]) {
        return;
    }
    let lcov = temporary("acme.lcov");
    let output = pmc(&[
        "test",
        "examples/acme",
        "--coverage",
        lcov.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let summary = Command::new("lcov")
        .args(["--summary", "--rc", "lcov_branch_coverage=1"])
        .arg(&lcov)
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&summary.stdout),
        String::from_utf8_lossy(&summary.stderr)
    );
    assert!(summary.status.success(), "{said}");
    // 15 published messages (functions), 24 comparisons (48 branches), every one covered.
    assert!(
        said.contains("functions..: 100.0% (15 of 15 functions)"),
        "{said}"
    );
    assert!(
        said.contains("branches...: 100.0% (48 of 48 branches)"),
        "{said}"
    );
    assert!(said.contains("lines......: 100.0%"), "{said}");

    let partial = temporary("partial.lcov");
    let output = pmc(&["test", PASSING, "--coverage", partial.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    let summary = Command::new("lcov")
        .args(["--summary", "--rc", "lcov_branch_coverage=1"])
        .arg(&partial)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&summary.stdout).into_owned()
        + &String::from_utf8_lossy(&summary.stderr);
    assert!(
        said.contains("branches...: 83.3% (5 of 6 branches)"),
        "{said}"
    );

    let html = temporary("html");
    let _ = std::fs::remove_dir_all(&html);
    let generated = Command::new("genhtml")
        .args(["--branch-coverage", "--quiet", "--output-directory"])
        .arg(&html)
        .arg(&lcov)
        .output()
        .unwrap();
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    let page = std::fs::read_to_string(html.join("index.html")).unwrap();
    assert!(page.contains("acme"), "{page}");
}

#[test]
fn the_threshold_fails_a_run_below_it_and_one_without_tests() {
    let output = pmc(&["test", PASSING, "--min-coverage", "90"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.ends_with("error: coverage 87.5% is below the minimum of 90%\n2 passed, 0 failed\n"),
        "{text}"
    );
    let empty = temporary("empty-suite");
    std::fs::create_dir_all(&empty).unwrap();
    std::fs::copy(
        root().join("tests/ruletest/bundle/account.toml"),
        empty.join("account.toml"),
    )
    .unwrap();
    std::fs::copy(
        root().join("tests/ruletest/bundle/messages.pm"),
        empty.join("messages.pm"),
    )
    .unwrap();
    let dir = empty.to_str().unwrap();
    let output = pmc(&["test", dir]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).ends_with("0 passed, 0 failed\n"));
    let output = pmc(&["test", dir, "--min-coverage", "0"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("error: there are no tests"), "{text}");
    for bad in ["150", "-1", "lots"] {
        let output = pmc(&["test", PASSING, "--min-coverage", bad]);
        assert_eq!(output.status.code(), Some(2), "{bad}");
    }
}

#[test]
fn junit_xml_is_read_by_junitparser() {
    // The first Python with junitparser: the one on PATH, or Debian's (`python3-junitparser`).
    let probe = ["-c", "import junitparser"];
    let runs = |python: &str| {
        Command::new(python)
            .args(probe)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let Some(python) = ["python3", "/usr/bin/python3"]
        .into_iter()
        .find(|p| runs(p))
    else {
        assert!(
            !tool("python3", &probe),
            "python3 imports junitparser after all"
        );
        return;
    };
    let xml = temporary("failing.xml");
    let output = pmc(&["test", FAILING, "--junit", xml.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let read = Command::new(python)
        .arg(root().join("tests/ruletest/junit_summary.py"))
        .arg(&xml)
        .output()
        .unwrap();
    assert!(
        read.status.success(),
        "{}",
        String::from_utf8_lossy(&read.stderr)
    );
    let summary: Value = serde_json::from_slice(&read.stdout).unwrap();
    assert_eq!(summary["suites"], 1, "{summary}");
    assert_eq!(summary["tests"], 7, "{summary}");
    assert_eq!(summary["failures"], 4, "{summary}");
    assert_eq!(summary["errors"], 2, "{summary}");
    let cases = summary["cases"].as_array().unwrap();
    let case = |classname: &str| {
        cases
            .iter()
            .find(|c| c["classname"] == classname)
            .unwrap_or_else(|| panic!("no case {classname} in {summary}"))
    };
    let unknown = case("tests/ruletest/bundle/failing/unknown-message.pmtest.json");
    assert_eq!(unknown["name"], "Names a message the bundle does not have");
    assert_eq!(
        unknown["results"],
        serde_json::json!([
            [
                "failure",
                "the bundle has no message named \"Bienvenu\"; did you mean \"Bienvenue\"?"
            ],
            [
                "failure",
                "the bundle has no message named \"Pricing hlep\"; did you mean \"Pricing help\"?"
            ],
        ])
    );
    let malformed = case("tests/ruletest/bundle/failing/malformed.pmtest.json");
    assert_eq!(
        malformed["results"],
        serde_json::json!([["error", "expected `,` or `}`"]])
    );
    assert!(
        malformed["text"][0]
            .as_str()
            .unwrap()
            .contains("malformed.pmtest.json:5:3")
    );
    let passing = case("tests/ruletest/bundle/failing/still-runs.pmtest.json");
    assert_eq!(passing["results"], serde_json::json!([]));
}

#[test]
fn the_json_report_lists_each_test_with_its_failures() {
    let report = temporary("failing.json");
    let coverage = temporary("failing-coverage.json");
    let output = pmc(&[
        "test",
        FAILING,
        "--report",
        report.to_str().unwrap(),
        "--coverage",
        coverage.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(
        (report["passed"].clone(), report["failed"].clone()),
        (1.into(), 6.into())
    );
    let tests = report["tests"].as_array().unwrap();
    let statuses: Vec<&str> = tests
        .iter()
        .map(|t| t["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        [
            "failed", "failed", "error", "error", "failed", "passed", "failed"
        ]
    );
    let not_delivered = &tests[4];
    assert_eq!(not_delivered["failures"][0]["line"], 12);
    assert_eq!(not_delivered["failures"][0]["column"], 24);
    assert_eq!(
        not_delivered["deliveries"],
        serde_json::json!([{ "t": 11, "message": "Pricing help" }])
    );
    assert_eq!(tests[2]["error"]["line"], 5);
    assert!(report["coverage"]["percent"].is_number());
    let coverage: Value =
        serde_json::from_str(&std::fs::read_to_string(&coverage).unwrap()).unwrap();
    assert_eq!(coverage["paused"], serde_json::json!(["Paused offer"]));
    let returning = coverage["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["text"] == "visitor.visit_history is returning")
        .unwrap();
    // The failing suite has no new visitor on pricing either.
    assert_eq!(
        (returning["line"].clone(), returning["false"].clone()),
        (12.into(), 0.into())
    );
}

#[test]
fn acme_passes_with_every_outcome_covered() {
    let output = pmc(&["test", "examples/acme", "--min-coverage", "100"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains("coverage: 100% (63 of 63 outcomes): 15 of 15 messages delivered"),
        "{text}"
    );
    assert!(text.ends_with("16 passed, 0 failed\n"), "{text}");
}

#[test]
fn reports_are_never_written_over_inputs() {
    let test_file = root().join("tests/ruletest/bundle/passing/welcome.pmtest.json");
    let before = std::fs::read(&test_file).unwrap();
    for (flag, target) in [
        (
            "--junit",
            "tests/ruletest/bundle/passing/welcome.pmtest.json",
        ),
        ("--report", "tests/ruletest/bundle/messages.pm"),
        ("--coverage", "tests/ruletest/bundle/account.toml"),
    ] {
        let output = pmc(&["test", PASSING, flag, target]);
        assert_eq!(output.status.code(), Some(2), "{flag} {target}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("refusing to write a report"), "{stderr}");
    }
    assert_eq!(std::fs::read(&test_file).unwrap(), before);
}

#[test]
fn a_bundle_with_errors_runs_no_test() {
    let dir = temporary("broken-bundle");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        root().join("tests/ruletest/bundle/account.toml"),
        dir.join("account.toml"),
    )
    .unwrap();
    std::fs::write(dir.join("m.pm"), "message \"M\" {\n    say \"x\"\n}\n").unwrap();
    let output = pmc(&["test", dir.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("[E0401]"), "{stderr}");
    assert!(stderr.contains("no test ran"), "{stderr}");
}

#[test]
fn init_writes_a_bundle_whose_first_test_passes() {
    let dir = temporary("init");
    let _ = std::fs::remove_dir_all(&dir);
    let output = pmc(&["init", dir.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = pmc(&["test", dir.to_str().unwrap(), "--min-coverage", "50"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.ends_with("1 passed, 0 failed\n"), "{text}");
}

/// Loads a bundle directory: its sources, the checked model and the compiled VM bundle.
fn load(
    dir: &Path,
) -> (
    pmc::fs::LoadedBundle,
    pmc::analysis::Analysis,
    Arc<pm_vm::Bundle>,
) {
    let bundle = pmc::fs::load_bundle(dir).unwrap();
    let analysis = analyze(&bundle.sources, bundle.account, &bundle.pm_files);
    let checked = analysis.bundle.as_ref().expect("no errors");
    let bytes = pmc::codegen::generate(checked).unwrap();
    let vm = Arc::new(pm_vm::Bundle::load(&bytes).unwrap());
    (bundle, analysis, vm)
}

#[test]
fn every_traced_check_of_acme_agrees_with_the_vm() {
    let (bundle, analysis, vm) = load(&root().join("examples/acme"));
    let checked = analysis.bundle.as_ref().unwrap();
    let comparisons = Comparisons::new(&bundle.sources, &analysis.files, checked);
    let mut compared = 0;
    for file in pmc::fs::rule_test_files(&root().join("examples/acme")).unwrap() {
        let text = std::fs::read_to_string(&file).unwrap();
        let test = pmc::ruletest::parse(&text).unwrap();
        let report = pmc::scenario::run(vm.clone(), &test.scenario, true).unwrap();
        for check in &report.checks {
            let facts = facts_of(&check.context);
            for outcome in &check.outcomes {
                let Some(held) = outcome.condition() else {
                    continue;
                };
                let m = checked
                    .messages
                    .iter()
                    .position(|m| m.name == outcome.message)
                    .unwrap();
                let (traced, _) = comparisons.trace(m, &facts, &mut |_, _| {});
                assert_eq!(
                    traced,
                    held,
                    "{} at t={} in {}",
                    outcome.message,
                    check.t,
                    file.display()
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 50, "only {compared} checks compared");
}

proptest! {
    /// On any context, a condition evaluated as written gives what the VM's bytecode gives.
    #[test]
    fn traced_conditions_agree_with_the_vm_on_random_contexts(
        url in prop::sample::select(vec!["", "home", "settings", "https://acme.com/pricing/enterprise", "/PLANS", "/cart/x", "/orders", "/returns", "/bookings/1", "/help", "/contact"]),
        title in prop::sample::select(vec!["", "Checkout", "Refund", "Returns", "Baggage"]),
        language in prop::sample::select(vec!["fr", "fr-CA", "fr_fr", "de-AT", "es", "pt-BR", "pt", "en"]),
        returning in any::<bool>(),
    ) {
        use std::sync::OnceLock;
        static ACME: OnceLock<(pmc::fs::LoadedBundle, pmc::analysis::Analysis, Arc<pm_vm::Bundle>)> = OnceLock::new();
        let (bundle, analysis, vm) = ACME.get_or_init(|| load(&root().join("examples/acme")));
        let checked = analysis.bundle.as_ref().unwrap();
        let comparisons = Comparisons::new(&bundle.sources, &analysis.files, checked);
        let mut context = pm_vm::Context::new();
        context.set_url(url);
        context.set_title(title);
        context.set_language(language);
        context.set_returning(returning);
        let facts = facts_of(&context);
        for (m, message) in checked.messages.iter().enumerate() {
            let index = vm.message_by_name(&message.name).unwrap();
            let (traced, _) = comparisons.trace(m, &facts, &mut |_, _| {});
            prop_assert_eq!(traced, vm.eval(index, &context), "{}", message.name);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// A damaged rule test is refused at a place inside the file with a message, or runs; it
    /// never panics.
    #[test]
    fn damaged_rule_tests_are_refused_in_words_or_run(
        cut in 0usize..2000,
        len in 0usize..40,
        insert in prop::sample::select(vec!["", "{", "}", "[", "]", "\"", ",", ":", "\\", "-1", "1e999", "null", "\"t\": 5", "é"]),
    ) {
        use std::sync::OnceLock;
        static ACME: OnceLock<(pmc::fs::LoadedBundle, pmc::analysis::Analysis, Arc<pm_vm::Bundle>)> = OnceLock::new();
        let (bundle, analysis, vm) = ACME.get_or_init(|| load(&root().join("examples/acme")));
        let original = std::fs::read_to_string(root().join("examples/acme/tests/ios-enterprise.pmtest.json")).unwrap();
        let mut start = cut.min(original.len());
        while !original.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (start + len).min(original.len());
        while !original.is_char_boundary(end) {
            end -= 1;
        }
        let text = format!("{}{insert}{}", &original[..start], &original[end..]);
        let checked = analysis.bundle.as_ref().unwrap();
        let comparisons = Comparisons::new(&bundle.sources, &analysis.files, checked);
        match pmc::ruletest::parse(&text) {
            Err(error) => {
                prop_assert!(!error.message.is_empty());
                prop_assert!(error.position.line >= 1 && error.position.line <= text.lines().count().max(1));
            }
            Ok(test) => {
                let suite = pmc::ruletest::Suite {
                    vm: vm.clone(),
                    model: checked,
                    comparisons: &comparisons,
                    sources: &bundle.sources,
                    file_names: &[],
                };
                if let Ok(ran) = suite.run(&test, &text) {
                    for failure in &ran.failures {
                        prop_assert!(failure.position.line >= 1 && !failure.message.is_empty());
                    }
                }
            }
        }
    }
}
