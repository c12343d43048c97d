//! The deterministic automata of `matches` tests (section 8, `FORMAT.md`, "Automata"): the
//! table layout, its verification at load, and matching.
//!
//! The compiler determinizes each regular expression into one [`Automaton`]: a byte → class
//! map, a transition table of `u16` state ids (states × classes), and one "accepting" bit per
//! state that says whether the value matches when it ends in that state. State 0 is the dead
//! state: it is not accepting and every transition from it leads back to it, so matching stops
//! as soon as it is reached. Matching is one pass over the value's bytes and allocates nothing.
//!
//! [`Automaton::read`] checks every byte of an automaton before it is used: counts within
//! their limits and within the bytes left, every class and state id in range, the dead state's
//! shape, no stray bits. Nothing here panics on any input.

use crate::bytes::Reader;
use crate::error::LoadError;
use crate::format::limits;
use crate::opcode::StrId;

/// One verified automaton.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Automaton {
    /// The class of each byte value.
    classes: [u8; 256],
    /// The number of classes (the width of a table row), 1 to 256.
    class_count: u16,
    /// The state matching starts in.
    start: u16,
    /// `table[state * class_count + class]`: the next state.
    table: Box<[u16]>,
    /// Bit `state % 8` of byte `state / 8`: the value matches when it ends in `state`.
    accepting: Box<[u8]>,
}

/// The id of the dead state.
pub const DEAD: u16 = 0;

impl Automaton {
    /// An automaton from its parts, as the compiler builds it; `None` unless they form one that
    /// [`Automaton::read`] accepts (so a written automaton always loads).
    #[cfg(feature = "write")]
    pub fn new(
        classes: [u8; 256],
        class_count: u16,
        start: u16,
        table: Vec<u16>,
        accepting: &[bool],
    ) -> Option<Automaton> {
        let mut bits = vec![0u8; accepting.len().div_ceil(8)];
        for (state, _) in accepting.iter().enumerate().filter(|(_, a)| **a) {
            bits[state / 8] |= 1 << (state % 8);
        }
        let automaton = Automaton {
            classes,
            class_count,
            start,
            table: table.into(),
            accepting: bits.into(),
        };
        let mut bytes = Vec::new();
        automaton.write(&mut bytes);
        let read =
            Automaton::read(&mut Reader::new(&bytes, crate::format::SectionId::Automata)).ok()?;
        (read == automaton).then_some(automaton)
    }

    /// Reads and verifies one automaton (layout in `FORMAT.md`, "Automata").
    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Automaton, LoadError> {
        let class_count = r.u16()?;
        if !(1..=256).contains(&class_count) {
            return Err(LoadError::InvalidValue {
                what: "class count of an automaton (1 to 256)",
                value: class_count.into(),
            });
        }
        let state_count = r.u16()?;
        if state_count == 0 {
            return Err(LoadError::InvalidValue {
                what: "state count of an automaton (at least the dead state)",
                value: 0,
            });
        }
        let start = r.index("automaton start state", state_count.into())?;
        let classes: [u8; 256] = r.array()?;
        if let Some(&class) = classes.iter().find(|&&c| u16::from(c) >= class_count) {
            return Err(LoadError::IndexOutOfRange {
                what: "byte class of an automaton",
                index: class.into(),
                len: class_count.into(),
            });
        }
        let cells = u64::from(state_count) * u64::from(class_count);
        let cells = r.check_count(
            cells,
            "bytes of one automaton's transition table",
            limits::MAX_AUTOMATON_TABLE_BYTES / 2,
            2,
        )?;
        let table = (0..cells)
            .map(|_| r.index("automaton state", state_count.into()))
            .collect::<Result<Box<[u16]>, _>>()?;
        let width = usize::from(class_count);
        if table[..width].iter().any(|&next| next != DEAD) {
            return Err(LoadError::InvalidValue {
                what: "transition of an automaton's dead state (state 0 leads only to itself)",
                value: 0,
            });
        }
        let accepting: Box<[u8]> = r.take(usize::from(state_count).div_ceil(8))?.into();
        let stray = match state_count % 8 {
            0 => 0,
            used => accepting[accepting.len() - 1] >> used,
        };
        if accepting[0] & 1 != 0 || stray != 0 {
            return Err(LoadError::InvalidValue {
                what: "accepting bits of an automaton (the dead state and states past the \
                       last are not accepting)",
                value: accepting[0].into(),
            });
        }
        Ok(Automaton {
            classes,
            class_count,
            start,
            table,
            accepting,
        })
    }

    /// Appends the automaton's encoding, as [`Automaton::read`] reads it.
    #[cfg(feature = "write")]
    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.class_count.to_le_bytes());
        out.extend_from_slice(&(self.state_count() as u16).to_le_bytes());
        out.extend_from_slice(&self.start.to_le_bytes());
        out.extend_from_slice(&self.classes);
        for next in &self.table {
            out.extend_from_slice(&next.to_le_bytes());
        }
        out.extend_from_slice(&self.accepting);
    }

    /// Whether the whole of `value` is matched: one transition per byte, then the accepting
    /// bit of the state reached. Allocates nothing.
    pub fn matches(&self, value: &[u8]) -> bool {
        let width = usize::from(self.class_count);
        let mut state = self.start;
        for &byte in value {
            if state == DEAD {
                return false;
            }
            let cell = usize::from(state) * width + usize::from(self.classes[usize::from(byte)]);
            // Verified: every cell exists and holds a state in range.
            state = self.table.get(cell).copied().unwrap_or(DEAD);
        }
        self.is_accepting(state)
    }

    /// Whether a value that ends in `state` matches.
    pub fn is_accepting(&self, state: u16) -> bool {
        let state = usize::from(state);
        self.accepting
            .get(state / 8)
            .is_some_and(|bits| bits & (1 << (state % 8)) != 0)
    }

    /// The number of states, the dead state included.
    pub fn state_count(&self) -> usize {
        self.table.len() / usize::from(self.class_count)
    }

    /// The number of byte classes.
    pub fn class_count(&self) -> usize {
        self.class_count.into()
    }

    /// The class of `byte`.
    pub fn class_of(&self, byte: u8) -> usize {
        self.classes[usize::from(byte)].into()
    }

    /// Whether some sequence of bytes leads from the start to an accepting state (values are
    /// UTF-8, so a `true` may still be reached by no value; a `false` is definite).
    pub fn can_match(&self) -> bool {
        let states = self.state_count();
        let width = usize::from(self.class_count);
        let mut seen = vec![false; states];
        let mut stack = vec![self.start];
        seen[usize::from(self.start)] = true;
        while let Some(state) = stack.pop() {
            if self.is_accepting(state) {
                return true;
            }
            let row = usize::from(state) * width;
            for &next in self.table.get(row..row + width).unwrap_or(&[]) {
                if !std::mem::replace(&mut seen[usize::from(next)], true) {
                    stack.push(next);
                }
            }
        }
        false
    }

    /// The state matching starts in.
    pub fn start(&self) -> u16 {
        self.start
    }

    /// The state reached from `state` on `byte` (the dead state for a state out of range).
    pub fn next(&self, state: u16, byte: u8) -> u16 {
        let cell = usize::from(state) * usize::from(self.class_count)
            + usize::from(self.classes[usize::from(byte)]);
        self.table.get(cell).copied().unwrap_or(DEAD)
    }

    /// The size of the automaton's encoding in the bundle, in bytes.
    pub fn encoded_len(&self) -> usize {
        6 + 256 + 2 * self.table.len() + self.accepting.len()
    }
}

/// Reads the automata section: a `u16` count, then per automaton the `u16` index of its
/// pattern's text in the string table (of `string_count` strings; for the disassembler and
/// `pmc diff`, never used to match) and the automaton.
pub(crate) fn read_section(
    mut r: Reader<'_>,
    string_count: usize,
) -> Result<Vec<(StrId, Automaton)>, LoadError> {
    // Pattern, class count, state count, start, class map, one cell, one accepting byte.
    const MIN_AUTOMATON_BYTES: usize = 2 + 6 + 256 + 2 + 1;
    let count = r.count16("automata", limits::MAX_AUTOMATA, MIN_AUTOMATON_BYTES)?;
    let automata = (0..count)
        .map(|_| {
            let pattern = StrId(r.index("string (an automaton's pattern)", string_count)?);
            Ok((pattern, Automaton::read(&mut r)?))
        })
        .collect::<Result<Vec<_>, LoadError>>()?;
    r.finish()?;
    Ok(automata)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::SectionId;

    /// `ab*` over bytes: classes 0 (other), 1 (`a`), 2 (`b`); states 0 dead, 1 start,
    /// 2 after `a` (accepting).
    fn ab_star() -> Automaton {
        let mut classes = [0u8; 256];
        classes[usize::from(b'a')] = 1;
        classes[usize::from(b'b')] = 2;
        let table = vec![0, 0, 0, 0, 2, 0, 0, 0, 2];
        Automaton::new(classes, 3, 1, table, &[false, false, true]).unwrap()
    }

    fn encoded(a: &Automaton) -> Vec<u8> {
        let mut out = Vec::new();
        a.write(&mut out);
        out
    }

    fn read(bytes: &[u8]) -> Result<Automaton, LoadError> {
        let mut r = Reader::new(bytes, SectionId::Automata);
        let a = Automaton::read(&mut r)?;
        r.finish()?;
        Ok(a)
    }

    #[test]
    fn matching_follows_the_table_to_the_end() {
        let a = ab_star();
        for (value, expected) in [
            ("a", true),
            ("ab", true),
            ("abbb", true),
            ("", false),
            ("b", false),
            ("aba", false),
            ("abc", false),
        ] {
            assert_eq!(a.matches(value.as_bytes()), expected, "{value:?}");
        }
        assert_eq!(read(&encoded(&a)).unwrap(), a);
        assert_eq!(a.encoded_len(), encoded(&a).len());
    }

    #[test]
    fn every_truncation_is_refused() {
        let bytes = encoded(&ab_star());
        for len in 0..bytes.len() {
            assert!(read(&bytes[..len]).is_err(), "{len} bytes loaded");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(matches!(
            read(&longer),
            Err(LoadError::TrailingBytes { .. })
        ));
    }

    #[test]
    fn malformed_automata_are_refused() {
        let good = encoded(&ab_star());
        let with = |at: usize, byte: u8| {
            let mut bytes = good.clone();
            bytes[at] = byte;
            read(&bytes)
        };
        // No classes, more than 256, no states, a start state out of range.
        assert!(with(0, 0).is_err());
        assert!(with(1, 1).is_err());
        assert!(with(2, 0).is_err());
        assert!(with(4, 3).is_err());
        // A byte of a class past the count.
        assert!(with(6 + usize::from(b'z'), 3).is_err());
        // A transition to a state past the count, and one out of the dead state.
        assert!(with(262 + 2 * 4, 3).is_err());
        assert!(with(262, 1).is_err());
        // The dead state accepting, and a bit past the last state.
        let bits = good.len() - 1;
        assert!(with(bits, good[bits] | 1).is_err());
        assert!(with(bits, good[bits] | 0x80).is_err());
        // Every single-byte change either loads an automaton or is refused: never a panic.
        for at in 0..good.len() {
            for byte in [0, 1, 2, 3, 0x7f, 0xff] {
                let _ = with(at, byte);
            }
        }
    }

    #[test]
    fn a_table_past_the_cap_is_refused_before_it_is_read() {
        let mut bytes = vec![0, 1, 0xff, 0xff, 1, 0];
        bytes.extend_from_slice(&[0; 256]);
        assert!(matches!(read(&bytes), Err(LoadError::Limit { .. })));
    }

    #[test]
    fn the_section_counts_its_automata_and_names_their_patterns() {
        let mut section = 2u16.to_le_bytes().to_vec();
        for pattern in [0u16, 1] {
            section.extend(pattern.to_le_bytes());
            section.extend(encoded(&ab_star()));
        }
        let read = |section: &[u8], strings| {
            read_section(Reader::new(section, SectionId::Automata), strings)
        };
        let automata = read(&section, 2).unwrap();
        assert_eq!(automata.len(), 2);
        assert_eq!(automata[1].0, StrId(1));
        // A pattern string out of range, a count past the automata present.
        assert!(read(&section, 1).is_err());
        section[0] = 3;
        assert!(read(&section, 2).is_err());
    }
}
