//! Responses: `respond agent { … }` with its `follow_up` and `collect` clauses, and
//! `respond ai_agent "AGENT" answer "ANSWER"` against the account's AI agents.

use super::empty_text;
use crate::account::{Account, Channel};
use crate::check::limits;
use crate::check::report::{duplicate, or_list, quoted_list, unknown_keyword, unknown_name};
use crate::diagnostic::{Code, Diagnostic, Fix};
use crate::model;
use crate::source::Span;
use crate::suggest::did_you_mean;
use crate::syntax::ast::{self, AgentClauseKind, Name, Response, Text};
use crate::vocabulary::{self, COLLECT_FIELDS, RESPONSE_KINDS};

/// The checked response, once every problem of it is reported (`E0310`, `E0401`, `E0402`,
/// `E0409`–`E0411`, `E0417`).
pub(super) fn check_response(
    response: &Response,
    channel: Option<(usize, &Channel)>,
    account: Option<&Account>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<model::Response> {
    match response {
        Response::Agent { kind, .. } | Response::AiAgent { kind, .. }
            if vocabulary::find(&RESPONSE_KINDS, &kind.text).is_none() =>
        {
            diagnostics.push(unknown_keyword(kind, &RESPONSE_KINDS, "a kind of response"));
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
                diagnostics.push(
                    unknown_name(
                        Code::E0409,
                        agent.span,
                        format!("the account has no AI agent named \"{}\"", agent.value),
                        "AI agent",
                        &agent.value,
                        &[&names],
                    )
                    .with_note(if names.is_empty() {
                        "the account has no AI agents".to_string()
                    } else {
                        format!("the account's AI agents are {}", quoted_list(&names))
                    }),
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
                diagnostics.push(
                    unknown_name(
                        Code::E0411,
                        answer.span,
                        format!(
                            "the AI agent \"{}\" has no answer named \"{}\"",
                            agent.value, answer.value
                        ),
                        "answer",
                        &answer.value,
                        &[&names],
                    )
                    .with_note(format!("its answers are {}", quoted_list(&names))),
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
            diagnostics.push(duplicate(
                Code::E0402,
                clause.keyword.span,
                format!("`{}` is given twice", clause.keyword.text),
                "second clause",
                first,
                "first given here",
            ));
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
        if vocabulary::find(&COLLECT_FIELDS, &field.text).is_none() {
            let known = vocabulary::names(&COLLECT_FIELDS);
            let suggestion = did_you_mean(&field.text, known.iter().copied());
            diagnostics.push(
                Diagnostic::new(
                    Code::E0417,
                    field.span,
                    format!("`{}` cannot be collected", field.text),
                )
                .with_label(format!("expected {}", or_list(&known)))
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
