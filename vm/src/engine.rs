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
//! Channel limits (`min_interval`, `max_per_visit`, `max_per_day`) are one more delivery rule,
//! after the frequency; the delivery instants they need are kept in a ring made at
//! construction, so recording one allocates nothing. While the host suppresses messages, every
//! check delivers nothing.
//!
//! Device state (visit count, the names of messages shown, the delivery instants of the
//! limits) survives through
//! [`Engine::save_state`] / [`Engine::restore_state`]; it is keyed by message name so that a
//! new bundle keeps the state of the messages it still has.

use std::collections::{BTreeSet, VecDeque};
use std::fmt;
use std::sync::Arc;

use crate::bundle::{Bundle, Explanation, Memo, Response};
use crate::context::Context;
use crate::format::{ChannelLimits, Frequency, SendMode, Status, Trigger, limits};
use crate::schedule::OpenSpan;

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
    /// The host suppressed proactive messages (a payment or onboarding screen), or ended the
    /// suppression: a check that falls due while suppressed delivers nothing and is not retried.
    SetSuppressed {
        /// Whether messages are suppressed from now on.
        suppressed: bool,
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
    /// The channel's `min_interval` has not passed since the last delivery on this device.
    MinInterval {
        /// The last delivery's instant.
        last: i64,
        /// The first instant the limit allows a delivery.
        next: i64,
    },
    /// The channel's `max_per_visit` deliveries were made in this visit.
    MaxPerVisit {
        /// The limit.
        limit: u16,
    },
    /// The channel's `max_per_day` deliveries were made in the last 24 hours.
    MaxPerDay {
        /// The limit.
        limit: u16,
        /// The first instant the limit allows a delivery.
        next: i64,
    },
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
    /// The host suppressed proactive messages when the check fell due.
    Suppressed,
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
    /// The delivery instants kept for the channel limits are out of order, too many, or
    /// announced by a flag byte other than 0 or 1.
    InvalidDeliveries,
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
            StateError::InvalidDeliveries => {
                "device state holds delivery instants that are out of order or too many"
            }
        })
    }
}

impl std::error::Error for StateError {}

const STATE_MAGIC: [u8; 4] = *b"PMS\0";
/// The device state version [`Engine::save_state`] writes; version 1 (without delivery
/// instants) still restores.
const STATE_VERSION: u16 = 2;
/// The 24 hours of `max_per_day`, in milliseconds.
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

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
    /// `shown_before[m]` when message `m`'s name is in `shown_on_device` (kept in step with
    /// it, so a check does not look names up).
    shown_before: Vec<bool>,
    /// Per schedule of the bundle: the last business-hours answer and the instants it holds
    /// for (the checks of one minute share it).
    open_spans: Vec<OpenSpan>,
    /// Per visit: `shown_this_visit[m]` when message `m` was delivered in this visit.
    shown_this_visit: Vec<bool>,
    /// The channel's delivery limits.
    limits: ChannelLimits,
    /// Device state: the instant of the last delivery on this device.
    last_delivery: Option<i64>,
    /// Device state: the latest delivery instants, oldest first, at most the channel's
    /// `max_per_day` of them (room for them is made at construction).
    recent_deliveries: VecDeque<i64>,
    /// Deliveries made in this visit.
    visit_deliveries: u32,
    /// Whether the host suppresses proactive messages.
    suppressed: bool,
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
        let open_spans = vec![OpenSpan::UNKNOWN; bundle.schedules().len()];
        let limits = bundle.channels()[channel].limits;
        let recent_deliveries = VecDeque::with_capacity(limits.max_per_day.map_or(0, usize::from));
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
            shown_before: shown_this_visit.clone(),
            open_spans,
            shown_this_visit,
            limits,
            last_delivery: None,
            recent_deliveries,
            visit_deliveries: 0,
            suppressed: false,
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

    /// Sets the app version (`None` unsets it), parsed once (as [`Context::set_app_version`]
    /// does).
    pub fn set_app_version(&mut self, version: Option<&str>) {
        self.context_mut().set_app_version(version);
    }

    /// Sets the app build number (`None` unsets it).
    pub fn set_app_build(&mut self, build: Option<i64>) {
        self.context_mut().set_app_build(build);
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
            Event::SetSuppressed { suppressed } => self.suppressed = suppressed,
            Event::AppQuit => self.end_visit(),
        }
    }

    /// Suppresses proactive messages from `now` on, or ends the suppression: the event
    /// [`Event::SetSuppressed`], applied as every event is.
    pub fn set_suppressed(&mut self, now: i64, suppressed: bool) {
        self.handle(now, Event::SetSuppressed { suppressed });
    }

    /// Whether the host suppresses proactive messages.
    pub fn suppressed(&self) -> bool {
        self.suppressed
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
        self.visit_deliveries = 0;
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
        let (send, frequency, response) = (message.send, message.frequency, message.response);
        match send {
            SendMode::Anytime => {}
            SendMode::During(schedule) => {
                if !self.schedule_open(schedule, time) {
                    return Some(Reason::ScheduleClosed { schedule });
                }
            }
            SendMode::Outside(schedule) => {
                if self.schedule_open(schedule, time) {
                    return Some(Reason::ScheduleOpen { schedule });
                }
            }
        }
        let seen = match frequency {
            Frequency::OncePerDevice => self.shown_before[m],
            Frequency::OncePerVisit => self.shown_this_visit[m],
            Frequency::EveryTime => false,
        };
        if seen {
            return Some(Reason::Frequency(frequency));
        }
        if let Some(reason) = self.limited(time) {
            return Some(reason);
        }
        if let Response::AiAgent { agent, .. } = response
            && self.bundle.ai_agents()[usize::from(agent)].generative
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

    /// Whether schedule `schedule` is open at `time`, from the span remembered for it when
    /// that span holds at `time`.
    fn schedule_open(&mut self, schedule: u16, time: i64) -> bool {
        let span = &mut self.open_spans[usize::from(schedule)];
        if !span.contains(time) {
            *span = self.bundle.schedules()[usize::from(schedule)].open_span(time);
        }
        span.open
    }

    /// The first channel limit (`min_interval`, `max_per_visit`, `max_per_day`) that forbids
    /// a delivery at `time`.
    fn limited(&self, time: i64) -> Option<Reason> {
        let limits = self.limits;
        if let (Some(seconds), Some(last)) = (limits.min_interval_s, self.last_delivery) {
            let next = last.saturating_add(i64::from(seconds) * 1000);
            if time < next {
                return Some(Reason::MinInterval { last, next });
            }
        }
        if let Some(limit) = limits.max_per_visit
            && self.visit_deliveries >= u32::from(limit)
        {
            return Some(Reason::MaxPerVisit { limit });
        }
        if let Some(limit) = limits.max_per_day {
            // The deliveries in (time - 24 h, time], found by binary search (the instants are
            // kept in time order); the oldest of the last `limit` of them frees the limit 24
            // hours after it was made.
            let since = time.saturating_sub(DAY_MS);
            let recent = &self.recent_deliveries;
            let end = recent.partition_point(|&at| at <= time);
            let start = recent.partition_point(|&at| at <= since);
            let limit_count = usize::from(limit);
            if end - start >= limit_count {
                let next = recent[end - limit_count].saturating_add(DAY_MS);
                return Some(Reason::MaxPerDay { limit, next });
            }
        }
        None
    }

    /// Records a delivery at `time` for the channel limits.
    fn record_delivery(&mut self, time: i64) {
        self.last_delivery = Some(time);
        self.visit_deliveries = self.visit_deliveries.saturating_add(1);
        let kept = self.limits.max_per_day.map_or(0, usize::from);
        if kept > 0 {
            if self.recent_deliveries.len() >= kept {
                self.recent_deliveries.pop_front();
            }
            // In time order even when restored instants lie after `time` (a device clock set
            // back): almost always this is the end.
            let at = self.recent_deliveries.partition_point(|&at| at <= time);
            self.recent_deliveries.insert(at, time);
        }
    }

    /// One check at `time` of the messages in `group` (sorted, in bundle order).
    fn check(&mut self, time: i64, group: &[u16]) {
        let mut outcomes = Vec::new();
        let mut winner: Option<usize> = None;
        for &m in group {
            let m = usize::from(m);
            let blocked = if self.suppressed {
                Some(Reason::Suppressed)
            } else {
                self.blocked(m, time)
            };
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
            if !self.shown_before[winner] {
                self.shown_before[winner] = true;
                let name = self.bundle.str(self.bundle.messages()[winner].name);
                self.shown_on_device.insert(name.to_owned());
            }
            self.record_delivery(time);
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

    /// The device state to persist: the visit count, the names of the messages shown on this
    /// device and the delivery instants the channel limits need (`FORMAT.md`, "Device state").
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
        match self.last_delivery {
            Some(at) => {
                out.push(1);
                out.extend_from_slice(&at.to_le_bytes());
            }
            None => out.push(0),
        }
        // At most `limits::MAX_DELIVERY_LIMIT` instants are kept.
        out.extend_from_slice(&(self.recent_deliveries.len() as u16).to_le_bytes());
        for at in &self.recent_deliveries {
            out.extend_from_slice(&at.to_le_bytes());
        }
        let crc = crc32fast::hash(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }

    /// Replaces the device state with one saved by [`Engine::save_state`] (possibly by an
    /// engine over another version of the bundle, or by a VM writing state version 1, which
    /// holds no delivery instants). The current visit is not affected; of the delivery
    /// instants, the latest this channel's `max_per_day` needs are kept.
    ///
    /// # Errors
    ///
    /// A [`StateError`] when the bytes are not valid state; the engine is then unchanged.
    pub fn restore_state(&mut self, bytes: &[u8]) -> Result<(), StateError> {
        let state = parse_state(bytes)?;
        self.visits = state.visits;
        self.shown_on_device = state.shown;
        self.last_delivery = state.last_delivery;
        let kept = self.limits.max_per_day.map_or(0, usize::from);
        let skipped = state.recent_deliveries.len().saturating_sub(kept);
        self.recent_deliveries.clear();
        self.recent_deliveries
            .extend(&state.recent_deliveries[skipped..]);
        let bundle = &self.bundle;
        for (before, message) in self.shown_before.iter_mut().zip(bundle.messages()) {
            *before = self.shown_on_device.contains(bundle.str(message.name));
        }
        Ok(())
    }
}

/// Device state as [`parse_state`] reads it.
struct SavedState {
    visits: u32,
    shown: BTreeSet<String>,
    last_delivery: Option<i64>,
    /// Oldest first.
    recent_deliveries: Vec<i64>,
}

fn parse_state(bytes: &[u8]) -> Result<SavedState, StateError> {
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
    let u16_at = |b: &[u8]| u16::from_le_bytes([b[0], b[1]]);
    let i64_at = |b: &[u8]| i64::from_le_bytes(b.try_into().unwrap_or_default());
    let version = u16_at(take(2)?);
    if version == 0 || version > STATE_VERSION {
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
    let mut last_delivery = None;
    let mut recent_deliveries = Vec::new();
    if version >= 2 {
        last_delivery = match take(1)?[0] {
            0 => None,
            1 => Some(i64_at(take(8)?)),
            _ => return Err(StateError::InvalidDeliveries),
        };
        let count = usize::from(u16_at(take(2)?));
        if count > usize::from(limits::MAX_DELIVERY_LIMIT) {
            return Err(StateError::InvalidDeliveries);
        }
        let instants = take(count * 8)?;
        recent_deliveries.extend(instants.chunks_exact(8).map(i64_at));
        if !recent_deliveries.is_sorted() {
            return Err(StateError::InvalidDeliveries);
        }
    }
    if !rest.is_empty() {
        return Err(StateError::TrailingBytes);
    }
    Ok(SavedState {
        visits,
        shown,
        last_delivery,
        recent_deliveries,
    })
}

#[cfg(test)]
mod tests;
