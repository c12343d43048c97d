//! Scenarios for `pmc simulate`: a JSON file of timed app events, run through the VM's engine
//! on a compiled bundle (never on the syntax tree), and the deliveries it produces.
//!
//! [`parse`] validates the whole file before anything runs (unknown fields, times going
//! backwards, unknown message names) and reports the line and column of the problem.
//! [`run`] feeds the events to an [`Engine`] and returns the deliveries and, in explain mode,
//! every check's outcome per message with the first reason a message was not delivered.

use std::sync::Arc;

use jiff::Timestamp;
use pm_vm::{Bundle, Engine, Event};
use serde::Deserialize;

/// A parsed, validated scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The channel the engine runs for.
    pub channel: String,
    /// The device language tag.
    pub language: String,
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

/// The events of a scenario file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
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
    ConversationStarted,
    /// `conversation_ended`.
    ConversationEnded,
    /// `set_ai_resolutions`.
    SetAiResolutions {
        /// Whether automated resolutions are available.
        available: bool,
    },
    /// `app_quit`.
    AppQuit,
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    channel: String,
    device: RawDevice,
    start: String,
    #[serde(default = "yes")]
    ai_resolutions_available: bool,
    events: Vec<RawEvent>,
    until: Option<f64>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDevice {
    language: String,
}

#[derive(Deserialize)]
struct RawEvent {
    t: f64,
    #[serde(flatten)]
    event: ScenarioEvent,
}

/// Seconds (possibly fractional) to whole milliseconds, refusing negatives and absurd values.
fn to_ms(seconds: f64, what: &str) -> Result<i64, String> {
    if !seconds.is_finite() || !(0.0..=1e10).contains(&seconds) {
        return Err(format!(
            "{what} must be a number of seconds between 0 and 10000000000, not {seconds}"
        ));
    }
    Ok((seconds * 1000.0).round() as i64)
}

/// Parses and validates a scenario file.
///
/// # Errors
/// A message with the line and column for JSON problems, or naming the event at fault.
pub fn parse(text: &str) -> Result<Scenario, String> {
    let raw: RawScenario = serde_json::from_str(text).map_err(|e| {
        format!(
            "line {}, column {}: {}",
            e.line(),
            e.column(),
            strip_position(&e.to_string())
        )
    })?;
    let start: Timestamp = raw
        .start
        .parse()
        .map_err(|e| format!("`start` is not an RFC 3339 time: {e}"))?;
    let mut events = Vec::with_capacity(raw.events.len());
    let mut previous = 0;
    for (index, event) in raw.events.into_iter().enumerate() {
        let t_ms = to_ms(event.t, &format!("`t` of event {}", index + 1))?;
        if t_ms < previous {
            return Err(format!(
                "event {} (t = {}) happens before the event preceding it: times must not go backwards",
                index + 1,
                event.t
            ));
        }
        previous = t_ms;
        events.push(TimedEvent {
            t_ms,
            event: event.event,
        });
    }
    let until_ms = match raw.until {
        Some(until) => to_ms(until, "`until`")?,
        None => previous,
    };
    Ok(Scenario {
        channel: raw.channel,
        language: raw.device.language,
        start_ms: start.as_millisecond(),
        ai_resolutions_available: raw.ai_resolutions_available,
        events,
        until_ms,
    })
}

/// serde_json appends " at line L column C"; the caller shows the position first.
fn strip_position(message: &str) -> &str {
    message
        .rfind(" at line ")
        .map_or(message, |i| &message[..i])
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
    /// Whether it was delivered.
    pub delivered: bool,
    /// The first reason it was not, in words (empty when delivered).
    pub reason: String,
}

/// Explain mode's account of one check.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// Seconds since the start.
    pub t: f64,
    /// Each message checked, in bundle order.
    pub outcomes: Vec<Outcome>,
}

/// The result of a scenario.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    /// Deliveries in time order.
    pub deliveries: Vec<Delivery>,
    /// Every check (explain mode only).
    pub checks: Vec<Check>,
}

/// Runs `scenario` on `bundle`.
///
/// # Errors
/// When the channel is not in the bundle, or an event names a message that is not.
pub fn run(bundle: Arc<Bundle>, scenario: &Scenario, explain: bool) -> Result<Report, String> {
    let mut engine = Engine::new(bundle.clone(), &scenario.channel).map_err(|e| {
        let names: Vec<String> = bundle
            .channels()
            .iter()
            .map(|c| format!("\"{}\"", bundle.str(c.name)))
            .collect();
        format!("{e}; the bundle's channels are {}", names.join(", "))
    })?;
    engine.set_language(&scenario.language);
    engine.set_explain(explain);
    let start = scenario.start_ms;
    if !scenario.ai_resolutions_available {
        engine.handle(start, Event::SetAiResolutions { available: false });
    }
    let message_index = |name: &str| {
        bundle
            .messages()
            .iter()
            .position(|m| bundle.str(m.name) == name)
            .ok_or_else(|| format!("the bundle has no message named \"{name}\""))
    };
    // Checks due after `until` never happen, so events after it need not be applied: applying
    // them would first run the checks due before them.
    for timed in scenario
        .events
        .iter()
        .take_while(|e| e.t_ms <= scenario.until_ms)
    {
        let now = start + timed.t_ms;
        let event = match &timed.event {
            ScenarioEvent::AppLaunch { visit_history } => Event::AppLaunch {
                returning: visit_history.map(|v| v == VisitHistory::Returning),
            },
            ScenarioEvent::ScreenOpen { url, title } => Event::ScreenOpen { url, title },
            ScenarioEvent::MessageOpened { message } => Event::MessageOpened {
                message: message_index(message)?,
            },
            ScenarioEvent::MessageDismissed { message } => Event::MessageDismissed {
                message: message_index(message)?,
            },
            ScenarioEvent::ConversationStarted => Event::ConversationStarted,
            ScenarioEvent::ConversationEnded => Event::ConversationEnded,
            ScenarioEvent::SetAiResolutions { available } => Event::SetAiResolutions {
                available: *available,
            },
            ScenarioEvent::AppQuit => Event::AppQuit,
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
                .map(|o| match o.outcome {
                    pm_vm::Outcome::Delivered => Outcome {
                        message: name(o.message),
                        delivered: true,
                        reason: String::new(),
                    },
                    pm_vm::Outcome::NotDelivered(reason) => Outcome {
                        message: name(o.message),
                        delivered: false,
                        reason: describe(&bundle, o.message, reason),
                    },
                })
                .collect(),
        })
        .collect();
    Ok(Report { deliveries, checks })
}

/// The first reason a message was not delivered, in words.
fn describe(bundle: &Bundle, message: usize, reason: pm_vm::Reason) -> String {
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

/// A readable account: deliveries, and in explain mode every check.
pub fn to_human(report: &Report, explain: bool) -> String {
    let mut out = String::new();
    if explain {
        for check in &report.checks {
            out.push_str(&format!("check at t={}s\n", check.t));
            for outcome in &check.outcomes {
                if outcome.delivered {
                    out.push_str(&format!("  ✓ \"{}\" delivered\n", outcome.message));
                } else {
                    out.push_str(&format!(
                        "  ✗ \"{}\": {}\n",
                        outcome.message, outcome.reason
                    ));
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
            delivery.t, delivery.message
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_times_going_backwards_and_unknown_fields() {
        let base = r#"{"channel":"C","device":{"language":"fr"},"start":"2026-11-23T09:00:00Z","events":["#;
        let backwards =
            format!(r#"{base}{{"t":5,"type":"app_launch"}},{{"t":4,"type":"app_quit"}}]}}"#);
        assert!(parse(&backwards).unwrap_err().contains("backwards"));
        let unknown = format!(r#"{base}{{"t":5,"type":"app_lunch"}}]}}"#);
        assert!(
            parse(&unknown).unwrap_err().starts_with("line 1, column"),
            "{}",
            parse(&unknown).unwrap_err()
        );
        let fine = format!(r#"{base}{{"t":0.5,"type":"screen_open","url":"x"}}]}}"#);
        let scenario = parse(&fine).unwrap();
        assert_eq!(scenario.events[0].t_ms, 500);
        assert_eq!(scenario.until_ms, 500);
    }
}
