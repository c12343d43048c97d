//! The JSON Schemas of `schemas/`, which editors use for validation and completion, say what
//! pmc accepts.
//!
//! `account.schema.json` is derived from the types that read `account.toml`
//! (`pmc::schema::account_toml`): the committed file must be today's derivation (`cargo xtask
//! bless` rewrites it). The scenario and rule-test schemas are written by hand (their per-event
//! `if`/`then` rules and VS Code's `enumDescriptions` are more than serde's types say); they
//! hold the parser's top-level keys, device keys, event types, keys of each event type and
//! expectation keys, read from its error messages for an unknown key or type, so a field or
//! event added to the parser without the schema (or the other way round) fails here.
//!
//! Then a real validator, `check-jsonschema` (Python), checks every `account.toml` of the
//! repository (turned into JSON) and every scenario and rule-test file against the schemas:
//! whatever pmc accepts, the schema accepts; broken files are rejected where the schema can
//! say why, and left to pmc where only pmc can (references, time zones, overlaps). Those tests
//! skip with a printed reason when the validator is missing, and fail instead when `CI` is set
//! (`.ci/run` installs it). The VS Code extension's tests run the scenario and rule-test
//! schemas through VS Code's JSON language service too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

fn schema_path(name: &str) -> PathBuf {
    root().join("schemas").join(name)
}

fn schema(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(schema_path(name)).unwrap()).unwrap()
}

/// `schemas/account.schema.json` is what the account types derive today; `PM_BLESS=1` (which
/// `cargo xtask bless` sets) rewrites it.
#[test]
fn the_account_schema_is_derived_from_the_account_types() {
    let derived = pmc::schema::account_toml();
    let path = schema_path("account.schema.json");
    if std::env::var_os("PM_BLESS").is_some() {
        std::fs::write(&path, &derived).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == derived,
        "{} is not what the account types derive: run `cargo xtask bless`\n{}",
        path.display(),
        similar::TextDiff::from_lines(&committed, &derived)
            .unified_diff()
            .header("committed", "derived")
    );
}

/// The backticked names of a parser error ("expected one of `a`, `b`"), after `after`.
fn listed(message: &str, after: &str) -> BTreeSet<String> {
    let tail = &message[message.find(after).unwrap_or_else(|| panic!("{message}")) + after.len()..];
    tail.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// What the rule-test parser says about `text`.
fn error_of(text: &str) -> String {
    pmc::ruletest::parse(text).unwrap_err().message
}

fn keys(object: &Value) -> BTreeSet<String> {
    object.as_object().unwrap().keys().cloned().collect()
}

const HEAD: &str =
    r#""channel": "C", "device": { "language": "fr" }, "start": "2026-11-23T09:00:00Z""#;

#[test]
fn the_top_level_and_device_keys_are_the_parsers() {
    let scenario = schema("scenario.schema.json");
    let parser = listed(
        &error_of(&format!("{{ {HEAD}, \"events\": [], \"zzz\": 1 }}")),
        "expected one of",
    );
    assert_eq!(keys(&scenario["properties"]), parser);
    let device = listed(
        &error_of(
            r#"{ "channel": "C", "device": { "language": "fr", "zzz": 1 }, "start": "x", "events": [] }"#,
        ),
        "expected",
    );
    assert_eq!(
        keys(&scenario["properties"]["device"]["properties"]),
        device
    );
    let required: BTreeSet<String> = scenario["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_string())
        .collect();
    for key in &required {
        // Leaving out a required key is an error of the parser too.
        let mut object: serde_json::Map<String, Value> =
            serde_json::from_str(&format!("{{ {HEAD}, \"events\": [] }}")).unwrap();
        object.remove(key);
        let text = serde_json::to_string(&Value::Object(object)).unwrap();
        assert!(
            pmc::scenario::parse(&text)
                .unwrap_err()
                .message
                .contains(key.as_str()),
            "{key}"
        );
    }
    let test = schema("pmtest.schema.json");
    assert_eq!(test["required"], serde_json::json!(["name", "expect"]));
    assert_eq!(test["allOf"][0]["$ref"], "scenario.schema.json");
}

#[test]
fn the_event_types_and_their_keys_are_the_parsers() {
    let scenario = schema("scenario.schema.json");
    let event = &scenario["definitions"]["event"];
    let types: Vec<String> = event["properties"]["type"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();
    let parser = listed(
        &error_of(&format!(
            "{{ {HEAD}, \"events\": [{{ \"t\": 0, \"type\": \"zzz\" }}] }}"
        )),
        "expected one of",
    );
    assert_eq!(types.iter().cloned().collect::<BTreeSet<_>>(), parser);
    assert_eq!(
        event["properties"]["type"]["enumDescriptions"]
            .as_array()
            .unwrap()
            .len(),
        types.len()
    );
    for (variant, rule) in types.iter().zip(event["allOf"].as_array().unwrap()) {
        assert_eq!(rule["if"]["properties"]["type"]["const"], variant.as_str());
        let mut schema_keys = keys(&rule["then"]["properties"]);
        schema_keys.remove("t");
        schema_keys.remove("type");
        let message = error_of(&format!(
            "{{ {HEAD}, \"events\": [{{ \"t\": 0, \"type\": \"{variant}\", \"zzz\": 1 }}] }}"
        ));
        let parser = if message.contains("there are no fields") {
            BTreeSet::new()
        } else {
            listed(&message, "expected")
        };
        assert_eq!(schema_keys, parser, "{variant}: {message}");
    }
}

#[test]
fn the_expectation_keys_are_the_parsers() {
    let scenario = schema("scenario.schema.json");
    let expect = listed(
        &error_of(&format!(
            "{{ \"name\": \"n\", {HEAD}, \"events\": [], \"expect\": {{ \"zzz\": [] }} }}"
        )),
        "expected one of",
    );
    assert_eq!(
        keys(&scenario["definitions"]["expect"]["properties"]),
        expect
    );
    let delivery = listed(
        &error_of(&format!(
            "{{ \"name\": \"n\", {HEAD}, \"events\": [], \"expect\": {{ \"deliveries\": [{{ \"t\": 0, \"message\": \"m\", \"zzz\": 1 }}] }} }}"
        )),
        "expected",
    );
    assert_eq!(
        keys(&scenario["definitions"]["delivery"]["properties"]),
        delivery
    );
}

/// `check-jsonschema` through the Python on PATH, or `None` when it does not run (skipped with
/// a printed reason; under `CI` the test fails instead).
fn validator() -> Option<Command> {
    static RUNS: OnceLock<bool> = OnceLock::new();
    let runs = *RUNS.get_or_init(|| {
        Command::new("python3")
            .args(["-m", "check_jsonschema", "--version"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    if !runs {
        assert!(
            std::env::var_os("CI").is_none(),
            "`python3 -m check_jsonschema` is required in CI but does not run \
             (`python3 -m pip install check-jsonschema`)"
        );
        println!("SKIPPED: check-jsonschema is not installed, so the schemas were not validated");
        return None;
    }
    let mut command = Command::new("python3");
    command.args(["-m", "check_jsonschema", "--output-format", "json"]);
    Some(command)
}

/// A file given to the validator: its name in failure messages, its JSON value, and whether
/// the schema should reject it.
type Case = (String, Value, bool);

/// The cases that `schema` rejects, by name, each with the validator's messages, according to a
/// real validator run on each as its own file; `None` when the validator is missing.
fn rejected_by(schema: &str, cases: &[Case]) -> Option<BTreeMap<String, Vec<String>>> {
    let mut command = validator()?;
    // A folder of the test's own (the test threads are named after their tests).
    let test = std::thread::current()
        .name()
        .unwrap_or("main")
        .replace("::", "-");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("schemas-{test}-{schema}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut names = BTreeMap::new();
    command.arg("--schemafile").arg(schema_path(schema));
    for (index, (name, value, _)) in cases.iter().enumerate() {
        let file = dir.join(format!("{index:04}.json"));
        std::fs::write(&file, serde_json::to_string_pretty(value).unwrap()).unwrap();
        names.insert(file.to_string_lossy().into_owned(), name.clone());
        command.arg(&file);
    }
    let output = command.output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "check-jsonschema's report is not JSON ({e}): {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    assert!(
        report["parse_errors"].as_array().is_none_or(Vec::is_empty),
        "{report:#}"
    );
    let mut rejected: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for error in report["errors"].as_array().unwrap() {
        let name = &names[error["filename"].as_str().unwrap()];
        let message = format!("{}: {}", error["path"], error["message"]);
        rejected.entry(name.clone()).or_default().push(message);
    }
    // The exit status agrees with the report, so the report was read right.
    assert_eq!(output.status.success(), rejected.is_empty(), "{report:#}");
    Some(rejected)
}

/// Files of the repository (paths relative to its root, `/`-separated) whose path satisfies
/// `wanted`, outside build outputs, installed packages and hidden folders.
fn repository_files(wanted: impl Fn(&str) -> bool) -> Vec<String> {
    let root = root();
    let mut found = Vec::new();
    let mut folders = vec![root.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                if !name.starts_with('.') && name != "target" && name != "node_modules" {
                    folders.push(path);
                }
                continue;
            }
            let relative = path.strip_prefix(&root).unwrap().to_string_lossy();
            let relative = relative.replace(std::path::MAIN_SEPARATOR, "/");
            if wanted(&relative) {
                found.push(relative);
            }
        }
    }
    found.sort();
    found
}

/// `account.toml` as JSON. A TOML date, which pmc refuses where it reads a string, becomes an
/// object (serde's form of it), so a string's schema refuses it too.
fn account_json(text: &str) -> Value {
    let table: toml::Table = toml::from_str(text).unwrap_or_else(|e| panic!("not TOML: {e}"));
    serde_json::to_value(table).unwrap()
}

/// The codes pmc's account loader reports for `text` (none: pmc accepts it).
fn loader_codes(text: &str) -> Vec<String> {
    let mut diagnostics = Vec::new();
    pmc::account::load(pmc::source::FileId(0), text, &mut diagnostics);
    diagnostics
        .iter()
        .map(|d| format!("{:?}", d.code))
        .collect()
}

/// Checks that `schema` rejects exactly the cases meant to be rejected.
fn assert_verdicts(schema: &str, cases: &[Case]) {
    let Some(rejected) = rejected_by(schema, cases) else {
        return;
    };
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|(name, _, rejects)| match (rejected.get(name), rejects) {
            (None, true) => Some(format!("{name}: {schema} accepted it")),
            (Some(messages), false) => Some(format!(
                "{name}: {schema} rejected it: {}",
                messages.join("; ")
            )),
            _ => None,
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every `account.toml` of the repository, through the validator: each one pmc accepts is
/// valid, and of the ones broken on purpose for the checker the schema rejects those whose
/// fault is the file's shape.
#[test]
fn every_account_toml_in_the_repository_is_validated() {
    // Each broken file, and whether its fault is one a schema can see.
    let broken = BTreeMap::from([
        // An unknown key (`schedule`).
        ("examples/errors/E0501-invalid-account/account.toml", true),
        // Two channels with one name: only pmc compares entries.
        ("examples/errors/E0502-duplicate-name/account.toml", false),
        // References to a brand and a channel that do not exist.
        ("examples/errors/E0503-unknown-name/account.toml", false),
        // "9:00-17:30" and "09:00-24:30" are not intervals (its reversed and overlapping ones
        // alone would pass: see the next test).
        ("examples/errors/E0504-invalid-interval/account.toml", true),
        // "Paris" is not an IANA time zone: only pmc has the database.
        (
            "examples/errors/E0505-unknown-time-zone/account.toml",
            false,
        ),
        // "25/12/2026" and "2026-1-1" are not dates written YYYY-MM-DD ("2026-02-30" alone
        // would pass).
        ("examples/errors/E0506-invalid-holiday/account.toml", true),
        // 49 intervals on one day.
        ("examples/errors/E0508-account-limit/account.toml", true),
        // "30m1h" and "90x" are not durations ("0s" alone would pass: zero is pmc's).
        ("examples/errors/E0509-invalid-duration/account.toml", true),
        // 0, "3", 2.5 and 5000 are not whole numbers from 1 to 1000.
        ("examples/errors/E0510-invalid-limit/account.toml", true),
    ]);
    let files = repository_files(|path| path == "account.toml" || path.ends_with("/account.toml"));
    let mut cases = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        let codes = loader_codes(&text);
        let rejects = match broken.get(file.as_str()) {
            Some(&rejects) => {
                assert!(
                    !codes.is_empty(),
                    "{file} is meant to be broken, pmc accepts it"
                );
                rejects
            }
            None => {
                assert!(
                    codes.is_empty(),
                    "{file}: pmc reports {codes:?}; say in this test whether the schema can reject it"
                );
                false
            }
        };
        cases.push((file.clone(), account_json(&text), rejects));
    }
    for file in broken.keys() {
        assert!(files.iter().any(|f| f == file), "{file} is gone");
    }
    assert!(files.len() > broken.len() + 5, "{files:?}");
    assert_verdicts("account.schema.json", &cases);
}

/// The start of a valid account, to which each case below adds a fault (or keeps it valid).
const ACCOUNT: &str = r#"
[[brands]]
name = "Acme"

[[channels]]
name = "Acme iOS"
brand = "Acme"
platform = "ios"
schedules = ["Sales hours"]

[[schedules]]
name = "Sales hours"
timezone = "Europe/Paris"
"#;

/// A schedule whose Monday holds `intervals` (TOML strings).
fn monday(intervals: &[&str]) -> String {
    let list: Vec<String> = intervals.iter().map(|i| format!("\"{i}\"")).collect();
    format!("[schedules.hours]\nmon = [{}]\n", list.join(", "))
}

/// Accounts pmc accepts, each valid against the schema too (the schema is not stricter than
/// pmc); broken accounts, each rejected by the schema when the fault is in the file's shape and
/// accepted when only pmc can see it (which the loader's codes confirm).
#[test]
fn broken_accounts_are_rejected_where_the_schema_can_say_why() {
    let channels_of_every_platform: String = pmc::vocabulary::PLATFORM_NAMES
        .iter()
        .map(|p| format!("[[channels]]\nname = \"On {p}\"\nbrand = \"Acme\"\nplatform = \"{p}\"\nconversation_control = \"keep\"\n"))
        .collect();
    let every_day: String = std::iter::once("[schedules.hours]\n".to_string())
        .chain(
            pmc::vocabulary::WEEKDAYS
                .iter()
                .map(|d| format!("{d} = [\"09:00-17:30\"]\n")),
        )
        .collect();
    let valid: Vec<(&str, String)> = vec![
        ("an empty file", String::new()),
        ("the base account", ACCOUNT.to_string()),
        (
            "a channel of every platform",
            format!("{ACCOUNT}{channels_of_every_platform}"),
        ),
        ("hours on every weekday", format!("{ACCOUNT}{every_day}")),
        (
            "intervals with spaces that pmc trims",
            format!(
                "{ACCOUNT}{}",
                monday(&[" 09:00 - 12:00 ", "\\u00A013:00-\\t24:00\\u3000"])
            ),
        ),
        (
            "a whole day",
            format!("{ACCOUNT}{}", monday(&["00:00-24:00"])),
        ),
        (
            "holidays",
            format!("{ACCOUNT}holidays = [\"2028-02-29\", \"2026-12-25\"]\n"),
        ),
        (
            "a time zone in another case",
            ACCOUNT.replace("Europe/Paris", "europe/paris"),
        ),
        (
            "an AI agent with neither channels nor answers",
            format!("{ACCOUNT}[[ai_agents]]\nname = \"Bot\"\n"),
        ),
        (
            "an AI agent with everything",
            format!(
                "{ACCOUNT}[[ai_agents]]\nname = \"Bot\"\nchannels = [\"Acme iOS\"]\nanswers = [\"Order status\"]\ngenerative = true\n"
            ),
        ),
    ];
    let intervals_49: Vec<String> = (0..49)
        .map(|i| {
            format!(
                "{:02}:{:02}-{:02}:{:02}",
                i * 20 / 60,
                i * 20 % 60,
                i * 20 / 60,
                i * 20 % 60 + 10
            )
        })
        .collect();
    let answers_1025: Vec<String> = (0..1025).map(|i| format!("\"A{i}\"")).collect();
    let mobile_257: String = (0..257)
        .map(|i| {
            format!("[[channels]]\nname = \"App {i}\"\nbrand = \"Acme\"\nplatform = \"android\"\n")
        })
        .collect();
    let shape = |fault: &str| format!("{ACCOUNT}{fault}");
    // (what, the account, whether the schema rejects it)
    let broken: Vec<(&str, String, bool)> = vec![
        (
            "a boolean written as a string",
            shape("[[ai_agents]]\nname = \"Bot\"\ngenerative = \"yes\"\n"),
            true,
        ),
        (
            "a name that is a number",
            shape("[[brands]]\nname = 3\n"),
            true,
        ),
        (
            "a list where a name is expected",
            shape("[[brands]]\nname = [\"Acme 2\"]\n"),
            true,
        ),
        (
            "an unknown table",
            shape("[[brand]]\nname = \"Other\"\n"),
            true,
        ),
        (
            "an unknown key of a channel",
            shape(
                "[[channels]]\nname = \"C\"\nbrand = \"Acme\"\nplatform = \"ios\"\nschedule = \"Sales hours\"\n",
            ),
            true,
        ),
        (
            "a channel without its brand",
            shape("[[channels]]\nname = \"C\"\nplatform = \"ios\"\n"),
            true,
        ),
        (
            "an unknown platform",
            ACCOUNT.replace("\"ios\"", "\"tvos\""),
            true,
        ),
        (
            "a misspelt conversation control",
            shape(
                "[[channels]]\nname = \"C\"\nbrand = \"Acme\"\nplatform = \"ios\"\nconversation_control = \"kept\"\n",
            ),
            true,
        ),
        (
            "an unknown weekday",
            shape("[schedules.hours]\nmonday = [\"09:00-17:30\"]\n"),
            true,
        ),
        (
            "an hour of one digit",
            shape(&monday(&["9:00-17:30"])),
            true,
        ),
        (
            "an end beyond the day",
            shape(&monday(&["09:00-24:30"])),
            true,
        ),
        (
            "a start at the end of the day",
            shape(&monday(&["24:00-24:00"])),
            true,
        ),
        ("minute 60", shape(&monday(&["09:60-10:00"])), true),
        ("an en dash", shape(&monday(&["09:00\u{2013}17:30"])), true),
        ("a time without its end", shape(&monday(&["09:00"])), true),
        ("three times", shape(&monday(&["09:00-12:00-13:00"])), true),
        (
            "49 intervals on a day",
            shape(&monday(
                &intervals_49.iter().map(String::as_str).collect::<Vec<_>>(),
            )),
            true,
        ),
        (
            "a holiday written day first",
            shape("holidays = [\"25/12/2026\"]\n"),
            true,
        ),
        (
            "a holiday without leading zeros",
            shape("holidays = [\"2026-1-1\"]\n"),
            true,
        ),
        ("month 13", shape("holidays = [\"2026-13-01\"]\n"), true),
        (
            "a TOML date for a holiday",
            shape("holidays = [2026-12-25]\n"),
            true,
        ),
        (
            "1,025 answers",
            shape(&format!(
                "[[ai_agents]]\nname = \"Bot\"\nanswers = [{}]\n",
                answers_1025.join(", ")
            )),
            true,
        ),
        // Faults that only pmc can see.
        (
            "an interval that ends before it starts",
            shape(&monday(&["17:00-09:00"])),
            false,
        ),
        (
            "overlapping intervals",
            shape(&monday(&["09:00-13:00", "12:00-17:30"])),
            false,
        ),
        (
            "a date that does not exist",
            shape("holidays = [\"2026-02-30\"]\n"),
            false,
        ),
        (
            "an unknown time zone",
            ACCOUNT.replace("Europe/Paris", "Paris"),
            false,
        ),
        (
            "two brands with one name",
            shape("[[brands]]\nname = \"Acme\"\n"),
            false,
        ),
        (
            "a reference to no brand",
            ACCOUNT.replace("brand = \"Acme\"", "brand = \"ACME\""),
            false,
        ),
        ("257 mobile channels", shape(&mobile_257), false),
        (
            "a name longer than 64 KiB",
            shape(&format!(
                "[[brands]]\nname = \"{}\"\n",
                "x".repeat(64 * 1024 + 1)
            )),
            false,
        ),
    ];
    let mut cases = Vec::new();
    for (what, text) in &valid {
        let codes = loader_codes(text);
        assert!(codes.is_empty(), "{what}: pmc reports {codes:?}");
        cases.push((what.to_string(), account_json(text), false));
    }
    for (what, text, rejects) in &broken {
        let codes = loader_codes(text);
        assert!(!codes.is_empty(), "{what}: pmc accepts it");
        cases.push((what.to_string(), account_json(text), *rejects));
    }
    assert_verdicts("account.schema.json", &cases);
}

/// Every scenario and rule-test file of the repository, through the validator: each one the
/// parser accepts is valid against its schema, and the broken ones are rejected where the
/// schema can say why.
#[test]
fn every_scenario_and_rule_test_in_the_repository_is_validated() {
    // Each broken file that is JSON, and whether the schema can see its fault.
    let broken = BTreeMap::from([
        // `expect` is `{}`: the schema asks for at least one expectation.
        (
            "tests/ruletest/bundle/failing/no-expectation.pmtest.json",
            true,
        ),
    ]);
    for (schema, kind) in [
        ("pmtest.schema.json", "rule test"),
        ("scenario.schema.json", "scenario"),
    ] {
        let files = repository_files(|path| match kind {
            "rule test" => path.ends_with(".pmtest.json"),
            _ => {
                path.starts_with("tests/scenarios/")
                    && path.ends_with(".json")
                    && !path.ends_with(".expected.json")
            }
        });
        assert!(files.len() >= 10, "{kind}: {files:?}");
        let mut cases = Vec::new();
        for file in &files {
            let text = std::fs::read_to_string(root().join(file)).unwrap();
            let parsed = match kind {
                "rule test" => pmc::ruletest::parse(&text).map(drop),
                _ => pmc::scenario::parse(&text).map(drop),
            };
            let Ok(value) = serde_json::from_str::<Value>(&text) else {
                // Not JSON at all: no schema applies, and the parser says so.
                assert!(parsed.is_err(), "{file}");
                continue;
            };
            let rejects = match broken.get(file.as_str()) {
                Some(&rejects) => {
                    assert!(parsed.is_err(), "{file} is meant to be broken");
                    rejects
                }
                None => {
                    assert!(
                        parsed.is_ok(),
                        "{file}: {parsed:?}; say in this test whether the schema can reject it"
                    );
                    false
                }
            };
            cases.push((file.clone(), value, rejects));
        }
        assert_verdicts(schema, &cases);
    }
}
