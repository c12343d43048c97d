//! Navigation: go to definition, find references and rename, for named conditions, messages
//! and the account entities that `.pm` files name (into `account.toml`).
//!
//! Everything goes through one list of *occurrences*: each place a [`Target`] is written, in a
//! `.pm` file or in `account.toml`, and whether it is the declaration.

use super::Snapshot;
use super::nodes::{Role, nodes};
use crate::diagnostic::Edit;
use crate::formatter::quote;
use crate::source::{FileId, Span};
use crate::syntax::lexer::Token;

/// Something that has a declaration and uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A named condition.
    Condition(String),
    /// A message, by name.
    Message(String),
    /// A brand of the account.
    Brand(String),
    /// A channel of the account.
    Channel(String),
    /// A business-hours schedule of the account.
    Schedule(String),
    /// An AI agent of the account.
    Agent(String),
    /// An answer of an AI agent: agent, answer.
    Answer(String, String),
}

/// One place a target is written.
struct Occurrence {
    target: Target,
    span: Span,
    declaration: bool,
}

/// Every occurrence of every target in the bundle.
fn occurrences(snapshot: &Snapshot) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for file in &snapshot.analysis.files {
        for node in nodes(file) {
            let (target, declaration) = match node.role {
                Role::ConditionRef(name) => (Target::Condition(name), false),
                Role::ConditionDef(name) => (Target::Condition(name), true),
                Role::MessageName(name) => (Target::Message(name), true),
                Role::Brand(name) => (Target::Brand(name), false),
                Role::Channel(name) => (Target::Channel(name), false),
                Role::Schedule(name) => (Target::Schedule(name), false),
                Role::Agent(name) => (Target::Agent(name), false),
                Role::Answer(agent, answer) => (Target::Answer(agent, answer), false),
                _ => continue,
            };
            out.push(Occurrence {
                target,
                span: node.span,
                declaration,
            });
        }
    }
    let Some(account) = snapshot.account() else {
        return out;
    };
    let mut add = |target: Target, span: Span, declaration: bool| {
        out.push(Occurrence {
            target,
            span,
            declaration,
        });
    };
    for brand in &account.brands {
        add(
            Target::Brand(brand.name.name.clone()),
            brand.name.span,
            true,
        );
    }
    for channel in &account.channels {
        add(
            Target::Channel(channel.name.name.clone()),
            channel.name.span,
            true,
        );
        add(
            Target::Brand(channel.brand.name.clone()),
            channel.brand.span,
            false,
        );
        for schedule in &channel.schedules {
            add(
                Target::Schedule(schedule.name.clone()),
                schedule.span,
                false,
            );
        }
    }
    for schedule in &account.schedules {
        add(
            Target::Schedule(schedule.name.name.clone()),
            schedule.name.span,
            true,
        );
    }
    for agent in &account.ai_agents {
        add(
            Target::Agent(agent.name.name.clone()),
            agent.name.span,
            true,
        );
        for channel in &agent.channels {
            add(Target::Channel(channel.name.clone()), channel.span, false);
        }
        for answer in &agent.answers {
            let target = Target::Answer(agent.name.name.clone(), answer.name.clone());
            add(target, answer.span, true);
        }
    }
    out
}

/// The target at `offset` in `file` and the span of its occurrence there.
pub(crate) fn target_at(snapshot: &Snapshot, file: FileId, offset: u32) -> Option<(Target, Span)> {
    occurrences(snapshot)
        .into_iter()
        .filter(|o| o.span.file == file && o.span.touches(offset))
        .min_by_key(|o| o.span.end - o.span.start)
        .map(|o| (o.target, o.span))
}

/// Where the thing at `offset` is declared: a named condition's name, a message's name, an
/// entity's name in `account.toml`. Empty when the cursor is on nothing declared.
pub fn definition(snapshot: &Snapshot, file: FileId, offset: u32) -> Vec<Span> {
    let offset = snapshot.clamp(file, offset);
    let Some((target, _)) = target_at(snapshot, file, offset) else {
        return Vec::new();
    };
    occurrences(snapshot)
        .into_iter()
        .filter(|o| o.declaration && o.target == target)
        .map(|o| o.span)
        .collect()
}

/// Every place the thing at `offset` is written, declarations included when
/// `include_declaration`, in file and source order.
pub fn references(
    snapshot: &Snapshot,
    file: FileId,
    offset: u32,
    include_declaration: bool,
) -> Vec<Span> {
    let offset = snapshot.clamp(file, offset);
    let Some((target, _)) = target_at(snapshot, file, offset) else {
        return Vec::new();
    };
    let mut spans: Vec<Span> = occurrences(snapshot)
        .into_iter()
        .filter(|o| o.target == target && (include_declaration || !o.declaration))
        .map(|o| o.span)
        .collect();
    spans.sort();
    spans
}

/// The edits that rename the named condition or message at `offset` to `new_name`.
///
/// # Errors
/// When the cursor is not on a named condition or message, when `new_name` is not a valid
/// condition name (a lower-case identifier that is not a keyword) or an empty message name, or
/// when another condition or message already has that name.
pub fn rename(
    snapshot: &Snapshot,
    file: FileId,
    offset: u32,
    new_name: &str,
) -> Result<Vec<Edit>, String> {
    let offset = snapshot.clamp(file, offset);
    let (target, _) = target_at(snapshot, file, offset)
        .ok_or("only named conditions and messages can be renamed")?;
    let all = occurrences(snapshot);
    let taken = |t: Target| all.iter().any(|o| o.target == t);
    let replacement = match &target {
        Target::Condition(_) => {
            let valid = new_name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
                && new_name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && Token::keyword(new_name).is_none();
            if !valid {
                return Err(format!(
                    "`{new_name}` is not a condition name: use lower-case letters, digits and `_`, not a keyword"
                ));
            }
            if taken(Target::Condition(new_name.to_string())) {
                return Err(format!("a condition named `{new_name}` already exists"));
            }
            new_name.to_string()
        }
        Target::Message(_) => {
            if new_name.trim().is_empty() {
                return Err("a message name may not be empty".into());
            }
            if taken(Target::Message(new_name.to_string())) {
                return Err(format!("a message named \"{new_name}\" already exists"));
            }
            quote(new_name)
        }
        _ => return Err("only named conditions and messages can be renamed".into()),
    };
    Ok(all
        .into_iter()
        .filter(|o| o.target == target)
        .map(|o| Edit {
            span: o.span,
            replacement: replacement.clone(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;

    const CONDITIONS: &str = "condition shared = visitor.page_url contains \"x\"\n";

    fn texts(snapshot: &Snapshot, spans: &[Span]) -> Vec<String> {
        spans
            .iter()
            .map(|s| {
                format!(
                    "{}:{}",
                    snapshot.sources.get(s.file).path,
                    snapshot.sources.get(s.file).slice(*s)
                )
            })
            .collect()
    }

    #[test]
    fn definition_of_a_named_condition_across_files() {
        let (snapshot, file, offset) =
            fixture(&[("a.pm", "condition c = sh$0ared"), ("c.pm", CONDITIONS)]);
        assert_eq!(
            texts(&snapshot, &definition(&snapshot, file, offset)),
            ["c.pm:shared"]
        );
    }

    #[test]
    fn definition_of_account_entities_goes_into_account_toml() {
        let text = "message \"M\" { channel \"Acme iOS$0\" respond ai_agent \"Helper\" answer \"Returns\" }";
        let (snapshot, file, offset) = fixture(&[("a.pm", text)]);
        let spans = definition(&snapshot, file, offset);
        assert_eq!(texts(&snapshot, &spans), ["account.toml:\"Acme iOS\""]);
        let answer = text.find("Returns").unwrap() as u32;
        assert_eq!(
            texts(&snapshot, &definition(&snapshot, file, answer)),
            ["account.toml:\"Returns\""]
        );
    }

    #[test]
    fn references_include_account_toml_and_every_file() {
        let (snapshot, file, offset) = fixture(&[
            (
                "a.pm",
                "message \"A\" { channel \"Acme i$0OS\" }\ncondition d = shared",
            ),
            ("b.pm", "message \"B\" { channel \"Acme iOS\" }"),
        ]);
        let spans = references(&snapshot, file, offset, true);
        let paths: Vec<String> = texts(&snapshot, &spans);
        // The declaration, the agent's channel list, and both messages.
        assert_eq!(paths.len(), 4, "{paths:?}");
        assert_eq!(references(&snapshot, file, offset, false).len(), 3);
    }

    #[test]
    fn rename_a_condition_and_a_message() {
        let (snapshot, file, offset) = fixture(&[
            ("a.pm", "condition c = shar$0ed or shared"),
            ("c.pm", CONDITIONS),
        ]);
        let edits = rename(&snapshot, file, offset, "pages").unwrap();
        assert_eq!(edits.len(), 3);
        assert!(edits.iter().all(|e| e.replacement == "pages"));
        assert!(rename(&snapshot, file, offset, "Bad").is_err());
        assert!(rename(&snapshot, file, offset, "and").is_err());
        assert!(
            rename(&snapshot, file, offset, "c")
                .unwrap_err()
                .contains("already exists")
        );
        let (snapshot, file, offset) = fixture(&[("a.pm", "message \"Old$0\" { }")]);
        let edits = rename(&snapshot, file, offset, "New \"one\"").unwrap();
        assert_eq!(edits[0].replacement, "\"New \\\"one\\\"\"");
        let (snapshot, file, offset) =
            fixture(&[("a.pm", "message \"M\" { channel \"Acme$0 iOS\" }")]);
        assert!(rename(&snapshot, file, offset, "x").is_err());
    }
}
