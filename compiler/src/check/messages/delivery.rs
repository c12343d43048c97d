//! Delivery: when a message may be sent (`send anytime`, `during` or `outside` a business-hours
//! schedule of its channel), and the lint for a message that can never be delivered.

use crate::account::{Account, Channel, ConversationControl};
use crate::check::report::{quoted_list, unknown_keyword, unknown_name};
use crate::diagnostic::{Code, Diagnostic, Fix, Severity};
use crate::model::SendWindow;
use crate::source::Span;
use crate::syntax::ast;
use crate::vocabulary::{SCHEDULE_KINDS, SEND_MODES};

/// The send window of a `send` clause (`E0201`, `E0310`, `E0412`, `E0413`).
pub(super) fn check_send(
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
            if word.text != SCHEDULE_KINDS[0].text {
                diagnostics.push(unknown_keyword(word, &SCHEDULE_KINDS, "a kind of schedule"));
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
                diagnostics.push(unknown_name(
                    Code::E0412,
                    schedule.span,
                    format!("the account has no schedule named \"{}\"", schedule.value),
                    "schedule",
                    &schedule.value,
                    &[&of_channel, &all],
                ));
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
            diagnostics.push(unknown_keyword(&send.mode, &SEND_MODES, "a send mode"));
            None
        }
    }
}

/// `W0106`: the message is valid but can never be shown (a note when it is paused anyway);
/// `never_holds` tells whether its condition can never hold.
pub(super) fn lint_delivery(
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
