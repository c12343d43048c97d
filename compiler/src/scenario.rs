//! Scenarios for `pmc simulate`: a JSON file of timed app events, run through the VM's engine
//! on a compiled bundle (never on the syntax tree), and the deliveries it produces.
//!
//! [`parse`] validates the whole file before anything runs (unknown fields, wrong types, times
//! going backwards by any amount or out of range) and reports the problem in plain words with
//! its line and column; [`run`] reports a channel or message name the bundle does not have
//! (with the closest one), which [`ScenarioError::from_run`] places in the file.
//! [`run`] feeds the events to an [`Engine`] and returns the deliveries and, in explain mode,
//! every check's outcome per message with the first reason a message was not delivered and
//! the context the check saw.
//!
//! Rule tests (`*.pmtest.json`, [`crate::ruletest`]) are scenarios with a `name` and an
//! `expect` object: [`parse_with`] reads both kinds, and a plain scenario may carry them too
//! (`pmc simulate` runs a rule test's scenario and ignores its expectations). A `$schema` key,
//! which editors read to find the file's JSON Schema, is allowed and ignored.

use std::fmt;
use std::sync::Arc;

use jiff::Timestamp;
use pm_vm::{Bundle, Engine, Event};
use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};

use crate::json_position::{self, Position, Step};
use crate::suggest::did_you_mean;
use crate::terminal;

/// A parsed, validated scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The channel the engine runs for.
    pub channel: String,
    /// The device language tag.
    pub language: String,
    /// The app version at the start (`None`: unset).
    pub app_version: Option<String>,
    /// The app build number at the start (`None`: unset).
    pub app_build: Option<i64>,
    /// The instant `t = 0`, in milliseconds since the Unix epoch.
    pub start_ms: i64,
    /// Whether automated resolutions are available at the start.
    pub ai_resolutions_available: bool,
    /// The events, in non-decreasing time.
    pub events: Vec<TimedEvent>,
    /// Checks due up to and including this many milliseconds after the start happen.
    pub until_ms: i64,
}

/// One event with its offset from the start, in milliseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct TimedEvent {
    /// Milliseconds since the start.
    pub t_ms: i64,
    /// The event.
    pub event: ScenarioEvent,
}

/// The events of a scenario file. Variants without fields are written `{}` so that unknown
/// keys are refused for them too (serde ignores them for unit variants of a tagged enum).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "snake_case",
    deny_unknown_fields,
    expecting = "an event: an object with \"t\" and \"type\""
)]
pub enum ScenarioEvent {
    /// `app_launch`, optionally stating the visit history.
    AppLaunch {
        /// `"new"` or `"returning"`.
        #[serde(default)]
        visit_history: Option<VisitHistory>,
    },
    /// `screen_open` with the page URL and title.
    ScreenOpen {
        /// The page URL or screen name.
        #[serde(default)]
        url: String,
        /// The page title.
        #[serde(default)]
        title: String,
    },
    /// `message_opened` for a message, by name.
    MessageOpened {
        /// The message's name.
        message: String,
    },
    /// `message_dismissed` for a message, by name.
    MessageDismissed {
        /// The message's name.
        message: String,
    },
    /// `conversation_started`.
    ConversationStarted {},
    /// `conversation_ended`.
    ConversationEnded {},
    /// `set_ai_resolutions`.
    SetAiResolutions {
        /// Whether automated resolutions are available.
        available: bool,
    },
    /// `set_language`: the device language changes.
    SetLanguage {
        /// The new tag, in any form a device reports.
        language: String,
    },
    /// `set_suppressed`: the app suppresses proactive messages, or stops suppressing them.
    SetSuppressed {
        /// Whether messages are suppressed from now on.
        suppressed: bool,
    },
    /// `set_app_version`: the app version changes (`null` unsets it).
    SetAppVersion {
        /// The new version, or `None`.
        version: Option<String>,
    },
    /// `set_app_build`: the app build number changes (`null` unsets it).
    SetAppBuild {
        /// The new build number, or `None`.
        build: Option<i64>,
    },
    /// `app_quit`.
    AppQuit {},
}

/// The top-level `app` object: the app's version and build at the start.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "the app: an object with \"version\" (a string) and \"build\" (an integer)"
)]
struct RawApp {
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    build: Option<i64>,
}

/// A stated visit history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitHistory {
    /// The first visit.
    New,
    /// A later visit.
    Returning,
}

/// The file as written; `E` is what `expect` holds (ignored for plain scenarios).
#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a scenario: one JSON object with \"channel\", \"device\", \"start\" and \"events\""
)]
struct RawScenario<E> {
    #[serde(rename = "$schema", default)]
    _schema: Option<IgnoredAny>,
    #[serde(default)]
    name: Option<String>,
    channel: String,
    device: RawDevice,
    #[serde(default)]
    app: RawApp,
    start: String,
    #[serde(default = "yes")]
    ai_resolutions_available: bool,
    events: Vec<RawEvent>,
    until: Option<f64>,
    #[serde(default = "none")]
    expect: Option<E>,
}

fn none<E>() -> Option<E> {
    None
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a device: an object with \"language\""
)]
struct RawDevice {
    language: String,
}

#[derive(Deserialize)]
#[serde(expecting = "an event: an object with \"t\" and \"type\"")]
struct RawEvent {
    t: f64,
    #[serde(flatten)]
    event: ScenarioEvent,
}

/// The largest time a scenario may name, in seconds (about 317 years): far beyond any
/// scenario, and small enough that every instant fits the engine's millisecond clock.
const MAX_SECONDS: f64 = 1e10;

/// A problem with a scenario or rule-test file, at the place it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    /// Where: the offending value, or the nearest enclosing one.
    pub position: Position,
    /// What, in plain words.
    pub message: String,
}

impl ScenarioError {
    /// A problem with the value at `path` of `text` (or its nearest enclosing value).
    pub fn at(text: &str, path: &[Step<'_>], message: impl Into<String>) -> ScenarioError {
        ScenarioError {
            position: json_position::locate_nearest(text, path),
            message: message.into(),
        }
    }

    /// A [`run`] error placed in `text`, the file the scenario was parsed from.
    pub fn from_run(text: &str, error: &RunError) -> ScenarioError {
        match error {
            RunError::UnknownChannel { .. } => {
                ScenarioError::at(text, &[Step::Key("channel")], error.to_string())
            }
            RunError::UnknownMessage { event, .. } => ScenarioError::at(
                text,
                &[
                    Step::Key("events"),
                    Step::Index(*event),
                    Step::Key("message"),
                ],
                error.to_string(),
            ),
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.position.line, self.position.column, self.message
        )
    }
}

impl std::error::Error for ScenarioError {}

/// Seconds (possibly fractional) to whole milliseconds, refusing negatives and absurd values;
/// `what` names the value in the error ("`t` of event 3").
///
/// # Errors
/// When `seconds` is not from 0 to 10¹⁰ (about 317 years).
pub fn seconds_to_ms(seconds: f64, what: &str) -> Result<i64, String> {
    if !seconds.is_finite() || !(0.0..=MAX_SECONDS).contains(&seconds) {
        return Err(format!(
            "{what} is {} seconds; times are from 0 to {MAX_SECONDS:.0} seconds (about 317 years)",
            compact(seconds)
        ));
    }
    Ok((seconds * 1000.0).round() as i64)
}

/// A number as people read it: `1.5`, or `1e300` rather than 301 digits.
fn compact(number: f64) -> String {
    if number.is_finite() && number.abs() < 1e15 {
        number.to_string()
    } else {
        format!("{number:e}")
    }
}

/// A scenario file with the parts a rule test adds.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<E> {
    /// The scenario.
    pub scenario: Scenario,
    /// `name`, when given.
    pub name: Option<String>,
    /// `expect`, when given.
    pub expect: Option<E>,
}

/// Parses and validates a scenario file (a rule test's `name` and `expect` are allowed and
/// ignored).
///
/// # Errors
/// The problem in plain words, at the line and column of the value at fault.
pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
    parse_with::<IgnoredAny>(text).map(|parsed| parsed.scenario)
}

/// Parses and validates a scenario file whose `expect` object, if any, is an `E`.
///
/// # Errors
/// As [`parse`]; problems inside `expect` are reported the same way.
pub fn parse_with<E: DeserializeOwned>(text: &str) -> Result<Parsed<E>, ScenarioError> {
    expect_object(text)?;
    let raw: RawScenario<E> = serde_json::from_str(text).map_err(|e| ScenarioError {
        position: Position::of_serde_error(text, &e),
        message: plain_words(strip_position(&e.to_string())),
    })?;
    let start: Timestamp = raw.start.parse().map_err(|e| {
        ScenarioError::at(
            text,
            &[Step::Key("start")],
            format!("`start` is not an RFC 3339 time: {e}"),
        )
    })?;
    let mut events = Vec::with_capacity(raw.events.len());
    let mut previous = 0;
    let mut previous_t = 0.0;
    for (index, event) in raw.events.into_iter().enumerate() {
        let at_t = |message: String| {
            ScenarioError::at(
                text,
                &[Step::Key("events"), Step::Index(index), Step::Key("t")],
                message,
            )
        };
        let t_ms = seconds_to_ms(event.t, &format!("`t` of event {}", index + 1)).map_err(at_t)?;
        // Compared as written, not as rounded: 1.0001 after 1.0004 goes backwards too.
        if event.t < previous_t {
            return Err(at_t(format!(
                "event {} (t = {}) happens before the event preceding it (t = {}): times must not go backwards",
                index + 1,
                compact(event.t),
                compact(previous_t)
            )));
        }
        previous = t_ms;
        previous_t = event.t;
        events.push(TimedEvent {
            t_ms,
            event: event.event,
        });
    }
    let until_ms = match raw.until {
        Some(until) => seconds_to_ms(until, "`until`")
            .map_err(|message| ScenarioError::at(text, &[Step::Key("until")], message))?,
        None => previous,
    };
    Ok(Parsed {
        scenario: Scenario {
            channel: raw.channel,
            language: raw.device.language,
            app_version: raw.app.version,
            app_build: raw.app.build,
            start_ms: start.as_millisecond(),
            ai_resolutions_available: raw.ai_resolutions_available,
            events,
            until_ms,
        },
        name: raw.name,
        expect: raw.expect,
    })
}

/// Refuses a file whose top-level value is not an object, in JSON's words (serde would read an
/// array as the fields in order, and speak of sequences and lengths).
fn expect_object(text: &str) -> Result<(), ScenarioError> {
    const SCENARIO: &str = "a scenario is one JSON object: { \"channel\": …, \"device\": …, \"start\": …, \"events\": […] }";
    let Some((at, first)) = text.char_indices().find(|(_, c)| !c.is_whitespace()) else {
        return Err(ScenarioError {
            position: Position::START,
            message: format!("the file is empty; {SCENARIO}"),
        });
    };
    let found = match first {
        '{' => return Ok(()),
        '[' => "this file holds an array",
        '"' => "this file holds a string",
        '-' | '0'..='9' => "this file holds a number",
        't' | 'f' => "this file holds a boolean",
        'n' => "this file holds null",
        _ => "this file is not JSON",
    };
    Err(ScenarioError {
        position: Position::of_offset(text, at),
        message: format!("{SCENARIO}; {found}"),
    })
}

/// serde_json appends " at line L column C"; the caller shows the position first.
fn strip_position(message: &str) -> &str {
    message
        .rfind(" at line ")
        .map_or(message, |i| &message[..i])
}

/// serde's words for JSON's: "sequence" is an array, "map" an object, "f64" a number.
fn plain_words(message: &str) -> String {
    [
        ("invalid type: sequence", "invalid type: an array"),
        ("invalid type: map", "invalid type: an object"),
        ("invalid type: unit value", "invalid type: null"),
        ("invalid type: floating point", "invalid type: the number"),
        ("invalid type: integer", "invalid type: the number"),
        ("invalid type: string", "invalid type: the string"),
        ("invalid type: boolean", "invalid type: the boolean"),
        ("expected a sequence", "expected an array"),
        ("expected f64", "expected a number of seconds"),
        ("expected i64", "expected an integer"),
    ]
    .iter()
    .fold(message.to_string(), |text, (serde, json)| {
        text.replace(serde, json)
    })
}

/// A delivery, as reported to the user.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// Seconds since the scenario's start (the check instant).
    pub t: f64,
    /// The message's name.
    pub message: String,
}

/// One message's outcome at one check, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The message's name.
    pub message: String,
    /// The message's index in the bundle.
    pub index: usize,
    /// Whether it was delivered.
    pub delivered: bool,
    /// The first reason it was not (`None` when delivered).
    pub cause: Option<pm_vm::Reason>,
    /// The first reason it was not, in words (empty when delivered).
    pub reason: String,
}

impl Outcome {
    /// Whether the message's condition held at the check; `None` when it was not evaluated
    /// (the message is paused, the first rule).
    pub fn condition(&self) -> Option<bool> {
        match self.cause {
            Some(pm_vm::Reason::Paused) => None,
            Some(pm_vm::Reason::ConditionFailed(_)) => Some(false),
            _ => Some(true),
        }
    }
}

/// Explain mode's account of one check.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// Seconds since the start.
    pub t: f64,
    /// Each message checked, in bundle order.
    pub outcomes: Vec<Outcome>,
    /// The context the conditions were evaluated against.
    pub context: pm_vm::Context,
}

/// The result of a scenario.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    /// Deliveries in time order.
    pub deliveries: Vec<Delivery>,
    /// Every check (explain mode only).
    pub checks: Vec<Check>,
}

/// Why a scenario cannot run on a bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    /// `channel` names no channel of the bundle.
    UnknownChannel {
        /// The name given.
        name: String,
        /// The bundle's channels.
        channels: Vec<String>,
    },
    /// An event names a message the bundle does not have.
    UnknownMessage {
        /// The event's index (from 0).
        event: usize,
        /// The name given.
        name: String,
        /// The closest message name, if one is close.
        suggestion: Option<String>,
    },
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::UnknownChannel { name, channels } => {
                write!(f, "the bundle has no channel named {name:?}; ")?;
                match did_you_mean(name, channels.iter().map(String::as_str)) {
                    Some(close) => write!(f, "did you mean {close:?}?"),
                    None => {
                        let names: Vec<String> =
                            channels.iter().map(|c| format!("{c:?}")).collect();
                        write!(f, "the bundle's channels are {}", names.join(", "))
                    }
                }
            }
            RunError::UnknownMessage {
                name, suggestion, ..
            } => {
                write!(f, "the bundle has no message named {name:?}")?;
                match suggestion {
                    Some(suggestion) => write!(f, "; did you mean {suggestion:?}?"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl std::error::Error for RunError {}

/// The index of the message named `name`; otherwise the closest name the bundle has, if one
/// is close enough to be a likely typo.
pub fn message_index(bundle: &Bundle, name: &str) -> Result<usize, Option<String>> {
    bundle.message_by_name(name).ok_or_else(|| {
        did_you_mean(name, bundle.messages().iter().map(|m| bundle.str(m.name))).map(String::from)
    })
}

/// Runs `scenario` on `bundle`.
///
/// # Errors
/// When the channel is not in the bundle, or an event names a message that is not.
pub fn run(bundle: Arc<Bundle>, scenario: &Scenario, explain: bool) -> Result<Report, RunError> {
    let mut engine =
        Engine::new(bundle.clone(), &scenario.channel).map_err(|_| RunError::UnknownChannel {
            name: scenario.channel.clone(),
            channels: bundle
                .channels()
                .iter()
                .map(|c| bundle.str(c.name).to_string())
                .collect(),
        })?;
    engine.set_language(&scenario.language);
    engine.set_app_version(scenario.app_version.as_deref());
    engine.set_app_build(scenario.app_build);
    engine.set_explain(explain);
    let start = scenario.start_ms;
    if !scenario.ai_resolutions_available {
        engine.handle(start, Event::SetAiResolutions { available: false });
    }
    let named = |event: usize, name: &str| {
        message_index(&bundle, name).map_err(|suggestion| RunError::UnknownMessage {
            event,
            name: name.to_string(),
            suggestion,
        })
    };
    // Checks due after `until` never happen, so events after it need not be applied: applying
    // them would first run the checks due before them.
    for (index, timed) in scenario
        .events
        .iter()
        .enumerate()
        .take_while(|(_, e)| e.t_ms <= scenario.until_ms)
    {
        let now = start + timed.t_ms;
        let event = match &timed.event {
            ScenarioEvent::AppLaunch { visit_history } => Event::AppLaunch {
                returning: visit_history.map(|v| v == VisitHistory::Returning),
            },
            ScenarioEvent::ScreenOpen { url, title } => Event::ScreenOpen { url, title },
            ScenarioEvent::MessageOpened { message } => Event::MessageOpened {
                message: named(index, message)?,
            },
            ScenarioEvent::MessageDismissed { message } => Event::MessageDismissed {
                message: named(index, message)?,
            },
            ScenarioEvent::ConversationStarted {} => Event::ConversationStarted,
            ScenarioEvent::ConversationEnded {} => Event::ConversationEnded,
            ScenarioEvent::SetAiResolutions { available } => Event::SetAiResolutions {
                available: *available,
            },
            ScenarioEvent::SetSuppressed { suppressed } => Event::SetSuppressed {
                suppressed: *suppressed,
            },
            ScenarioEvent::AppQuit {} => Event::AppQuit,
            ScenarioEvent::SetLanguage { language } => {
                // Not an engine event: as with the events, the checks due before `now` see the
                // old language (the clock counts whole milliseconds), those due at `now` the new.
                engine.advance_to(now - 1);
                engine.set_language(language);
                continue;
            }
            // Context changes like `set_language`.
            ScenarioEvent::SetAppVersion { version } => {
                engine.advance_to(now - 1);
                engine.set_app_version(version.as_deref());
                continue;
            }
            ScenarioEvent::SetAppBuild { build } => {
                engine.advance_to(now - 1);
                engine.set_app_build(*build);
                continue;
            }
        };
        engine.handle(now, event);
    }
    engine.advance_to(start + scenario.until_ms);
    let seconds = |time: i64| (time - start) as f64 / 1000.0;
    let name = |index: usize| {
        bundle
            .messages()
            .get(index)
            .map_or(String::new(), |m| bundle.str(m.name).to_string())
    };
    let deliveries = engine
        .take_deliveries()
        .into_iter()
        .map(|d| Delivery {
            t: seconds(d.time),
            message: name(d.message),
        })
        .collect();
    let checks = engine
        .take_reports()
        .into_iter()
        .map(|report| Check {
            t: seconds(report.time),
            outcomes: report
                .outcomes
                .iter()
                .map(|o| {
                    let cause = match o.outcome {
                        pm_vm::Outcome::Delivered => None,
                        pm_vm::Outcome::NotDelivered(reason) => Some(reason),
                    };
                    Outcome {
                        message: name(o.message),
                        index: o.message,
                        delivered: cause.is_none(),
                        cause,
                        reason: cause.map_or(String::new(), |reason| {
                            let at = Instants {
                                start,
                                check: report.time,
                            };
                            describe(&bundle, o.message, reason, &report.context, at)
                        }),
                    }
                })
                .collect(),
            context: report.context,
        })
        .collect();
    Ok(Report { deliveries, checks })
}

/// The scenario's start and a check's instant, to write the instants a reason names.
#[derive(Clone, Copy)]
struct Instants {
    start: i64,
    check: i64,
}

impl Instants {
    /// `instant` as a UTC time of day (with its date when it is not the check's day) and as
    /// the scenario's `t`: `12:00:35 UTC (t=35s)`.
    fn write(self, instant: i64) -> String {
        let day = |ms: i64| ms.div_euclid(86_400_000);
        let format = if day(instant) == day(self.check) {
            "%H:%M:%S UTC"
        } else {
            "%Y-%m-%d %H:%M:%S UTC"
        };
        let clock = Timestamp::from_millisecond(instant)
            .map_or_else(|_| instant.to_string(), |t| t.strftime(format).to_string());
        let t = (instant - self.start) as f64 / 1000.0;
        format!("{clock} (t={t}s)")
    }
}

/// The first reason a message was not delivered, in words; a failed language test names the
/// device's canonical tag (`context`'s, the one the check saw), a channel limit the instant it
/// frees up.
fn describe(
    bundle: &Bundle,
    message: usize,
    reason: pm_vm::Reason,
    context: &pm_vm::Context,
    at: Instants,
) -> String {
    use pm_vm::Reason;
    let schedule = |index: u16| {
        bundle
            .schedules()
            .get(usize::from(index))
            .map_or("?", |s| bundle.str(s.name))
            .to_string()
    };
    let message_name = |index: usize| {
        bundle
            .messages()
            .get(index)
            .map_or("?", |m| bundle.str(m.name))
            .to_string()
    };
    match reason {
        Reason::Paused => "paused".to_string(),
        Reason::ConditionFailed(explanation) => match explanation.deciding {
            Some((pc, instr @ pm_vm::Instr::LangIs { .. })) => format!(
                "condition failed: {} was {} (at {pc:04}): device `{}`",
                pm_vm::format_instr(bundle, pc, instr).trim(),
                explanation.test_value,
                context.language()
            ),
            Some((pc, instr @ pm_vm::Instr::AppVersionCmp { .. })) => format!(
                "condition failed: {} was {} (at {pc:04}): device app version {}",
                pm_vm::format_instr(bundle, pc, instr).trim(),
                explanation.test_value,
                match context.app_version() {
                    Some(version) if context.app_version_parses() => format!("`{version}`"),
                    Some(version) => format!("`{version}` (not a version)"),
                    None => "unset".to_string(),
                }
            ),
            Some((pc, instr @ pm_vm::Instr::AppBuildCmp { .. })) => format!(
                "condition failed: {} was {} (at {pc:04}): device app build {}",
                pm_vm::format_instr(bundle, pc, instr).trim(),
                explanation.test_value,
                context
                    .app_build()
                    .map_or("unset".to_string(), |build| format!("`{build}`"))
            ),
            Some((pc, instr)) => format!(
                "condition failed: {} was {} (at {pc:04})",
                pm_vm::format_instr(bundle, pc, instr).trim(),
                explanation.test_value
            ),
            None => "condition failed".to_string(),
        },
        Reason::ScheduleClosed { schedule: s } => {
            format!("outside business hours of \"{}\"", schedule(s))
        }
        Reason::ScheduleOpen { schedule: s } => {
            format!("within business hours of \"{}\"", schedule(s))
        }
        Reason::Frequency(frequency) => format!("frequency {} already used", frequency.as_str()),
        Reason::MinInterval { last, next } => format!(
            "min_interval: the last delivery was at {}, next possible at {}",
            at.write(last),
            at.write(next)
        ),
        Reason::MaxPerVisit { limit } => format!(
            "max_per_visit: {limit} {} already made in this visit; the next visit may have more",
            deliveries(limit)
        ),
        Reason::MaxPerDay { limit, next } => format!(
            "max_per_day: {limit} {} already made in the last 24 hours, next possible at {}",
            deliveries(limit),
            at.write(next)
        ),
        Reason::Suppressed => {
            "proactive messages are suppressed by the app (not retried)".to_string()
        }
        Reason::AiUnavailable { agent } => format!(
            "the generative AI agent \"{}\" is paused: automated resolutions are unavailable",
            bundle
                .ai_agents()
                .get(usize::from(agent))
                .map_or("?", |a| bundle.str(a.name))
        ),
        Reason::InConversation => "the customer is in a conversation".to_string(),
        Reason::MessageDisplayed { displayed } if displayed == message => {
            "it is already displayed".to_string()
        }
        Reason::MessageDisplayed { displayed } => {
            format!("\"{}\" is displayed", message_name(displayed))
        }
        Reason::LostOnPriority { winner } => format!(
            "\"{}\" won on priority or bundle order",
            message_name(winner)
        ),
    }
}

/// `delivery` or `deliveries`.
fn deliveries(count: u16) -> &'static str {
    if count == 1 { "delivery" } else { "deliveries" }
}

/// `{"deliveries": [{"t": 31, "message": "…"}], "checks": […]}`; `checks` only in explain mode.
pub fn to_json(report: &Report, explain: bool) -> String {
    let number = |t: f64| {
        if t.fract() == 0.0 {
            serde_json::json!(t as i64)
        } else {
            serde_json::json!(t)
        }
    };
    let deliveries: Vec<serde_json::Value> = report
        .deliveries
        .iter()
        .map(|d| serde_json::json!({ "t": number(d.t), "message": d.message }))
        .collect();
    let mut value = serde_json::json!({ "deliveries": deliveries });
    if explain {
        value["checks"] = report
            .checks
            .iter()
            .map(|c| {
                serde_json::json!({
                    "t": number(c.t),
                    "outcomes": c.outcomes.iter().map(|o| serde_json::json!({
                        "message": o.message,
                        "delivered": o.delivered,
                        "reason": if o.delivered { serde_json::Value::Null } else { serde_json::json!(o.reason) },
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
    }
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// A readable account: deliveries, and in explain mode every check. Message names and reasons
/// come from the bundle: their control characters are escaped ([`terminal::escape`]), so that a
/// name cannot clear the screen.
pub fn to_human(report: &Report, explain: bool) -> String {
    let mut out = String::new();
    if explain {
        for check in &report.checks {
            out.push_str(&format!("check at t={}s\n", check.t));
            for outcome in &check.outcomes {
                let message = terminal::escape(&outcome.message);
                if outcome.delivered {
                    out.push_str(&format!("  ✓ \"{message}\" delivered\n"));
                } else {
                    let reason = terminal::escape(&outcome.reason);
                    out.push_str(&format!("  ✗ \"{message}\": {reason}\n"));
                }
            }
        }
        out.push('\n');
    }
    if report.deliveries.is_empty() {
        out.push_str("no deliveries\n");
    }
    for delivery in &report.deliveries {
        out.push_str(&format!(
            "t={}s  deliver \"{}\"\n",
            delivery.t,
            terminal::escape(&delivery.message)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_app_values_are_refused_at_their_place() {
        let base = "{\"channel\":\"C\",\"device\":{\"language\":\"fr\"},\"start\":\"2026-11-23T09:00:00Z\",\n";
        let version = format!("{base}\"app\": {{\"version\": 5}}, \"events\": []}}");
        assert_eq!(
            parse(&version).unwrap_err().to_string(),
            "line 2, column 20: invalid type: the number `5`, expected a string"
        );
        let build = format!(
            "{base}\"events\": [{{\"t\": 0, \"type\": \"set_app_build\", \"build\": 52.5}}]}}"
        );
        assert_eq!(
            parse(&build).unwrap_err().to_string(),
            "line 2, column 59: invalid type: the number `52.5`, expected an integer"
        );
        let ok = format!(
            "{base}\"app\": {{\"version\": \"5.2\", \"build\": 7}}, \"events\": [{{\"t\": 0, \"type\": \"set_app_version\", \"version\": null}}]}}"
        );
        let scenario = parse(&ok).unwrap();
        assert_eq!(
            (scenario.app_version.as_deref(), scenario.app_build),
            (Some("5.2"), Some(7))
        );
        assert_eq!(
            scenario.events[0].event,
            ScenarioEvent::SetAppVersion { version: None }
        );
    }

    #[test]
    fn rejects_times_going_backwards_and_unknown_fields() {
        let base = r#"{"channel":"C","device":{"language":"fr"},"start":"2026-11-23T09:00:00Z","events":["#;
        let backwards =
            format!(r#"{base}{{"t":5,"type":"app_launch"}},{{"t":4,"type":"app_quit"}}]}}"#);
        assert!(parse(&backwards).unwrap_err().message.contains("backwards"));
        let stray = format!(r#"{base}{{"t":5,"type":"app_quit","mesage":"x"}}]}}"#);
        assert!(
            parse(&stray)
                .unwrap_err()
                .message
                .contains("unknown field `mesage`"),
            "{}",
            parse(&stray).unwrap_err()
        );
        let unknown = format!(r#"{base}{{"t":5,"type":"app_lunch"}}]}}"#);
        assert!(
            parse(&unknown)
                .unwrap_err()
                .to_string()
                .starts_with("line 1, column"),
            "{}",
            parse(&unknown).unwrap_err()
        );
        let fine = format!(r#"{base}{{"t":0.5,"type":"screen_open","url":"x"}}]}}"#);
        let scenario = parse(&fine).unwrap();
        assert_eq!(scenario.events[0].t_ms, 500);
        assert_eq!(scenario.until_ms, 500);
    }

    #[test]
    fn problems_found_after_parsing_point_at_their_value() {
        let text = "{\n  \"channel\": \"C\", \"device\": {\"language\": \"fr\"},\n  \"start\": \"yesterday\",\n  \"events\": []\n}";
        let error = parse(text).unwrap_err();
        assert_eq!((error.position.line, error.position.column), (3, 12));
        assert!(
            error
                .to_string()
                .starts_with("line 3, column 12: `start` is not")
        );
        let backwards = "{\"channel\":\"C\",\"device\":{\"language\":\"fr\"},\"start\":\"2026-11-23T09:00:00Z\",\n\"events\":[{\"t\":5,\"type\":\"app_launch\"},\n{\"t\":4,\"type\":\"app_quit\"}]}";
        let error = parse(backwards).unwrap_err();
        assert_eq!((error.position.line, error.position.column), (3, 6));
    }

    #[test]
    fn a_rule_test_is_a_scenario_with_a_name_an_expectation_and_maybe_a_schema() {
        let text = r#"{"$schema": "x", "name": "N", "channel":"C","device":{"language":"fr"},"start":"2026-11-23T09:00:00Z","events":[],"expect":{"anything":[1]}}"#;
        assert!(parse(text).is_ok());
        let parsed = parse_with::<serde_json::Value>(text).unwrap();
        assert_eq!(parsed.name.as_deref(), Some("N"));
        assert_eq!(parsed.expect, Some(serde_json::json!({"anything": [1]})));
    }
}
