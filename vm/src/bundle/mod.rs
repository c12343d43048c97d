//! The loaded bundle: [`Bundle`], the tables it holds and read access to them. Every method of
//! [`Bundle`] lives in this module and its children, one file per job:
//!
//! - `load.rs`: [`Bundle::load`] and [`Bundle::load_verified`], which parse the container once
//!   and read each section into the tables;
//! - `verify.rs`: the code verifier, and the lowering of verified code into decision graphs;
//! - `eval.rs`: [`Bundle::eval`], [`Bundle::explain`] and [`Evaluation`];
//! - `content.rs`: what a host shows for a delivered message ([`Bundle::message_content`]).
//!
//! Once loaded, a bundle is immutable and every index it holds is known to be in range, so
//! evaluation never fails. Strings are not copied one by one: the string data is validated and
//! kept as one `str`, and each string is a range into it.

mod content;
mod eval;
mod load;
mod verify;

#[cfg(test)]
mod tests;

pub use content::{MessageContent, RespondContent};
pub(crate) use eval::Memo;
pub use eval::{Evaluation, Explanation};

use crate::automaton::Automaton;
use crate::decision::{Next, Node};
use crate::format::{
    ChannelLimits, Collect, ConversationControl, Date, Frequency, Interval, Platform, SendMode,
    Status, Trigger,
};
use crate::needle::Needle;
use crate::opcode::{SetId, StrId};
use crate::section::SectionInfo;

/// A channel of the account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Channel {
    /// The channel's name.
    pub name: StrId,
    /// The mobile SDK platform.
    pub platform: Platform,
    /// The conversation control setting.
    pub conversation_control: ConversationControl,
    /// The delivery limits of its messages.
    pub limits: ChannelLimits,
}

/// A business-hours schedule with its parsed time zone.
#[derive(Clone, Debug)]
pub struct Schedule {
    /// The schedule's name.
    pub name: StrId,
    /// The IANA time zone name.
    pub zone: StrId,
    /// Size of the embedded TZif data in bytes.
    pub tzif_len: usize,
    /// The time zone parsed from the embedded TZif data.
    pub(crate) tz: jiff::tz::TimeZone,
    /// Opening intervals per weekday, Monday first; a day without intervals is closed.
    pub weekly: [Vec<Interval>; 7],
    /// Local dates that are closed all day.
    pub holidays: Vec<Date>,
}

/// An AI agent of the account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AiAgent {
    /// The agent's name.
    pub name: StrId,
    /// Whether the agent generates replies (its messages pause while automated resolutions are
    /// unavailable).
    pub generative: bool,
    /// The agent's answers.
    pub answers: Vec<StrId>,
}

/// A message's response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Response {
    /// Hand-over to a live agent.
    Agent {
        /// The follow-up text.
        follow_up: StrId,
        /// The fields to collect.
        collect: Collect,
    },
    /// An AI agent's answer.
    AiAgent {
        /// Index of the agent in [`Bundle::ai_agents`].
        agent: u16,
        /// The answer (one of the agent's answers).
        answer: StrId,
    },
}

/// A proactive message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// The message's name, unique in the bundle.
    pub name: StrId,
    /// Index of its channel in [`Bundle::channels`].
    pub channel: u16,
    /// The brand.
    pub brand: StrId,
    /// The text shown to the customer.
    pub say: StrId,
    /// What happens when the customer answers.
    pub response: Response,
    /// Tags for tickets.
    pub tags: Vec<StrId>,
    /// The business-hours constraint.
    pub send: SendMode,
    /// The frequency rule.
    pub frequency: Frequency,
    /// Priority among messages due at the same instant (higher wins).
    pub priority: i32,
    /// Published or paused.
    pub status: Status,
    /// The event that starts the check.
    pub trigger: Trigger,
    /// How long after the trigger the check happens, in milliseconds.
    pub dwell_ms: u32,
    /// Byte range of the condition code in the code section.
    code: (u32, u32),
    /// Where evaluation of the condition's decision graph starts.
    entry: Next,
}

/// A verified, immutable bundle.
#[derive(Clone, Debug)]
pub struct Bundle {
    version: (u16, u16),
    byte_len: usize,
    checksum: u32,
    sections: Vec<SectionInfo>,
    text: Box<str>,
    strings: Vec<(u32, u32)>,
    set_items: Vec<StrId>,
    sets: Vec<(u32, u32)>,
    /// The distinct needles of the string sets, prepared once at load.
    needles: Vec<Needle>,
    /// For each entry of `set_items`, the index of its needle in `needles`.
    item_needles: Vec<u32>,
    /// Every message's condition as a decision graph ([`crate::decision`]).
    nodes: Box<[Node]>,
    channels: Vec<Channel>,
    schedules: Vec<Schedule>,
    ai_agents: Vec<AiAgent>,
    messages: Vec<Message>,
    code: Box<[u8]>,
    /// The automata of `matches` tests, each with its pattern's text.
    automata: Vec<(StrId, Automaton)>,
}

impl Bundle {
    /// The format version `(major, minor)` the bundle was written with.
    pub fn version(&self) -> (u16, u16) {
        self.version
    }

    /// The bundle's size in bytes.
    pub fn byte_len(&self) -> usize {
        self.byte_len
    }

    /// The sections the bundle holds, in file order: where each lies and how it is stored.
    pub fn sections(&self) -> &[SectionInfo] {
        &self.sections
    }

    /// The CRC-32 stored in (and verified against) the header.
    pub fn checksum(&self) -> u32 {
        self.checksum
    }

    /// The string with index `id`; the empty string if `id` is out of range (ids read from
    /// this bundle never are).
    pub fn str(&self, id: StrId) -> &str {
        self.strings
            .get(usize::from(id.0))
            .and_then(|&(start, end)| self.text.get(start as usize..end as usize))
            .unwrap_or("")
    }

    /// The number of strings in the string table.
    pub fn string_count(&self) -> usize {
        self.strings.len()
    }

    /// The number of string sets.
    pub fn string_set_count(&self) -> usize {
        self.sets.len()
    }

    /// The strings of set `id`; empty if `id` is out of range.
    pub fn string_set(&self, id: SetId) -> &[StrId] {
        self.sets
            .get(usize::from(id.0))
            .and_then(|&(start, end)| self.set_items.get(start as usize..end as usize))
            .unwrap_or(&[])
    }

    /// The channels, in bundle order.
    pub fn channels(&self) -> &[Channel] {
        &self.channels
    }

    /// The index of the channel named `name`.
    pub fn channel_by_name(&self, name: &str) -> Option<usize> {
        self.channels.iter().position(|c| self.str(c.name) == name)
    }

    /// The business-hours schedules, in bundle order.
    pub fn schedules(&self) -> &[Schedule] {
        &self.schedules
    }

    /// The AI agents, in bundle order.
    pub fn ai_agents(&self) -> &[AiAgent] {
        &self.ai_agents
    }

    /// The messages, in bundle order (the priority tie-break order).
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    /// The index of the message named `name`.
    pub fn message_by_name(&self, name: &str) -> Option<usize> {
        self.messages.iter().position(|m| self.str(m.name) == name)
    }

    /// The automata of the bundle's `matches` tests, in bundle order, each with the string
    /// that holds its pattern as written.
    pub fn automata(&self) -> &[(StrId, Automaton)] {
        &self.automata
    }

    /// The condition code of message `message`; empty if the index is out of range.
    pub fn code(&self, message: usize) -> &[u8] {
        self.messages
            .get(message)
            .and_then(|m| {
                let (offset, len) = (m.code.0 as usize, m.code.1 as usize);
                self.code.get(offset..offset + len)
            })
            .unwrap_or(&[])
    }
}
