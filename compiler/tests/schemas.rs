//! The JSON Schemas of scenario and rule-test files (`schemas/`, which editors use for
//! validation and completion) say what the parser accepts: the same top-level keys, device
//! keys, event types, keys of each event type, and expectation keys. The parser's own lists
//! come from its error messages for an unknown key or type, so a field or event added to the
//! parser without the schema (or the other way round) fails here. The VS Code extension's tests
//! run the schemas through VS Code's JSON language service on the example files.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

fn schema(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../schemas")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
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
