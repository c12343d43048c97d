//! Hover: what the word under the cursor means — a field, operator, event, value or language
//! tag from the language, an account entity's facts from `account.toml`, a named condition's
//! definition.

use std::fmt::Write as _;

use super::Snapshot;
use super::navigation::{Target, target_at};
use super::nodes::{Role, node_at};
use crate::account::Account;
use crate::formatter::format_duration;
use crate::languages;
use crate::source::{FileId, Span};
use crate::syntax::ast::Item;
use crate::vocabulary::{self, EVENTS, FIELDS, OBJECTS, OPERATORS, WEEKDAYS};

/// A hover answer: Markdown text and the span it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    /// What to show, in Markdown.
    pub markdown: String,
    /// The piece of source the text explains.
    pub span: Span,
}

/// The hover at `offset` in `file`, if the cursor is on something with a meaning.
pub fn hover(snapshot: &Snapshot, file: FileId, offset: u32) -> Option<Hover> {
    let offset = snapshot.clamp(file, offset);
    if Some(file) == snapshot.account_file {
        let (target, span) = target_at(snapshot, file, offset)?;
        let markdown = entity(snapshot.account()?, &target)?;
        return Some(Hover { markdown, span });
    }
    let node = node_at(snapshot.ast(file)?, offset)?;
    let markdown = match &node.role {
        Role::ClauseKeyword(word) => format!(
            "**`{word}`** clause\n\n{}",
            vocabulary::clause_meaning(word)?
        ),
        Role::Object(object) => {
            let meaning = vocabulary::find(&OBJECTS, object)?.meaning;
            format!("**`{object}`**\n\n{meaning}")
        }
        Role::Field(field) => {
            let field = FIELDS.iter().find(|f| f.word.text == field)?;
            let ops: Vec<String> = field
                .operators
                .iter()
                .map(|o| format!("`{}`", o.as_str()))
                .collect();
            format!(
                "**`{}`**\n\n{}\n\nOperators: {}",
                field.word.text,
                field.word.meaning,
                ops.join(", ")
            )
        }
        Role::Operator(op) => {
            let meaning = vocabulary::find(&OPERATORS, op.as_str())?.meaning;
            format!("**`{}`**\n\n{meaning}", op.as_str())
        }
        Role::Value(word) => format!("**`{word}`**\n\n{}", vocabulary::value_meaning(word)?),
        Role::Language(tag) => match languages::meaning(tag) {
            Some(meaning) => format!("**`\"{tag}\"`**: {meaning}"),
            None => format!("**`\"{tag}\"`** is not a supported language tag"),
        },
        Role::Event(name) => {
            let meaning = vocabulary::find(&EVENTS, name)?.meaning;
            format!("**`{name}`** event\n\n{meaning}")
        }
        Role::Duration(seconds) => format!(
            "**{}**: {seconds} s on the screen before the check",
            format_duration(*seconds)
        ),
        Role::ConditionRef(name) | Role::ConditionDef(name) => condition(snapshot, name)?,
        Role::MessageName(_) => return None,
        Role::Brand(_)
        | Role::Channel(_)
        | Role::Agent(_)
        | Role::Answer(..)
        | Role::Schedule(_) => {
            let (target, _) = target_at(snapshot, file, offset)?;
            entity(snapshot.account()?, &target)?
        }
    };
    Some(Hover {
        markdown,
        span: node.span,
    })
}

/// A named condition's definition, as written, and where it is.
fn condition(snapshot: &Snapshot, name: &str) -> Option<String> {
    let def = snapshot
        .analysis
        .files
        .iter()
        .flat_map(|f| &f.items)
        .find_map(|item| match item {
            Item::Condition(def) if def.name.text == name => Some(def),
            _ => None,
        })?;
    let source = snapshot.sources.get(def.span.file);
    Some(format!(
        "```pm\n{}\n```\n\nnamed condition, defined in `{}`",
        source.slice(def.span),
        source.path
    ))
}

/// An account entity's facts.
fn entity(account: &Account, target: &Target) -> Option<String> {
    let mut out = String::new();
    match target {
        Target::Brand(name) => {
            account.brand(name)?;
            let channels: Vec<String> = account
                .channels
                .iter()
                .filter(|c| &c.brand.name == name)
                .map(|c| format!("`{}` ({})", c.name.name, c.platform.name))
                .collect();
            let _ = write!(out, "**{name}** — brand\n\nChannels: {}", list(&channels));
        }
        Target::Channel(name) => {
            let (_, channel) = account.channel(name)?;
            let schedules: Vec<String> = channel
                .schedules
                .iter()
                .map(|s| format!("`{}`", s.name))
                .collect();
            let agents: Vec<String> = account
                .ai_agents
                .iter()
                .filter(|a| a.channels.iter().any(|c| &c.name == name))
                .map(|a| format!("`{}`", a.name.name))
                .collect();
            let _ = write!(
                out,
                "**{name}** — {} channel of brand `{}`{}\n\nConversation control: `{}`\n\nSchedules: {}\n\nAI agents: {}",
                channel.platform.name,
                channel.brand.name,
                if channel.is_mobile() {
                    ""
                } else {
                    " (not a mobile SDK channel: it cannot carry messages)"
                },
                match channel.conversation_control {
                    crate::account::ConversationControl::Release => "release",
                    crate::account::ConversationControl::Keep =>
                        "keep (proactive messages do not send)",
                },
                list(&schedules),
                list(&agents)
            );
        }
        Target::Agent(name) => {
            let (_, agent) = account.ai_agent(name)?;
            let channels: Vec<String> = agent
                .channels
                .iter()
                .map(|c| format!("`{}`", c.name))
                .collect();
            let answers: Vec<String> = agent
                .answers
                .iter()
                .map(|a| format!("`{}`", a.name))
                .collect();
            let _ = write!(
                out,
                "**{name}** — {}AI agent\n\nChannels: {}\n\nAnswers: {}",
                if agent.generative { "generative " } else { "" },
                list(&channels),
                list(&answers)
            );
            if agent.generative {
                out.push_str("\n\nMessages that respond with it are held back while automated resolutions are unavailable.");
            }
        }
        Target::Answer(agent, answer) => {
            let (_, found) = account.ai_agent(agent)?;
            found.answers.iter().find(|a| &a.name == answer)?;
            let _ = write!(out, "**{answer}** — an answer of the AI agent `{agent}`");
        }
        Target::Schedule(name) => {
            let (_, schedule) = account.schedule(name)?;
            let _ = write!(
                out,
                "**{name}** — business hours, time zone `{}`",
                schedule.timezone.name
            );
            out.push('\n');
            for (day, intervals) in WEEKDAYS.iter().zip(&schedule.hours) {
                let hours: Vec<String> = intervals.iter().map(ToString::to_string).collect();
                let _ = write!(
                    out,
                    "\n- `{day}` {}",
                    if hours.is_empty() {
                        "closed".into()
                    } else {
                        hours.join(", ")
                    }
                );
            }
            if !schedule.holidays.is_empty() {
                let days: Vec<String> = schedule
                    .holidays
                    .iter()
                    .map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
                    .collect();
                let _ = write!(out, "\n\nHolidays: {}", days.join(", "));
            }
        }
        Target::Condition(_) | Target::Message(_) => return None,
    }
    Some(out)
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;

    fn hover_text(text: &str) -> String {
        let (snapshot, file, offset) = fixture(&[
            ("a.pm", text),
            ("c.pm", "condition shared = visitor.page_url contains \"x\""),
        ]);
        hover(&snapshot, file, offset)
            .map(|h| h.markdown)
            .unwrap_or_default()
    }

    #[test]
    fn language_words() {
        assert!(
            hover_text("condition c = visitor.page_t$0itle is \"a\"")
                .contains("title of the current screen")
        );
        assert!(hover_text("condition c = visitor.page_title is n$0ot \"a\"").contains("`is not`"));
        let not_starts = hover_text("condition c = visitor.page_url not starts_w$0ith \"/a\"");
        assert!(
            not_starts.contains("`not starts_with`") && not_starts.contains("starts with no item"),
            "{not_starts}"
        );
        assert!(
            hover_text("condition c = device.language is \"p$0t-br\"")
                .contains("Portuguese (Brazil)")
        );
        // A tag's canonical meaning, in a list too.
        let tag = hover_text("condition c = device.language is [\"fr\", \"zh-t$0w\"]");
        assert!(
            tag.contains("`zh-Hant-TW`") && tag.contains("implied by the region"),
            "{tag}"
        );
        assert!(hover_text("message \"M\" { after screen_op$0en 30s }").contains("opens a screen"));
        assert!(
            hover_text("message \"M\" { frequency once_per_v$0isit }").contains("once per visit")
        );
        assert!(hover_text("message \"M\" { fre$0quency once_per_visit }").contains("How often"));
    }

    #[test]
    fn named_condition_definition() {
        let text = hover_text("condition c = sha$0red and device.language is \"fr\"");
        assert!(
            text.contains("condition shared = visitor.page_url contains \"x\""),
            "{text}"
        );
        assert!(text.contains("`c.pm`"));
    }

    #[test]
    fn account_facts() {
        let channel = hover_text("message \"M\" { channel \"Acme i$0OS\" }");
        assert!(
            channel.contains("ios channel of brand `Acme`") && channel.contains("`Helper`"),
            "{channel}"
        );
        let agent =
            hover_text("message \"M\" { respond ai_agent \"Hel$0per\" answer \"Returns\" }");
        assert!(
            agent.contains("generative AI agent") && agent.contains("`Order status`"),
            "{agent}"
        );
        let schedule = hover_text("message \"M\" { send during business_hours \"Sales$0 hours\" }");
        assert!(
            schedule.contains("Europe/Paris") && schedule.contains("`mon` 09:00-17:00"),
            "{schedule}"
        );
        assert!(hover_text("message \"M\" { channel \"Nowh$0ere\" }").is_empty());
    }
}
