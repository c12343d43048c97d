//! The loaded bundle and its verifier.
//!
//! [`Bundle::load`] treats its input as untrusted: it checks the header, the checksum, the
//! section table, every count (against an explicit limit and against the bytes that remain,
//! *before* allocating), every offset, length and index, every string's UTF-8, every schedule
//! and every message's condition code. Once loaded, a bundle is immutable and every index it
//! holds is known to be in range, so evaluation never fails.
//!
//! Strings are not copied one by one: the string data is validated and kept as one `str`, and
//! each string is a range into it.

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::decision::{GraphBuilder, Next, Node, Range, Test};
use crate::eval::ByteSet;
use crate::format::{
    Collect, ConversationControl, Date, FORMAT_MAJOR, FORMAT_MINOR, Frequency, HEADER_LEN,
    Interval, MAGIC, MAX_STRING_LEN_VARINT, Platform, SectionId, SendMode, Status, Trigger, limits,
};
use crate::opcode::{DecodeError, Instr, SetId, StrId};
use crate::section::{SectionInfo, read_sections};
use crate::signature::SignatureError;

/// A channel of the account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Channel {
    /// The channel's name.
    pub name: StrId,
    /// The mobile SDK platform.
    pub platform: Platform,
    /// The conversation control setting.
    pub conversation_control: ConversationControl,
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

/// A needle of `contains` tests, prepared for searching.
#[derive(Clone, Debug)]
pub(crate) struct Needle {
    /// The substring searcher, built once so that tests do not rebuild one at every
    /// evaluation.
    pub finder: memchr::memmem::Finder<'static>,
    /// The needle's bytes, to rule out texts lacking one of them without searching.
    pub bytes: ByteSet,
}

/// A verified, immutable bundle.
#[derive(Clone, Debug)]
pub struct Bundle {
    version: (u16, u16),
    byte_len: usize,
    checksum: u32,
    sections: [SectionInfo; 7],
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
}

/// Why a message's condition code was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeError {
    /// The code range lies outside the code section.
    OutOfSection,
    /// The code is empty.
    Empty,
    /// The code is longer than [`limits::MAX_CODE_BYTES`].
    TooLong,
    /// An instruction could not be decoded.
    Decode(DecodeError),
    /// A string operand is not an index of the string table.
    StringOutOfRange(u16),
    /// A string-set operand is not an index of the string-set table.
    SetOutOfRange(u16),
    /// A jump leads to or past the end of the code.
    JumpOutOfBounds {
        /// The jump's target offset.
        target: usize,
    },
    /// A jump leads into the middle of an instruction.
    JumpIntoInstruction {
        /// The jump's target offset.
        target: usize,
    },
    /// The last instruction is not `RET`, so a path could run off the end.
    NoFinalRet,
}

impl fmt::Display for CodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodeError::OutOfSection => f.write_str("its code range lies outside the code section"),
            CodeError::Empty => f.write_str("its code is empty"),
            CodeError::TooLong => write!(
                f,
                "its code is longer than {} bytes",
                limits::MAX_CODE_BYTES
            ),
            CodeError::Decode(e) => e.fmt(f),
            CodeError::StringOutOfRange(i) => write!(f, "string operand #{i} is out of range"),
            CodeError::SetOutOfRange(i) => write!(f, "string-set operand set#{i} is out of range"),
            CodeError::JumpOutOfBounds { target } => {
                write!(
                    f,
                    "a jump leads to offset {target}, at or past the end of the code"
                )
            }
            CodeError::JumpIntoInstruction { target } => {
                write!(f, "a jump leads to offset {target}, inside an instruction")
            }
            CodeError::NoFinalRet => f.write_str("the last instruction is not RET"),
        }
    }
}

/// Why a bundle was rejected. Every variant names what was wrong and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// Fewer bytes than the header.
    TooShort {
        /// The input's length.
        len: usize,
    },
    /// The first four bytes are not `PMB\0`.
    BadMagic {
        /// The bytes found.
        found: [u8; 4],
    },
    /// The format major version is not the one this VM reads.
    UnsupportedVersion {
        /// The bundle's major version.
        major: u16,
        /// The bundle's minor version.
        minor: u16,
    },
    /// The input is larger than [`limits::MAX_BUNDLE_BYTES`].
    TooLarge {
        /// The input's length.
        len: usize,
    },
    /// The header's total length differs from the input's length (truncated or padded).
    LengthMismatch {
        /// The length the header states.
        declared: u32,
        /// The input's length.
        actual: usize,
    },
    /// The CRC-32 of the contents differs from the header's.
    ChecksumMismatch {
        /// The checksum the header states.
        stored: u32,
        /// The checksum of the contents.
        computed: u32,
    },
    /// The section table is malformed.
    SectionTable {
        /// What is wrong.
        reason: String,
    },
    /// A required section is absent.
    MissingSection {
        /// The section's name.
        section: &'static str,
    },
    /// A deflated section does not decode to exactly its declared bytes.
    Deflate {
        /// The section's name.
        section: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A section ends before a value it must contain.
    Truncated {
        /// The section's name.
        section: &'static str,
        /// Offset of the value in the section's decoded bytes.
        offset: usize,
        /// Bytes needed at that offset.
        needed: u64,
    },
    /// A section has bytes after its last value.
    TrailingBytes {
        /// The section's name.
        section: &'static str,
        /// How many bytes are left over.
        count: usize,
    },
    /// A varint is not in its minimal encoding, or longer than its value may be.
    InvalidVarint {
        /// What the varint encodes.
        what: &'static str,
        /// What is wrong with it.
        problem: VarintProblem,
    },
    /// A count exceeds one of the [`limits`].
    Limit {
        /// What is counted.
        what: &'static str,
        /// The count found.
        count: u64,
        /// The limit.
        max: usize,
    },
    /// An index refers past the end of its table.
    IndexOutOfRange {
        /// What the index refers to.
        what: &'static str,
        /// The index.
        index: u32,
        /// The table's length.
        len: usize,
    },
    /// A string is not valid UTF-8.
    InvalidUtf8 {
        /// The string's index.
        index: usize,
    },
    /// An enumeration byte or flag has no meaning.
    InvalidValue {
        /// What the value encodes.
        what: &'static str,
        /// The value.
        value: u32,
    },
    /// A schedule interval is not `start < end <= 1440`.
    InvalidInterval {
        /// The schedule's index.
        schedule: usize,
        /// The weekday (0 = Monday).
        day: usize,
        /// The interval.
        interval: Interval,
    },
    /// A holiday is not a valid calendar date.
    InvalidHoliday {
        /// The schedule's index.
        schedule: usize,
        /// The date.
        date: Date,
    },
    /// The embedded TZif data could not be parsed.
    TimeZone {
        /// The schedule's index.
        schedule: usize,
        /// The zone name.
        zone: String,
        /// The parser's message.
        reason: String,
    },
    /// Two entries of a table have the same name.
    DuplicateName {
        /// The table.
        what: &'static str,
        /// The name.
        name: String,
    },
    /// A message's AI-agent answer is not one of that agent's answers.
    UnknownAnswer {
        /// The message's index.
        message: usize,
    },
    /// A message's condition code is invalid.
    Code {
        /// The message's index.
        message: usize,
        /// Offset in the message's code.
        pc: usize,
        /// What is wrong.
        reason: CodeError,
    },
    /// The signature is missing, malformed, by an unknown key or does not match (see
    /// [`Bundle::load_verified`]).
    Signature(SignatureError),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::TooShort { len } => write!(
                f,
                "not a bundle: {len} bytes is shorter than the {HEADER_LEN}-byte header"
            ),
            LoadError::BadMagic { found } => write!(
                f,
                "not a bundle: expected magic bytes \"PMB\\0\", found {found:02x?}"
            ),
            LoadError::UnsupportedVersion { major, minor } if *major > FORMAT_MAJOR => write!(
                f,
                "bundle format version {major}.{minor} is newer than this VM supports \
                 ({FORMAT_MAJOR}.x); update the VM"
            ),
            LoadError::UnsupportedVersion { major, minor } => write!(
                f,
                "bundle format version {major}.{minor} is not supported: this VM reads \
                 version {FORMAT_MAJOR}.x"
            ),
            LoadError::TooLarge { len } => write!(
                f,
                "bundle is {len} bytes, more than the limit of {} bytes",
                limits::MAX_BUNDLE_BYTES
            ),
            LoadError::LengthMismatch { declared, actual } => write!(
                f,
                "bundle header declares {declared} bytes but {actual} were given \
                 (truncated or padded)"
            ),
            LoadError::ChecksumMismatch { stored, computed } => write!(
                f,
                "bundle is corrupted: CRC-32 is 0x{computed:08x}, header says 0x{stored:08x}"
            ),
            LoadError::SectionTable { reason } => write!(f, "invalid section table: {reason}"),
            LoadError::MissingSection { section } => {
                write!(f, "the required {section} section is missing")
            }
            LoadError::Deflate { section, reason } => {
                write!(f, "the deflated {section} section is invalid: {reason}")
            }
            LoadError::Truncated {
                section,
                offset,
                needed,
            } => write!(
                f,
                "{section} section is truncated: {needed} more bytes needed at offset {offset} \
                 of the section"
            ),
            LoadError::TrailingBytes { section, count } => {
                write!(f, "{section} section has {count} unexpected trailing bytes")
            }
            LoadError::InvalidVarint { what, problem } => write!(f, "invalid {what}: {problem}"),
            LoadError::Limit { what, count, max } => {
                write!(f, "too many {what}: {count} (the limit is {max})")
            }
            LoadError::IndexOutOfRange { what, index, len } => {
                write!(f, "{what} index {index} is out of range (there are {len})")
            }
            LoadError::InvalidUtf8 { index } => write!(f, "string #{index} is not valid UTF-8"),
            LoadError::InvalidValue { what, value } => write!(f, "invalid {what}: {value}"),
            LoadError::InvalidInterval {
                schedule,
                day,
                interval,
            } => write!(
                f,
                "schedule #{schedule}, {}: interval {}..{} minutes is not within one day \
                 with start before end",
                crate::format::WEEKDAYS.get(*day).unwrap_or(&"?"),
                interval.start,
                interval.end
            ),
            LoadError::InvalidHoliday { schedule, date } => write!(
                f,
                "schedule #{schedule}: holiday {}-{:02}-{:02} is not a valid date",
                date.year, date.month, date.day
            ),
            LoadError::TimeZone {
                schedule,
                zone,
                reason,
            } => write!(
                f,
                "schedule #{schedule}: the embedded time zone data for {zone:?} is invalid: {reason}"
            ),
            LoadError::DuplicateName { what, name } => write!(f, "two {what} are named {name:?}"),
            LoadError::UnknownAnswer { message } => write!(
                f,
                "message #{message}: its answer is not one of its AI agent's answers"
            ),
            LoadError::Code {
                message,
                pc,
                reason,
            } => write!(
                f,
                "message #{message}: invalid condition code at {pc}: {reason}"
            ),
            LoadError::Signature(e) => write!(f, "bundle refused: {e}"),
        }
    }
}

impl std::error::Error for LoadError {}

/// What is wrong with a varint ([`LoadError::InvalidVarint`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VarintProblem {
    /// It ends in a 0 byte after a continuation byte: the same value has a shorter encoding.
    NotMinimal,
    /// It continues past the most bytes its value may take (bit 7 of the last one is set).
    TooLong {
        /// The most bytes the value may take.
        max_bytes: usize,
    },
}

impl fmt::Display for VarintProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VarintProblem::NotMinimal => {
                f.write_str("a varint not in its minimal encoding (it ends in a 0 byte)")
            }
            VarintProblem::TooLong { max_bytes } => {
                write!(f, "a varint longer than {max_bytes} bytes")
            }
        }
    }
}

/// A bounds-checked little-endian cursor over one section.
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    section: &'static str,
}

impl<'a> Reader<'a> {
    fn new(data: &'a [u8], section: SectionId) -> Self {
        Reader {
            data,
            pos: 0,
            section: section.name(),
        }
    }

    fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    fn truncated(&self, needed: u64) -> LoadError {
        LoadError::Truncated {
            section: self.section,
            offset: self.pos,
            needed,
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], LoadError> {
        if n > self.remaining() {
            return Err(self.truncated(n as u64));
        }
        let bytes = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(bytes)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], LoadError> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u8(&mut self) -> Result<u8, LoadError> {
        Ok(self.array::<1>()?[0])
    }

    fn u16(&mut self) -> Result<u16, LoadError> {
        self.array().map(u16::from_le_bytes)
    }

    fn u32(&mut self) -> Result<u32, LoadError> {
        self.array().map(u32::from_le_bytes)
    }

    fn i16(&mut self) -> Result<i16, LoadError> {
        self.array().map(i16::from_le_bytes)
    }

    /// Checks a count against its limit and against the bytes left (each entry needs at least
    /// `min_entry` bytes), so that nothing is allocated for entries that cannot exist.
    fn check_count(
        &self,
        count: u64,
        what: &'static str,
        max: usize,
        min_entry: usize,
    ) -> Result<usize, LoadError> {
        if count > max as u64 {
            return Err(LoadError::Limit { what, count, max });
        }
        let needed = count * min_entry as u64;
        if needed > self.remaining() as u64 {
            return Err(self.truncated(needed));
        }
        Ok(count as usize)
    }

    fn count16(
        &mut self,
        what: &'static str,
        max: usize,
        min_entry: usize,
    ) -> Result<usize, LoadError> {
        let count = self.u16()?;
        self.check_count(count.into(), what, max, min_entry)
    }

    fn index(&mut self, what: &'static str, len: usize) -> Result<u16, LoadError> {
        let index = self.u16()?;
        if usize::from(index) >= len {
            return Err(LoadError::IndexOutOfRange {
                what,
                index: index.into(),
                len,
            });
        }
        Ok(index)
    }

    /// Reads an unsigned LEB128 varint (7 bits per byte, least significant group first, bit 7
    /// set on every byte but the last) of at most `max_bytes` bytes, in its minimal encoding (a
    /// byte 0 never ends a varint of more than one byte). `what` names the value in errors.
    fn varint(&mut self, what: &'static str, max_bytes: usize) -> Result<u64, LoadError> {
        let mut value = 0u64;
        for group in 0..max_bytes {
            let byte = self.u8()?;
            value |= u64::from(byte & 0x7f) << (7 * group);
            if byte & 0x80 != 0 {
                continue;
            }
            if group > 0 && byte == 0 {
                let problem = VarintProblem::NotMinimal;
                return Err(LoadError::InvalidVarint { what, problem });
            }
            return Ok(value);
        }
        let problem = VarintProblem::TooLong { max_bytes };
        Err(LoadError::InvalidVarint { what, problem })
    }

    /// Reads a varint holding a `u32` (at most 5 bytes).
    fn varint_u32(&mut self, what: &'static str) -> Result<u32, LoadError> {
        let value = self.varint(what, 5)?;
        u32::try_from(value).map_err(|_| LoadError::Limit {
            what,
            count: value,
            max: u32::MAX as usize,
        })
    }

    /// Reads a zigzag-coded varint holding an `i32` (0, −1, 1, −2, … are 0, 1, 2, 3, …).
    fn varint_i32(&mut self, what: &'static str) -> Result<i32, LoadError> {
        let value = self.varint_u32(what)?;
        Ok((value >> 1) as i32 ^ -((value & 1) as i32))
    }

    /// Reads a varint index into a table of `len` entries (at most 65 536, so 3 bytes).
    fn varint_index(&mut self, what: &'static str, len: usize) -> Result<u16, LoadError> {
        let index = self.varint(what, 3)?;
        if index >= len as u64 {
            return Err(LoadError::IndexOutOfRange {
                what,
                index: index as u32,
                len,
            });
        }
        Ok(index as u16)
    }

    /// Reads a column of `n` one-byte values, each turned into a `T` by `parse` (or refused as
    /// an invalid `what`).
    fn byte_column<T>(
        &mut self,
        n: usize,
        what: &'static str,
        parse: impl Fn(u8) -> Option<T>,
    ) -> Result<Vec<T>, LoadError> {
        let bytes = self.take(n)?;
        bytes
            .iter()
            .map(|&byte| {
                parse(byte).ok_or(LoadError::InvalidValue {
                    what,
                    value: byte.into(),
                })
            })
            .collect()
    }

    fn finish(self) -> Result<(), LoadError> {
        match self.remaining() {
            0 => Ok(()),
            count => Err(LoadError::TrailingBytes {
                section: self.section,
                count,
            }),
        }
    }
}

pub(crate) fn le_u16(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

pub(crate) fn le_u32(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// The CRC-32 (IEEE) of the whole bundle with the checksum field (bytes 8..12) read as zeros.
pub(crate) fn checksum(bytes: &[u8]) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&bytes[..8]);
    hasher.update(&[0; 4]);
    hasher.update(&bytes[12..]);
    hasher.finalize()
}

/// Checks the header and returns the version. `bytes` is at least [`HEADER_LEN`] long.
pub(crate) fn check_header(bytes: &[u8]) -> Result<(u16, u16, u32), LoadError> {
    let found = [bytes[0], bytes[1], bytes[2], bytes[3]];
    if found != MAGIC {
        return Err(LoadError::BadMagic { found });
    }
    let (major, minor) = (le_u16(bytes, 4), le_u16(bytes, 6));
    if major != FORMAT_MAJOR {
        return Err(LoadError::UnsupportedVersion { major, minor });
    }
    if bytes.len() > limits::MAX_BUNDLE_BYTES {
        return Err(LoadError::TooLarge { len: bytes.len() });
    }
    let declared = le_u32(bytes, 12);
    if declared as usize != bytes.len() {
        return Err(LoadError::LengthMismatch {
            declared,
            actual: bytes.len(),
        });
    }
    let stored = le_u32(bytes, 8);
    let computed = checksum(bytes);
    if stored != computed {
        return Err(LoadError::ChecksumMismatch { stored, computed });
    }
    Ok((major, minor, stored))
}

fn check_unique<'s>(
    what: &'static str,
    names: impl Iterator<Item = &'s str>,
) -> Result<(), LoadError> {
    let mut seen = HashSet::new();
    for name in names {
        if !seen.insert(name) {
            return Err(LoadError::DuplicateName {
                what,
                name: name.to_owned(),
            });
        }
    }
    Ok(())
}

impl Bundle {
    /// Verifies `bytes` and loads the bundle.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] describing the first problem found. Never panics, for any input; the
    /// memory used is bounded by the [`limits`] and by the input's length.
    pub fn load(bytes: &[u8]) -> Result<Bundle, LoadError> {
        if bytes.len() < HEADER_LEN {
            return Err(LoadError::TooShort { len: bytes.len() });
        }
        let (major, minor, checksum) = check_header(bytes)?;
        let sections = read_sections(bytes)?;
        // A signature section, when present, must be well formed even if nobody checks it.
        crate::signature::find_section(bytes)?;
        let decoded = |id: SectionId| crate::section::decode(bytes, &sections[id as usize - 1]);
        let strings = decoded(SectionId::Strings)?;
        let (text, strings) = read_strings(Reader::new(&strings, SectionId::Strings))?;
        let mut bundle = Bundle {
            version: (major, minor),
            byte_len: bytes.len(),
            checksum,
            sections,
            text,
            strings,
            set_items: Vec::new(),
            sets: Vec::new(),
            needles: Vec::new(),
            item_needles: Vec::new(),
            nodes: Box::default(),
            channels: Vec::new(),
            schedules: Vec::new(),
            ai_agents: Vec::new(),
            messages: Vec::new(),
            code: Box::default(),
        };
        let section = |bundle: &mut Bundle, id: SectionId, read: SectionReader| {
            read(bundle, Reader::new(&decoded(id)?, id))
        };
        section(&mut bundle, SectionId::StringSets, Bundle::read_sets)?;
        section(&mut bundle, SectionId::Channels, Bundle::read_channels)?;
        section(&mut bundle, SectionId::Schedules, Bundle::read_schedules)?;
        section(&mut bundle, SectionId::AiAgents, Bundle::read_ai_agents)?;
        bundle.code = decoded(SectionId::Code)?.into();
        section(&mut bundle, SectionId::Messages, Bundle::read_messages)?;
        bundle.prepare_needles();
        let mut graphs = GraphBuilder::default();
        for message in 0..bundle.messages.len() {
            let instrs = bundle.verify_code(message)?;
            let entry = graphs.lower(&instrs, |instr, tests| bundle.resolve_test(instr, tests));
            bundle.messages[message].entry = entry;
        }
        bundle.nodes = graphs.finish();
        Ok(bundle)
    }

    fn read_sets(&mut self, mut r: Reader<'_>) -> Result<(), LoadError> {
        let count = r.count16("string sets", limits::MAX_STRING_SETS, 2)?;
        for _ in 0..count {
            let n = r.count16("strings in a string set", limits::MAX_SET_ITEMS, 2)?;
            let start = self.set_items.len() as u32;
            for _ in 0..n {
                let id = r.index("string", self.strings.len())?;
                self.set_items.push(StrId(id));
            }
            self.sets.push((start, self.set_items.len() as u32));
        }
        r.finish()
    }

    /// Prepares each distinct needle of the string sets once.
    fn prepare_needles(&mut self) {
        let mut by_id = HashMap::new();
        let mut needles = Vec::new();
        self.item_needles = self
            .set_items
            .iter()
            .map(|&id| {
                *by_id.entry(id).or_insert_with(|| {
                    let needle = self.str(id).as_bytes();
                    needles.push(Needle {
                        finder: memchr::memmem::Finder::new(needle).into_owned(),
                        bytes: ByteSet::of(needle),
                    });
                    needles.len() as u32 - 1
                })
            })
            .collect();
        self.needles = needles;
    }

    fn str_index(&self, r: &mut Reader<'_>) -> Result<StrId, LoadError> {
        r.index("string", self.strings.len()).map(StrId)
    }

    fn read_channels(&mut self, mut r: Reader<'_>) -> Result<(), LoadError> {
        let count = r.count16("channels", limits::MAX_CHANNELS, 4)?;
        for _ in 0..count {
            let name = self.str_index(&mut r)?;
            let platform = r.u8()?;
            let platform = Platform::from_byte(platform).ok_or(LoadError::InvalidValue {
                what: "platform",
                value: platform.into(),
            })?;
            let control = r.u8()?;
            let conversation_control =
                ConversationControl::from_byte(control).ok_or(LoadError::InvalidValue {
                    what: "conversation control",
                    value: control.into(),
                })?;
            self.channels.push(Channel {
                name,
                platform,
                conversation_control,
            });
        }
        check_unique("channels", self.channels.iter().map(|c| self.str(c.name)))?;
        r.finish()
    }

    fn read_schedules(&mut self, mut r: Reader<'_>) -> Result<(), LoadError> {
        let count = r.count16("schedules", limits::MAX_SCHEDULES, 17)?;
        for index in 0..count {
            let name = self.str_index(&mut r)?;
            let zone = self.str_index(&mut r)?;
            let tzif_len = r.u32()?;
            let tzif_len =
                r.check_count(tzif_len.into(), "TZif bytes", limits::MAX_TZIF_BYTES, 1)?;
            let tzif = r.take(tzif_len)?;
            let tz = jiff::tz::TimeZone::tzif(self.str(zone), tzif).map_err(|e| {
                LoadError::TimeZone {
                    schedule: index,
                    zone: self.str(zone).to_owned(),
                    reason: tzif_reason(&e),
                }
            })?;
            let mut weekly: [Vec<Interval>; 7] = Default::default();
            for (day, intervals) in weekly.iter_mut().enumerate() {
                let n = r.u8()?;
                let n = r.check_count(
                    n.into(),
                    "intervals in a day",
                    limits::MAX_INTERVALS_PER_DAY,
                    4,
                )?;
                for _ in 0..n {
                    let interval = Interval {
                        start: r.u16()?,
                        end: r.u16()?,
                    };
                    if interval.start >= interval.end || interval.end > 1440 {
                        return Err(LoadError::InvalidInterval {
                            schedule: index,
                            day,
                            interval,
                        });
                    }
                    intervals.push(interval);
                }
            }
            let n = r.count16("holidays", limits::MAX_HOLIDAYS, 4)?;
            let mut holidays = Vec::with_capacity(n);
            for _ in 0..n {
                let date = Date {
                    year: r.i16()?,
                    month: r.u8()?,
                    day: r.u8()?,
                };
                let valid = i8::try_from(date.month)
                    .ok()
                    .zip(i8::try_from(date.day).ok())
                    .is_some_and(|(m, d)| jiff::civil::Date::new(date.year, m, d).is_ok());
                if !valid {
                    return Err(LoadError::InvalidHoliday {
                        schedule: index,
                        date,
                    });
                }
                holidays.push(date);
            }
            holidays.sort_unstable();
            self.schedules.push(Schedule {
                name,
                zone,
                tzif_len,
                tz,
                weekly,
                holidays,
            });
        }
        check_unique("schedules", self.schedules.iter().map(|s| self.str(s.name)))?;
        r.finish()
    }

    fn read_ai_agents(&mut self, mut r: Reader<'_>) -> Result<(), LoadError> {
        let count = r.count16("AI agents", limits::MAX_AI_AGENTS, 5)?;
        for _ in 0..count {
            let name = self.str_index(&mut r)?;
            let flags = r.u8()?;
            if flags > 1 {
                return Err(LoadError::InvalidValue {
                    what: "AI agent flags",
                    value: flags.into(),
                });
            }
            let n = r.count16("answers of an AI agent", limits::MAX_ANSWERS, 2)?;
            let mut answers = Vec::with_capacity(n);
            for _ in 0..n {
                answers.push(self.str_index(&mut r)?);
            }
            self.ai_agents.push(AiAgent {
                name,
                generative: flags & 1 != 0,
                answers,
            });
        }
        check_unique("AI agents", self.ai_agents.iter().map(|a| self.str(a.name)))?;
        r.finish()
    }

    /// Reads a column of `n` string references, each stored as the zigzag varint of its
    /// difference from the previous one in the column (the first from 0).
    fn str_column(&self, r: &mut Reader<'_>, n: usize) -> Result<Vec<StrId>, LoadError> {
        let mut previous = 0i64;
        (0..n)
            .map(|_| {
                let zigzag = r.varint("string reference", 3)?;
                let id = previous + ((zigzag >> 1) as i64 ^ -((zigzag & 1) as i64));
                if id < 0 {
                    return Err(LoadError::InvalidValue {
                        what: "string reference delta (it leads before string 0)",
                        value: zigzag as u32,
                    });
                }
                if id >= self.strings.len() as i64 {
                    return Err(LoadError::IndexOutOfRange {
                        what: "string (reached by a string reference delta)",
                        // A 3-byte delta keeps it far below `u32::MAX`.
                        index: id as u32,
                        len: self.strings.len(),
                    });
                }
                previous = id;
                Ok(StrId(id as u16))
            })
            .collect()
    }

    /// Reads the message table, stored column by column (see `FORMAT.md`).
    fn read_messages(&mut self, mut r: Reader<'_>) -> Result<(), LoadError> {
        // name, channel, brand, say, response kind, two response fields, tag count, send
        // mode, frequency, priority, status, trigger, dwell, code length: a byte at least each.
        const MIN_MESSAGE_BYTES: usize = 15;
        let count = r.count16("messages", limits::MAX_MESSAGES, MIN_MESSAGE_BYTES)?;
        let names = self.str_column(&mut r, count)?;
        let channels = (0..count)
            .map(|_| r.varint_index("channel", self.channels.len()))
            .collect::<Result<Vec<_>, _>>()?;
        let brands = self.str_column(&mut r, count)?;
        let says = self.str_column(&mut r, count)?;
        let ai_responses = r.byte_column(count, "response kind", |b| match b {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        })?;
        let ai_count = ai_responses.iter().filter(|&&ai| ai).count();
        let agent_count = count - ai_count;
        let follow_ups = self.str_column(&mut r, agent_count)?;
        let collects = r.byte_column(agent_count, "collect flags", Collect::from_byte)?;
        let agents = (0..ai_count)
            .map(|_| r.varint_index("AI agent", self.ai_agents.len()))
            .collect::<Result<Vec<_>, _>>()?;
        let answers = self.str_column(&mut r, ai_count)?;
        let tag_counts = r.byte_column(count, "tag count", |n| {
            (usize::from(n) <= limits::MAX_TAGS).then_some(usize::from(n))
        })?;
        let tags = self.str_column(&mut r, tag_counts.iter().sum())?;
        let send_modes = r.byte_column(count, "send mode", |b| (b <= 2).then_some(b))?;
        let scheduled = send_modes.iter().filter(|&&mode| mode != 0).count();
        let schedules = (0..scheduled)
            .map(|_| r.varint_index("schedule", self.schedules.len()))
            .collect::<Result<Vec<_>, _>>()?;
        let frequencies = r.byte_column(count, "frequency", Frequency::from_byte)?;
        let priorities = (0..count)
            .map(|_| r.varint_i32("priority"))
            .collect::<Result<Vec<_>, _>>()?;
        let statuses = r.byte_column(count, "status", Status::from_byte)?;
        let newer_minor = self.newer_minor();
        let triggers = r.byte_column(count, "trigger event", |b| {
            let trigger = Trigger::from_byte(b);
            (newer_minor || !matches!(trigger, Trigger::Other(_))).then_some(trigger)
        })?;
        let dwells = (0..count)
            .map(|_| r.varint_u32("dwell"))
            .collect::<Result<Vec<_>, _>>()?;
        let code_lens = (0..count)
            .map(|_| r.varint_u32("code length"))
            .collect::<Result<Vec<_>, _>>()?;
        r.finish()?;

        let (mut follow_ups, mut collects) = (follow_ups.into_iter(), collects.into_iter());
        let (mut agents, mut answers) = (agents.into_iter(), answers.into_iter());
        let (mut tags, mut schedules) = (tags.into_iter(), schedules.into_iter());
        let mut code_offset = 0u64;
        for index in 0..count {
            // Each column was read with as many entries as these take.
            let response = if ai_responses[index] {
                let agent = agents.next().expect("one agent per AI response");
                let answer = answers.next().expect("one answer per AI response");
                if !self.ai_agents[usize::from(agent)].answers.contains(&answer) {
                    return Err(LoadError::UnknownAnswer { message: index });
                }
                Response::AiAgent { agent, answer }
            } else {
                Response::Agent {
                    follow_up: follow_ups.next().expect("one follow-up per agent response"),
                    collect: collects
                        .next()
                        .expect("one collect byte per agent response"),
                }
            };
            let send = match send_modes[index] {
                0 => SendMode::Anytime,
                mode => {
                    let schedule = schedules
                        .next()
                        .expect("one schedule per scheduled message");
                    if mode == 1 {
                        SendMode::During(schedule)
                    } else {
                        SendMode::Outside(schedule)
                    }
                }
            };
            // Codes follow one another in message order: each starts where the previous ends.
            let code_len = code_lens[index];
            let code = (code_offset.min(u64::from(u32::MAX)) as u32, code_len);
            code_offset += u64::from(code_len);
            self.messages.push(Message {
                name: names[index],
                channel: channels[index],
                brand: brands[index],
                say: says[index],
                response,
                tags: tags.by_ref().take(tag_counts[index]).collect(),
                send,
                frequency: frequencies[index],
                priority: priorities[index],
                status: statuses[index],
                trigger: triggers[index],
                dwell_ms: dwells[index],
                code,
                entry: Next::Done(false),
            });
        }
        if code_offset < self.code.len() as u64 {
            return Err(LoadError::TrailingBytes {
                section: SectionId::Code.name(),
                count: self.code.len() - code_offset as usize,
            });
        }
        check_unique("messages", self.messages.iter().map(|m| self.str(m.name)))
    }

    /// Verifies message `message`'s code; returns its instructions with their offsets.
    fn verify_code(&self, message: usize) -> Result<Vec<(usize, Instr)>, LoadError> {
        let err = |pc: usize, reason: CodeError| LoadError::Code {
            message,
            pc,
            reason,
        };
        let (offset, len) = self.messages[message].code;
        let (offset, len) = (offset as usize, len as usize);
        if offset
            .checked_add(len)
            .is_none_or(|end| end > self.code.len())
        {
            return Err(err(0, CodeError::OutOfSection));
        }
        if len == 0 {
            return Err(err(0, CodeError::Empty));
        }
        if len > limits::MAX_CODE_BYTES {
            return Err(err(0, CodeError::TooLong));
        }
        let code = &self.code[offset..offset + len];
        // starts[i]: an instruction starts at offset i. Jump targets are checked after the
        // walk, once every start is known.
        let mut starts = vec![false; len];
        let mut jumps = Vec::new();
        let mut instrs = Vec::new();
        let mut pc = 0;
        let mut last = Instr::Ret;
        while pc < len {
            starts[pc] = true;
            let (instr, next) =
                Instr::decode(code, pc).map_err(|e| err(pc, CodeError::Decode(e)))?;
            instrs.push((pc, instr));
            match instr {
                Instr::UrlIs { s } | Instr::TitleIs { s } | Instr::LangIs { s }
                    if usize::from(s.0) >= self.strings.len() =>
                {
                    return Err(err(pc, CodeError::StringOutOfRange(s.0)));
                }
                Instr::UrlHasAny { k } | Instr::TitleHasAny { k }
                    if usize::from(k.0) >= self.sets.len() =>
                {
                    return Err(err(pc, CodeError::SetOutOfRange(k.0)));
                }
                Instr::JumpIfFalse { rel } | Instr::JumpIfTrue { rel } => {
                    jumps.push((pc, next + usize::from(rel)));
                }
                _ => {}
            }
            last = instr;
            pc = next;
        }
        for (pc, target) in jumps {
            if target >= len {
                return Err(err(pc, CodeError::JumpOutOfBounds { target }));
            }
            if !starts[target] {
                return Err(err(pc, CodeError::JumpIntoInstruction { target }));
            }
        }
        if last != Instr::Ret {
            return Err(err(len, CodeError::NoFinalRet));
        }
        Ok(instrs)
    }

    /// Pushes the evaluation-ready tests that test instruction `instr` stands for: one per
    /// needle for a `contains` test (`false` for an empty set), none for the other
    /// instructions. Operands must have been verified.
    fn resolve_test(&self, instr: Instr, tests: &mut Vec<Test>) {
        let text = |id: StrId| {
            self.strings
                .get(usize::from(id.0))
                .copied()
                .unwrap_or((0, 0))
        };
        let needles = |k: SetId, tests: &mut Vec<Test>, test: fn(u32) -> Test| {
            let (start, end) = self.sets.get(usize::from(k.0)).copied().unwrap_or((0, 0));
            let needles = self
                .item_needles
                .get(start as usize..end as usize)
                .unwrap_or(&[]);
            if needles.is_empty() {
                tests.push(Test::Const(false));
            }
            tests.extend(needles.iter().map(|&needle| test(needle)));
        };
        match instr {
            Instr::UrlIs { s } => tests.push(Test::UrlIs(text(s))),
            Instr::TitleIs { s } => tests.push(Test::TitleIs(text(s))),
            Instr::LangIs { s } => tests.push(Test::LangIs(text(s))),
            Instr::UrlHasAny { k } => needles(k, tests, Test::UrlContains),
            Instr::TitleHasAny { k } => needles(k, tests, Test::TitleContains),
            Instr::VisitReturning => tests.push(Test::Returning),
            Instr::Const { b } => tests.push(Test::Const(b)),
            Instr::Not | Instr::JumpIfFalse { .. } | Instr::JumpIfTrue { .. } | Instr::Ret => {}
        }
    }

    /// Whether the bundle's minor version is newer than this VM's (so it may use values this
    /// VM does not know, such as new trigger events).
    fn newer_minor(&self) -> bool {
        self.version.1 > FORMAT_MINOR
    }

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

    /// The bytes of the string data at byte range `range` (empty if out of range; ranges
    /// built at load never are). Bytes, not `str`: evaluation compares bytes and needs no
    /// character-boundary checks.
    pub(crate) fn bytes_at(&self, (start, end): Range) -> &[u8] {
        self.text
            .as_bytes()
            .get(start as usize..end as usize)
            .unwrap_or(&[])
    }

    /// Prepared needle `index` (`None` if out of range; indexes built at load never are).
    pub(crate) fn needle(&self, index: u32) -> Option<&Needle> {
        self.needles.get(index as usize)
    }

    /// Node `index` of the decision graphs.
    pub(crate) fn node(&self, index: u32) -> Option<&Node> {
        self.nodes.get(index as usize)
    }

    /// Where message `message`'s decision graph starts (`false` for an unknown message).
    pub(crate) fn entry(&self, message: usize) -> Next {
        self.messages
            .get(message)
            .map_or(Next::Done(false), |m| m.entry)
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

/// Reads one decoded section into the bundle.
type SectionReader = fn(&mut Bundle, Reader<'_>) -> Result<(), LoadError>;

/// String data and each string's byte range in it.
type StringTable = (Box<str>, Vec<(u32, u32)>);

/// Reads the string table: a `u32` count, `count` byte lengths (varints, see
/// [`read_string_len`]), then the UTF-8 data.
fn read_strings(mut r: Reader<'_>) -> Result<StringTable, LoadError> {
    let count = r.u32()?;
    // Each length takes at least one byte.
    let count = r.check_count(count.into(), "strings", limits::MAX_STRINGS, 1)?;
    let mut strings = Vec::with_capacity(count);
    let mut end = 0u32;
    for _ in 0..count {
        let len = read_string_len(&mut r)?;
        // At most 65_535 strings of at most 64 KiB each: the sum fits in a u32.
        strings.push((end, end + len));
        end += len;
    }
    let data = r.take(end as usize)?;
    r.finish()?;
    let text = match std::str::from_utf8(data) {
        Ok(text) => text,
        Err(e) => {
            let bad = e.valid_up_to() as u32;
            let index = strings.iter().position(|&(_, end)| end > bad).unwrap_or(0);
            return Err(LoadError::InvalidUtf8 { index });
        }
    };
    // Valid as a whole; each string must also start and end on a character boundary.
    for (index, &(start, end)) in strings.iter().enumerate() {
        if !text.is_char_boundary(start as usize) || !text.is_char_boundary(end as usize) {
            return Err(LoadError::InvalidUtf8 { index });
        }
    }
    Ok((text.into(), strings))
}

/// Reads one string's byte length: a varint of at most [`MAX_STRING_LEN_VARINT`] bytes, at most
/// [`limits::MAX_STRING_BYTES`].
fn read_string_len(r: &mut Reader<'_>) -> Result<u32, LoadError> {
    let len = r.varint("string length", MAX_STRING_LEN_VARINT)?;
    if len > limits::MAX_STRING_BYTES as u64 {
        return Err(LoadError::Limit {
            what: "bytes in one string",
            count: len,
            max: limits::MAX_STRING_BYTES,
        });
    }
    Ok(len as u32)
}

/// jiff's reason for refusing a zone's TZif data.
#[cfg(not(all(target_family = "wasm", target_os = "unknown")))]
fn tzif_reason(error: &jiff::Error) -> String {
    error.to_string()
}

/// On the web (wasm32-unknown-unknown) the reason is not spelled out: jiff's error text would
/// add about 100 KB to the `.wasm` (BENCHMARKS.md, "WebAssembly"), and the zone and schedule
/// in the message still name the culprit.
#[cfg(all(target_family = "wasm", target_os = "unknown"))]
fn tzif_reason(_: &jiff::Error) -> String {
    "its TZif data does not parse (the parser's message is left out of WebAssembly builds)".into()
}

#[cfg(all(test, feature = "write"))]
mod tests {
    use super::*;
    use crate::format::{Frequency, SendMode};
    use crate::testutil::{
        Cond, Msg, build, context, listing_of_contents, msg, sample, sample_stored, write_stored,
    };
    use crate::write::{BundleWriter, CodeBuilder, MessageSpec, ResponseSpec, WriteError};
    use crate::{Engine, Event, disasm};
    use proptest::prelude::*;
    use std::sync::Arc;

    fn fix_crc(bytes: &mut [u8]) {
        let crc = checksum(bytes);
        bytes[8..12].copy_from_slice(&crc.to_le_bytes());
    }

    /// Where section `id` starts in a bundle holding exactly the sections this VM reads.
    fn section_offset(bytes: &[u8], id: SectionId) -> usize {
        crate::section::SectionEntry::read(bytes, id as usize - 1).offset as usize
    }

    /// Uses everything a loaded bundle offers; must never panic.
    fn exercise(bytes: &[u8]) {
        let Ok(bundle) = Bundle::load(bytes) else {
            return;
        };
        let contexts = [
            context("https://acme.com/pricing", "Plans", "fr-FR", true),
            context("", "", "", false),
        ];
        for ctx in &contexts {
            let mut evaluation = bundle.evaluation(ctx);
            for m in (0..bundle.messages().len()).rev() {
                let value = bundle.eval(m, ctx);
                let explanation = bundle.explain(m, ctx);
                assert_eq!(explanation.result, value);
                assert_eq!(evaluation.explain(m), explanation);
                assert_eq!(evaluation.eval(m), value);
            }
        }
        let _ = disasm(&bundle);
        let bundle = Arc::new(bundle);
        for channel in bundle.channels() {
            let name = bundle.str(channel.name).to_owned();
            let mut e = Engine::new(bundle.clone(), &name).unwrap();
            e.set_explain(true);
            e.set_language("fr");
            e.handle(0, Event::AppLaunch { returning: None });
            e.handle(
                1,
                Event::ScreenOpen {
                    url: "/pricing",
                    title: "Plans",
                },
            );
            e.advance_to(3_600_000);
            e.handle(3_600_001, Event::MessageDismissed { message: 0 });
            e.handle(
                3_600_002,
                Event::ScreenOpen {
                    url: "/",
                    title: "",
                },
            );
            e.advance_to(i64::MAX);
        }
    }

    #[test]
    fn the_sample_loads_and_its_facts_read_back() {
        let bundle = Bundle::load(&sample()).unwrap();
        assert_eq!(bundle.version(), (FORMAT_MAJOR, FORMAT_MINOR));
        assert_eq!(bundle.messages().len(), 4);
        assert_eq!(bundle.message_by_name("After hours"), Some(2));
        assert_eq!(bundle.channel_by_name("Android"), Some(1));
        let m = &bundle.messages()[0];
        assert_eq!(bundle.str(m.name), "Pricing help");
        assert_eq!(m.send, SendMode::During(0));
        assert_eq!(m.frequency, Frequency::OncePerVisit);
        assert_eq!(m.dwell_ms, 30_000);
        assert_eq!(bundle.str(bundle.schedules()[0].zone), "Europe/Paris");
        assert!(bundle.ai_agents()[0].generative);
        // Needles are stored lower-cased.
        let needles: Vec<&str> = (0..bundle.string_count())
            .map(|i| bundle.str(StrId(i as u16)))
            .collect();
        assert!(needles.contains(&"pricing") && !needles.contains(&"Pricing"));
    }

    #[test]
    fn header_errors_are_clear() {
        let good = sample();
        let err = |bytes: &[u8]| Bundle::load(bytes).unwrap_err().to_string();
        assert_eq!(
            err(b"PMB"),
            "not a bundle: 3 bytes is shorter than the 16-byte header"
        );
        let mut bad = good.clone();
        bad[0] = b'X';
        assert!(err(&bad).starts_with("not a bundle: expected magic bytes"));
        let mut newer = good.clone();
        newer[4] = 4;
        assert_eq!(
            err(&newer),
            "bundle format version 4.0 is newer than this VM supports (3.x); update the VM"
        );
        // Version 2.0 had no section encodings and a row-oriented message table: such
        // bundles must be rebuilt.
        let mut older = good.clone();
        older[4] = 2;
        assert_eq!(
            err(&older),
            "bundle format version 2.0 is not supported: this VM reads version 3.x"
        );
        assert!(err(&good[..good.len() - 1]).contains("truncated or padded"));
        let mut corrupt = good.clone();
        *corrupt.last_mut().unwrap() ^= 0x40;
        assert!(err(&corrupt).starts_with("bundle is corrupted: CRC-32"));
    }

    #[test]
    fn a_newer_minor_version_loads() {
        let mut bytes = sample();
        bytes[6] = 7;
        fix_crc(&mut bytes);
        assert_eq!(Bundle::load(&bytes).unwrap().version(), (FORMAT_MAJOR, 7));
    }

    #[test]
    fn unknown_trigger_codes_load_only_from_a_newer_minor_and_never_fire() {
        let mut bytes = write_stored(&[msg("Future")]);
        // Offset of the trigger byte in the only message (see FORMAT.md's message table).
        let at = section_offset(&bytes, SectionId::Messages) + 15;
        assert_eq!(bytes[at], 0);
        bytes[at] = 9;
        fix_crc(&mut bytes);
        assert_eq!(
            Bundle::load(&bytes).unwrap_err().to_string(),
            "invalid trigger event: 9"
        );
        bytes[6] = 1;
        fix_crc(&mut bytes);
        let bundle = Arc::new(Bundle::load(&bytes).unwrap());
        assert_eq!(bundle.messages()[0].trigger, Trigger::Other(9));
        let mut e = Engine::new(bundle, "iOS").unwrap();
        e.handle(
            0,
            Event::ScreenOpen {
                url: "/",
                title: "",
            },
        );
        assert_eq!(e.next_deadline(), None);
    }

    #[test]
    fn a_bundle_claiming_2_pow_32_strings_is_rejected_before_allocating() {
        let mut bytes = sample_stored();
        let at = section_offset(&bytes, SectionId::Strings);
        bytes[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        fix_crc(&mut bytes);
        assert_eq!(
            Bundle::load(&bytes).unwrap_err().to_string(),
            "too many strings: 4294967295 (the limit is 65535)"
        );
        // Within the limit but more than the bytes can hold (each length takes at least one).
        bytes[at..at + 4].copy_from_slice(&65_535u32.to_le_bytes());
        fix_crc(&mut bytes);
        assert!(matches!(
            Bundle::load(&bytes),
            Err(LoadError::Truncated {
                section: "strings",
                needed: 65_535,
                ..
            })
        ));
    }

    /// `bundle` with the section of table entry `slot` replaced by `stored`, with the given
    /// encoding byte and decoded length; later sections move, the header follows.
    fn with_section(
        bundle: &[u8],
        slot: usize,
        encoding: u8,
        stored: &[u8],
        decoded_len: usize,
    ) -> Vec<u8> {
        use crate::section::{SectionEntry, entry_count, entry_offset};
        let count = entry_count(bundle);
        let mut entries: Vec<SectionEntry> =
            (0..count).map(|i| SectionEntry::read(bundle, i)).collect();
        let mut bodies: Vec<&[u8]> = entries
            .iter()
            .map(|e| &bundle[e.range().0..e.range().1])
            .collect();
        bodies[slot] = stored;
        entries[slot].encoding = encoding;
        entries[slot].decoded_len = decoded_len as u32;
        let mut out = bundle[..HEADER_LEN + 2].to_vec();
        let mut offset = entry_offset(count);
        for (entry, body) in entries.iter_mut().zip(&bodies) {
            entry.offset = offset as u32;
            entry.len = body.len() as u32;
            offset += body.len();
            entry.write(&mut out);
        }
        out.extend(bodies.concat());
        let total = out.len() as u32;
        out[12..16].copy_from_slice(&total.to_le_bytes());
        fix_crc(&mut out);
        out
    }

    /// An empty bundle whose string table (the first section) is `table`, stored.
    fn with_string_table(table: &[u8]) -> Vec<u8> {
        let empty = BundleWriter::new().finish().unwrap();
        with_section(&empty, 0, 0, table, table.len())
    }

    #[test]
    fn section_encodings_are_checked_before_decoding_and_deflate_errors_are_clear() {
        let good = sample_stored();
        let entry = crate::section::SectionEntry::read(&good, 0);
        let strings = &good[entry.range().0..entry.range().1];
        let deflated = miniz_oxide::deflate::compress_to_vec(strings, 9);
        let err = |encoding: u8, stored: &[u8], decoded_len: usize| {
            Bundle::load(&with_section(&good, 0, encoding, stored, decoded_len))
                .unwrap_err()
                .to_string()
        };
        // The same section deflated loads and reads the same.
        let bytes = with_section(&good, 0, 1, &deflated, strings.len());
        assert_eq!(listing_of_contents(&bytes), listing_of_contents(&good));
        assert_eq!(
            err(0, strings, strings.len() + 1),
            format!(
                "invalid section table: the stored strings section is {} bytes but declares {} \
                 decoded bytes",
                strings.len(),
                strings.len() + 1
            )
        );
        assert_eq!(
            err(2, strings, strings.len()),
            "invalid section table: the strings section uses encoding 2, which this VM does not \
             know (0 stored, 1 deflate)"
        );
        assert_eq!(
            err(1, &deflated, deflated.len() * 1032 + 1),
            format!(
                "invalid section table: the deflated strings section declares {} decoded bytes, \
                 more than {} bytes of deflate data can hold",
                deflated.len() * 1032 + 1,
                deflated.len()
            )
        );
        assert_eq!(
            err(1, &deflated, strings.len() - 1),
            format!(
                "the deflated strings section is invalid: it decodes to more than the {} bytes \
                 its entry declares",
                strings.len() - 1
            )
        );
        assert_eq!(
            err(1, &deflated, strings.len() + 1),
            format!(
                "the deflated strings section is invalid: it decodes to {} bytes, not the {} its \
                 entry declares",
                strings.len(),
                strings.len() + 1
            )
        );
        let trailing = [deflated.as_slice(), b"xy"].concat();
        assert_eq!(
            err(1, &trailing, strings.len()),
            "the deflated strings section is invalid: 2 bytes follow the end of its deflate stream"
        );
        assert_eq!(
            err(1, &deflated[..deflated.len() / 2], strings.len()),
            "the deflated strings section is invalid: its deflate stream is truncated"
        );
        // Block type 3 is reserved in RFC 1951.
        assert_eq!(
            err(1, &[0x07, 0x00], strings.len()),
            "the deflated strings section is invalid: its bytes are not a valid deflate stream"
        );
    }

    /// A string table of `lengths` (each already encoded) followed by `data`.
    fn string_table(lengths: &[&[u8]], data: &[u8]) -> Vec<u8> {
        let mut table = (lengths.len() as u32).to_le_bytes().to_vec();
        table.extend(lengths.concat());
        table.extend_from_slice(data);
        table
    }

    #[test]
    fn string_lengths_are_minimal_varints_of_at_most_3_bytes() {
        let load = |lengths: &[&[u8]], data: &[u8]| {
            Bundle::load(&with_string_table(&string_table(lengths, data)))
        };
        let a = |n: usize| vec![b'a'; n];
        // Boundaries of one, two and three bytes, up to the longest string.
        for (encoded, len) in [
            (&[0x00][..], 0),
            (&[0x7f], 127),
            (&[0x80, 0x01], 128),
            (&[0xff, 0x7f], 16_383),
            (&[0x80, 0x80, 0x01], 16_384),
            (&[0x80, 0x80, 0x04], limits::MAX_STRING_BYTES),
        ] {
            let bundle = load(&[encoded, &[0x02]], &[a(len), b"hi".to_vec()].concat()).unwrap();
            assert_eq!(bundle.str(StrId(0)), String::from_utf8(a(len)).unwrap());
            assert_eq!(bundle.str(StrId(1)), "hi");
        }
        let err = |lengths: &[&[u8]], data: &[u8]| load(lengths, data).err().unwrap();
        // The lengths start after the table's `u32` count; the third byte is missing.
        assert_eq!(
            err(&[&[0x80, 0x80]], &[]),
            LoadError::Truncated {
                section: "strings",
                offset: 4 + 2,
                needed: 1
            }
        );
        assert_eq!(
            err(&[&[0x80, 0x80, 0x80, 0x00]], &[]).to_string(),
            "invalid string length: a varint longer than 3 bytes"
        );
        let not_minimal =
            "invalid string length: a varint not in its minimal encoding (it ends in a 0 byte)";
        assert_eq!(err(&[&[0x85, 0x00]], b"hello").to_string(), not_minimal);
        assert_eq!(err(&[&[0x80, 0x80, 0x00]], &[]).to_string(), not_minimal);
        // One byte over the limit, and the largest 3-byte value: refused before the data is read.
        for (encoded, len) in [
            (&[0x81, 0x80, 0x04], 65_537u64),
            (&[0xff, 0xff, 0x7f], 2_097_151),
        ] {
            assert_eq!(
                err(&[encoded], &[]),
                LoadError::Limit {
                    what: "bytes in one string",
                    count: len,
                    max: limits::MAX_STRING_BYTES
                }
            );
        }
        // The data must be exactly the sum of the lengths.
        assert!(matches!(
            err(&[&[0x03]], b"hi"),
            LoadError::Truncated { needed: 3, .. }
        ));
        assert_eq!(
            err(&[&[0x01]], b"hi"),
            LoadError::TrailingBytes {
                section: "strings",
                count: 1
            }
        );
    }

    #[test]
    fn the_writer_stores_string_lengths_as_varints() {
        let lens = [0, 127, 128, 16_383, 16_384, limits::MAX_STRING_BYTES];
        let mut w = BundleWriter::new();
        w.set_compression(false);
        for (i, &len) in lens.iter().enumerate() {
            // Distinct strings of each length (the writer deduplicates equal ones).
            let s = char::from(b'a' + i as u8).to_string().repeat(len);
            assert_eq!(w.intern(&s).unwrap(), StrId(i as u16));
        }
        let bytes = w.finish().unwrap();
        let start = section_offset(&bytes, SectionId::Strings);
        let encoded: &[u8] = &[
            0x00, 0x7f, 0x80, 0x01, 0xff, 0x7f, 0x80, 0x80, 0x01, 0x80, 0x80, 0x04,
        ];
        assert_eq!(&bytes[start + 4..start + 4 + encoded.len()], encoded);
        let bundle = Bundle::load(&bytes).unwrap();
        for (i, &len) in lens.iter().enumerate() {
            assert_eq!(bundle.str(StrId(i as u16)).len(), len);
        }
        let mut w = BundleWriter::new();
        w.intern(&"a".repeat(limits::MAX_STRING_BYTES + 1)).unwrap();
        assert!(matches!(
            w.finish(),
            Err(WriteError::Invalid(LoadError::Limit {
                what: "bytes in one string",
                ..
            }))
        ));
    }

    fn with_code(build_code: impl FnOnce(&mut CodeBuilder)) -> Result<Vec<u8>, WriteError> {
        let mut w = BundleWriter::new();
        w.add_channel(&crate::write::ChannelSpec {
            name: "iOS".into(),
            platform: crate::format::Platform::Ios,
            conversation_control: crate::format::ConversationControl::Release,
        })?;
        let mut b = CodeBuilder::new();
        build_code(&mut b);
        w.add_message(&MessageSpec {
            name: "M".into(),
            channel: 0,
            brand: "B".into(),
            say: "S".into(),
            response: ResponseSpec::Agent {
                follow_up: "F".into(),
                collect: Collect::default(),
            },
            tags: vec![],
            send: SendMode::Anytime,
            frequency: Frequency::EveryTime,
            priority: 0,
            status: Status::Published,
            trigger: Trigger::ScreenOpen,
            dwell_ms: 0,
            code: b.finish()?,
        })?;
        w.finish()
    }

    fn code_error(build_code: impl FnOnce(&mut CodeBuilder)) -> CodeError {
        match with_code(build_code) {
            Err(WriteError::Invalid(LoadError::Code { reason, .. })) => reason,
            other => panic!("expected a code error, got {other:?}"),
        }
    }

    #[test]
    fn the_verifier_rejects_bad_code() {
        assert_eq!(code_error(|_| {}), CodeError::Empty);
        assert_eq!(
            code_error(|b| b.emit(Instr::Const { b: true })),
            CodeError::NoFinalRet
        );
        assert_eq!(
            code_error(|b| {
                b.emit(Instr::JumpIfTrue { rel: 1 });
                b.emit(Instr::Ret);
            }),
            CodeError::JumpOutOfBounds { target: 4 }
        );
        assert_eq!(
            code_error(|b| {
                b.emit(Instr::JumpIfFalse { rel: 1 });
                b.emit(Instr::Const { b: false });
                b.emit(Instr::Ret);
            }),
            CodeError::JumpIntoInstruction { target: 4 }
        );
        assert_eq!(
            code_error(|b| {
                b.emit(Instr::UrlIs { s: StrId(999) });
                b.emit(Instr::Ret);
            }),
            CodeError::StringOutOfRange(999)
        );
        assert_eq!(
            code_error(|b| {
                b.emit(Instr::TitleHasAny { k: SetId(0) });
                b.emit(Instr::Ret);
            }),
            CodeError::SetOutOfRange(0)
        );
        let ok = with_code(|b| {
            let end = b.new_label();
            b.emit(Instr::VisitReturning);
            b.jump_if_false(end);
            b.emit(Instr::Const { b: true });
            b.bind(end);
            b.emit(Instr::Ret);
        });
        assert!(ok.is_ok());
    }

    #[test]
    fn the_code_builder_rejects_bad_labels() {
        let mut b = CodeBuilder::new();
        let l = b.new_label();
        b.jump_if_true(l);
        assert_eq!(b.finish(), Err(WriteError::UnboundLabel));
        let mut b = CodeBuilder::new();
        let l = b.new_label();
        b.bind(l);
        b.jump_if_true(l);
        assert_eq!(b.finish(), Err(WriteError::BackwardJump));
        let mut b = CodeBuilder::new();
        let l = b.new_label();
        b.bind(l);
        b.bind(l);
        assert_eq!(b.finish(), Err(WriteError::LabelBoundTwice));
    }

    #[test]
    fn the_verifier_rejects_bad_tables() {
        let dup = build_err(&[msg("Same"), msg("Same")]);
        assert_eq!(dup, "two messages are named \"Same\"");
        let mut bytes = write_stored(&[msg("A")]);
        // Point the message's channel at a channel that does not exist.
        let at = section_offset(&bytes, SectionId::Messages) + 3;
        bytes[at] = 5;
        fix_crc(&mut bytes);
        assert_eq!(
            Bundle::load(&bytes).unwrap_err().to_string(),
            "channel index 5 is out of range (there are 2)"
        );
        // The name column's only entry (the delta from string 0), then one leading before
        // string 0 and one past the last string.
        let name_at = section_offset(&bytes, SectionId::Messages) + 2;
        for (delta, error) in [
            (
                0x01,
                "invalid string reference delta (it leads before string 0): 1",
            ),
            (
                0x7e,
                "string (reached by a string reference delta) index 63 is out of range (there \
                 are 12)",
            ),
        ] {
            let mut bytes = write_stored(&[msg("A")]);
            bytes[name_at] = delta;
            fix_crc(&mut bytes);
            assert_eq!(Bundle::load(&bytes).unwrap_err().to_string(), error);
        }
        let mut bytes = write_stored(&[]);
        // Corrupt the first byte of the embedded TZif data ("TZif" magic).
        let at = section_offset(&bytes, SectionId::Schedules) + 2 + 8;
        bytes[at] = b'X';
        fix_crc(&mut bytes);
        assert!(Bundle::load(&bytes).unwrap_err().to_string().starts_with(
            "schedule #0: the embedded time zone data for \"Europe/Paris\" is invalid"
        ));
    }

    fn build_err(messages: &[Msg]) -> String {
        let mut w = BundleWriter::new();
        w.add_channel(&crate::write::ChannelSpec {
            name: "iOS".into(),
            platform: crate::format::Platform::Ios,
            conversation_control: crate::format::ConversationControl::Release,
        })
        .unwrap();
        for m in messages {
            let code = crate::testutil::compile(&mut w, &m.cond);
            w.add_message(&MessageSpec {
                name: m.name.into(),
                channel: 0,
                brand: "B".into(),
                say: "S".into(),
                response: ResponseSpec::Agent {
                    follow_up: "F".into(),
                    collect: Collect::default(),
                },
                tags: vec![],
                send: SendMode::Anytime,
                frequency: Frequency::EveryTime,
                priority: 0,
                status: Status::Published,
                trigger: Trigger::ScreenOpen,
                dwell_ms: 0,
                code,
            })
            .unwrap();
        }
        match w.finish() {
            Err(WriteError::Invalid(e)) => e.to_string(),
            other => panic!("expected an invalid bundle, got {other:?}"),
        }
    }

    #[test]
    fn every_truncation_is_rejected() {
        for bytes in [sample(), sample_stored()] {
            every_truncation_of(&bytes);
        }
    }

    fn every_truncation_of(bytes: &[u8]) {
        for cut in 0..bytes.len() {
            assert!(Bundle::load(&bytes[..cut]).is_err(), "{cut}");
        }
        // Even with the header's length and checksum patched to match.
        for cut in HEADER_LEN..bytes.len() {
            let mut short = bytes[..cut].to_vec();
            short[12..16].copy_from_slice(&(cut as u32).to_le_bytes());
            fix_crc(&mut short);
            exercise(&short);
        }
    }

    #[test]
    fn every_single_byte_change_is_rejected_or_harmless() {
        for bytes in [sample(), sample_stored()] {
            every_single_byte_change_of(&bytes);
        }
    }

    fn every_single_byte_change_of(bytes: &[u8]) {
        let mut loaded = 0;
        for at in 0..bytes.len() {
            // Without fixing the checksum every change is caught.
            let mut flipped = bytes.to_vec();
            flipped[at] ^= 0xff;
            assert!(Bundle::load(&flipped).is_err(), "{at}");
            // With the checksum fixed, the verifier proper is exercised.
            let values = [
                0x00,
                0xff,
                bytes[at] ^ 0x01,
                bytes[at] ^ 0x80,
                bytes[at].wrapping_add(1),
            ];
            for value in values {
                let mut changed = bytes.to_vec();
                changed[at] = value;
                if !(8..12).contains(&at) {
                    fix_crc(&mut changed);
                }
                if Bundle::load(&changed).is_ok() {
                    loaded += 1;
                }
                exercise(&changed);
            }
        }
        // Some changes (string contents, priorities, dwell times) are valid bundles.
        assert!(loaded > 0);
    }

    proptest! {
        #[test]
        fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
            exercise(&bytes);
        }

        #[test]
        fn random_bodies_behind_a_valid_header_never_panic(body in prop::collection::vec(any::<u8>(), 0..512)) {
            let mut bytes = Vec::new();
            bytes.extend_from_slice(&MAGIC);
            bytes.extend_from_slice(&FORMAT_MAJOR.to_le_bytes());
            bytes.extend_from_slice(&FORMAT_MINOR.to_le_bytes());
            bytes.extend_from_slice(&[0; 4]);
            bytes.extend_from_slice(&((body.len() + HEADER_LEN) as u32).to_le_bytes());
            bytes.extend_from_slice(&body);
            fix_crc(&mut bytes);
            exercise(&bytes);
        }

        #[test]
        fn random_mutations_of_a_valid_bundle_never_panic(
            changes in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
            stored in any::<bool>(),
        ) {
            let mut bytes = if stored { sample_stored() } else { sample() };
            for (at, value) in changes {
                let at = at.index(bytes.len() - 12) + 12;
                bytes[at] = value;
            }
            fix_crc(&mut bytes);
            exercise(&bytes);
        }

        #[test]
        fn the_vm_agrees_with_the_reference_evaluator(
            cond in crate::testutil::arb_cond(),
            url in prop_oneof![Just("https://acme.com/PRICING"), Just("/plans/é"), Just("/checkout"), Just("")],
            title in prop_oneof![Just("Pricing"), Just("Checkout É"), Just("")],
            lang in prop_oneof![Just("fr"), Just("FR_ca"), Just("de-DE"), Just("pt-br"), Just("en")],
            returning in any::<bool>(),
        ) {
            // The second message shares every test with the first, so evaluating both in one
            // `Evaluation` answers the first's tests from the memo.
            let negated = Cond::Not(Box::new(cond.clone()));
            let bundle = build(&[Msg { cond: cond.clone(), ..msg("M") }, Msg { cond: negated, ..msg("N") }]);
            let ctx = context(url, title, lang, returning);
            let expected = crate::testutil::reference(&cond, url, title, lang, returning);
            prop_assert_eq!(bundle.eval(0, &ctx), expected);
            let explanation = bundle.explain(0, &ctx);
            prop_assert_eq!(explanation.result, expected);
            prop_assert!(explanation.deciding.is_some());
            let mut evaluation = bundle.evaluation(&ctx);
            prop_assert_eq!(evaluation.eval(1), !expected);
            prop_assert_eq!(evaluation.explain(0), explanation);
            prop_assert_eq!(evaluation.explain(1).deciding, explanation.deciding);
        }
    }

    #[test]
    fn explain_names_the_deciding_test() {
        let bundle = build(&[Msg {
            cond: Cond::And(
                Box::new(Cond::UrlHasAny(vec!["pricing".into()])),
                Box::new(Cond::Not(Box::new(Cond::TitleHasAny(vec![
                    "checkout".into(),
                ])))),
            ),
            ..msg("M")
        }]);
        let ctx = context("/pricing", "Checkout", "", false);
        let x = bundle.explain(0, &ctx);
        assert!(!x.result);
        assert!(x.test_value);
        let (pc, instr) = x.deciding.unwrap();
        assert_eq!((pc, instr.opcode()), (6, crate::Opcode::TitleHasAny));
        assert_eq!(
            crate::format_instr(&bundle, pc, instr),
            "TITLE_HAS_ANY set#1 [\"checkout\"]"
        );
        let x = bundle.explain(0, &context("/home", "", "", false));
        assert_eq!(x.deciding.map(|(pc, _)| pc), Some(0));
    }
}
