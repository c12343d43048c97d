//! What an SDK shows for a delivered message: its content as typed fields
//! ([`MessageContent`]) and as the one JSON object of the embedding contract (SPEC §6),
//! which the C ABI and the language bindings hand to hosts.
//!
//! The JSON is written by hand (the VM has no serde): strings are escaped per RFC 8259, so
//! any UTF-8 text — quotes, backslashes, control characters, emoji — round-trips through a
//! conforming JSON parser. Field order is fixed, so the same bundle always gives the same text.

use super::{Bundle, Response};
use std::fmt::Write as _;

/// A message's content, borrowed from its bundle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageContent<'b> {
    /// The message's name, unique in the bundle.
    pub name: &'b str,
    /// The brand it speaks for.
    pub brand: &'b str,
    /// The channel it is shown on.
    pub channel: &'b str,
    /// The proactive text shown to the customer.
    pub say: &'b str,
    /// Tags for tickets created from the interaction, in source order.
    pub tags: Vec<&'b str>,
    /// Priority among messages due at the same instant (higher wins).
    pub priority: i32,
    /// What happens when the customer answers.
    pub respond: RespondContent<'b>,
}

/// The hand-over of a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RespondContent<'b> {
    /// Hand-over to a live agent.
    Agent {
        /// The follow-up text shown when the customer answers.
        follow_up: &'b str,
        /// The fields to collect, in the order `name`, `email`; empty for `collect none`.
        collect: Vec<&'static str>,
    },
    /// An AI agent's answer.
    AiAgent {
        /// The agent's name.
        ai_agent: &'b str,
        /// The answer it gives.
        answer: &'b str,
        /// Whether the agent generates replies.
        generative: bool,
    },
}

impl Bundle {
    /// The content of message `index` (the index deliveries carry), or `None` when the index
    /// is out of range.
    pub fn message_content(&self, index: usize) -> Option<MessageContent<'_>> {
        let message = self.messages().get(index)?;
        let channel = self
            .channels()
            .get(usize::from(message.channel))
            .map_or("", |channel| self.str(channel.name));
        let respond = match message.response {
            Response::Agent { follow_up, collect } => RespondContent::Agent {
                follow_up: self.str(follow_up),
                collect: [(collect.name, "name"), (collect.email, "email")]
                    .into_iter()
                    .filter_map(|(on, field)| on.then_some(field))
                    .collect(),
            },
            Response::AiAgent { agent, answer } => {
                let agent = self.ai_agents().get(usize::from(agent));
                RespondContent::AiAgent {
                    ai_agent: agent.map_or("", |agent| self.str(agent.name)),
                    answer: self.str(answer),
                    generative: agent.is_some_and(|agent| agent.generative),
                }
            }
        };
        Some(MessageContent {
            name: self.str(message.name),
            brand: self.str(message.brand),
            channel,
            say: self.str(message.say),
            tags: message.tags.iter().map(|&tag| self.str(tag)).collect(),
            priority: message.priority,
            respond,
        })
    }

    /// The content of message `index` as the JSON object of SPEC §6, or `None` when the
    /// index is out of range.
    pub fn message_json(&self, index: usize) -> Option<String> {
        self.message_content(index).map(|content| content.to_json())
    }
}

impl MessageContent<'_> {
    /// The content as one JSON object:
    /// `{"name", "brand", "channel", "say", "tags", "priority", "respond"}`, where `respond` is
    /// `{"type": "agent", "follow_up", "collect"}` or
    /// `{"type": "ai_agent", "ai_agent", "answer", "generative"}`.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(128 + self.say.len());
        out.push_str("{\"name\":");
        push_json_string(&mut out, self.name);
        out.push_str(",\"brand\":");
        push_json_string(&mut out, self.brand);
        out.push_str(",\"channel\":");
        push_json_string(&mut out, self.channel);
        out.push_str(",\"say\":");
        push_json_string(&mut out, self.say);
        out.push_str(",\"tags\":");
        push_json_array(&mut out, self.tags.iter().copied());
        let _ = write!(out, ",\"priority\":{},\"respond\":", self.priority);
        match &self.respond {
            RespondContent::Agent { follow_up, collect } => {
                out.push_str("{\"type\":\"agent\",\"follow_up\":");
                push_json_string(&mut out, follow_up);
                out.push_str(",\"collect\":");
                push_json_array(&mut out, collect.iter().copied());
            }
            RespondContent::AiAgent {
                ai_agent,
                answer,
                generative,
            } => {
                out.push_str("{\"type\":\"ai_agent\",\"ai_agent\":");
                push_json_string(&mut out, ai_agent);
                out.push_str(",\"answer\":");
                push_json_string(&mut out, answer);
                let _ = write!(out, ",\"generative\":{generative}");
            }
        }
        out.push_str("}}");
        out
    }
}

/// Appends `items` as a JSON array of strings.
fn push_json_array<'a>(out: &mut String, items: impl Iterator<Item = &'a str>) {
    out.push('[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_string(out, item);
    }
    out.push(']');
}

/// Appends `text` as a JSON string literal (RFC 8259 §7): `"` and `\` escaped, control
/// characters as `\n`, `\t`, … or `\u00XX`; U+2028 and U+2029 escaped too, so the text is
/// also a valid JavaScript string literal. Everything else is copied as UTF-8.
pub(crate) fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c < ' ' || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::push_json_string;

    fn json(text: &str) -> String {
        let mut out = String::new();
        push_json_string(&mut out, text);
        out
    }

    #[test]
    fn escapes_what_json_requires_and_keeps_the_rest() {
        assert_eq!(json("plain"), "\"plain\"");
        assert_eq!(json("say \"hi\" \\ ok"), "\"say \\\"hi\\\" \\\\ ok\"");
        assert_eq!(json("a\nb\tc\r"), "\"a\\nb\\tc\\r\"");
        assert_eq!(json("\u{0}\u{1b}\u{7f}"), "\"\\u0000\\u001b\u{7f}\"");
        assert_eq!(json("👋 é"), "\"👋 é\"");
        assert_eq!(json("\u{2028}\u{2029}"), "\"\\u2028\\u2029\"");
    }
}
