//! `pmc diff`: what a change to the rules changes, for review.
//!
//! Both sides are compared as compiled bundles (a bundle directory is compiled first), so a
//! directory and a `.pmb` compare alike, and what differs is what a device would see differ:
//! formatting, comments and the files messages live in are no difference. Messages are matched
//! by name; each clause is compared as the bundle holds it, shown in the language's syntax.
//! A condition is compared by its code first, then by behaviour ([`behaviour`]): written
//! differently but with the same outcome in every context is no difference. The rollout
//! warnings cover what a device's state and the check's tie-breaks make of a change: a renamed
//! `once_per_device` message is shown again (devices remember messages by name), and a changed
//! priority or bundle order can change which of two messages due at the same check wins.
//!
//! Account changes (channels, schedules, AI agents) are compared by name too.

pub mod behaviour;
pub mod condition;
pub mod render;

use foldhash::HashMap;
use pm_vm::format::{Frequency, SendMode, Status, Trigger};
use pm_vm::{Bundle, Instr, Response};
use serde::Serialize;

use crate::formatter::{format_duration, quote};
use crate::model::{self, Cond};
use crate::source::SourceMap;
use crate::syntax::ast::{self, ClauseKind, Item};
use behaviour::Behaviour;

/// One side of a diff: a loaded bundle, and each message's `when` condition as written when
/// the side came from sources.
#[derive(Debug)]
pub struct Side {
    bundle: Bundle,
    /// Whether the side was compiled from sources (then `written` has every `when`).
    from_sources: bool,
    written: HashMap<String, String>,
}

impl Side {
    /// A side read from a compiled bundle's bytes.
    ///
    /// # Errors
    /// Why the bytes are not a valid bundle.
    pub fn from_bytes(bytes: &[u8]) -> Result<Side, String> {
        let bundle = Bundle::load(bytes).map_err(|e| format!("not a valid bundle: {e}"))?;
        Ok(Side {
            bundle,
            from_sources: false,
            written: HashMap::default(),
        })
    }

    /// A side compiled from a checked bundle, with its conditions as written in `files`
    /// (the syntax trees `checked` came from, whose texts `sources` holds).
    ///
    /// # Errors
    /// When the code generator refuses the bundle (never for a checked one).
    pub fn from_sources(
        checked: &model::CheckedBundle,
        files: &[ast::File],
        sources: &SourceMap,
    ) -> Result<Side, String> {
        let mut side = Side::from_bytes(&crate::codegen::generate(checked)?)?;
        side.written = written_conditions(files, sources);
        side.from_sources = true;
        Ok(side)
    }

    /// The loaded bundle.
    pub fn bundle(&self) -> &Bundle {
        &self.bundle
    }
}

/// Each message's `when` condition as written: comments left out, runs of white space shown
/// as one space.
fn written_conditions(files: &[ast::File], sources: &SourceMap) -> HashMap<String, String> {
    let mut written = HashMap::default();
    for file in files {
        let source = sources.get(file.file);
        for item in &file.items {
            let Item::Message(message) = item else {
                continue;
            };
            let when = message
                .clauses
                .iter()
                .find_map(|clause| match &clause.kind {
                    ClauseKind::Trigger(trigger) => trigger.when.as_ref(),
                    _ => None,
                });
            if let Some(expr) = when {
                let mut text = String::new();
                let mut at = expr.span.start;
                let inside = file
                    .comments
                    .iter()
                    .filter(|c| c.start >= expr.span.start && c.end <= expr.span.end);
                for comment in inside {
                    text.push_str(&source.text[at as usize..comment.start as usize]);
                    text.push(' ');
                    at = comment.end;
                }
                text.push_str(&source.text[at as usize..expr.span.end as usize]);
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                written.insert(message.name.value.clone(), text);
            }
        }
    }
    written
}

/// Everything that differs between two sides. Empty when nothing does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Messages added, removed or changed: in the new bundle's order, then the removed ones
    /// in the old bundle's order.
    pub messages: Vec<MessageDiff>,
    /// Channels, schedules and AI agents added, removed or changed.
    pub account: Vec<AccountDiff>,
    /// What the change means for devices that already run the old bundle.
    pub warnings: Vec<Warning>,
}

impl Report {
    /// Whether nothing differs.
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty() && self.account.is_empty() && self.warnings.is_empty()
    }
}

/// One message's difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum MessageDiff {
    /// Only in the new bundle.
    Added {
        /// The message's name.
        name: String,
        /// Its clauses.
        clauses: Vec<Clause>,
    },
    /// Only in the old bundle.
    Removed {
        /// The message's name.
        name: String,
        /// Its clauses, as they were.
        clauses: Vec<Clause>,
    },
    /// In both, with some clause different.
    Changed {
        /// The message's name.
        name: String,
        /// The clauses that differ.
        clauses: Vec<ClauseChange>,
        /// How the condition's outcome changes, when the `when` clause differs.
        #[serde(skip_serializing_if = "Option::is_none")]
        behaviour: Option<Behaviour>,
    },
}

/// A clause as the language writes it: `frequency` `once_per_visit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clause {
    /// The clause keyword (`when` for the condition, `after` for the trigger).
    pub clause: &'static str,
    /// Its value as written after the keyword.
    pub value: String,
}

/// A clause that differs; a missing clause (no `when`, no `tags`) is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClauseChange {
    /// The clause keyword.
    pub clause: &'static str,
    /// Its value in the old bundle.
    pub old: Option<String>,
    /// Its value in the new bundle.
    pub new: Option<String>,
}

/// A channel, schedule or AI agent of the account that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountDiff {
    /// `channel`, `schedule` or `ai_agent`.
    pub kind: &'static str,
    /// Its name.
    pub name: String,
    /// Its description in the old bundle (`None`: added).
    pub old: Option<String>,
    /// Its description in the new bundle (`None`: removed).
    pub new: Option<String>,
}

/// A consequence of the change for devices running the old bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// What kind of consequence.
    pub kind: WarningKind,
    /// The messages concerned.
    pub messages: Vec<String>,
    /// The consequence in plain words.
    pub text: String,
}

/// The kinds of [`Warning`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// A message limited to once per device is renamed: devices that showed it show it again.
    ShownAgain,
    /// Of two messages due at the same check, the other one now wins.
    WinnerChanges,
}

/// One message of one side, with what the comparison needs of it.
struct Entry<'s> {
    side: &'s Side,
    index: usize,
    message: &'s pm_vm::Message,
    name: &'s str,
    /// The condition read back from the code (`None`: too large).
    condition: Option<Cond>,
    /// The code with its operands resolved: equal keys, equal conditions.
    code_key: Vec<String>,
}

impl<'s> Entry<'s> {
    fn all(side: &'s Side) -> Vec<Entry<'s>> {
        let bundle = &side.bundle;
        bundle
            .messages()
            .iter()
            .enumerate()
            .map(|(index, message)| Entry {
                side,
                index,
                message,
                name: bundle.str(message.name),
                condition: condition::decompile(bundle, index),
                code_key: code_key(bundle, index),
            })
            .collect()
    }

    fn bundle(&self) -> &'s Bundle {
        &self.side.bundle
    }

    /// The channel's name.
    fn channel(&self) -> &'s str {
        let bundle = self.bundle();
        bundle
            .channels()
            .get(usize::from(self.message.channel))
            .map_or("", |c| bundle.str(c.name))
    }

    /// The condition as the reader should see it: as written when `prefer_written`, else read
    /// back from the code. `None` without a `when` clause.
    fn when(&self, prefer_written: bool) -> Option<String> {
        if let Some(written) = self.side.written.get(self.name).filter(|_| prefer_written) {
            return Some(written.clone());
        }
        match &self.condition {
            Some(Cond::True) => None,
            Some(cond) => Some(condition::show(cond)),
            None => Some("(a condition too large to show)".to_string()),
        }
    }

    /// Every clause but `when`, in the language guide's order.
    fn clauses(&self) -> Vec<(&'static str, Option<String>)> {
        let bundle = self.bundle();
        let message = self.message;
        let s = |id| quote(bundle.str(id));
        let respond = match message.response {
            Response::Agent { follow_up, collect } => {
                let fields: Vec<&str> = [(collect.name, "name"), (collect.email, "email")]
                    .into_iter()
                    .filter_map(|(on, field)| on.then_some(field))
                    .collect();
                let collect = match fields.is_empty() {
                    true => "none".to_string(),
                    false => fields.join(", "),
                };
                format!("agent {{ follow_up {} collect {collect} }}", s(follow_up))
            }
            Response::AiAgent { agent, answer } => {
                let agent = bundle
                    .ai_agents()
                    .get(usize::from(agent))
                    .map_or(String::new(), |a| s(a.name));
                format!("ai_agent {agent} answer {}", s(answer))
            }
        };
        let schedule = |i: u16| {
            bundle
                .schedules()
                .get(usize::from(i))
                .map_or(String::new(), |sc| s(sc.name))
        };
        let send = match message.send {
            SendMode::Anytime => "anytime".to_string(),
            SendMode::During(i) => format!("during business_hours {}", schedule(i)),
            SendMode::Outside(i) => format!("outside business_hours {}", schedule(i)),
        };
        let event = match message.trigger {
            Trigger::ScreenOpen => "screen_open".to_string(),
            Trigger::Other(byte) => format!("event {byte}"),
        };
        let after = match message.dwell_ms {
            0 => event,
            ms if ms % 1000 == 0 => format!("{event} {}", format_duration(ms / 1000)),
            ms => format!("{event} {ms}ms"),
        };
        let tags: Vec<String> = message.tags.iter().map(|&t| s(t)).collect();
        vec![
            ("brand", Some(s(message.brand))),
            ("channel", Some(quote(self.channel()))),
            ("say", Some(s(message.say))),
            ("respond", Some(respond)),
            ("after", Some(after)),
            ("tags", (!tags.is_empty()).then(|| tags.join(", "))),
            ("send", Some(send)),
            ("frequency", Some(message.frequency.as_str().to_string())),
            ("priority", Some(message.priority.to_string())),
            (
                "status",
                (message.status == Status::Paused).then(|| "paused".to_string()),
            ),
        ]
    }

    /// Every clause that is present, `when` first (as written, when the side has sources).
    fn present_clauses(&self) -> Vec<Clause> {
        let when = self.when(self.side.from_sources).map(|value| Clause {
            clause: "when",
            value,
        });
        when.into_iter()
            .chain(
                self.clauses()
                    .into_iter()
                    .filter_map(|(clause, value)| value.map(|value| Clause { clause, value })),
            )
            .collect()
    }

    /// Whether this message and `other` (of the same bundle) are checked at the same instants:
    /// the same channel, trigger and delay. Of those, one check delivers at most one.
    fn competes_with(&self, other: &Entry<'_>) -> bool {
        self.message.channel == other.message.channel
            && self.message.trigger == other.message.trigger
            && self.message.dwell_ms == other.message.dwell_ms
    }

    /// Whether this message wins over `other` when both pass every rule at one check.
    fn wins_over(&self, other: &Entry<'_>) -> bool {
        (self.message.priority, std::cmp::Reverse(self.index))
            > (other.message.priority, std::cmp::Reverse(other.index))
    }
}

/// Message `index`'s code, one instruction a line, with strings and sets written out.
fn code_key(bundle: &Bundle, index: usize) -> Vec<String> {
    let code = bundle.code(index);
    let mut key = Vec::new();
    let mut pc = 0;
    while let Ok((instr, next)) = Instr::decode(code, pc) {
        let set = |k| {
            let items: Vec<&str> = bundle
                .string_set(k)
                .iter()
                .map(|&s| bundle.str(s))
                .collect();
            format!("{items:?}")
        };
        key.push(match instr {
            Instr::UrlIs { s } | Instr::TitleIs { s } | Instr::LangIs { s } => {
                format!("{:?} {:?}", instr.opcode(), bundle.str(s))
            }
            // Every instruction with a set operand: the set's index says nothing of its items.
            Instr::UrlHasAny { k }
            | Instr::TitleHasAny { k }
            | Instr::UrlStartsAny { k }
            | Instr::UrlEndsAny { k }
            | Instr::TitleStartsAny { k }
            | Instr::TitleEndsAny { k } => format!("{:?} {}", instr.opcode(), set(k)),
            other => format!("{other:?}"),
        });
        pc = next;
    }
    key
}

/// Compares two sides.
pub fn diff(old: &Side, new: &Side) -> Report {
    let old_entries = Entry::all(old);
    let new_entries = Entry::all(new);
    let by_name = |entries: &[Entry<'_>]| -> HashMap<String, usize> {
        let mut map = HashMap::default();
        for (i, e) in entries.iter().enumerate() {
            map.entry(e.name.to_string()).or_insert(i);
        }
        map
    };
    let (old_by_name, new_by_name) = (by_name(&old_entries), by_name(&new_entries));
    let mut messages = Vec::new();
    for entry in &new_entries {
        match old_by_name.get(entry.name) {
            None => messages.push(MessageDiff::Added {
                name: entry.name.to_string(),
                clauses: entry.present_clauses(),
            }),
            Some(&o) => {
                if let Some(changed) = compare_message(&old_entries[o], entry) {
                    messages.push(changed);
                }
            }
        }
    }
    let removed: Vec<&Entry<'_>> = old_entries
        .iter()
        .filter(|e| !new_by_name.contains_key(e.name))
        .collect();
    messages.extend(removed.iter().map(|entry| MessageDiff::Removed {
        name: entry.name.to_string(),
        clauses: entry.present_clauses(),
    }));
    let mut warnings = renamed(&removed, &new_entries, &old_by_name);
    warnings.extend(winners(&old_entries, &new_entries, &old_by_name));
    Report {
        messages,
        account: account_diff(&old.bundle, &new.bundle),
        warnings,
    }
}

/// The clauses of a message in both bundles that differ, or `None` when none does.
fn compare_message(old: &Entry<'_>, new: &Entry<'_>) -> Option<MessageDiff> {
    let mut clauses = Vec::new();
    let mut behaviour = None;
    if old.code_key != new.code_key {
        let found = behaviour::compare(
            (old.bundle(), old.index, old.condition.as_ref()),
            (new.bundle(), new.index, new.condition.as_ref()),
        );
        if found != Behaviour::Same {
            // As written when both sides have sources, unless that reads the same on both
            // (a named condition changed): then as the code has it, which shows the difference.
            let written = old.side.from_sources && new.side.from_sources;
            let (mut was, mut is) = (old.when(written), new.when(written));
            if was == is {
                (was, is) = (old.when(false), new.when(false));
            }
            clauses.push(ClauseChange {
                clause: "when",
                old: was,
                new: is,
            });
            behaviour = Some(found);
        }
    }
    for ((clause, was), (_, is)) in old.clauses().into_iter().zip(new.clauses()) {
        if was != is {
            clauses.push(ClauseChange {
                clause,
                old: was,
                new: is,
            });
        }
    }
    (!clauses.is_empty()).then(|| MessageDiff::Changed {
        name: new.name.to_string(),
        clauses,
        behaviour,
    })
}

/// Warnings for removed `once_per_device` messages that reappear under another name: an added
/// message (one whose name the old bundle lacks) on the same channel with the same text or
/// the same condition code.
fn renamed(
    removed: &[&Entry<'_>],
    new_entries: &[Entry<'_>],
    old_by_name: &HashMap<String, usize>,
) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for old in removed {
        if old.message.frequency != Frequency::OncePerDevice {
            continue;
        }
        let same_say = |new: &Entry<'_>| {
            new.bundle().str(new.message.say) == old.bundle().str(old.message.say)
        };
        let successor = new_entries.iter().find(|new| {
            !old_by_name.contains_key(new.name)
                && new.channel() == old.channel()
                && (same_say(new) || new.code_key == old.code_key)
        });
        if let Some(new) = successor {
            warnings.push(Warning {
                kind: WarningKind::ShownAgain,
                messages: vec![old.name.to_string(), new.name.to_string()],
                text: format!(
                    "{} looks renamed to {} (same channel and {}): devices remember \
                     once_per_device messages by name, so everyone who has seen {} will be \
                     shown {} again",
                    quote(old.name),
                    quote(new.name),
                    if same_say(new) { "text" } else { "condition" },
                    quote(old.name),
                    quote(new.name),
                ),
            });
        }
    }
    warnings
}

/// Warnings for pairs of messages, in both bundles and due at the same checks in both, of which
/// the other one now wins when both pass every rule (a priority or the bundle order changed),
/// and whose conditions can both hold in the new bundle.
fn winners(
    old_entries: &[Entry<'_>],
    new_entries: &[Entry<'_>],
    old_by_name: &HashMap<String, usize>,
) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for (i, a) in new_entries.iter().enumerate() {
        for b in &new_entries[i + 1..] {
            let (Some(&oa), Some(&ob)) = (old_by_name.get(a.name), old_by_name.get(b.name)) else {
                continue;
            };
            let (old_a, old_b) = (&old_entries[oa], &old_entries[ob]);
            if !a.competes_with(b) || !old_a.competes_with(old_b) {
                continue;
            }
            if old_a.wins_over(old_b) == a.wins_over(b) {
                continue;
            }
            let both = behaviour::can_both_hold(
                a.bundle(),
                (a.index, a.condition.as_ref()),
                (b.index, b.condition.as_ref()),
            );
            if !both {
                continue;
            }
            let (winner, loser) = if a.wins_over(b) { (a, b) } else { (b, a) };
            let priorities =
                |x: &Entry<'_>, y: &Entry<'_>| (x.message.priority, y.message.priority);
            let (old_winner, old_loser) = if a.wins_over(b) {
                (old_a, old_b)
            } else {
                (old_b, old_a)
            };
            let (now, was) = (priorities(winner, loser), priorities(old_winner, old_loser));
            let why = if now.0 == now.1 && was.0 == was.1 {
                format!(
                    "both have priority {}, and {} now comes first in bundle order (files \
                     sorted by path, then order in the file)",
                    now.0,
                    quote(winner.name)
                )
            } else {
                format!(
                    "priority {} against {}, was {} against {}",
                    now.0, now.1, was.0, was.1
                )
            };
            warnings.push(Warning {
                kind: WarningKind::WinnerChanges,
                messages: vec![winner.name.to_string(), loser.name.to_string()],
                text: format!(
                    "{} now wins over {} when both are due at the same check: {why}",
                    quote(winner.name),
                    quote(loser.name)
                ),
            });
        }
    }
    warnings
}

/// Entities of one kind (channels, schedules or AI agents), each as its name and a description.
type Described = Vec<(String, String)>;

/// Channels, schedules and AI agents that differ, each described in one line.
fn account_diff(old: &Bundle, new: &Bundle) -> Vec<AccountDiff> {
    let mut diffs = Vec::new();
    let channel = |b: &Bundle, c: &pm_vm::Channel| {
        (
            b.str(c.name).to_string(),
            format!(
                "platform {}, conversation control {}",
                c.platform.as_str(),
                c.conversation_control.as_str()
            ),
        )
    };
    let schedule =
        |b: &Bundle, s: &pm_vm::Schedule| (b.str(s.name).to_string(), describe_schedule(b, s));
    let agent = |b: &Bundle, a: &pm_vm::AiAgent| {
        let answers: Vec<String> = a.answers.iter().map(|&s| quote(b.str(s))).collect();
        (
            b.str(a.name).to_string(),
            format!(
                "{}answers {}",
                if a.generative { "generative, " } else { "" },
                answers.join(", ")
            ),
        )
    };
    let pairs = |f: &dyn Fn(&Bundle) -> Described| (f(old), f(new));
    let tables: [(&'static str, (Described, Described)); 3] = [
        (
            "channel",
            pairs(&|b| b.channels().iter().map(|c| channel(b, c)).collect()),
        ),
        (
            "schedule",
            pairs(&|b| b.schedules().iter().map(|s| schedule(b, s)).collect()),
        ),
        (
            "ai_agent",
            pairs(&|b| b.ai_agents().iter().map(|a| agent(b, a)).collect()),
        ),
    ];
    for (kind, (was, is)) in tables {
        let find = |list: &[(String, String)], name: &str| {
            list.iter().find(|(n, _)| n == name).map(|(_, d)| d.clone())
        };
        for (name, description) in &is {
            let before = find(&was, name);
            if before.as_ref() != Some(description) {
                diffs.push(AccountDiff {
                    kind,
                    name: name.clone(),
                    old: before,
                    new: Some(description.clone()),
                });
            }
        }
        for (name, description) in &was {
            if find(&is, name).is_none() {
                diffs.push(AccountDiff {
                    kind,
                    name: name.clone(),
                    old: Some(description.clone()),
                    new: None,
                });
            }
        }
    }
    diffs
}

/// `Europe/Paris; mon 09:00-18:00; …; holidays 2026-12-25`.
fn describe_schedule(bundle: &Bundle, schedule: &pm_vm::Schedule) -> String {
    let time = |minute: u16| format!("{:02}:{:02}", minute / 60, minute % 60);
    let mut parts = vec![bundle.str(schedule.zone).to_string()];
    for (day, intervals) in pm_vm::format::WEEKDAYS.iter().zip(&schedule.weekly) {
        if !intervals.is_empty() {
            let hours: Vec<String> = intervals
                .iter()
                .map(|i| format!("{}-{}", time(i.start), time(i.end)))
                .collect();
            parts.push(format!("{day} {}", hours.join(", ")));
        }
    }
    if !schedule.holidays.is_empty() {
        let dates: Vec<String> = schedule
            .holidays
            .iter()
            .map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day))
            .collect();
        parts.push(format!("holidays {}", dates.join(", ")));
    }
    parts.join("; ")
}
