//! Messages: every clause resolved against the account (the language guide (docs/language.md)).
//!
//! [`check_message`] reports every problem of one message and returns its checked form when
//! it has none. Without an account (missing or unreadable `account.toml`) the clauses that name
//! account entities are not resolved, but everything else is still checked.

mod delivery;
mod response;
mod routing;

use foldhash::{HashSet, HashSetExt};

use super::conditions::Conditions;
use super::limits;
use super::report::{backticked, duplicate, report_duplicate_items, unknown_keyword};
use crate::account::Account;
use crate::codegen::Layout;
use crate::diagnostic::{Code, Diagnostic, Fix};
use crate::model::{self, Cond, Event, Frequency, SendWindow, SharedCond};
use crate::source::Span;
use crate::suggest::did_you_mean;
use crate::syntax::ast::{self, Clause, ClauseKind, Text, Trigger};
use crate::vocabulary::{self, EVENTS, FREQUENCIES, STATUSES};
use delivery::{check_send, lint_delivery};
use response::check_response;
use routing::{check_brand, check_channel};

/// A message free of errors.
pub struct CheckedMessage {
    /// Its checked form.
    pub message: model::Message,
    /// Its condition as the code generator will lay it out.
    pub layout: Layout,
    /// Where the condition is written: the `when` expression, or the `after` keyword.
    pub condition_span: Span,
}

/// Checks one message; `Some` when it is free of errors and the account is known.
pub fn check_message<'a>(
    message: &'a ast::Message,
    account: Option<&Account>,
    conditions: &mut Conditions<'a>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<CheckedMessage> {
    let first_new = diagnostics.len();
    let clauses = Clauses::collect(message, diagnostics);
    let name = &message.name;
    if name.value.trim().is_empty() {
        diagnostics.push(empty_text(name, "message name"));
    }
    limits::text_fits(&name.value, name.span, "message name", diagnostics);

    let brand = check_brand(message, clauses.get("brand"), account, diagnostics);
    let channel = check_channel(message, &clauses, brand.as_deref(), account, diagnostics);
    let say = match clauses.get("say").map(|c| &c.kind) {
        Some(ClauseKind::Say(text)) => {
            if text.value.trim().is_empty() {
                diagnostics.push(empty_text(text, "`say` text"));
            }
            limits::text_fits(&text.value, text.span, "`say` text", diagnostics);
            Some(text.value.clone())
        }
        _ => {
            diagnostics.push(missing(message, "say", Some("say \"Hi there!\"")));
            None
        }
    };
    let response = match clauses.get("respond").map(|c| &c.kind) {
        Some(ClauseKind::Respond(response)) => {
            check_response(response, channel, account, diagnostics)
        }
        _ => {
            let insert =
                "respond agent {\n        follow_up \"An agent will be with you shortly.\"\n    }";
            diagnostics.push(missing(message, "respond", Some(insert)));
            None
        }
    };
    let trigger = match clauses.get("after").map(|c| &c.kind) {
        Some(ClauseKind::Trigger(trigger)) => check_trigger(trigger, conditions, diagnostics),
        _ => {
            diagnostics.push(missing(
                message,
                "when … after …",
                Some("after screen_open"),
            ));
            None
        }
    };
    let tags = match clauses.get("tags") {
        Some(Clause {
            kind: ClauseKind::Tags(tags),
            keyword,
            ..
        }) => check_tags(tags, *keyword, diagnostics),
        _ => Vec::new(),
    };
    let send = match clauses.get("send").map(|c| &c.kind) {
        Some(ClauseKind::Send(send)) => check_send(send, channel, account, diagnostics),
        _ => Some(SendWindow::Anytime),
    };
    let frequency = match clauses.get("frequency").map(|c| &c.kind) {
        Some(ClauseKind::Frequency(word)) => {
            let frequency = Frequency::ALL.iter().find(|f| f.as_str() == word.text);
            if frequency.is_none() {
                diagnostics.push(unknown_keyword(word, &FREQUENCIES, "a frequency"));
            }
            frequency.copied()
        }
        _ => {
            diagnostics.push(missing(
                message,
                "frequency",
                Some("frequency once_per_visit"),
            ));
            None
        }
    };
    let priority = match clauses.get("priority").map(|c| &c.kind) {
        Some(ClauseKind::Priority(number)) => match i32::try_from(number.value) {
            Ok(priority) => Some(priority),
            Err(_) => {
                diagnostics.push(
                    Diagnostic::new(Code::E0105, number.span, "priority is out of range")
                        .with_label(format!(
                            "priorities lie between {} and {}",
                            i32::MIN,
                            i32::MAX
                        )),
                );
                None
            }
        },
        _ => Some(0),
    };
    let paused = match clauses.get("status").map(|c| &c.kind) {
        Some(ClauseKind::Status(word)) => match word.text.as_str() {
            "published" => Some(false),
            "paused" => Some(true),
            _ => {
                diagnostics.push(unknown_keyword(word, &STATUSES, "a status"));
                None
            }
        },
        _ => Some(false),
    };

    if let (Some((channel_index, _)), Some(account), Some(paused)) = (channel, account, paused) {
        let never_holds = trigger
            .as_ref()
            .is_some_and(|(_, _, _, value, _, _)| *value == Some(false));
        lint_delivery(
            message,
            &account.channels[channel_index],
            account,
            send,
            never_holds,
            paused,
            diagnostics,
        );
    }

    if diagnostics[first_new..].iter().any(Diagnostic::is_error) {
        return None;
    }
    let (channel, _) = channel?;
    let (event, dwell_seconds, condition, _, layout, condition_span) = trigger?;
    let message = model::Message {
        name: name.value.clone(),
        name_span: name.span,
        brand: brand?,
        channel,
        say: say?,
        response: response?,
        tags,
        send: send?,
        frequency: frequency?,
        priority: priority?,
        paused: paused?,
        event,
        dwell_seconds,
        condition,
    };
    Some(CheckedMessage {
        message,
        layout,
        condition_span,
    })
}

/// A message's clauses by keyword (the trigger under `after`), reporting duplicates. There are
/// at most ten keywords: a short list is cheaper than a hash map.
struct Clauses<'a> {
    by_keyword: Vec<(&'a str, &'a Clause)>,
}

impl<'a> Clauses<'a> {
    fn collect(message: &'a ast::Message, diagnostics: &mut Vec<Diagnostic>) -> Clauses<'a> {
        let mut clauses = Clauses {
            by_keyword: Vec::with_capacity(message.clauses.len()),
        };
        for clause in &message.clauses {
            if matches!(clause.kind, ClauseKind::Unknown(_)) {
                continue;
            }
            let keyword = clause.kind.keyword();
            if let Some(first) = clauses.get(keyword) {
                let shown = if keyword == "after" {
                    "when … after …"
                } else {
                    keyword
                };
                diagnostics.push(
                    duplicate(
                        Code::E0402,
                        clause.keyword,
                        format!("this message already has its `{shown}` clause"),
                        "second clause",
                        first.keyword,
                        "first given here",
                    )
                    .with_help("each clause may appear at most once in a message"),
                );
            } else {
                clauses.by_keyword.push((keyword, clause));
            }
        }
        clauses
    }

    fn get(&self, keyword: &str) -> Option<&'a Clause> {
        self.by_keyword
            .iter()
            .find(|(k, _)| *k == keyword)
            .map(|&(_, clause)| clause)
    }
}

/// `E0401` at the message's name, with a fix inserting `insert` before the closing brace.
fn missing(message: &ast::Message, clause: &str, insert: Option<&str>) -> Diagnostic {
    let diagnostic = Diagnostic::new(
        Code::E0401,
        message.name.span,
        format!(
            "the message \"{}\" has no `{clause}` clause",
            message.name.value
        ),
    )
    .with_label(format!("`{clause}` is required"));
    match insert {
        Some(text) => {
            let at = Span {
                start: message.body.end.saturating_sub(1),
                end: message.body.end.saturating_sub(1),
                ..message.body
            };
            diagnostic
                .with_help(format!("add `{}`", text.lines().next().unwrap_or(text)))
                .with_fix(Fix::titled(
                    format!("add the `{clause}` clause"),
                    vec![crate::diagnostic::Edit {
                        span: at,
                        replacement: format!("    {text}\n"),
                    }],
                ))
        }
        None => diagnostic,
    }
}

fn empty_text(text: &Text, what: &str) -> Diagnostic {
    Diagnostic::new(Code::E0414, text.span, format!("the {what} is empty"))
        .with_label("write some text here")
}

/// The event, the dwell in seconds, the condition, whether it never or always holds, the
/// layout of its code and where it is written.
type CheckedTrigger = (Event, u32, SharedCond, Option<bool>, Layout, Span);

fn check_trigger<'a>(
    trigger: &'a Trigger,
    conditions: &mut Conditions<'a>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<CheckedTrigger> {
    let event = Event::ALL
        .iter()
        .find(|e| e.keyword() == trigger.event.text)
        .copied();
    if event.is_none() {
        let keywords = vocabulary::names(&EVENTS);
        let suggestion = did_you_mean(&trigger.event.text, keywords.iter().copied());
        diagnostics.push(
            Diagnostic::new(
                Code::E0309,
                trigger.event.span,
                format!("`{}` is not an event", trigger.event.text),
            )
            .with_label("unknown event")
            .with_note(format!("events are {}", backticked(&keywords)))
            .with_suggestion(trigger.event.span, suggestion),
        );
    }
    // The condition, and whether it never or always holds.
    let condition = match &trigger.when {
        Some(expr) => conditions.lower(expr, diagnostics).map(|cond| {
            let value = conditions.lint_constant(expr, &cond, diagnostics);
            (cond, value)
        }),
        // A trigger without `when` always holds.
        None => Some((Cond::True, Some(true))),
    };
    let (condition, value) = condition?;
    let span = trigger.when.as_ref().map_or(trigger.after, |e| e.span);
    let layout = conditions.layout(&condition, span, diagnostics)?;
    Some((
        event?,
        trigger.duration.map_or(0, |d| d.seconds),
        condition,
        value,
        layout,
        span,
    ))
}

fn check_tags(tags: &[Text], keyword: Span, diagnostics: &mut Vec<Diagnostic>) -> Vec<String> {
    report_duplicate_items(tags, diagnostics);
    let mut out: Vec<String> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::with_capacity(tags.len());
    let mut first_over = None;
    for tag in tags {
        let valid = !tag.value.is_empty()
            && tag
                .value
                .chars()
                .all(|c| !c.is_whitespace() && !c.is_uppercase() && c != '"' && c != ',');
        if !valid {
            let fixed: String = tag
                .value
                .trim()
                .to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join("_")
                .replace(['"', ','], "");
            let mut diagnostic = Diagnostic::new(
                Code::E0415,
                tag.span,
                format!("\"{}\" is not a valid tag", tag.value),
            )
            .with_label(if tag.value.is_empty() {
                "a tag cannot be empty"
            } else {
                "tags are lower-case, without spaces"
            });
            if !fixed.is_empty() {
                diagnostic = diagnostic.with_string_suggestion(tag.span, Some(&fixed));
            }
            diagnostics.push(diagnostic);
        } else if limits::text_fits(&tag.value, tag.span, "tag", diagnostics)
            && seen.insert(&tag.value)
        {
            out.push(tag.value.clone());
            if out.len() == pm_vm::format::limits::MAX_TAGS + 1 {
                first_over = Some(tag.span);
            }
        }
    }
    if let Some(first_over) = first_over {
        limits::tags_fit(out.len(), keyword, first_over, diagnostics);
    }
    out
}
