//! Constants and small value types of the `.pmb` bundle format shared by the loader and the
//! writer: magic, versions, section ids (the signature's too), limits and the enumerations
//! stored as bytes.
//!
//! `FORMAT.md` describes the layout; every number here appears there.

/// The first four bytes of every bundle.
pub const MAGIC: [u8; 4] = *b"PMB\0";
/// The format major version this VM reads. A bundle with a larger major is refused.
pub const FORMAT_MAJOR: u16 = 4;
/// The format minor version this VM writes. Bundles with a larger minor (same major) load;
/// whatever the newer minor added is ignored as `FORMAT.md` describes.
pub const FORMAT_MINOR: u16 = 3;
/// The first minor version whose channel entries carry [`ChannelLimits`] (older bundles have
/// no limits).
pub const LIMITS_MINOR: u16 = 3;
/// Size of the fixed header: magic, major, minor, CRC-32, total length.
pub const HEADER_LEN: usize = 16;
/// Size of one section table entry: `u16` id, `u8` encoding, `u32` offset, `u32` stored
/// length, `u32` decoded length.
pub const SECTION_ENTRY_LEN: usize = 15;
/// Most bytes one deflate-encoded byte can decode to: a length/distance pair costs at least two
/// bits and copies at most 258 bytes (RFC 1951), so no stream expands more than 1032-fold. A
/// section claiming more is refused before anything is allocated for it.
pub const MAX_DEFLATE_RATIO: u64 = 1032;
/// Most bytes of the unsigned LEB128 varint that stores one string's length in the string
/// table: three 7-bit groups hold every length up to [`limits::MAX_STRING_BYTES`].
pub const MAX_STRING_LEN_VARINT: usize = 3;
const _: () = assert!(limits::MAX_STRING_BYTES < 1 << (7 * MAX_STRING_LEN_VARINT));

/// Explicit limits enforced by the loader. Each bounds memory and time before anything is
/// allocated; a bundle beyond any of them is rejected with [`crate::LoadError::Limit`].
pub mod limits {
    /// Largest accepted bundle, in bytes.
    pub const MAX_BUNDLE_BYTES: usize = 8 * 1024 * 1024;
    /// Most bytes the sections this VM reads may hold once decoded, all together.
    pub const MAX_DECODED_BYTES: usize = 8 * 1024 * 1024;
    /// Most entries in the section table.
    pub const MAX_SECTIONS: usize = 64;
    /// Most strings in the string table (operands are `u16`).
    pub const MAX_STRINGS: usize = 65_535;
    /// Longest string, in bytes.
    pub const MAX_STRING_BYTES: usize = 64 * 1024;
    /// Most string sets.
    pub const MAX_STRING_SETS: usize = 65_535;
    /// Most strings in one string set.
    pub const MAX_SET_ITEMS: usize = 1_024;
    /// Most channels.
    pub const MAX_CHANNELS: usize = 256;
    /// Most schedules.
    pub const MAX_SCHEDULES: usize = 256;
    /// Largest embedded TZif blob, in bytes.
    pub const MAX_TZIF_BYTES: usize = 256 * 1024;
    /// Most opening intervals on one weekday of a schedule.
    pub const MAX_INTERVALS_PER_DAY: usize = 48;
    /// Most holidays of one schedule.
    pub const MAX_HOLIDAYS: usize = 1_024;
    /// Most AI agents.
    pub const MAX_AI_AGENTS: usize = 256;
    /// Most answers of one AI agent.
    pub const MAX_ANSWERS: usize = 1_024;
    /// Most messages in a bundle (an account holds at most 140 proactive messages).
    pub const MAX_MESSAGES: usize = 140;
    /// Most tags on one message.
    pub const MAX_TAGS: usize = 64;
    /// Longest condition code of one message, in bytes (jump offsets are `u16`).
    pub const MAX_CODE_BYTES: usize = 65_535;
    /// Largest `max_per_visit` or `max_per_day` of a channel: it bounds the delivery instants
    /// the device state keeps for `max_per_day`.
    pub const MAX_DELIVERY_LIMIT: u16 = 1_000;
    /// Most automata (operands are `u16`).
    pub const MAX_AUTOMATA: usize = 65_535;
    /// Largest transition table of one automaton, in bytes (two per state and byte class).
    pub const MAX_AUTOMATON_TABLE_BYTES: usize = 256 * 1024;
}

/// Section identifiers. Sections appear in increasing id order; ids this VM does not know are
/// skipped (a newer minor version may add them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u16)]
pub enum SectionId {
    /// The string table.
    Strings = 1,
    /// The string sets.
    StringSets = 2,
    /// The channels.
    Channels = 3,
    /// The business-hours schedules.
    Schedules = 4,
    /// The AI agents.
    AiAgents = 5,
    /// The message table.
    Messages = 6,
    /// The condition code of all messages.
    Code = 7,
    /// The automata of `matches` tests (format 4.1; optional, absent means none).
    Automata = 8,
}

impl SectionId {
    /// Every section a bundle must hold, in the order they must appear. The optional automata
    /// section follows them when present.
    pub const ALL: [SectionId; 7] = [
        SectionId::Strings,
        SectionId::StringSets,
        SectionId::Channels,
        SectionId::Schedules,
        SectionId::AiAgents,
        SectionId::Messages,
        SectionId::Code,
    ];

    /// The section's name in error messages and the disassembly.
    pub const fn name(self) -> &'static str {
        match self {
            SectionId::Strings => "strings",
            SectionId::StringSets => "string sets",
            SectionId::Channels => "channels",
            SectionId::Schedules => "schedules",
            SectionId::AiAgents => "AI agents",
            SectionId::Messages => "messages",
            SectionId::Code => "code",
            SectionId::Automata => "automata",
        }
    }
}

/// Id of the optional signature section (`FORMAT.md`, "Signature"): the largest id, so it is
/// always the last section. A reader that does not check signatures skips it like any section
/// it does not know, once its shape is checked.
pub const SIGNATURE_SECTION_ID: u16 = 0xFFFF;
/// The signature section's length: algorithm byte, public key, signature.
pub const SIGNATURE_SECTION_LEN: usize = 1 + 32 + 64;
/// The signature section's algorithm byte for Ed25519.
pub const ALGORITHM_ED25519: u8 = 1;

/// Declares a byte-coded enumeration with its byte values and display names.
macro_rules! byte_enum {
    ($(#[doc = $doc:literal])* $name:ident { $($(#[doc = $vdoc:literal])* $variant:ident = $byte:literal $text:literal,)* }) => {
        $(#[doc = $doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[doc = $vdoc])* $variant,)*
        }

        impl $name {
            /// Every value, in byte order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The value's byte in the bundle.
            pub const fn byte(self) -> u8 {
                match self { $($name::$variant => $byte,)* }
            }

            /// The value for `byte`, if it names one.
            pub const fn from_byte(byte: u8) -> Option<Self> {
                match byte { $($byte => Some($name::$variant),)* _ => None }
            }

            /// The value's name as written in `account.toml`, `.pm` sources and messages.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }
        }
    };
}

byte_enum! {
    /// How a section's bytes are stored in the file (the section table's encoding byte).
    Encoding {
        /// As is: the stored bytes are the section.
        Stored = 0 "stored",
        /// Raw deflate (RFC 1951, no zlib or gzip wrapper): the stored bytes are one deflate
        /// stream that decodes to exactly the section's decoded length.
        Deflate = 1 "deflate",
    }
}

byte_enum! {
    /// A channel's mobile SDK platform.
    Platform {
        /// iOS SDK.
        Ios = 0 "ios",
        /// Android SDK.
        Android = 1 "android",
        /// Unity SDK.
        Unity = 2 "unity",
    }
}

byte_enum! {
    /// A channel's conversation control setting.
    ConversationControl {
        /// Control is released to the proactive messages.
        Release = 0 "release",
        /// Control is kept (the compiler warns: messages will not send).
        Keep = 1 "keep",
    }
}

byte_enum! {
    /// How often one device may see a message.
    Frequency {
        /// Never again on this device after it was shown.
        OncePerDevice = 0 "once_per_device",
        /// Not again in the same visit.
        OncePerVisit = 1 "once_per_visit",
        /// At every check where everything else holds.
        EveryTime = 2 "every_time",
    }
}

byte_enum! {
    /// A message's status.
    Status {
        /// The message may be delivered.
        Published = 0 "published",
        /// The message is never delivered.
        Paused = 1 "paused",
    }
}

/// The event that starts a message's check.
///
/// Trigger codes form an open table (`FORMAT.md`, "Trigger events"): a bundle whose minor
/// version is newer than [`FORMAT_MINOR`] may use codes this VM does not know; such messages
/// load as [`Trigger::Other`] and never fire. In a bundle of a known version an unknown code is
/// an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Trigger {
    /// `screen_open` (code 0).
    ScreenOpen,
    /// A trigger added by a newer minor version of the format.
    Other(u8),
}

impl Trigger {
    /// The trigger's byte in the bundle.
    pub const fn byte(self) -> u8 {
        match self {
            Trigger::ScreenOpen => 0,
            Trigger::Other(b) => b,
        }
    }

    /// The trigger for `byte` (`Other` for unknown codes).
    pub const fn from_byte(byte: u8) -> Trigger {
        match byte {
            0 => Trigger::ScreenOpen,
            b => Trigger::Other(b),
        }
    }
}

/// When a message may be sent with respect to a business-hours schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SendMode {
    /// At any time (mode byte 0, schedule index `0xffff`).
    Anytime,
    /// Only while the schedule with this index is open (mode byte 1).
    During(u16),
    /// Only while the schedule with this index is closed (mode byte 2).
    Outside(u16),
}

/// Which fields a live-agent hand-over collects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Collect {
    /// Collect the customer's name (flag bit 0).
    pub name: bool,
    /// Collect the customer's e-mail address (flag bit 1).
    pub email: bool,
}

impl Collect {
    /// The flag byte.
    pub const fn byte(self) -> u8 {
        (self.name as u8) | ((self.email as u8) << 1)
    }

    /// The flags for `byte`, if only bits 0 and 1 are used.
    pub const fn from_byte(byte: u8) -> Option<Collect> {
        if byte & !3 != 0 {
            return None;
        }
        Some(Collect {
            name: byte & 1 != 0,
            email: byte & 2 != 0,
        })
    }
}

/// A half-open opening interval within one local day, in minutes since midnight:
/// open at `start`, closed at `end`; `0 <= start < end <= 1440`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Interval {
    /// First open minute of the day.
    pub start: u16,
    /// First closed minute after the interval (1440 is midnight at the end of the day).
    pub end: u16,
}

/// A local calendar date (a holiday).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, -9999..=9999.
    pub year: i16,
    /// Month, 1..=12.
    pub month: u8,
    /// Day of month, 1..=31 (valid for the month).
    pub day: u8,
}

/// Weekday names in bundle order (Monday first), as written in `account.toml`.
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// A channel's delivery limits (`[channels.limits]` of `account.toml`); `None` is no limit.
///
/// Stored after the channel's other fields from minor version [`LIMITS_MINOR`] on: a flag byte
/// (bit 0 `min_interval`, bit 1 `max_per_visit`, bit 2 `max_per_day`), then each value present,
/// in that order (`u32` seconds, `u16`, `u16`). Every value present is above zero; counts are
/// at most [`limits::MAX_DELIVERY_LIMIT`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct ChannelLimits {
    /// Least time between two deliveries on a device, in seconds.
    pub min_interval_s: Option<u32>,
    /// Most deliveries in one visit.
    pub max_per_visit: Option<u16>,
    /// Most deliveries in any 24 hours.
    pub max_per_day: Option<u16>,
}

impl ChannelLimits {
    /// The flag byte saying which limits are present.
    pub const fn flags(self) -> u8 {
        (self.min_interval_s.is_some() as u8)
            | ((self.max_per_visit.is_some() as u8) << 1)
            | ((self.max_per_day.is_some() as u8) << 2)
    }

    /// Whether the channel has no limit at all.
    pub const fn is_empty(self) -> bool {
        self.flags() == 0
    }
}
