//! Messages: every clause resolved against the account (the language guide (docs/language.md)).
//!
//! [`check_message`] reports every problem of one message and returns its checked form when
//! it has none. Without an account (missing or unreadable `account.toml`) the clauses that name
//! account entities are not resolved, but everything else is still checked.

use super::conditions::{Conditions, backticked, or_list, report_duplicate_items, unknown_keyword};
use super::limits;
use crate::account::{Account, Channel, ConversationControl, MOBILE_PLATFORMS};
use crate::codegen::Layout;
use foldhash::{HashSet, HashSetExt};

use crate::diagnostic::{Code, Diagnostic, Fix, Severity, quoted_list};
use crate::model::{self, Cond, Event, Frequency, SendWindow, SharedCond};
use crate::source::Span;
use crate::suggest::did_you_mean;
use crate::syntax::ast::{
    self, AgentClauseKind, Clause, ClauseKind, Name, Response, Text, Trigger,
};

/// Values of `frequency`.
pub const FREQUENCIES: &[&str] = &["once_per_device", "once_per_visit", "every_time"];
/// Values of `status`.
pub const STATUSES: &[&str] = &["published", "paused"];
/// Modes of `send`.
pub const SEND_MODES: &[&str] = &["anytime", "during", "outside"];
/// Kinds of `respond`.
pub const RESPONSE_KINDS: &[&str] = &["agent", "ai_agent"];
/// Fields of `collect`.
pub const COLLECT_FIELDS: &[&str] = &["name", "email", "none"];

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
        Some(ClauseKind::Frequency(word)) => match word.text.as_str() {
            "once_per_device" => Some(Frequency::OncePerDevice),
            "once_per_visit" => Some(Frequency::OncePerVisit),
            "every_time" => Some(Frequency::EveryTime),
            _ => {
                diagnostics.push(unknown_keyword(word, FREQUENCIES, "a frequency"));
                None
            }
        },
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
                diagnostics.push(unknown_keyword(word, STATUSES, "a status"));
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
                    Diagnostic::new(
                        Code::E0402,
                        clause.keyword,
                        format!("this message already has its `{shown}` clause"),
                    )
                    .with_label("second clause")
                    .with_secondary(first.keyword, "first given here")
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

fn check_brand(
    message: &ast::Message,
    clause: Option<&Clause>,
    account: Option<&Account>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let account = account?;
    let brand_names: Vec<&str> = account
        .brands
        .iter()
        .map(|b| b.name.name.as_str())
        .collect();
    match clause.map(|c| &c.kind) {
        Some(ClauseKind::Brand(text)) => {
            if account.brand(&text.value).is_some() {
                return Some(text.value.clone());
            }
            let suggestion = did_you_mean(&text.value, brand_names.iter().copied());
            diagnostics.push(
                Diagnostic::new(
                    Code::E0404,
                    text.span,
                    format!("the account has no brand named \"{}\"", text.value),
                )
                .with_label("unknown brand")
                .with_note(format!(
                    "the account's brands are {}",
                    quoted_list(&brand_names)
                ))
                .with_string_suggestion(text.span, suggestion),
            );
            None
        }
        _ => match brand_names.as_slice() {
            [only] => Some(only.to_string()),
            [] => {
                diagnostics.push(
                    Diagnostic::new(Code::E0404, message.name.span, "the account has no brand")
                        .with_label("this message needs a brand")
                        .with_help("add a `[[brands]]` entry to account.toml"),
                );
                None
            }
            [first, ..] => {
                diagnostics.push(
                    Diagnostic::new(
                        Code::E0405,
                        message.name.span,
                        format!("the message \"{}\" must name its brand", message.name.value),
                    )
                    .with_label("no `brand` clause")
                    .with_note(format!(
                        "the account has several brands: {}",
                        quoted_list(&brand_names)
                    ))
                    .with_fix(Fix::titled(
                        "add a `brand` clause",
                        vec![crate::diagnostic::Edit {
                            span: Span {
                                start: message.body.start + 1,
                                end: message.body.start + 1,
                                ..message.body
                            },
                            replacement: format!("\n    brand \"{first}\""),
                        }],
                    )),
                );
                None
            }
        },
    }
}

fn check_channel<'a>(
    message: &ast::Message,
    clauses: &Clauses<'_>,
    brand: Option<&str>,
    account: Option<&'a Account>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(usize, &'a Channel)> {
    let Some(ClauseKind::Channel(text)) = clauses.get("channel").map(|c| &c.kind) else {
        let candidate = account.and_then(|a| {
            a.channels.iter().find(|c| {
                c.is_mobile() && Some(c.brand.name.as_str()) == brand.or(Some(&c.brand.name))
            })
        });
        let insert = candidate.map(|c| format!("channel \"{}\"", c.name.name));
        diagnostics.push(missing(message, "channel", insert.as_deref()));
        return None;
    };
    let account = account?;
    let Some((index, channel)) = account.channel(&text.value) else {
        // Prefer the brand's mobile channels when suggesting.
        let of_brand: Vec<&str> = account
            .channels
            .iter()
            .filter(|c| brand.is_none_or(|b| c.brand.name == b) && c.is_mobile())
            .map(|c| c.name.name.as_str())
            .collect();
        let all: Vec<&str> = account
            .channels
            .iter()
            .map(|c| c.name.name.as_str())
            .collect();
        let suggestion = did_you_mean(&text.value, of_brand.iter().copied())
            .or_else(|| did_you_mean(&text.value, all.iter().copied()));
        let mut diagnostic = Diagnostic::new(
            Code::E0406,
            text.span,
            format!("the account has no channel named \"{}\"", text.value),
        )
        .with_label("unknown channel");
        if !of_brand.is_empty() {
            diagnostic = diagnostic.with_note(format!(
                "channels of this brand: {}",
                quoted_list(&of_brand)
            ));
        }
        diagnostics.push(diagnostic.with_string_suggestion(text.span, suggestion));
        return None;
    };
    let mut ok = true;
    if let Some(brand) = brand
        && channel.brand.name != brand
    {
        diagnostics.push(
            Diagnostic::new(
                Code::E0407,
                text.span,
                format!(
                    "the channel \"{}\" belongs to the brand \"{}\", not \"{brand}\"",
                    text.value, channel.brand.name
                ),
            )
            .with_label("channel of another brand")
            .with_secondary(channel.brand.span, "the channel's brand in account.toml"),
        );
        ok = false;
    }
    if !channel.is_mobile() {
        diagnostics.push(
            Diagnostic::new(
                Code::E0408,
                text.span,
                format!(
                    "the channel \"{}\" is on the `{}` platform, not on a mobile SDK platform",
                    text.value, channel.platform.name
                ),
            )
            .with_label("proactive messages need a mobile SDK channel")
            .with_secondary(channel.platform.span, "its platform")
            .with_note(format!(
                "mobile SDK platforms are {}",
                backticked(MOBILE_PLATFORMS)
            )),
        );
        ok = false;
    }
    ok.then_some((index, channel))
}

fn check_response(
    response: &Response,
    channel: Option<(usize, &Channel)>,
    account: Option<&Account>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<model::Response> {
    match response {
        Response::Agent { kind, .. } | Response::AiAgent { kind, .. }
            if !RESPONSE_KINDS.contains(&kind.text.as_str()) =>
        {
            diagnostics.push(unknown_keyword(kind, RESPONSE_KINDS, "a kind of response"));
            None
        }
        Response::AiAgent { kind, .. } if kind.text != "ai_agent" => {
            diagnostics.push(
                Diagnostic::new(
                    Code::E0310,
                    kind.span,
                    "`respond agent` takes a block `{ follow_up … }`",
                )
                .with_label("did you mean `ai_agent`?")
                .with_fix(Fix::replace(kind.span, "ai_agent")),
            );
            None
        }
        Response::Agent { kind, .. } if kind.text != "agent" => {
            diagnostics.push(
                Diagnostic::new(
                    Code::E0310,
                    kind.span,
                    "`respond ai_agent` takes `\"AGENT\" answer \"ANSWER\"`",
                )
                .with_label("did you mean `agent`?")
                .with_fix(Fix::replace(kind.span, "agent")),
            );
            None
        }
        Response::Agent {
            kind,
            clauses,
            body,
        } => check_agent(kind, clauses, *body, diagnostics),
        Response::AiAgent { agent, answer, .. } => {
            let account = account?;
            let Some((index, ai_agent)) = account.ai_agent(&agent.value) else {
                let names: Vec<&str> = account
                    .ai_agents
                    .iter()
                    .map(|a| a.name.name.as_str())
                    .collect();
                let suggestion = did_you_mean(&agent.value, names.iter().copied());
                diagnostics.push(
                    Diagnostic::new(
                        Code::E0409,
                        agent.span,
                        format!("the account has no AI agent named \"{}\"", agent.value),
                    )
                    .with_label("unknown AI agent")
                    .with_note(if names.is_empty() {
                        "the account has no AI agents".to_string()
                    } else {
                        format!("the account's AI agents are {}", quoted_list(&names))
                    })
                    .with_string_suggestion(agent.span, suggestion),
                );
                return None;
            };
            let mut ok = true;
            if let Some((_, channel)) = channel
                && !ai_agent
                    .channels
                    .iter()
                    .any(|c| c.name == channel.name.name)
            {
                diagnostics.push(
                    Diagnostic::new(
                        Code::E0410,
                        agent.span,
                        format!(
                            "the AI agent \"{}\" is not connected to the channel \"{}\"",
                            agent.value, channel.name.name
                        ),
                    )
                    .with_label("not connected to this message's channel")
                    .with_secondary(
                        ai_agent.channels_span.unwrap_or(ai_agent.name.span),
                        "the agent's channels",
                    )
                    .with_help(format!(
                        "add \"{}\" to the agent's `channels` in account.toml",
                        channel.name.name
                    )),
                );
                ok = false;
            }
            if !ai_agent.answers.iter().any(|a| a.name == answer.value) {
                let names: Vec<&str> = ai_agent.answers.iter().map(|a| a.name.as_str()).collect();
                let suggestion = did_you_mean(&answer.value, names.iter().copied());
                diagnostics.push(
                    Diagnostic::new(
                        Code::E0411,
                        answer.span,
                        format!(
                            "the AI agent \"{}\" has no answer named \"{}\"",
                            agent.value, answer.value
                        ),
                    )
                    .with_label("unknown answer")
                    .with_note(format!("its answers are {}", quoted_list(&names)))
                    .with_string_suggestion(answer.span, suggestion),
                );
                ok = false;
            }
            ok.then(|| model::Response::AiAgent {
                agent: index,
                answer: answer.value.clone(),
            })
        }
    }
}

fn check_agent(
    kind: &Name,
    clauses: &[ast::AgentClause],
    body: Span,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<model::Response> {
    let mut follow_up: Option<&Text> = None;
    let mut collect: Option<&[Name]> = None;
    // Where each keyword was last seen (there are two keywords).
    let mut seen: Vec<(&str, Span)> = Vec::with_capacity(2);
    for clause in clauses {
        if clause.kind == AgentClauseKind::Unknown {
            continue;
        }
        let keyword = clause.keyword.text.as_str();
        let last = seen.iter_mut().find(|(k, _)| *k == keyword);
        if let Some((_, last)) = last {
            let first = std::mem::replace(last, clause.keyword.span);
            diagnostics.push(
                Diagnostic::new(
                    Code::E0402,
                    clause.keyword.span,
                    format!("`{}` is given twice", clause.keyword.text),
                )
                .with_label("second clause")
                .with_secondary(first, "first given here"),
            );
            continue;
        }
        seen.push((keyword, clause.keyword.span));
        match &clause.kind {
            AgentClauseKind::FollowUp(text) => follow_up = Some(text),
            AgentClauseKind::Collect(fields) => collect = Some(fields),
            AgentClauseKind::Unknown => {}
        }
    }
    let follow_up = match follow_up {
        Some(text) if text.value.trim().is_empty() => {
            diagnostics.push(empty_text(text, "`follow_up` text"));
            None
        }
        Some(text) => limits::text_fits(&text.value, text.span, "`follow_up` text", diagnostics)
            .then(|| text.value.clone()),
        None => {
            let at = Span {
                start: body.start + 1,
                end: body.start + 1,
                ..body
            };
            diagnostics.push(
                Diagnostic::new(
                    Code::E0401,
                    kind.span,
                    "`respond agent` has no `follow_up` clause",
                )
                .with_label("`follow_up` is required")
                .with_secondary(body, "add it in this block")
                .with_fix(Fix::titled(
                    "add a `follow_up` clause",
                    vec![crate::diagnostic::Edit {
                        span: at,
                        replacement: "\n        follow_up \"An agent will be with you shortly.\""
                            .to_string(),
                    }],
                )),
            );
            None
        }
    };
    let (collect_name, collect_email) = match collect {
        None => (true, true),
        Some(fields) => check_collect(fields, diagnostics)?,
    };
    Some(model::Response::Agent {
        follow_up: follow_up?,
        collect_name,
        collect_email,
    })
}

/// `name`, `email`, `name, email` or `none` (`E0417`).
fn check_collect(fields: &[Name], diagnostics: &mut Vec<Diagnostic>) -> Option<(bool, bool)> {
    let mut ok = true;
    for field in fields {
        if !COLLECT_FIELDS.contains(&field.text.as_str()) {
            let suggestion = did_you_mean(&field.text, COLLECT_FIELDS.iter().copied());
            diagnostics.push(
                Diagnostic::new(
                    Code::E0417,
                    field.span,
                    format!("`{}` cannot be collected", field.text),
                )
                .with_label(format!("expected {}", or_list(COLLECT_FIELDS)))
                .with_suggestion(field.span, suggestion),
            );
            ok = false;
        }
    }
    let has = |word: &str| fields.iter().filter(|f| f.text == word).count();
    let (Some(first), Some(last)) = (fields.first(), fields.last()) else {
        return None;
    };
    let whole = first.span.to(last.span);
    if ok && has("none") > 0 && fields.len() > 1 {
        diagnostics.push(
            Diagnostic::new(
                Code::E0417,
                whole,
                "`none` cannot be combined with other fields",
            )
            .with_label("`none` alone, or `name`, `email` or both")
            .with_fix(Fix::replace(whole, "none")),
        );
        return None;
    }
    if ok && (has("name") > 1 || has("email") > 1) {
        diagnostics.push(
            Diagnostic::new(Code::E0417, whole, "a field is listed twice")
                .with_label("list each field once")
                .with_fix(Fix::replace(
                    whole,
                    if has("name") > 0 && has("email") > 0 {
                        "name, email"
                    } else {
                        &first.text
                    },
                )),
        );
        return None;
    }
    ok.then(|| (has("name") > 0, has("email") > 0))
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
        .find(|(_, keyword, _)| *keyword == trigger.event.text)
        .map(|(e, _, _)| *e);
    if event.is_none() {
        let keywords: Vec<&str> = Event::ALL.iter().map(|(_, k, _)| *k).collect();
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
    let layout = limits::layout(&condition, conditions.table(), span, diagnostics)?;
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

fn check_send(
    send: &ast::Send,
    channel: Option<(usize, &Channel)>,
    account: Option<&Account>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<SendWindow> {
    let mode = send.mode.text.as_str();
    match (mode, &send.schedule) {
        ("anytime", None) => Some(SendWindow::Anytime),
        ("anytime", Some((word, text))) => {
            let extra = word.span.to(text.span);
            diagnostics.push(
                Diagnostic::new(Code::E0201, extra, "`send anytime` takes no schedule")
                    .with_label("remove this")
                    .with_fix(Fix::replace(
                        Span {
                            start: send.mode.span.end,
                            ..extra
                        },
                        "",
                    )),
            );
            None
        }
        ("during" | "outside", None) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::E0201,
                    send.mode.span,
                    format!("`send {mode}` needs a schedule"),
                )
                .with_label(format!("write `send {mode} business_hours \"SCHEDULE\"`")),
            );
            None
        }
        ("during" | "outside", Some((word, schedule))) => {
            if word.text.is_empty() {
                diagnostics.push(
                    Diagnostic::new(
                        Code::E0201,
                        schedule.span,
                        "expected `business_hours` before the schedule's name",
                    )
                    .with_label(format!(
                        "write `send {mode} business_hours \"{}\"`",
                        schedule.value
                    ))
                    .with_fix(Fix::replace(word.span, "business_hours ")),
                );
                return None;
            }
            if word.text != "business_hours" {
                diagnostics.push(unknown_keyword(
                    word,
                    &["business_hours"],
                    "a kind of schedule",
                ));
                return None;
            }
            let account = account?;
            let Some((index, _)) = account.schedule(&schedule.value) else {
                let of_channel: Vec<&str> = channel.map_or(Vec::new(), |(_, c)| {
                    c.schedules.iter().map(|s| s.name.as_str()).collect()
                });
                let all: Vec<&str> = account
                    .schedules
                    .iter()
                    .map(|s| s.name.name.as_str())
                    .collect();
                let suggestion = did_you_mean(&schedule.value, of_channel.iter().copied())
                    .or_else(|| did_you_mean(&schedule.value, all.iter().copied()));
                diagnostics.push(
                    Diagnostic::new(
                        Code::E0412,
                        schedule.span,
                        format!("the account has no schedule named \"{}\"", schedule.value),
                    )
                    .with_label("unknown schedule")
                    .with_string_suggestion(schedule.span, suggestion),
                );
                return None;
            };
            if let Some((_, channel)) = channel
                && !channel.schedules.iter().any(|s| s.name == schedule.value)
            {
                let names: Vec<&str> = channel.schedules.iter().map(|s| s.name.as_str()).collect();
                let mut diagnostic = Diagnostic::new(
                    Code::E0413,
                    schedule.span,
                    format!(
                        "the schedule \"{}\" is not set for the channel \"{}\"",
                        schedule.value, channel.name.name
                    ),
                )
                .with_label("not a schedule of this message's channel")
                .with_secondary(
                    channel.schedules_span.unwrap_or(channel.name.span),
                    "the channel's schedules",
                );
                diagnostic = if names.is_empty() {
                    diagnostic.with_note("the channel has no business-hours schedule")
                } else {
                    diagnostic.with_note(format!(
                        "the channel's schedules are {}",
                        quoted_list(&names)
                    ))
                };
                diagnostics.push(diagnostic);
                return None;
            }
            Some(if mode == "during" {
                SendWindow::During(index)
            } else {
                SendWindow::Outside(index)
            })
        }
        _ => {
            diagnostics.push(unknown_keyword(&send.mode, SEND_MODES, "a send mode"));
            None
        }
    }
}

/// `W0106`: the message is valid but can never be shown (a note when it is paused anyway);
/// `never_holds` tells whether its condition can never hold.
fn lint_delivery(
    message: &ast::Message,
    channel: &Channel,
    account: &Account,
    send: Option<SendWindow>,
    never_holds: bool,
    paused: bool,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut reasons: Vec<(String, Option<Span>)> = Vec::new();
    if channel.conversation_control == ConversationControl::Keep {
        reasons.push((
            format!(
                "its channel \"{}\" keeps conversation control",
                channel.name.name
            ),
            Some(channel.name.span),
        ));
    }
    if let Some(SendWindow::During(index)) = send {
        let schedule = &account.schedules[index];
        if schedule.hours.iter().all(Vec::is_empty) {
            reasons.push((
                format!("the schedule \"{}\" is never open", schedule.name.name),
                Some(schedule.name.span),
            ));
        }
    }
    if never_holds {
        reasons.push(("its condition can never hold".to_string(), None));
    }
    let Some((first, span)) = reasons.first() else {
        return;
    };
    let mut diagnostic = Diagnostic::new(
        Code::W0106,
        message.name.span,
        format!(
            "the message \"{}\" can never be delivered: {first}",
            message.name.value
        ),
    )
    .with_label("never shown");
    if let Some(span) = span {
        diagnostic = diagnostic.with_secondary(*span, "defined here");
    }
    if paused {
        diagnostic = diagnostic
            .with_severity(Severity::Note)
            .with_note("the message is paused, so this is expected for now");
    }
    diagnostics.push(diagnostic);
}
