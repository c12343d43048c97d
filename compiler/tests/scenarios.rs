//! The runtime rules (docs/language.md, "What the runtime does"), checked end to end: every
//! `tests/scenarios/NAME.json` is run with `pmc simulate tests/scenarios/bundle --scenario
//! NAME.json --format json` and its deliveries must be those of `NAME.expected.json`, which were
//! worked out by hand from the rules (see `tests/scenarios/README.md`). `once_per_device` across a save and restore of the
//! device state has no scenario event, so it is checked here on `pm_vm::Engine` directly.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use pm_vm::{Bundle, Engine, Event};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scenarios_dir() -> PathBuf {
    root().join("tests/scenarios")
}

fn bundle_dir() -> PathBuf {
    scenarios_dir().join("bundle")
}

fn simulate(scenario: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pmc"))
        .arg("simulate")
        .arg(bundle_dir())
        .arg("--scenario")
        .arg(scenario)
        .args(extra)
        .output()
        .expect("pmc runs")
}

/// `(t, message)` of each delivery, ignoring any other field the output may gain.
fn deliveries(value: &Value) -> Result<Vec<(f64, String)>, String> {
    let list = value["deliveries"]
        .as_array()
        .ok_or_else(|| format!("no \"deliveries\" array in {value}"))?;
    list.iter()
        .map(|d| match (d["t"].as_f64(), d["message"].as_str()) {
            (Some(t), Some(message)) => Ok((t, message.to_string())),
            _ => Err(format!("a delivery without a numeric t and a message: {d}")),
        })
        .collect()
}

/// The scenario files: every `tests/scenarios/*.json` that is not `*.expected.json`.
fn scenario_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(scenarios_dir())
        .expect("tests/scenarios exists")
        .map(|entry| entry.expect("readable directory").path())
        .filter(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".json") && !name.ends_with(".expected.json")
        })
        .collect();
    files.sort();
    files
}

fn check_scenario(path: &Path) -> Result<(), String> {
    let expected_path = path.with_extension("expected.json");
    let expected_text = std::fs::read_to_string(&expected_path)
        .map_err(|e| format!("cannot read {}: {e}", expected_path.display()))?;
    let expected: Value = serde_json::from_str(&expected_text)
        .map_err(|e| format!("{} is not JSON: {e}", expected_path.display()))?;
    let output = simulate(path, &["--format", "json"]);
    if !output.status.success() {
        return Err(format!(
            "pmc simulate failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let got: Value = serde_json::from_str(&stdout)
        .map_err(|e| format!("the output is not JSON ({e}): {stdout}"))?;
    let (want, got) = (deliveries(&expected)?, deliveries(&got)?);
    if want == got {
        Ok(())
    } else {
        Err(format!("expected {want:?}\n      got {got:?}"))
    }
}

#[test]
fn every_scenario_delivers_what_its_expected_file_says() {
    let files = scenario_files();
    assert!(
        files.len() >= 30,
        "only {} scenarios found in {}",
        files.len(),
        scenarios_dir().display()
    );
    let failures: Vec<String> = files
        .iter()
        .filter_map(|path| {
            check_scenario(path).err().map(|why| {
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                format!("{name}:\n      {why}")
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} scenarios failed:\n  {}",
        failures.len(),
        files.len(),
        failures.join("\n  ")
    );
}

#[test]
fn explain_gives_the_reason_a_condition_failed() {
    // A device in fr-FR on the "/lang-ca" screen: "Bonjour Canada" wants `is "fr-ca"`.
    let scenario = scenarios_dir().join("language-fr-ca-not-fr-fr.json");
    let output = simulate(&scenario, &["--format", "json", "--explain"]);
    assert!(output.status.success(), "{output:?}");
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    let first_check = &value["checks"][0];
    assert_eq!(first_check["t"], 0, "{value}");
    let outcome = first_check["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["message"] == "Bonjour Canada")
        .expect("Bonjour Canada is checked at t=0");
    assert_eq!(outcome["delivered"], false);
    let reason = outcome["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("condition failed") && reason.contains("fr-ca"),
        "{reason}"
    );

    let human = simulate(&scenario, &["--explain"]);
    assert!(human.status.success(), "{human:?}");
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("\"Bonjour Canada\": condition failed"),
        "{text}"
    );
    // Without --explain the JSON has the deliveries only.
    let plain = simulate(&scenario, &["--format", "json"]);
    let value: Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert!(value.get("checks").is_none(), "{value}");
}

fn write_temporary(name: &str, text: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn invalid_scenarios_exit_2_with_the_reason() {
    let backwards = write_temporary(
        "scenario-backwards.json",
        r#"{
  "channel": "Shop iOS",
  "device": { "language": "en" },
  "start": "2026-11-23T09:00:00Z",
  "events": [
    { "t": 5, "type": "app_launch" },
    { "t": 4, "type": "app_quit" }
  ]
}
"#,
    );
    let output = simulate(&backwards, &["--format", "json"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("backwards"), "{stderr}");
    assert!(output.stdout.is_empty());

    // The comma after the "device" line is missing: the error is at the `"` of line 4.
    let malformed = write_temporary(
        "scenario-malformed.json",
        r#"{
  "channel": "Shop iOS",
  "device": { "language": "en" }
  "start": "2026-11-23T09:00:00Z",
  "events": []
}
"#,
    );
    let output = simulate(&malformed, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("line 4, column 3"), "{stderr}");
}

/// Times going backwards by any amount, absurd times and files that are not one JSON object
/// are refused in plain words, with the place where JSON can give one.
#[test]
fn scenario_times_and_shapes_are_refused_in_plain_words() {
    let head =
        r#""channel": "Shop iOS", "device": { "language": "en" }, "start": "2026-11-23T09:00:00Z""#;
    let events = |events: &str| format!("{{ {head}, \"events\": [{events}] }}");
    for (name, text, expected) in [
        (
            "sub-millisecond",
            events(r#"{ "t": 1.0004, "type": "app_launch" }, { "t": 1.0001, "type": "app_quit" }"#),
            "event 2 (t = 1.0001) happens before the event preceding it (t = 1.0004): times must not go backwards",
        ),
        (
            "huge",
            events(r#"{ "t": 1e300, "type": "app_launch" }"#),
            "`t` of event 1 is 1e300 seconds; times are from 0 to 10000000000 seconds (about 317 years)",
        ),
        (
            "negative",
            events(r#"{ "t": -0.5, "type": "app_launch" }"#),
            "`t` of event 1 is -0.5 seconds; times are from 0",
        ),
        (
            "not-finite",
            events(r#"{ "t": 1e999, "type": "app_launch" }"#),
            "number out of range",
        ),
        (
            "huge-until",
            format!("{{ {head}, \"events\": [], \"until\": 12345678901234567890 }}"),
            "`until` is 1.2345678901234567e19 seconds; times are from 0 to 10000000000 seconds",
        ),
        (
            "array",
            "\n  [ { \"channel\": \"Shop iOS\" } ]\n".to_string(),
            "line 2, column 3: a scenario is one JSON object: { \"channel\": …, \"device\": …, \"start\": …, \"events\": […] }; this file holds an array",
        ),
        (
            "empty",
            String::new(),
            "the file is empty; a scenario is one JSON object",
        ),
        (
            "events-object",
            format!("{{ {head}, \"events\": {{}} }}"),
            "invalid type: an object, expected an array",
        ),
        (
            "t-string",
            events(r#"{ "t": "5", "type": "app_launch" }"#),
            "invalid type: the string \"5\", expected a number of seconds",
        ),
        (
            "set-language-without-language",
            events(r#"{ "t": 0, "type": "set_language" }"#),
            "missing field `language`",
        ),
        (
            "set-language-number",
            events(r#"{ "t": 0, "type": "set_language", "language": 3 }"#),
            "invalid type: the number `3`, expected a string",
        ),
        (
            "set-suppressed-without-value",
            events(r#"{ "t": 0, "type": "set_suppressed" }"#),
            "missing field `suppressed`",
        ),
        (
            "set-suppressed-string",
            events(r#"{ "t": 0, "type": "set_suppressed", "suppressed": "yes" }"#),
            "invalid type: the string \"yes\", expected a boolean",
        ),
    ] {
        let path = write_temporary(&format!("scenario-{name}.json"), &text);
        let output = simulate(&path, &[]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(
            stderr.lines().count() == 1 && stderr.len() < 300,
            "{name}: {stderr}"
        );
        for jargon in [
            "sequence",
            "map,",
            "f64",
            "RawScenario",
            "struct",
            "invalid length",
        ] {
            assert!(!stderr.contains(jargon), "{name}: {stderr}");
        }
    }
}

fn compiled_bundle() -> Arc<Bundle> {
    let loaded = pmc::fs::load_bundle(&bundle_dir()).unwrap();
    let analysis = pmc::analysis::analyze(&loaded.sources, loaded.account, &loaded.pm_files);
    let checked = analysis
        .bundle
        .expect("tests/scenarios/bundle has no errors");
    let bytes = pmc::codegen::generate(&checked).unwrap();
    Arc::new(Bundle::load(&bytes).unwrap())
}

const START: i64 = 1_795_424_400_000; // 2026-11-23T09:00:00Z

fn at(seconds: i64) -> i64 {
    START + seconds * 1000
}

/// Opens `path` at `seconds`, runs that instant's checks and returns the names delivered.
fn open(engine: &mut Engine, seconds: i64, path: &str) -> Vec<String> {
    engine.handle(
        at(seconds),
        Event::ScreenOpen {
            url: &format!("https://shop.example{path}"),
            title: "",
        },
    );
    engine.advance_to(at(seconds));
    let bundle = engine.bundle().clone();
    engine
        .take_deliveries()
        .into_iter()
        .map(|d| bundle.str(bundle.messages()[d.message].name).to_string())
        .collect()
}

fn dismiss(engine: &mut Engine, seconds: i64, name: &str) {
    let message = engine.bundle().message_by_name(name).unwrap();
    engine.handle(at(seconds), Event::MessageDismissed { message });
}

/// `once_per_device` is device state the host persists: the scenario format has no event for
/// saving and restoring it, so this test drives the engine itself.
#[test]
fn once_per_device_survives_saving_and_restoring_the_device_state() {
    let bundle = compiled_bundle();
    let new_engine = || {
        let mut engine = Engine::new(bundle.clone(), "Shop iOS").unwrap();
        engine.set_language("en");
        engine
    };

    let mut first = new_engine();
    first.handle(at(0), Event::AppLaunch { returning: None });
    assert_eq!(open(&mut first, 1, "/device-once"), ["Device Once"]);
    first.handle(at(2), Event::AppQuit);
    first.handle(at(3), Event::AppLaunch { returning: None });
    assert!(open(&mut first, 4, "/device-once").is_empty());
    let state = first.save_state();

    // The app restarts: a new engine, given the saved state.
    let mut restored = new_engine();
    restored.restore_state(&state).unwrap();
    restored.handle(at(100), Event::AppLaunch { returning: None });
    assert!(open(&mut restored, 101, "/device-once").is_empty());
    // Only `once_per_device` is remembered: `once_per_visit` starts afresh, and the visit
    // count makes this visit `returning`.
    assert_eq!(open(&mut restored, 102, "/visit-once"), ["Visit Once"]);
    dismiss(&mut restored, 103, "Visit Once");
    assert_eq!(open(&mut restored, 104, "/welcome"), ["Welcome Back"]);

    // Without the state, the device is new and the message shows again.
    let mut forgetful = new_engine();
    forgetful.handle(at(100), Event::AppLaunch { returning: None });
    assert_eq!(open(&mut forgetful, 101, "/device-once"), ["Device Once"]);
    dismiss(&mut forgetful, 102, "Device Once");
    assert_eq!(open(&mut forgetful, 103, "/welcome"), ["Welcome New"]);
}
