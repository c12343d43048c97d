//! A host written from `include/pm_vm.h` and SPEC §6 alone (`tests/c/from_header.c`) runs
//! every runtime scenario of `tests/scenarios` and gets exactly the deliveries of its
//! `.expected.json` (the hand-derived ones `pmc simulate` is held to), each with its message's
//! content read as SPEC §6's JSON by a real parser.
//!
//! This test only turns each scenario file into the host's line script (times in ms since the
//! epoch); timers, deadlines, events and content are the C program's own work. A scenario using
//! an event or setting the C ABI does not offer yet fails here by name, so the C ABI follows
//! the runtime as version 2 features land.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{CRATE, build_c_program, fixture, scratch_dir};
use pm_vm::Bundle;
use serde_json::{Map, Value};

fn scenario_dir() -> PathBuf {
    Path::new(CRATE).join("../tests/scenarios")
}

/// Seconds (integer or fraction) to whole milliseconds, as `pmc simulate` rounds them.
fn ms(seconds: &Value) -> i64 {
    (seconds.as_f64().expect("a number of seconds") * 1000.0).round() as i64
}

fn text<'a>(object: &'a Map<String, Value>, key: &str) -> &'a str {
    object[key]
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` is not a string in {object:?}"))
}

/// The host script of a scenario, its start instant, channel and language.
struct Script {
    start: i64,
    channel: String,
    language: String,
    lines: String,
}

fn script(name: &str, scenario: &Value) -> Script {
    let scenario = scenario.as_object().unwrap();
    for key in scenario.keys() {
        assert!(
            [
                "channel",
                "device",
                "start",
                "ai_resolutions_available",
                "app",
                "events",
                "until"
            ]
            .contains(&key.as_str()),
            "{name}: the C host has no call for the scenario setting `{key}` yet"
        );
    }
    let start: jiff::Timestamp = text(scenario, "start").parse().unwrap();
    let start = start.as_millisecond();
    let events = scenario["events"].as_array().unwrap();
    let until = scenario
        .get("until")
        .map_or_else(|| events.last().map_or(0, |e| ms(&e["t"])), ms);
    let mut lines = String::new();
    if let Some(app) = scenario.get("app") {
        for call in [
            app_version_call(app.get("version")),
            app_build_call(app.get("build")),
        ] {
            lines.push_str(&format!("{start}\t{call}\n"));
        }
    }
    if scenario.get("ai_resolutions_available") == Some(&Value::Bool(false)) {
        lines.push_str(&format!("{start}\tai\t0\n"));
    }
    // As `pmc simulate`: events after `until` are not applied.
    for event in events.iter().map(|e| e.as_object().unwrap()) {
        let t = ms(&event["t"]);
        if t > until {
            break;
        }
        let at = start + t;
        let call = match text(event, "type") {
            "app_launch" => format!(
                "launch\t{}",
                event
                    .get("visit_history")
                    .and_then(Value::as_str)
                    .unwrap_or("unknown")
            ),
            "screen_open" => format!("screen\t{}\t{}", text(event, "url"), text(event, "title")),
            "message_opened" => format!("opened\t{}", text(event, "message")),
            "message_dismissed" => format!("dismissed\t{}", text(event, "message")),
            "set_ai_resolutions" => {
                format!("ai\t{}", u8::from(event["available"].as_bool().unwrap()))
            }
            "set_suppressed" => {
                format!(
                    "suppressed\t{}",
                    u8::from(event["suppressed"].as_bool().unwrap())
                )
            }
            "conversation_started" | "conversation_ended" => text(event, "type").to_owned(),
            "app_quit" => "quit".to_owned(),
            "set_language" => format!("language\t{}", text(event, "language")),
            "set_app_version" => app_version_call(event.get("version")),
            "set_app_build" => app_build_call(event.get("build")),
            other => panic!("{name}: the C host has no call for the event `{other}` yet"),
        };
        lines.push_str(&format!("{at}\t{call}\n"));
    }
    lines.push_str(&format!("{}\tuntil\n", start + until));
    Script {
        start,
        channel: text(scenario, "channel").to_owned(),
        language: text(scenario["device"].as_object().unwrap(), "language").to_owned(),
        lines,
    }
}

/// The script line setting the app version to `version` (a string; null or missing unsets).
fn app_version_call(version: Option<&Value>) -> String {
    match version.and_then(Value::as_str) {
        Some(version) => format!("version\t{version}"),
        None => "version_unset".to_owned(),
    }
}

/// The script line setting the app build to `build` (an integer; null or missing unsets).
fn app_build_call(build: Option<&Value>) -> String {
    match build.and_then(Value::as_i64) {
        Some(build) => format!("build\t{build}"),
        None => "build_unset".to_owned(),
    }
}

/// Runs the C host on a script; returns its `(time, json)` lines.
fn run(exe: &Path, bundle: &Path, script: &Script) -> Vec<(i64, String)> {
    let mut child = Command::new(exe)
        .arg(bundle)
        .args([&script.channel, &script.language])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.lines.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "from_header failed on\n{}\n{stdout}{}",
        script.lines,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .map(|line| {
            let (time, json) = line.split_once('\t').unwrap();
            (time.parse().unwrap(), json.to_owned())
        })
        .collect()
}

#[test]
fn a_host_from_the_header_alone_gets_every_scenarios_deliveries() {
    let dir = scratch_dir("c_scenarios");
    let exe = dir.join("from_header");
    build_c_program(&["tests/c/from_header.c"], &exe);
    let bundle_path = fixture("scenarios.pmb");
    let bundle = Bundle::load(&std::fs::read(&bundle_path).unwrap()).unwrap();

    let mut names: Vec<String> = std::fs::read_dir(scenario_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".json") && !name.ends_with(".expected.json"))
        .collect();
    names.sort();
    assert!(names.len() >= 50, "{names:?}");
    let mut failures = Vec::new();
    let mut deliveries = 0;
    for name in &names {
        let read = |file: &str| -> Value {
            serde_json::from_str(&std::fs::read_to_string(scenario_dir().join(file)).unwrap())
                .unwrap()
        };
        let scenario = read(name);
        let expected = read(&name.replace(".json", ".expected.json"));
        let script = script(name, &scenario);
        let got: Vec<(i64, String)> = run(&exe, &bundle_path, &script)
            .into_iter()
            .map(|(time, json)| {
                let content: Value =
                    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e} in {json}"));
                let index = bundle
                    .message_by_name(content["name"].as_str().unwrap())
                    .unwrap();
                // The whole object, not just the name, is the message's content.
                let reference: Value =
                    serde_json::from_str(&bundle.message_json(index).unwrap()).unwrap();
                assert_eq!(content, reference, "{name}");
                assert!(content["respond"]["type"].is_string(), "{name}: {json}");
                (
                    time - script.start,
                    content["name"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let want: Vec<(i64, String)> = expected["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (ms(&d["t"]), d["message"].as_str().unwrap().to_owned()))
            .collect();
        deliveries += want.len();
        if got != want {
            failures.push(format!("{name}: got {got:?}, expected {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The scenarios deliver something, so the comparison above compared something.
    assert!(deliveries >= 50, "{deliveries}");
    std::fs::remove_dir_all(&dir).unwrap();
}
