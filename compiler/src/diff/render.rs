//! A [`Report`] for people (terminal text), for a pull-request comment or a CI job summary
//! (GitHub-flavoured Markdown), and for tools (JSON). Strings from the bundles are shown as
//! the language quotes them ([`crate::formatter::quote`]), so no control character reaches the
//! output raw.

use super::behaviour::{Behaviour, Example};
use super::{AccountDiff, Clause, ClauseChange, MessageDiff, Report};
use crate::formatter::quote;

/// One line of counts: `1 message changed, 2 added, 1 removed; 1 account change; 2 warnings`,
/// or `no differences`.
pub fn summary(report: &Report) -> String {
    if report.is_empty() {
        return "no differences".to_string();
    }
    let count = |f: fn(&MessageDiff) -> bool| report.messages.iter().filter(|m| f(m)).count();
    let changed = count(|m| matches!(m, MessageDiff::Changed { .. }));
    let added = count(|m| matches!(m, MessageDiff::Added { .. }));
    let removed = count(|m| matches!(m, MessageDiff::Removed { .. }));
    let mut parts = Vec::new();
    if !report.messages.is_empty() {
        let noun = if changed + added + removed == 1 {
            "message"
        } else {
            "messages"
        };
        parts.push(format!(
            "{noun}: {changed} changed, {added} added, {removed} removed"
        ));
    }
    let plural = |n: usize, one: &str| match n {
        1 => format!("1 {one}"),
        n => format!("{n} {one}s"),
    };
    if !report.account.is_empty() {
        parts.push(plural(report.account.len(), "account change"));
    }
    if !report.warnings.is_empty() {
        parts.push(plural(report.warnings.len(), "rollout warning"));
    }
    parts.join("; ")
}

/// The report for a terminal: one block per message (`~` changed, `+` added, `-` removed),
/// then the account, the warnings and the summary line.
pub fn to_human(report: &Report) -> String {
    let mut out = String::new();
    for message in &report.messages {
        match message {
            MessageDiff::Changed {
                name,
                clauses,
                behaviour,
            } => {
                out.push_str(&format!("~ message {} changed\n", quote(name)));
                for change in clauses {
                    human_change(change, &mut out);
                }
                if let Some(behaviour) = behaviour {
                    human_behaviour(behaviour, &mut out);
                }
            }
            MessageDiff::Added { name, clauses } => {
                out.push_str(&format!("+ message {} added\n", quote(name)));
                human_clauses(clauses, "+", &mut out);
            }
            MessageDiff::Removed { name, clauses } => {
                out.push_str(&format!("- message {} removed\n", quote(name)));
                human_clauses(clauses, "-", &mut out);
            }
        }
        out.push('\n');
    }
    for change in &report.account {
        out.push_str(&format!("{}\n", account_line(change)));
    }
    if !report.account.is_empty() {
        out.push('\n');
    }
    for warning in &report.warnings {
        out.push_str(&format!("warning: {}\n", warning.text));
    }
    if !report.warnings.is_empty() {
        out.push('\n');
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}

fn human_clauses(clauses: &[Clause], sign: &str, out: &mut String) {
    for clause in clauses {
        out.push_str(&format!("    {sign} {} {}\n", clause.clause, clause.value));
    }
}

fn human_change(change: &ClauseChange, out: &mut String) {
    for (sign, value) in [("-", &change.old), ("+", &change.new)] {
        match value {
            Some(value) => out.push_str(&format!("    {sign} {} {value}\n", change.clause)),
            None => out.push_str(&format!("    {sign} (no {} clause)\n", change.clause)),
        }
    }
}

fn human_behaviour(behaviour: &Behaviour, out: &mut String) {
    if matches!(behaviour, Behaviour::Unknown) {
        out.push_str("    the condition has too many cases to compare; review it by hand\n");
    }
    for (examples, count, what) in flips(behaviour, ["now also holds", "no longer holds"]) {
        for example in examples {
            out.push_str(&format!("    {what} for {}\n", shown(example)));
        }
        if count > examples.len() {
            out.push_str(&format!(
                "    … and {} more such example contexts\n",
                count - examples.len()
            ));
        }
    }
}

/// The two ways a changed condition's outcome flips, each with its example contexts, how many
/// such contexts there are in all, and its words from `words`: first where the condition now
/// holds, then where it no longer does. None unless the behaviour [`Behaviour::Differs`].
fn flips<'b>(
    behaviour: &'b Behaviour,
    words: [&'static str; 2],
) -> Vec<(&'b [Example], usize, &'static str)> {
    match behaviour {
        Behaviour::Differs {
            now_true,
            now_true_count,
            now_false,
            now_false_count,
        } => vec![
            (now_true, *now_true_count, words[0]),
            (now_false, *now_false_count, words[1]),
        ],
        Behaviour::Same | Behaviour::Unknown => Vec::new(),
    }
}

/// An example's fields: `visitor.page_url "plans", device.language "fr-zz"`; `any context`
/// when the conditions read no field at all.
fn shown(example: &Example) -> String {
    if example.fields.is_empty() {
        return "any context".to_string();
    }
    let fields: Vec<String> = example.fields.iter().map(|f| f.shown()).collect();
    fields.join(", ")
}

fn account_line(change: &AccountDiff) -> String {
    let what = format!("{} {}", change.kind.replace('_', " "), quote(&change.name));
    match (&change.old, &change.new) {
        (None, Some(new)) => format!("+ {what} added: {new}"),
        (Some(old), None) => format!("- {what} removed (was: {old})"),
        (Some(old), Some(new)) => format!("~ {what} changed\n    - {old}\n    + {new}"),
        (None, None) => format!("~ {what}"),
    }
}

/// The report as GitHub-flavoured Markdown: a heading with the summary, a table of clauses
/// per message, example contexts as lists, the warnings as a quote block.
pub fn to_markdown(report: &Report) -> String {
    let mut out = format!("### Rule changes: {}\n", summary(report));
    if !report.warnings.is_empty() {
        out.push_str("\n> [!WARNING]\n");
        for warning in &report.warnings {
            out.push_str(&format!("> - {}\n", text(&warning.text)));
        }
    }
    for message in &report.messages {
        out.push('\n');
        match message {
            MessageDiff::Changed {
                name,
                clauses,
                behaviour,
            } => {
                out.push_str(&format!("#### Changed: {}\n\n", code(name)));
                out.push_str("| clause | old | new |\n|---|---|---|\n");
                for change in clauses {
                    let cell = |v: &Option<String>| v.as_deref().map_or("—".to_string(), code);
                    out.push_str(&format!(
                        "| `{}` | {} | {} |\n",
                        change.clause,
                        cell(&change.old),
                        cell(&change.new)
                    ));
                }
                if let Some(behaviour) = behaviour {
                    markdown_behaviour(behaviour, &mut out);
                }
            }
            MessageDiff::Added { name, clauses } | MessageDiff::Removed { name, clauses } => {
                let verb = match message {
                    MessageDiff::Added { .. } => "Added",
                    _ => "Removed",
                };
                out.push_str(&format!("#### {verb}: {}\n\n", code(name)));
                out.push_str("| clause | value |\n|---|---|\n");
                for clause in clauses {
                    out.push_str(&format!(
                        "| `{}` | {} |\n",
                        clause.clause,
                        code(&clause.value)
                    ));
                }
            }
        }
    }
    if !report.account.is_empty() {
        out.push_str("\n#### Account\n\n| | old | new |\n|---|---|---|\n");
        for change in &report.account {
            let cell = |v: &Option<String>| v.as_deref().map_or("—".to_string(), code);
            out.push_str(&format!(
                "| {} {} | {} | {} |\n",
                change.kind.replace('_', " "),
                code(&change.name),
                cell(&change.old),
                cell(&change.new)
            ));
        }
    }
    out
}

fn markdown_behaviour(behaviour: &Behaviour, out: &mut String) {
    if matches!(behaviour, Behaviour::Unknown) {
        out.push_str(
            "\nThe condition has too many cases to compare automatically; review it by hand.\n",
        );
    }
    for (examples, count, what) in flips(behaviour, ["Now also holds for", "No longer holds for"]) {
        if examples.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{what}:\n"));
        for example in examples {
            out.push_str(&format!("- {}\n", code(&shown(example))));
        }
        if count > examples.len() {
            out.push_str(&format!(
                "- … and {} more such example contexts\n",
                count - examples.len()
            ));
        }
    }
}

/// `value` as a Markdown code span that is also safe in a table cell: fenced with more
/// backticks than it contains in a row, `|` escaped (GitHub reads `\|` inside code spans in
/// tables as `|`), line breaks shown as spaces.
fn code(value: &str) -> String {
    let value = value.replace('|', "\\|").replace(['\n', '\r'], " ");
    let mut longest = 0;
    let mut run = 0;
    for c in value.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if value.starts_with('`') || value.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{value}{pad}{fence}")
}

/// Plain text for Markdown outside code spans: characters Markdown would read escaped.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#'
        ) {
            out.push('\\');
        }
        out.push(if c == '\n' { ' ' } else { c });
    }
    out
}

/// The report as one JSON document: `{"differs": bool, "summary": …, "messages": […],
/// "account": […], "warnings": […]}`. More fields may be added.
pub fn to_json(report: &Report) -> String {
    let mut value = serde_json::to_value(report).unwrap_or_default();
    if let Some(object) = value.as_object_mut() {
        object.insert("differs".into(), (!report.is_empty()).into());
        object.insert("summary".into(), summary(report).into());
    }
    serde_json::to_string_pretty(&value).unwrap_or_default()
}
