//! Message content through the C ABI: `pm_bundle_message_json` gives, for every message, the
//! JSON object of SPEC §6 that a real JSON parser (serde_json) reads back into exactly the
//! bundle's strings — for every message of `examples/acme` and for strings full of quotes,
//! backslashes, control characters, emoji and U+2028 — and keeps the safety contract.

use std::ffi::{CStr, c_char};
use std::path::Path;

use pm_vm::ffi::{
    PM_ERR_INVALID, PM_ERR_NULL, PM_OK, PmBundle, pm_bundle_free, pm_bundle_load,
    pm_bundle_message_count, pm_bundle_message_json, pm_string_free,
};
use pm_vm::format::{Collect, ConversationControl, Frequency, Platform, SendMode, Status, Trigger};
use pm_vm::opcode::Instr;
use pm_vm::write::{
    AiAgentSpec, BundleWriter, ChannelSpec, CodeBuilder, MessageSpec, ResponseSpec,
};
use pm_vm::{Bundle, MessageContent, RespondContent};
use serde_json::{Value, json};

/// A bundle loaded through the C ABI, freed on drop.
struct CBundle(*mut PmBundle);

impl CBundle {
    fn load(bytes: &[u8]) -> CBundle {
        let mut handle = std::ptr::null_mut();
        // SAFETY: `bytes` is readable for its length; `handle` is valid for writes.
        let code = unsafe {
            pm_bundle_load(
                bytes.as_ptr(),
                bytes.len(),
                &raw mut handle,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(code, PM_OK);
        CBundle(handle)
    }

    fn count(&self) -> u32 {
        // SAFETY: a live handle.
        unsafe { pm_bundle_message_count(self.0) }
    }

    /// The message's JSON text as the C caller receives it.
    fn json(&self, index: u32) -> Result<String, i32> {
        let mut out: *mut c_char = std::ptr::null_mut();
        // SAFETY: a live handle; `out` is valid for writes.
        let code = unsafe { pm_bundle_message_json(self.0, index, &raw mut out) };
        if code != PM_OK {
            assert!(out.is_null(), "*out was written on error {code}");
            return Err(code);
        }
        // SAFETY: on PM_OK `out` is a NUL-terminated string from the library, freed once.
        let text = unsafe { CStr::from_ptr(out) }.to_str().map(str::to_owned);
        // SAFETY: as above.
        unsafe { pm_string_free(out) };
        Ok(text.expect("the JSON is UTF-8"))
    }
}

impl Drop for CBundle {
    fn drop(&mut self) {
        // SAFETY: the handle came from `pm_bundle_load` and is freed once.
        unsafe { pm_bundle_free(self.0) };
    }
}

/// What SPEC §6 says the JSON of `content` is, built with serde_json's own `json!`.
fn expected(content: &MessageContent<'_>) -> Value {
    let respond = match &content.respond {
        RespondContent::Agent { follow_up, collect } => {
            json!({ "type": "agent", "follow_up": follow_up, "collect": collect })
        }
        RespondContent::AiAgent {
            ai_agent,
            answer,
            generative,
        } => json!({
            "type": "ai_agent", "ai_agent": ai_agent, "answer": answer, "generative": generative
        }),
    };
    json!({
        "name": content.name,
        "brand": content.brand,
        "channel": content.channel,
        "say": content.say,
        "tags": content.tags,
        "priority": content.priority,
        "respond": respond,
    })
}

/// Checks every message of `bytes` through the C ABI against its content, and returns the
/// parsed objects.
fn check_every_message(bytes: &[u8]) -> Vec<Value> {
    let bundle = Bundle::load(bytes).unwrap();
    let c = CBundle::load(bytes);
    assert_eq!(c.count() as usize, bundle.messages().len());
    (0..c.count())
        .map(|i| {
            let text = c.json(i).unwrap();
            let parsed: Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("message {i}: {e} in {text}"));
            let content = bundle.message_content(i as usize).unwrap();
            assert_eq!(parsed, expected(&content), "message {i}: {text}");
            assert_eq!(text, bundle.message_json(i as usize).unwrap());
            parsed
        })
        .collect()
}

fn acme() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/acme.pmb")).unwrap()
}

#[test]
fn every_acme_message_parses_as_the_spec_object() {
    let messages = check_every_message(&acme());
    assert!(messages.len() >= 8, "{}", messages.len());
    let keys = |v: &Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    for message in &messages {
        let mut top = keys(message);
        top.sort();
        assert_eq!(
            top,
            [
                "brand", "channel", "name", "priority", "respond", "say", "tags"
            ]
        );
        let respond = &message["respond"];
        let mut inner = keys(respond);
        inner.sort();
        match respond["type"].as_str() {
            Some("agent") => assert_eq!(inner, ["collect", "follow_up", "type"]),
            Some("ai_agent") => assert_eq!(inner, ["ai_agent", "answer", "generative", "type"]),
            other => panic!("respond.type {other:?}"),
        }
    }
    // Both kinds of hand-over occur, so both shapes were parsed.
    for kind in ["agent", "ai_agent"] {
        assert!(
            messages.iter().any(|m| m["respond"]["type"] == kind),
            "{kind}"
        );
    }
}

#[test]
fn the_pricing_help_json_is_exactly_the_documented_text() {
    let bundle = Bundle::load(&acme()).unwrap();
    let index = bundle.message_by_name("Pricing help").unwrap();
    let text = CBundle::load(&acme()).json(index as u32).unwrap();
    assert_eq!(
        text,
        concat!(
            r#"{"name":"Pricing help","brand":"Acme","channel":"Acme iOS","#,
            r#""say":"Hi there 👋 Questions about our plans?","tags":["pricing","proactive"],"#,
            r#""priority":10,"respond":{"type":"agent","#,
            r#""follow_up":"Let me connect you with our sales team.","collect":["name","email"]}}"#
        )
    );
}

/// Text that needs every kind of escape, and text that needs none but is not ASCII.
fn hostile(what: &str) -> String {
    let controls: String = (0u8..0x20).map(char::from).collect();
    format!(
        "{what}: \"quoted\" \\back\\slash\\ {controls}\u{7f} 👋🏽 é e\u{301} \u{2028}line\u{2029}para \u{feff} \u{10ffff} </script>"
    )
}

fn hostile_bundle() -> Vec<u8> {
    let mut w = BundleWriter::new();
    w.add_channel(&ChannelSpec {
        name: hostile("channel"),
        platform: Platform::Ios,
        conversation_control: ConversationControl::Release,
        limits: Default::default(),
    })
    .unwrap();
    let agent = w
        .add_ai_agent(&AiAgentSpec {
            name: hostile("agent"),
            generative: true,
            answers: vec![hostile("answer")],
        })
        .unwrap();
    let responses = [
        ResponseSpec::Agent {
            follow_up: hostile("follow_up"),
            collect: Collect {
                name: false,
                email: true,
            },
        },
        ResponseSpec::AiAgent {
            agent,
            answer: hostile("answer"),
        },
        ResponseSpec::Agent {
            follow_up: String::new(),
            collect: Collect::default(),
        },
    ];
    for (i, response) in responses.into_iter().enumerate() {
        let mut code = CodeBuilder::new();
        code.emit(Instr::Const { b: true });
        code.emit(Instr::Ret);
        w.add_message(&MessageSpec {
            name: hostile(&format!("name {i}")),
            channel: 0,
            brand: hostile("brand"),
            say: hostile("say"),
            response,
            tags: vec![hostile("tag"), String::new(), "plain".into()],
            send: SendMode::Anytime,
            frequency: Frequency::EveryTime,
            priority: [-7, 0, i32::MAX][i],
            status: Status::Published,
            trigger: Trigger::ScreenOpen,
            dwell_ms: 0,
            code: code.finish().unwrap(),
        })
        .unwrap();
    }
    w.finish().unwrap()
}

#[test]
fn hostile_strings_round_trip_through_a_json_parser() {
    let messages = check_every_message(&hostile_bundle());
    assert_eq!(messages.len(), 3);
    // Spelled out, beyond the comparison with the bundle's own strings above.
    assert_eq!(messages[0]["say"], hostile("say"));
    assert_eq!(messages[0]["channel"], hostile("channel"));
    assert_eq!(messages[0]["tags"], json!([hostile("tag"), "", "plain"]));
    assert_eq!(messages[0]["priority"], -7);
    assert_eq!(messages[0]["respond"]["collect"], json!(["email"]));
    assert_eq!(messages[1]["respond"]["ai_agent"], hostile("agent"));
    assert_eq!(messages[1]["respond"]["answer"], hostile("answer"));
    assert_eq!(messages[1]["respond"]["generative"], true);
    assert_eq!(messages[2]["priority"], i64::from(i32::MAX));
    assert_eq!(messages[2]["respond"]["collect"], json!([]));
    // The raw text has no unescaped control character, and U+2028/U+2029 are escaped, so
    // it is also a valid JavaScript string literal.
    let c = CBundle::load(&hostile_bundle());
    let text = c.json(0).unwrap();
    assert!(
        !text
            .chars()
            .any(|ch| ch < ' ' || ch == '\u{2028}' || ch == '\u{2029}'),
        "{text}"
    );
    assert!(text.contains(r"\u0000") && text.contains(r"\u2028") && text.contains(r"\\back"));
}

#[test]
fn the_content_calls_keep_the_safety_contract() {
    let c = CBundle::load(&acme());
    let count = c.count();
    assert_eq!(c.json(count), Err(PM_ERR_INVALID));
    assert_eq!(c.json(u32::MAX), Err(PM_ERR_INVALID));
    let mut out: *mut c_char = std::ptr::null_mut();
    // SAFETY: NULL handles and out-pointers are part of the contract.
    unsafe {
        assert_eq!(pm_bundle_message_count(std::ptr::null()), 0);
        assert_eq!(
            pm_bundle_message_json(std::ptr::null(), 0, &raw mut out),
            PM_ERR_NULL
        );
        assert_eq!(
            pm_bundle_message_json(c.0, 0, std::ptr::null_mut()),
            PM_ERR_NULL
        );
        pm_string_free(std::ptr::null_mut());
    }
    assert!(out.is_null());
}
