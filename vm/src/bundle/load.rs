//! Loading: [`Bundle::load`] and [`Bundle::load_verified`] parse the container once
//! ([`Container::parse`]), then read each section into the bundle's tables, checking every
//! count (against an explicit limit and against the bytes that remain, *before* allocating),
//! every index, every string's UTF-8 and every schedule, then hand the code to the verifier
//! (`verify.rs`).

use std::borrow::Cow;
use std::collections::HashSet;

use super::{AiAgent, Bundle, Channel, Message, Response, Schedule};
use crate::bytes::{Reader, unzigzag};
use crate::container::Container;
use crate::decision::Next;
use crate::error::LoadError;
use crate::format::{
    ChannelLimits, Collect, ConversationControl, Date, FORMAT_MINOR, Frequency, Interval,
    LIMITS_MINOR, MAX_STRING_LEN_VARINT, Platform, SectionId, SendMode, Status, Trigger, limits,
};
use crate::opcode::StrId;
use crate::signature::PublicKey;

impl Bundle {
    /// Verifies `bytes` and loads the bundle.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] describing the first problem found. Never panics, for any input; the
    /// memory used is bounded by the [`limits`] and by the input's length.
    pub fn load(bytes: &[u8]) -> Result<Bundle, LoadError> {
        let container = Container::parse(bytes)?;
        // A signature section, when present, must be well formed even if nobody checks it.
        container.signature(bytes)?;
        Bundle::read(bytes, container)
    }

    /// Verifies `bytes` as [`Bundle::load`] does and, first, requires a valid Ed25519
    /// signature by one of `trusted` (see the module [`crate::signature`]).
    ///
    /// Order of checks: header and checksum, section table, signature, then everything else,
    /// so that nothing beyond the header and the section table of an unauthenticated bundle
    /// is parsed. The header and the table are parsed once, for the signature check and the
    /// load alike.
    ///
    /// # Errors
    ///
    /// [`LoadError::Signature`] when the bundle is unsigned, signed by an unknown key, or
    /// modified after signing (or `trusted` is empty); any other [`LoadError`] as for
    /// [`Bundle::load`].
    pub fn load_verified(bytes: &[u8], trusted: &[PublicKey]) -> Result<Bundle, LoadError> {
        let container = Container::parse(bytes)?;
        crate::signature::verify(bytes, &container, trusted)?;
        Bundle::read(bytes, container)
    }

    /// Reads the sections of `bytes`, whose header and table `container` holds, into a
    /// bundle, and verifies its code.
    fn read(bytes: &[u8], container: Container) -> Result<Bundle, LoadError> {
        let Container {
            version,
            checksum,
            sections,
            ..
        } = container;
        let strings = crate::section::decode(bytes, &sections[SectionId::Strings as usize - 1])?;
        let (text, strings) = read_strings(Reader::new(&strings, SectionId::Strings))?;
        let mut bundle = Bundle {
            version,
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
            automata: Vec::new(),
        };
        bundle.read_sets(Reader::new(
            &bundle.decoded(bytes, SectionId::StringSets)?,
            SectionId::StringSets,
        ))?;
        bundle.channels = bundle.read_named(bytes)?;
        bundle.schedules = bundle.read_named(bytes)?;
        bundle.ai_agents = bundle.read_named(bytes)?;
        bundle.code = bundle.decoded(bytes, SectionId::Code)?.into();
        if let Some(section) = bundle.sections.get(SectionId::ALL.len()) {
            let data = crate::section::decode(bytes, section)?;
            bundle.automata = crate::automaton::read_section(
                Reader::new(&data, SectionId::Automata),
                bundle.strings.len(),
            )?;
        }
        bundle.read_messages(Reader::new(
            &bundle.decoded(bytes, SectionId::Messages)?,
            SectionId::Messages,
        ))?;
        bundle.verify_conditions()?;
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

    fn str_index(&self, r: &mut Reader<'_>) -> Result<StrId, LoadError> {
        r.index("string", self.strings.len()).map(StrId)
    }

    /// The decoded bytes of section `id` of `bytes`.
    fn decoded<'a>(&self, bytes: &'a [u8], id: SectionId) -> Result<Cow<'a, [u8]>, LoadError> {
        crate::section::decode(bytes, &self.sections[id as usize - 1])
    }

    /// Reads the table of `T`s from its section of `bytes`: a `u16` count (at most its limit,
    /// each entry taking at least its fewest bytes), then the entries, each its name followed
    /// by what [`NamedEntry::read`] reads. No two entries may share a name, and the section
    /// ends with the last entry.
    fn read_named<T: NamedEntry>(&self, bytes: &[u8]) -> Result<Vec<T>, LoadError> {
        let (what, (max, min_entry)) = (T::SECTION.name(), T::LIMIT);
        let data = self.decoded(bytes, T::SECTION)?;
        let mut r = Reader::new(&data, T::SECTION);
        let count = r.count16(what, max, min_entry)?;
        let mut names = Vec::with_capacity(count);
        let entries = (0..count)
            .map(|index| {
                let name = self.str_index(&mut r)?;
                names.push(name);
                T::read(self, &mut r, index, name)
            })
            .collect::<Result<Vec<T>, _>>()?;
        check_unique(what, names.iter().map(|&name| self.str(name)))?;
        r.finish()?;
        Ok(entries)
    }

    /// Reads a column of `n` string references, each stored as the zigzag varint of its
    /// difference from the previous one in the column (the first from 0).
    fn str_column(&self, r: &mut Reader<'_>, n: usize) -> Result<Vec<StrId>, LoadError> {
        let mut previous = 0i64;
        (0..n)
            .map(|_| {
                let zigzag = r.varint("string reference", 3)?;
                let id = previous + unzigzag(zigzag);
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

    /// Whether the bundle's minor version is newer than this VM's (so it may use values this
    /// VM does not know, such as new trigger events).
    fn newer_minor(&self) -> bool {
        self.version.1 > FORMAT_MINOR
    }
}

/// An entry of one of the tables of named entries: channels, schedules, AI agents.
trait NamedEntry: Sized {
    /// The table's section (whose name also names the table in errors).
    const SECTION: SectionId;
    /// The table's limit, and the fewest bytes one entry takes.
    const LIMIT: (usize, usize);

    /// Reads entry number `index`, named `name`, after its name.
    fn read(
        bundle: &Bundle,
        r: &mut Reader<'_>,
        index: usize,
        name: StrId,
    ) -> Result<Self, LoadError>;
}

impl NamedEntry for Channel {
    const SECTION: SectionId = SectionId::Channels;
    const LIMIT: (usize, usize) = (limits::MAX_CHANNELS, 4);

    fn read(bundle: &Bundle, r: &mut Reader<'_>, _: usize, name: StrId) -> Result<Self, LoadError> {
        Ok(Channel {
            name,
            platform: r.byte_value("platform", Platform::from_byte)?,
            conversation_control: r
                .byte_value("conversation control", ConversationControl::from_byte)?,
            limits: if bundle.version.1 >= LIMITS_MINOR {
                read_limits(r)?
            } else {
                ChannelLimits::default()
            },
        })
    }
}

/// A channel's limits (`FORMAT.md`, "Channels"): a flag byte, then each limit it announces,
/// each above zero and the counts at most [`limits::MAX_DELIVERY_LIMIT`].
fn read_limits(r: &mut Reader<'_>) -> Result<ChannelLimits, LoadError> {
    let flags = r.u8()?;
    if flags & !7 != 0 {
        return Err(LoadError::InvalidValue {
            what: "channel limit flags",
            value: flags.into(),
        });
    }
    let min_interval_s = if flags & 1 != 0 {
        let seconds = r.u32()?;
        if seconds == 0 {
            return Err(LoadError::InvalidValue {
                what: "min_interval (seconds)",
                value: 0,
            });
        }
        Some(seconds)
    } else {
        None
    };
    let mut count = |bit: u8, what: &'static str| -> Result<Option<u16>, LoadError> {
        if flags & bit == 0 {
            return Ok(None);
        }
        let n = r.u16()?;
        if n == 0 || n > limits::MAX_DELIVERY_LIMIT {
            return Err(LoadError::InvalidValue {
                what,
                value: n.into(),
            });
        }
        Ok(Some(n))
    };
    let max_per_visit = count(2, "max_per_visit")?;
    let max_per_day = count(4, "max_per_day")?;
    Ok(ChannelLimits {
        min_interval_s,
        max_per_visit,
        max_per_day,
    })
}

impl NamedEntry for Schedule {
    const SECTION: SectionId = SectionId::Schedules;
    const LIMIT: (usize, usize) = (limits::MAX_SCHEDULES, 17);

    fn read(
        bundle: &Bundle,
        r: &mut Reader<'_>,
        index: usize,
        name: StrId,
    ) -> Result<Self, LoadError> {
        let zone = bundle.str_index(r)?;
        let tzif_len = r.u32()?;
        let tzif_len = r.check_count(tzif_len.into(), "TZif bytes", limits::MAX_TZIF_BYTES, 1)?;
        let tzif = r.take(tzif_len)?;
        let tz =
            jiff::tz::TimeZone::tzif(bundle.str(zone), tzif).map_err(|e| LoadError::TimeZone {
                schedule: index,
                zone: bundle.str(zone).to_owned(),
                reason: tzif_reason(&e),
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
        Ok(Schedule {
            name,
            zone,
            tzif_len,
            tz,
            weekly,
            holidays,
        })
    }
}

impl NamedEntry for AiAgent {
    const SECTION: SectionId = SectionId::AiAgents;
    const LIMIT: (usize, usize) = (limits::MAX_AI_AGENTS, 5);

    fn read(bundle: &Bundle, r: &mut Reader<'_>, _: usize, name: StrId) -> Result<Self, LoadError> {
        let generative = r.byte_value("AI agent flags", |flags| match flags {
            0 | 1 => Some(flags == 1),
            _ => None,
        })?;
        let n = r.count16("answers of an AI agent", limits::MAX_ANSWERS, 2)?;
        let answers = (0..n)
            .map(|_| bundle.str_index(r))
            .collect::<Result<_, _>>()?;
        Ok(AiAgent {
            name,
            generative,
            answers,
        })
    }
}

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

/// Checks that no two of `names` (the names of a table's entries) are equal.
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
