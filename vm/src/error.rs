//! Why a bundle is refused: every error the loader, the code verifier and the signature
//! check report, each with a readable `Display` that names what was wrong and where.
//!
//! The bottom layer of the loader: it depends only on the format's vocabulary, so every other
//! module (the byte reader, the container, the section readers, the writer) can report in it.

use std::fmt;

use crate::format::{
    Date, FORMAT_MAJOR, HEADER_LEN, Interval, SIGNATURE_SECTION_LEN, WEEKDAYS, limits,
};
use crate::opcode::DecodeError;

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
    /// The string operand of `APP_VERSION_CMP` is not a version.
    BadVersion(u16),
    /// An automaton operand is not below the automaton count.
    AutomatonOutOfRange(u16),
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
            CodeError::BadVersion(i) => write!(f, "string operand #{i} is not a version"),
            CodeError::AutomatonOutOfRange(i) => {
                write!(f, "automaton operand re#{i} is out of range")
            }
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
    /// [`crate::Bundle::load_verified`]).
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
                "bundle format version {major}.{minor} is older than this VM reads \
                 ({FORMAT_MAJOR}.x); rebuild the bundle with a newer pmc"
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
                WEEKDAYS.get(*day).unwrap_or(&"?"),
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

/// Why a signature check failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignatureError {
    /// A signature was required but the bundle has none.
    Unsigned,
    /// No trusted key was given, so no bundle can be accepted.
    NoTrustedKeys,
    /// A public key is not a valid Ed25519 key.
    InvalidKey,
    /// The signature section is not 97 bytes.
    BadSectionLength {
        /// Its length.
        len: usize,
    },
    /// The signature section names an algorithm this VM does not know.
    UnsupportedAlgorithm {
        /// The algorithm byte.
        algorithm: u8,
    },
    /// The bundle was signed by a key that is not among the trusted keys.
    UnknownKey {
        /// The key the bundle names (its bytes as found, possibly not even a valid point).
        key: [u8; 32],
    },
    /// The signature does not match the bundle's contents: the bundle was modified after
    /// signing, or the signature was forged.
    Invalid,
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::Unsigned => {
                f.write_str("the bundle is not signed, and a signature is required")
            }
            SignatureError::NoTrustedKeys => {
                f.write_str("no trusted public key was given, so no signature can be accepted")
            }
            SignatureError::InvalidKey => f.write_str("not a valid Ed25519 public key"),
            SignatureError::BadSectionLength { len } => write!(
                f,
                "the signature section is {len} bytes; it must be {SIGNATURE_SECTION_LEN}"
            ),
            SignatureError::UnsupportedAlgorithm { algorithm } => write!(
                f,
                "the signature uses algorithm {algorithm}; this VM knows 1 (Ed25519)"
            ),
            SignatureError::UnknownKey { key } => {
                f.write_str("the bundle is signed by key ")?;
                key.iter().try_for_each(|b| write!(f, "{b:02x}"))?;
                f.write_str(", which is not a trusted key")
            }
            SignatureError::Invalid => f.write_str(
                "the signature does not match the bundle: it was modified after signing",
            ),
        }
    }
}

impl std::error::Error for SignatureError {}
