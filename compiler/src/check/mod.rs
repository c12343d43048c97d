//! The checker: name resolution and type checking of a bundle's syntax trees against the
//! account (the language guide (docs/language.md)), producing the checked [`model`](crate::model).
//!
//! Checking goes on after errors so that one run reports everything: each message is checked
//! on its own, named conditions once each. The checked messages are returned only when no
//! error was found.

pub mod app;
pub mod conditions;
pub mod language;
pub mod limits;
pub mod messages;
pub mod patterns;
pub mod report;

use foldhash::{HashMap, HashMapExt};

use crate::account::{Account, ConversationControl};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{self, NamedConditions};
use crate::syntax::ast::{self, Item};
use crate::truth::ConstantValues;
use pm_vm::format::limits::MAX_MESSAGES;

/// Checks the files of a bundle (in bundle order) against `account`. Returns the checked
/// messages and the named conditions they use when there is an account and no error.
/// Conditions are decided through `constants`, which keeps what it learns: a caller that
/// checks again and again (the language server) passes the same one each time.
pub fn check_bundle(
    files: &[ast::File],
    account: Option<&Account>,
    constants: &mut ConstantValues,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(Vec<model::Message>, NamedConditions)> {
    let first_new = diagnostics.len();
    let definitions = files
        .iter()
        .flat_map(|f| &f.items)
        .filter_map(|item| match item {
            Item::Condition(def) => Some(def),
            Item::Message(_) => None,
        });
    let mut conditions =
        conditions::Conditions::new(definitions, std::mem::take(constants), diagnostics);
    let messages: Vec<&ast::Message> = files
        .iter()
        .flat_map(|f| &f.items)
        .filter_map(|item| match item {
            Item::Message(message) => Some(message),
            Item::Condition(_) => None,
        })
        .collect();
    report_duplicate_names(&messages, diagnostics);
    if let Some(extra) = messages.get(MAX_MESSAGES) {
        diagnostics.push(
            Diagnostic::new(
                Code::E0416,
                extra.name.span,
                format!(
                    "the bundle has {} messages; an account holds at most {MAX_MESSAGES}",
                    messages.len()
                ),
            )
            .with_label(format!(
                "message number {} in bundle order",
                MAX_MESSAGES + 1
            ))
            .with_help("remove or merge messages; paused messages count too"),
        );
    }
    if let Some(account) = account {
        lint_account(account, diagnostics);
    }
    // What the bundle's tables will hold, message after message.
    let mut tally = account.map(limits::Tally::new);
    let mut checked: Vec<Option<model::Message>> = Vec::with_capacity(messages.len());
    for message in &messages {
        let result = messages::check_message(message, account, &mut conditions, diagnostics);
        checked.push(result.map(|checked| {
            if let Some(tally) = &mut tally {
                tally.message(&checked.message, &checked.layout, checked.condition_span);
            }
            checked.message
        }));
    }
    conditions.finish(diagnostics);
    let (table, decided) = conditions.into_parts();
    *constants = decided;
    if let Some(tally) = &tally {
        tally.report(diagnostics);
    }
    if diagnostics[first_new..].iter().any(Diagnostic::is_error) || account.is_none() {
        return None;
    }
    let checked: Option<Vec<model::Message>> = checked.into_iter().collect();
    Some((checked?, table))
}

/// `E0403` for every message whose name repeats an earlier one.
fn report_duplicate_names(messages: &[&ast::Message], diagnostics: &mut Vec<Diagnostic>) {
    let mut first_by_name: HashMap<&str, &ast::Message> = HashMap::new();
    for message in messages {
        match first_by_name.get(message.name.value.as_str()) {
            Some(first) => diagnostics.push(
                report::duplicate(
                    Code::E0403,
                    message.name.span,
                    format!(
                        "there is already a message named \"{}\"",
                        message.name.value
                    ),
                    "second message with this name",
                    first.name.span,
                    "first defined here",
                )
                .with_help("message names are unique across the bundle"),
            ),
            None => {
                first_by_name.insert(&message.name.value, message);
            }
        }
    }
}

/// `W0102` for every channel that keeps conversation control.
fn lint_account(account: &Account, diagnostics: &mut Vec<Diagnostic>) {
    for channel in account
        .channels
        .iter()
        .filter(|c| c.conversation_control == ConversationControl::Keep)
    {
        diagnostics.push(
            Diagnostic::new(
                Code::W0102,
                channel.conversation_control_span.unwrap_or(channel.name.span),
                format!("the channel \"{}\" keeps conversation control: its proactive messages will not send", channel.name.name),
            )
            .with_label("conversation_control = \"keep\"")
            .with_help("set `conversation_control = \"release\"` to let proactive messages send"),
        );
    }
}
