//! The runtime: one [`Engine`] per channel applies the runtime rules (docs/language.md, "What the runtime does") to a stream of timestamped events.
//!
//! # Model
//!
//! Time is `i64` milliseconds since the Unix epoch (UTC) and never goes backwards: an event
//! stamped earlier than one already seen is applied at the latest time seen. The host calls
//! [`Engine::handle`] for each event and [`Engine::advance_to`] when a deadline from
//! [`Engine::next_deadline`] is reached (or at any time), then collects deliveries with
//! [`Engine::take_deliveries`].
//!
//! A `screen_open` schedules one *check* per message of the channel triggered by
//! `screen_open`, due `dwell` after it; a new `screen_open` or the end of the visit cancels
//! them. `handle(now, e)` first runs the checks due strictly before `now`, then applies `e`;
//! `advance_to(now)` runs the checks due up to and including `now`. So every event at an
//! instant is applied before the checks due at that instant. All checks due at the same
//! instant form one check: of the messages that pass every rule, the highest priority wins
//! (ties: bundle order) and the others are not delivered.
//!
//! A screen change costs no allocation once the engine is warm (`tests/alloc.rs`): the checks a
//! `screen_open` schedules are sorted by due instant once, at construction, and walked with a
//! cursor; the checks of one screen share one memo of search results, cleared whenever the
//! context changes; deliveries stay in a kept buffer for [`Engine::drain_deliveries`].
//!
//! Device state (visit count and the names of messages shown) survives through
//! [`Engine::save_state`] / [`Engine::restore_state`]; it is keyed by message name so that a
//! new bundle keeps the state of the messages it still has.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use crate::bundle::{Bundle, Explanation, Memo, Response};
use crate::context::Context;
use crate::format::{Frequency, SendMode, Status, Trigger};

/// An event reported by the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event<'a> {
    /// The app was launched: a visit starts (ending the current one, if any).
    AppLaunch {
        /// `Some(true)` / `Some(false)` states the visit history (returning / new) for this
        /// visit only; `None` derives it from the device state (new on the first visit).
        returning: Option<bool>,
    },
    /// A screen (page) was opened. Starts a visit when none is in progress.
    ScreenOpen {
        /// The page URL or screen name.
        url: &'a str,
        /// The page title.
        title: &'a str,
    },
    /// The customer opened the displayed message with this index. An index that is not the
    /// displayed message's (even one out of range) changes nothing.
    MessageOpened {
        /// The message's index in the bundle.
        message: usize,
    },
    /// The customer dismissed the displayed message with this index. An index that is not the
    /// displayed message's (even one out of range) changes nothing.
    MessageDismissed {
        /// The message's index in the bundle.
        message: usize,
    },
    /// A conversation with an agent or AI agent started.
    ConversationStarted,
    /// The conversation ended.
    ConversationEnded,
    /// Automated (AI) resolutions became available or unavailable.
    SetAiResolutions {
        /// Whether they are available.
        available: bool,
    },
    /// The app quit: the visit ends.
    AppQuit,
}

/// A message the host should display.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Delivery {
    /// The check instant, in milliseconds since the Unix epoch.
    pub time: i64,
    /// The message's index in the bundle.
    pub message: usize,
}

/// The first rule that kept a message from being delivered at a check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The message is paused.
    Paused,
    /// The condition is false; the explanation names the deciding test.
    ConditionFailed(Explanation),
    /// `send during business_hours`: the schedule with this index is closed.
    ScheduleClosed {
        /// The schedule's index.
        schedule: u16,
    },
    /// `send outside business_hours`: the schedule with this index is open.
    ScheduleOpen {
        /// The schedule's index.
        schedule: u16,
    },
    /// The frequency rule forbids another delivery.
    Frequency(Frequency),
    /// The message's generative AI agent is paused: automated resolutions are unavailable.
    AiUnavailable {
        /// The agent's index.
        agent: u16,
    },
    /// The customer is in a conversation.
    InConversation,
    /// A proactive message (possibly this one) is displayed.
    MessageDisplayed {
        /// The displayed message's index.
        displayed: usize,
    },
    /// Another message passing every rule won on priority (or bundle order).
    LostOnPriority {
        /// The delivered message's index.
        winner: usize,
    },
}

/// What happened to a message at a check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It was delivered.
    Delivered,
    /// It was not, for this first reason.
    NotDelivered(Reason),
}

/// A message's outcome at a check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessageOutcome {
    /// The message's index in the bundle.
    pub message: usize,
    /// Its outcome.
    pub outcome: Outcome,
}

/// Explain mode's account of one check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckReport {
    /// The check instant.
    pub time: i64,
    /// One entry per message checked, in bundle order.
    pub outcomes: Vec<MessageOutcome>,
    /// The context the conditions were evaluated against (for tools that evaluate the
    /// conditions as written, such as rule-test coverage).
    pub context: Context,
}

/// Why an engine could not be created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EngineError {
    /// The bundle has no channel with this name.
    UnknownChannel(String),
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineError::UnknownChannel(name) => {
                write!(f, "the bundle has no channel named {name:?}")
            }
        }
    }
}

impl std::error::Error for EngineError {}

/// Why saved device state could not be restored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StateError {
    /// The bytes do not start with `PMS\0`.
    BadMagic,
    /// The state was written by a newer, incompatible VM.
    UnsupportedVersion(u16),
    /// The bytes end early.
    Truncated,
    /// Bytes follow the checksum.
    TrailingBytes,
    /// The checksum does not match.
    ChecksumMismatch,
    /// A message name is not UTF-8.
    InvalidUtf8,
}

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StateError::BadMagic => "not device state: the magic bytes \"PMS\\0\" are missing",
            StateError::UnsupportedVersion(_) => "device state was written by a newer VM",
            StateError::Truncated => "device state is truncated",
            StateError::TrailingBytes => "device state has trailing bytes",
            StateError::ChecksumMismatch => "device state is corrupted (checksum mismatch)",
            StateError::InvalidUtf8 => "device state holds a message name that is not UTF-8",
        })
    }
}

impl std::error::Error for StateError {}

const STATE_MAGIC: [u8; 4] = *b"PMS\0";
const STATE_VERSION: u16 = 1;

/// A check a `screen_open` schedules: message `message`, `dwell_ms` after the screen opened.
#[derive(Clone, Copy, Debug)]
struct ScreenCheck {
    dwell_ms: u32,
    message: u16,
}

/// The reason recorded for a false condition outside explain mode, where reasons are not
/// reported: the deciding test is not looked up.
const UNREPORTED: Explanation = Explanation {
    result: false,
    deciding: None,
    test_value: false,
};

/// The runtime for one channel of a bundle; see the module documentation.
#[derive(Clone, Debug)]
pub struct Engine {
    bundle: Arc<Bundle>,
    channel: usize,
    /// The checks a `screen_open` schedules: one per message of the channel triggered by
    /// `screen_open`, sorted by dwell, then bundle order (so by due instant, then bundle order).
    screen_checks: Box<[ScreenCheck]>,
    /// When the screen whose checks are pending opened.
    screen_opened: i64,
    /// `screen_checks[next_check..]` are pending (none when it is the length).
    next_check: usize,
    /// The messages of the check being run (a buffer kept to be reused).
    group: Vec<u16>,
    /// Changed only through [`Engine::context_mut`], which clears `memo`.
    ctx: Context,
    /// The values of the tests already run against `ctx`: the checks of one screen share them.
    memo: Memo,
    now: i64,
    in_visit: bool,
    /// Device state: visits started on this device.
    visits: u32,
    /// Device state: names of messages ever delivered on this device.
    shown_on_device: BTreeSet<String>,
    /// Per visit: `shown_this_visit[m]` when message `m` was delivered in this visit.
    shown_this_visit: Vec<bool>,
    displayed: Option<usize>,
    in_conversation: bool,
    ai_available: bool,
    deliveries: Vec<Delivery>,
    explain: bool,
    reports: Vec<CheckReport>,
}

impl Engine {
    /// An engine for the channel named `channel`: no visit, no conversation, automated
    /// resolutions available, empty device state and language.
    ///
    /// # Errors
    ///
    /// [`EngineError::UnknownChannel`] when the bundle has no such channel.
    pub fn new(bundle: Arc<Bundle>, channel: &str) -> Result<Engine, EngineError> {
        let channel = bundle
            .channel_by_name(channel)
            .ok_or_else(|| EngineError::UnknownChannel(channel.to_owned()))?;
        // Bundles hold at most `format::limits::MAX_MESSAGES` messages, so indexes fit `u16`.
        // Sorted by inserting each message after the checks of a dwell at most its own: the
        // messages come in bundle order, so ties stay in bundle order. At most 140 checks, and
        // no sort routine compiled into the library for this one use (the `.wasm` has a size
        // budget).
        let mut screen_checks: Vec<ScreenCheck> = Vec::new();
        for m in 0..bundle.messages().len() as u16 {
            let message = &bundle.messages()[usize::from(m)];
            if usize::from(message.channel) == channel && message.trigger == Trigger::ScreenOpen {
                let at = screen_checks.partition_point(|c| c.dwell_ms <= message.dwell_ms);
                screen_checks.insert(
                    at,
                    ScreenCheck {
                        dwell_ms: message.dwell_ms,
                        message: m,
                    },
                );
            }
        }
        let shown_this_visit = vec![false; bundle.messages().len()];
        Ok(Engine {
            bundle,
            channel,
            next_check: screen_checks.len(),
            group: Vec::with_capacity(screen_checks.len()),
            screen_checks: screen_checks.into_boxed_slice(),
            screen_opened: i64::MIN,
            ctx: Context::new(),
            memo: Memo::default(),
            now: i64::MIN,
            in_visit: false,
            visits: 0,
            shown_on_device: BTreeSet::new(),
            shown_this_visit,
            displayed: None,
            in_conversation: false,
            ai_available: true,
            deliveries: Vec::new(),
            explain: false,
            reports: Vec::new(),
        })
    }

    /// The bundle.
    pub fn bundle(&self) -> &Arc<Bundle> {
        &self.bundle
    }

    /// The channel's index in the bundle.
    pub fn channel(&self) -> usize {
        self.channel
    }

    /// Sets the device language, in any form a platform reports it (canonicalized once, as
    /// [`Context::set_language`] does).
    pub fn set_language(&mut self, language: &str) {
        self.context_mut().set_language(language);
    }

    /// Turns explain mode on or off: when on, every check appends a [`CheckReport`].
    pub fn set_explain(&mut self, on: bool) {
        self.explain = on;
    }

    /// The message currently displayed.
    pub fn displayed(&self) -> Option<usize> {
        self.displayed
    }

    /// Whether a visit is in progress.
    pub fn in_visit(&self) -> bool {
        self.in_visit
    }

    /// Whether the customer is in a conversation.
    pub fn in_conversation(&self) -> bool {
        self.in_conversation
    }

    /// Runs the checks due strictly before `now`, then applies `event` at `now`.
    pub fn handle(&mut self, now: i64, event: Event<'_>) {
        let now = now.max(self.now);
        self.run_checks(now, false);
        self.now = now;
        match event {
            Event::AppLaunch { returning } => {
                self.end_visit();
                self.start_visit(returning);
            }
            Event::ScreenOpen { url, title } => {
                if !self.in_visit {
                    self.start_visit(None);
                }
                let ctx = self.context_mut();
                ctx.set_url(url);
                ctx.set_title(title);
                // Every check of the previous screen is cancelled; this screen's are pending.
                self.screen_opened = now;
                self.next_check = 0;
            }
            Event::MessageOpened { message } | Event::MessageDismissed { message } => {
                if self.displayed == Some(message) {
                    self.displayed = None;
                }
            }
            Event::ConversationStarted => self.in_conversation = true,
            Event::ConversationEnded => self.in_conversation = false,
            Event::SetAiResolutions { available } => self.ai_available = available,
            Event::AppQuit => self.end_visit(),
        }
    }

    /// Runs the checks due up to and including `now`.
    pub fn advance_to(&mut self, now: i64) {
        let now = now.max(self.now);
        self.run_checks(now, true);
        self.now = now;
    }

    /// The instant of the earliest pending check.
    pub fn next_deadline(&self) -> Option<i64> {
        self.screen_checks
            .get(self.next_check)
            .map(|check| self.due(check))
    }

    /// Returns and forgets the deliveries made so far, in time order. The returned vector is
    /// the engine's own: the next delivery allocates a new one (see
    /// [`Engine::drain_deliveries`]).
    pub fn take_deliveries(&mut self) -> Vec<Delivery> {
        std::mem::take(&mut self.deliveries)
    }

    /// Removes the deliveries made so far and yields them in time order, keeping the engine's
    /// buffer: unlike [`Engine::take_deliveries`], this never allocates. (Deliveries not
    /// consumed when the iterator is dropped are forgotten too.)
    pub fn drain_deliveries(&mut self) -> std::vec::Drain<'_, Delivery> {
        self.deliveries.drain(..)
    }

    /// Returns and forgets the explain-mode reports made so far, in time order.
    pub fn take_reports(&mut self) -> Vec<CheckReport> {
        std::mem::take(&mut self.reports)
    }

    /// The context, to change it: the test values remembered for the old one are forgotten.
    fn context_mut(&mut self) -> &mut Context {
        self.memo.clear();
        &mut self.ctx
    }

    /// When `check` is due, for the screen whose checks are pending.
    fn due(&self, check: &ScreenCheck) -> i64 {
        self.screen_opened.saturating_add(check.dwell_ms.into())
    }

    fn start_visit(&mut self, returning: Option<bool>) {
        self.in_visit = true;
        let returning = returning.unwrap_or(self.visits > 0);
        self.visits = self.visits.saturating_add(1);
        let ctx = self.context_mut();
        ctx.set_returning(returning);
        ctx.set_url("");
        ctx.set_title("");
    }

    fn end_visit(&mut self) {
        if !self.in_visit {
            return;
        }
        self.in_visit = false;
        self.next_check = self.screen_checks.len();
        self.displayed = None;
        self.shown_this_visit.fill(false);
    }

    /// Runs every check due before `limit` (or at it, when `inclusive`), instant by instant.
    ///
    /// The pending checks are in due order, so each instant's are the next few.
    fn run_checks(&mut self, limit: i64, inclusive: bool) {
        let mut group = std::mem::take(&mut self.group);
        while let Some(first) = self.screen_checks.get(self.next_check) {
            let time = self.due(first);
            if time > limit || (time == limit && !inclusive) {
                break;
            }
            let pending = &self.screen_checks[self.next_check..];
            let count = pending
                .iter()
                .take_while(|check| self.due(check) == time)
                .count();
            group.clear();
            group.extend(pending[..count].iter().map(|check| check.message));
            // Checks of one dwell are in bundle order already; only instants saturated at the
            // end of time gather several dwells.
            if !group.is_sorted() {
                group.sort_unstable();
            }
            self.next_check += count;
            self.check(time, &group);
        }
        self.group = group;
    }

    /// The first rule, in the documented order, that keeps message `m` from delivery at `time`.
    /// Conditions are evaluated with the tests already run against the context remembered.
    fn blocked(&mut self, m: usize, time: i64) -> Option<Reason> {
        let bundle = &*self.bundle;
        let message = &bundle.messages()[m];
        if message.status == Status::Paused {
            return Some(Reason::Paused);
        }
        if self.explain {
            let explanation = bundle.explain_remembering(m, &self.ctx, &mut self.memo);
            if !explanation.result {
                return Some(Reason::ConditionFailed(explanation));
            }
        } else if !bundle.eval_remembering(m, &self.ctx, &mut self.memo) {
            return Some(Reason::ConditionFailed(UNREPORTED));
        }
        match message.send {
            SendMode::Anytime => {}
            SendMode::During(schedule) => {
                if !bundle.schedules()[usize::from(schedule)].is_open(time) {
                    return Some(Reason::ScheduleClosed { schedule });
                }
            }
            SendMode::Outside(schedule) => {
                if bundle.schedules()[usize::from(schedule)].is_open(time) {
                    return Some(Reason::ScheduleOpen { schedule });
                }
            }
        }
        let seen = match message.frequency {
            Frequency::OncePerDevice => self.shown_on_device.contains(bundle.str(message.name)),
            Frequency::OncePerVisit => self.shown_this_visit[m],
            Frequency::EveryTime => false,
        };
        if seen {
            return Some(Reason::Frequency(message.frequency));
        }
        if let Response::AiAgent { agent, .. } = message.response
            && bundle.ai_agents()[usize::from(agent)].generative
            && !self.ai_available
        {
            return Some(Reason::AiUnavailable { agent });
        }
        if self.in_conversation {
            return Some(Reason::InConversation);
        }
        if let Some(displayed) = self.displayed {
            return Some(Reason::MessageDisplayed { displayed });
        }
        None
    }

    /// One check at `time` of the messages in `group` (sorted, in bundle order).
    fn check(&mut self, time: i64, group: &[u16]) {
        let mut outcomes = Vec::new();
        let mut winner: Option<usize> = None;
        for &m in group {
            let m = usize::from(m);
            let blocked = self.blocked(m, time);
            if blocked.is_none() {
                let priority = |m: usize| self.bundle.messages()[m].priority;
                if winner.is_none_or(|w| priority(m) > priority(w)) {
                    winner = Some(m);
                }
            }
            if self.explain {
                outcomes.push(MessageOutcome {
                    message: m,
                    outcome: blocked.map_or(Outcome::Delivered, Outcome::NotDelivered),
                });
            }
        }
        if let Some(winner) = winner {
            self.displayed = Some(winner);
            self.shown_this_visit[winner] = true;
            let name = self.bundle.str(self.bundle.messages()[winner].name);
            if !self.shown_on_device.contains(name) {
                self.shown_on_device.insert(name.to_owned());
            }
            self.deliveries.push(Delivery {
                time,
                message: winner,
            });
            for entry in &mut outcomes {
                if entry.outcome == Outcome::Delivered && entry.message != winner {
                    entry.outcome = Outcome::NotDelivered(Reason::LostOnPriority { winner });
                }
            }
        }
        if self.explain {
            self.reports.push(CheckReport {
                time,
                outcomes,
                context: self.ctx.clone(),
            });
        }
    }

    /// The device state to persist: the visit count and the names of the messages shown on
    /// this device (`FORMAT.md`, "Device state").
    pub fn save_state(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&STATE_MAGIC);
        out.extend_from_slice(&STATE_VERSION.to_le_bytes());
        out.extend_from_slice(&self.visits.to_le_bytes());
        // Names come from bundles (at most 64 KiB each); at most u32::MAX of them are kept.
        out.extend_from_slice(&(self.shown_on_device.len() as u32).to_le_bytes());
        for name in &self.shown_on_device {
            out.extend_from_slice(&(name.len() as u32).to_le_bytes());
            out.extend_from_slice(name.as_bytes());
        }
        let crc = crc32fast::hash(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }

    /// Replaces the device state with one saved by [`Engine::save_state`] (possibly by an
    /// engine over another version of the bundle). The current visit is not affected.
    ///
    /// # Errors
    ///
    /// A [`StateError`] when the bytes are not valid state; the engine is then unchanged.
    pub fn restore_state(&mut self, bytes: &[u8]) -> Result<(), StateError> {
        let (visits, shown) = parse_state(bytes)?;
        self.visits = visits;
        self.shown_on_device = shown;
        Ok(())
    }
}

fn parse_state(bytes: &[u8]) -> Result<(u32, BTreeSet<String>), StateError> {
    let (body, crc) = bytes.split_last_chunk::<4>().ok_or(StateError::Truncated)?;
    if body.get(..4) != Some(&STATE_MAGIC[..]) {
        return Err(StateError::BadMagic);
    }
    if crc32fast::hash(body) != u32::from_le_bytes(*crc) {
        return Err(StateError::ChecksumMismatch);
    }
    let mut rest = &body[4..];
    let mut take = |n: usize| -> Result<&[u8], StateError> {
        let (head, tail) = rest.split_at_checked(n).ok_or(StateError::Truncated)?;
        rest = tail;
        Ok(head)
    };
    let u32_at = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    let version = take(2)?;
    let version = u16::from_le_bytes([version[0], version[1]]);
    if version != STATE_VERSION {
        return Err(StateError::UnsupportedVersion(version));
    }
    let visits = u32_at(take(4)?);
    let count = u32_at(take(4)?);
    let mut shown = BTreeSet::new();
    for _ in 0..count {
        // Each name consumes at least its 4-byte length, so the loop is bounded by the input.
        let len = u32_at(take(4)?) as usize;
        let name = std::str::from_utf8(take(len)?).map_err(|_| StateError::InvalidUtf8)?;
        shown.insert(name.to_owned());
    }
    if !rest.is_empty() {
        return Err(StateError::TrailingBytes);
    }
    Ok((visits, shown))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opcode::Instr;
    use crate::testkit::{Cond, Msg, build, msg};
    use proptest::prelude::*;

    /// Monday 2026-11-23 09:00 UTC (10:00 in Paris).
    fn ts(s: &str) -> i64 {
        s.parse::<jiff::Timestamp>().unwrap().as_millisecond()
    }

    fn t(seconds: i64) -> i64 {
        ts("2026-11-23T09:00:00Z") + seconds * 1000
    }

    fn engine(messages: &[Msg]) -> Engine {
        let mut e = Engine::new(build(messages), "iOS").unwrap();
        e.set_language("fr-FR");
        e
    }

    fn screen(e: &mut Engine, at: i64, url: &str) {
        e.handle(at, Event::ScreenOpen { url, title: "Page" });
    }

    /// Deliveries as (seconds since `t(0)`, message name).
    fn delivered(e: &mut Engine) -> Vec<(i64, String)> {
        let bundle = e.bundle().clone();
        e.take_deliveries()
            .into_iter()
            .map(|d| {
                let name = bundle.str(bundle.messages()[d.message].name).to_owned();
                ((d.time - t(0)) / 1000, name)
            })
            .collect()
    }

    /// Runs the checks due at or before `at`, then returns the deliveries as [`delivered`].
    fn delivered_by(e: &mut Engine, at: i64) -> Vec<(i64, String)> {
        e.advance_to(at);
        delivered(e)
    }

    fn d(list: &[(i64, &str)]) -> Vec<(i64, String)> {
        list.iter().map(|&(t, n)| (t, n.to_owned())).collect()
    }

    fn pricing(dwell_ms: u32) -> Msg {
        Msg {
            cond: Cond::UrlHasAny(vec!["pricing".into()]),
            dwell_ms,
            ..msg("Pricing")
        }
    }

    #[test]
    fn a_dwell_check_fires_after_the_dwell_and_a_new_screen_restarts_it() {
        let mut e = engine(&[pricing(30_000)]);
        e.handle(t(0), Event::AppLaunch { returning: None });
        screen(&mut e, t(1), "https://acme.com/Pricing");
        assert_eq!(e.next_deadline(), Some(t(31)));
        screen(&mut e, t(20), "https://acme.com/pricing");
        assert_eq!(e.next_deadline(), Some(t(50)));
        assert_eq!(delivered_by(&mut e, t(49)), d(&[]));
        assert_eq!(delivered_by(&mut e, t(50)), d(&[(50, "Pricing")]));
        assert_eq!(e.next_deadline(), None);
    }

    /// An engine with [`pricing`]`(dwell_ms)` that saw the pricing page at 0 s, then the home
    /// page at 10 s.
    fn pricing_then_home(dwell_ms: u32) -> Engine {
        let mut e = engine(&[pricing(dwell_ms)]);
        screen(&mut e, t(0), "https://acme.com/pricing");
        screen(&mut e, t(10), "https://acme.com/home");
        e
    }

    #[test]
    fn the_check_uses_the_context_at_its_instant() {
        let mut e = pricing_then_home(30_000);
        assert_eq!(delivered_by(&mut e, t(100)), d(&[]));
    }

    #[test]
    fn a_check_report_holds_the_context_of_its_instant() {
        let mut e = engine(&[pricing(10_000)]);
        e.set_explain(true);
        e.handle(
            t(0),
            Event::AppLaunch {
                returning: Some(true),
            },
        );
        e.handle(
            t(1),
            Event::ScreenOpen {
                url: "https://Acme.com/Pricing",
                title: "Plans",
            },
        );
        e.handle(
            t(20),
            Event::ScreenOpen {
                url: "/home",
                title: "Home",
            },
        );
        let reports = e.take_reports();
        assert_eq!(reports.len(), 1);
        let context = &reports[0].context;
        assert_eq!(
            (
                context.url(),
                context.title(),
                context.language(),
                context.returning()
            ),
            ("https://acme.com/pricing", "plans", "fr-FR", true)
        );
    }

    #[test]
    fn a_screen_open_at_the_instant_an_older_check_falls_due_cancels_it() {
        // The check of the first screen falls due at 10 s, the instant the second opens.
        let mut e = pricing_then_home(10_000);
        assert_eq!(delivered_by(&mut e, t(15)), d(&[]));
        assert_eq!(e.next_deadline(), Some(t(20)));
    }

    #[test]
    fn events_at_an_instant_are_applied_before_the_checks_due_then() {
        let mut e = engine(&[pricing(0)]);
        screen(&mut e, t(5), "/pricing");
        assert_eq!(e.next_deadline(), Some(t(5)));
        e.handle(t(5), Event::ConversationStarted);
        assert_eq!(delivered_by(&mut e, t(5)), d(&[]));
        e.handle(t(6), Event::ConversationEnded);
        screen(&mut e, t(6), "/pricing");
        // `handle` runs only the checks due strictly before its instant.
        e.handle(t(6), Event::SetAiResolutions { available: true });
        assert_eq!(delivered(&mut e), d(&[]));
        e.handle(t(7), Event::SetAiResolutions { available: true });
        assert_eq!(delivered(&mut e), d(&[(6, "Pricing")]));
    }

    #[test]
    fn app_quit_cancels_dwell_timers() {
        let mut e = engine(&[pricing(10_000)]);
        screen(&mut e, t(0), "/pricing");
        e.handle(t(5), Event::AppQuit);
        assert_eq!(e.next_deadline(), None);
        assert_eq!(delivered_by(&mut e, t(60)), d(&[]));
    }

    #[test]
    fn once_per_visit_is_reset_by_a_relaunch() {
        let mut e = engine(&[Msg {
            frequency: Frequency::OncePerVisit,
            ..pricing(0)
        }]);
        e.set_explain(true);
        e.handle(t(0), Event::AppLaunch { returning: None });
        screen(&mut e, t(1), "/pricing");
        e.handle(t(2), Event::MessageDismissed { message: 0 });
        screen(&mut e, t(3), "/pricing");
        e.handle(t(4), Event::AppLaunch { returning: None });
        screen(&mut e, t(5), "/pricing");
        assert_eq!(
            delivered_by(&mut e, t(5)),
            d(&[(1, "Pricing"), (5, "Pricing")])
        );
        let reports = e.take_reports();
        assert_eq!(
            reports[1].outcomes[0].outcome,
            Outcome::NotDelivered(Reason::Frequency(Frequency::OncePerVisit))
        );
    }

    #[test]
    fn once_per_device_survives_save_and_restore_into_an_updated_bundle() {
        let once = Msg {
            frequency: Frequency::OncePerDevice,
            ..pricing(0)
        };
        let mut e = engine(std::slice::from_ref(&once));
        screen(&mut e, t(0), "/pricing");
        e.handle(t(1), Event::AppQuit);
        screen(&mut e, t(2), "/pricing");
        assert_eq!(delivered_by(&mut e, t(2)), d(&[(0, "Pricing")]));
        let state = e.save_state();

        // The updated bundle has another message first: state is keyed by name, not index.
        let updated = [
            Msg {
                cond: Cond::Const(false),
                ..msg("New")
            },
            once,
        ];
        let mut restored = engine(&updated);
        restored.restore_state(&state).unwrap();
        assert_eq!(restored.save_state(), state);
        screen(&mut restored, t(0), "/pricing");
        assert_eq!(delivered_by(&mut restored, t(0)), d(&[]));

        let mut fresh = engine(&updated);
        screen(&mut fresh, t(0), "/pricing");
        assert_eq!(delivered_by(&mut fresh, t(0)), d(&[(0, "Pricing")]));
    }

    #[test]
    fn visit_history_is_new_first_then_returning_and_may_be_stated_per_visit() {
        let mut e = engine(&[Msg {
            cond: Cond::Returning,
            ..msg("Welcome back")
        }]);
        let visit = |e: &mut Engine, at: i64, returning: Option<bool>| {
            e.handle(at, Event::AppLaunch { returning });
            screen(e, at, "/");
            e.handle(at + 1000, Event::AppQuit);
        };
        visit(&mut e, t(0), None);
        visit(&mut e, t(10), None);
        visit(&mut e, t(20), Some(false));
        visit(&mut e, t(30), None);
        visit(&mut e, t(40), Some(true));
        assert_eq!(
            delivered(&mut e),
            d(&[
                (10, "Welcome back"),
                (30, "Welcome back"),
                (40, "Welcome back")
            ])
        );
        // The device state carries the visit count.
        let mut restored = engine(&[Msg {
            cond: Cond::Returning,
            ..msg("Welcome back")
        }]);
        restored.restore_state(&e.save_state()).unwrap();
        screen(&mut restored, t(100), "/");
        assert_eq!(
            delivered_by(&mut restored, t(100)),
            d(&[(100, "Welcome back")])
        );
    }

    #[test]
    fn a_screen_open_outside_a_visit_starts_one() {
        let mut e = engine(&[pricing(0)]);
        assert!(!e.in_visit());
        screen(&mut e, t(0), "/pricing");
        assert!(e.in_visit());
        assert_eq!(delivered_by(&mut e, t(0)), d(&[(0, "Pricing")]));
    }

    #[test]
    fn a_displayed_message_blocks_every_message_until_opened_dismissed_or_the_visit_ends() {
        let mut e = engine(&[
            pricing(0),
            Msg {
                cond: Cond::Const(true),
                ..msg("Other")
            },
        ]);
        e.set_explain(true);
        screen(&mut e, t(0), "/pricing");
        screen(&mut e, t(1), "/pricing");
        // An event for a message that is not displayed changes nothing.
        e.handle(t(2), Event::MessageOpened { message: 1 });
        screen(&mut e, t(3), "/pricing");
        e.handle(t(4), Event::MessageOpened { message: 0 });
        screen(&mut e, t(5), "/pricing");
        e.handle(t(6), Event::AppQuit);
        screen(&mut e, t(7), "/pricing");
        assert_eq!(
            delivered_by(&mut e, t(7)),
            d(&[(0, "Pricing"), (5, "Pricing"), (7, "Pricing")])
        );
        let reports = e.take_reports();
        assert_eq!(
            reports[1].outcomes,
            vec![
                MessageOutcome {
                    message: 0,
                    outcome: Outcome::NotDelivered(Reason::MessageDisplayed { displayed: 0 })
                },
                MessageOutcome {
                    message: 1,
                    outcome: Outcome::NotDelivered(Reason::MessageDisplayed { displayed: 0 })
                },
            ]
        );
        assert_eq!(
            reports[0].outcomes[1].outcome,
            Outcome::NotDelivered(Reason::LostOnPriority { winner: 0 })
        );
    }

    #[test]
    fn a_conversation_blocks_deliveries_across_visits() {
        let mut e = engine(&[pricing(0)]);
        e.handle(t(0), Event::AppLaunch { returning: None });
        e.handle(t(1), Event::ConversationStarted);
        screen(&mut e, t(2), "/pricing");
        e.handle(t(3), Event::AppQuit);
        e.handle(t(4), Event::AppLaunch { returning: None });
        screen(&mut e, t(5), "/pricing");
        e.handle(t(6), Event::ConversationEnded);
        screen(&mut e, t(7), "/pricing");
        assert_eq!(delivered_by(&mut e, t(7)), d(&[(7, "Pricing")]));
        assert!(!e.in_conversation());
    }

    #[test]
    fn paused_messages_are_never_delivered() {
        let mut e = engine(&[Msg {
            status: Status::Paused,
            ..pricing(0)
        }]);
        e.set_explain(true);
        screen(&mut e, t(0), "/pricing");
        assert_eq!(delivered_by(&mut e, t(0)), d(&[]));
        assert_eq!(
            e.take_reports()[0].outcomes[0].outcome,
            Outcome::NotDelivered(Reason::Paused)
        );
    }

    #[test]
    fn generative_ai_messages_pause_while_resolutions_are_unavailable() {
        let mut e = engine(&[
            Msg {
                ai_agent: Some(0),
                priority: 1,
                ..msg("Generative")
            },
            Msg {
                ai_agent: Some(1),
                ..msg("Scripted")
            },
        ]);
        e.set_explain(true);
        e.handle(t(0), Event::SetAiResolutions { available: false });
        screen(&mut e, t(1), "/");
        e.handle(t(2), Event::AppQuit);
        e.handle(t(3), Event::SetAiResolutions { available: true });
        screen(&mut e, t(4), "/");
        assert_eq!(
            delivered_by(&mut e, t(4)),
            d(&[(1, "Scripted"), (4, "Generative")])
        );
        assert_eq!(
            e.take_reports()[0].outcomes[0].outcome,
            Outcome::NotDelivered(Reason::AiUnavailable { agent: 0 })
        );
    }

    #[test]
    fn the_highest_priority_wins_ties_go_to_bundle_order_and_failures_do_not_block() {
        let mut e = engine(&[
            Msg {
                priority: 0,
                ..msg("Low")
            },
            Msg {
                priority: 5,
                ..msg("High")
            },
            Msg {
                priority: 5,
                ..msg("High too")
            },
            Msg {
                priority: 9,
                cond: Cond::Const(false),
                ..msg("Highest but false")
            },
        ]);
        e.set_explain(true);
        screen(&mut e, t(0), "/");
        assert_eq!(delivered_by(&mut e, t(0)), d(&[(0, "High")]));
        let outcomes: Vec<Outcome> = e.take_reports()[0]
            .outcomes
            .iter()
            .map(|o| o.outcome)
            .collect();
        assert_eq!(
            outcomes[0],
            Outcome::NotDelivered(Reason::LostOnPriority { winner: 1 })
        );
        assert_eq!(outcomes[1], Outcome::Delivered);
        assert_eq!(
            outcomes[2],
            Outcome::NotDelivered(Reason::LostOnPriority { winner: 1 })
        );
        match outcomes[3] {
            Outcome::NotDelivered(Reason::ConditionFailed(x)) => {
                assert_eq!(x.deciding, Some((0, Instr::Const { b: false })));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn messages_due_at_different_instants_are_separate_checks() {
        let mut e = engine(&[
            Msg {
                dwell_ms: 20_000,
                priority: 9,
                ..msg("Late")
            },
            Msg {
                dwell_ms: 10_000,
                ..msg("Early")
            },
        ]);
        screen(&mut e, t(0), "/");
        e.advance_to(t(30));
        // "Early" is displayed at 10 s and blocks "Late" at 20 s.
        assert_eq!(delivered(&mut e), d(&[(10, "Early")]));
    }

    #[test]
    fn send_during_and_outside_business_hours() {
        let bundle = build(&[
            Msg {
                send: SendMode::During(0),
                ..msg("During")
            },
            Msg {
                send: SendMode::Outside(0),
                ..msg("Outside")
            },
        ]);
        let mut e = Engine::new(bundle, "iOS").unwrap();
        e.set_explain(true);
        // Monday 10:00 in Paris: open.
        screen(&mut e, ts("2026-11-23T09:00:00Z"), "/");
        e.handle(ts("2026-11-23T09:00:01Z"), Event::AppQuit);
        // Monday 18:00 in Paris: closed.
        screen(&mut e, ts("2026-11-23T17:00:00Z"), "/");
        e.advance_to(ts("2026-11-23T17:00:00Z"));
        let names: Vec<usize> = e.take_deliveries().iter().map(|d| d.message).collect();
        assert_eq!(names, vec![0, 1]);
        let reports = e.take_reports();
        assert_eq!(
            reports[0].outcomes[1].outcome,
            Outcome::NotDelivered(Reason::ScheduleOpen { schedule: 0 })
        );
        assert_eq!(
            reports[1].outcomes[0].outcome,
            Outcome::NotDelivered(Reason::ScheduleClosed { schedule: 0 })
        );
    }

    #[test]
    fn business_hours_follow_dst_holidays_and_half_open_intervals() {
        let bundle = build(&[]);
        let paris = &bundle.schedules()[0];
        let cases = [
            // Before the DST change (CET, UTC+1): 08:30 closed, 09:00 open.
            ("2026-03-23T07:30:00Z", false),
            ("2026-03-23T08:00:00Z", true),
            // After it (CEST, UTC+2) the same UTC instant is 09:30: open.
            ("2026-03-30T07:30:00Z", true),
            ("2026-03-30T06:59:59Z", false),
            // Monday lunch break 12:00-13:00 and the half-open end at 17:30.
            ("2026-03-30T10:00:00Z", false),
            ("2026-03-30T11:00:00Z", true),
            ("2026-03-30T15:29:59Z", true),
            ("2026-03-30T15:30:00Z", false),
            // Back to CET on 2026-10-25.
            ("2026-10-26T08:00:00Z", true),
            ("2026-10-26T07:59:59Z", false),
            // Weekend and the Christmas holiday (a Friday) are closed all day.
            ("2026-11-28T10:00:00Z", false),
            ("2026-12-25T10:00:00Z", false),
            ("2026-12-24T10:00:00Z", true),
        ];
        for (instant, open) in cases {
            assert_eq!(paris.is_open(ts(instant)), open, "{instant}");
        }
        assert!(!paris.is_open(i64::MAX));
    }

    #[test]
    fn messages_of_other_channels_are_ignored() {
        let bundle = build(&[
            Msg {
                channel: 1,
                ..msg("Android only")
            },
            msg("iOS"),
        ]);
        assert_eq!(
            Engine::new(bundle.clone(), "Web").unwrap_err().to_string(),
            "the bundle has no channel named \"Web\""
        );
        let mut android = Engine::new(bundle, "Android").unwrap();
        screen(&mut android, t(0), "/");
        assert_eq!(delivered_by(&mut android, t(0)), d(&[(0, "Android only")]));
    }

    #[test]
    fn time_never_goes_backwards() {
        let mut e = engine(&[pricing(10_000)]);
        screen(&mut e, t(100), "/pricing");
        e.handle(t(50), Event::SetAiResolutions { available: true });
        e.advance_to(t(0));
        assert_eq!(e.next_deadline(), Some(t(110)));
        assert_eq!(delivered_by(&mut e, t(110)), d(&[(110, "Pricing")]));
    }

    #[test]
    fn invalid_state_is_rejected_with_a_reason() {
        let mut e = engine(&[pricing(0)]);
        let good = e.save_state();
        assert_eq!(e.restore_state(b""), Err(StateError::Truncated));
        assert_eq!(e.restore_state(b"XXXX\0\0\0\0"), Err(StateError::BadMagic));
        let mut bad = good.clone();
        bad[6] ^= 1;
        assert_eq!(e.restore_state(&bad), Err(StateError::ChecksumMismatch));
        for cut in 0..good.len() {
            assert!(e.restore_state(&good[..cut]).is_err());
        }
        assert!(e.restore_state(&good).is_ok());
    }

    /// A random event for the invariant test: (kind, parameter).
    fn arb_events() -> impl Strategy<Value = Vec<(u32, u8, u8)>> {
        prop::collection::vec((0u32..40_000, 0u8..9, 0u8..4), 0..40)
    }

    proptest! {
        #[test]
        fn random_event_streams_keep_the_runtime_invariants(events in arb_events()) {
            let messages = [
                Msg { frequency: Frequency::OncePerDevice, ..pricing(5_000) },
                Msg { frequency: Frequency::OncePerVisit, dwell_ms: 0, ..msg("Visit") },
                Msg { status: Status::Paused, ..msg("Paused") },
                Msg { ai_agent: Some(0), dwell_ms: 10_000, priority: 2, ..msg("Generative") },
                Msg { cond: Cond::Returning, dwell_ms: 5_000, priority: -1, ..msg("Returning") },
            ];
            let mut e = engine(&messages);
            let (mut now, mut displayed, mut conversation) = (t(0), None::<usize>, false);
            let mut once_per_device_seen = 0;
            let mut check = |deliveries: Vec<Delivery>, displayed: &mut Option<usize>, conversation: bool, last: &mut i64| {
                for delivery in deliveries {
                    prop_assert!(delivery.time >= *last);
                    *last = delivery.time;
                    prop_assert_eq!(*displayed, None, "a delivery while a message is displayed");
                    prop_assert!(!conversation, "a delivery during a conversation");
                    prop_assert_ne!(delivery.message, 2, "a paused message was delivered");
                    if delivery.message == 0 {
                        once_per_device_seen += 1;
                        prop_assert!(once_per_device_seen <= 1);
                    }
                    *displayed = Some(delivery.message);
                }
                Ok(())
            };
            let mut last = i64::MIN;
            for (dt, kind, param) in events {
                now += i64::from(dt);
                let url = ["/pricing", "/home", "/pricing/plans", ""][usize::from(param)];
                let message = usize::from(param);
                let event = match kind {
                    0 => Event::AppLaunch { returning: [None, Some(true), Some(false), None][usize::from(param)] },
                    1 | 2 => Event::ScreenOpen { url, title: "Title" },
                    3 => Event::MessageOpened { message },
                    4 => Event::MessageDismissed { message },
                    5 => Event::ConversationStarted,
                    6 => Event::ConversationEnded,
                    7 => Event::SetAiResolutions { available: param % 2 == 0 },
                    _ => Event::AppQuit,
                };
                e.handle(now, event);
                check(e.take_deliveries(), &mut displayed, conversation, &mut last)?;
                match event {
                    Event::AppLaunch { .. } | Event::AppQuit => displayed = None,
                    Event::MessageOpened { message } | Event::MessageDismissed { message }
                        if displayed == Some(message) => displayed = None,
                    Event::ConversationStarted => conversation = true,
                    Event::ConversationEnded => conversation = false,
                    _ => {}
                }
                prop_assert_eq!(e.displayed(), displayed);
                prop_assert_eq!(e.in_conversation(), conversation);
                if let Some(deadline) = e.next_deadline() {
                    prop_assert!(deadline >= now);
                }
            }
            e.advance_to(now + 60_000);
            check(e.take_deliveries(), &mut displayed, conversation, &mut last)?;
            prop_assert_eq!(e.next_deadline(), None);
        }
    }

    proptest! {
        #[test]
        fn restoring_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
            let mut e = engine(&[pricing(0)]);
            let _ = e.restore_state(&bytes);
            // With a valid checksum the parser itself is exercised.
            let mut framed = b"PMS\x00\x01\x00".to_vec();
            framed.extend_from_slice(&bytes);
            let crc = crc32fast::hash(&framed);
            framed.extend_from_slice(&crc.to_le_bytes());
            let _ = e.restore_state(&framed);
        }
    }
}
