//! Bytes as the format stores numbers: a bounds-checked little-endian reader over one
//! section for the loader, and the varint and zigzag encodings it shares with the writer.
//!
//! Every read is checked against the bytes that remain and fails with
//! [`LoadError::Truncated`] naming the section and offset; nothing here panics on any input.

use crate::error::{LoadError, VarintProblem};
use crate::format::SectionId;

/// A bounds-checked little-endian cursor over one section.
pub(crate) struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    section: &'static str,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(data: &'a [u8], section: SectionId) -> Self {
        Reader {
            data,
            pos: 0,
            section: section.name(),
        }
    }

    pub(crate) fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    pub(crate) fn truncated(&self, needed: u64) -> LoadError {
        LoadError::Truncated {
            section: self.section,
            offset: self.pos,
            needed,
        }
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], LoadError> {
        if n > self.remaining() {
            return Err(self.truncated(n as u64));
        }
        let bytes = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(bytes)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], LoadError> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, LoadError> {
        Ok(self.array::<1>()?[0])
    }

    pub(crate) fn u16(&mut self) -> Result<u16, LoadError> {
        self.array().map(u16::from_le_bytes)
    }

    pub(crate) fn u32(&mut self) -> Result<u32, LoadError> {
        self.array().map(u32::from_le_bytes)
    }

    pub(crate) fn i16(&mut self) -> Result<i16, LoadError> {
        self.array().map(i16::from_le_bytes)
    }

    /// Checks a count against its limit and against the bytes left (each entry needs at least
    /// `min_entry` bytes), so that nothing is allocated for entries that cannot exist.
    pub(crate) fn check_count(
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

    pub(crate) fn count16(
        &mut self,
        what: &'static str,
        max: usize,
        min_entry: usize,
    ) -> Result<usize, LoadError> {
        let count = self.u16()?;
        self.check_count(count.into(), what, max, min_entry)
    }

    pub(crate) fn index(&mut self, what: &'static str, len: usize) -> Result<u16, LoadError> {
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
    pub(crate) fn varint(
        &mut self,
        what: &'static str,
        max_bytes: usize,
    ) -> Result<u64, LoadError> {
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
    pub(crate) fn varint_u32(&mut self, what: &'static str) -> Result<u32, LoadError> {
        let value = self.varint(what, 5)?;
        u32::try_from(value).map_err(|_| LoadError::Limit {
            what,
            count: value,
            max: u32::MAX as usize,
        })
    }

    /// Reads a [zigzag](unzigzag)-coded varint holding an `i32`.
    pub(crate) fn varint_i32(&mut self, what: &'static str) -> Result<i32, LoadError> {
        let value = self.varint_u32(what)?;
        // A `u32` unzigzags into the `i32` range.
        Ok(unzigzag(value.into()) as i32)
    }

    /// Reads a varint index into a table of `len` entries (at most 65 536, so 3 bytes).
    pub(crate) fn varint_index(
        &mut self,
        what: &'static str,
        len: usize,
    ) -> Result<u16, LoadError> {
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

    /// Reads one byte, turned into a `T` by `parse` (or refused as an invalid `what`).
    pub(crate) fn byte_value<T>(
        &mut self,
        what: &'static str,
        parse: impl Fn(u8) -> Option<T>,
    ) -> Result<T, LoadError> {
        let byte = self.u8()?;
        parse_byte(what, byte, &parse)
    }

    /// Reads a column of `n` one-byte values, each turned into a `T` by `parse` (or refused as
    /// an invalid `what`).
    pub(crate) fn byte_column<T>(
        &mut self,
        n: usize,
        what: &'static str,
        parse: impl Fn(u8) -> Option<T>,
    ) -> Result<Vec<T>, LoadError> {
        let bytes = self.take(n)?;
        bytes
            .iter()
            .map(|&byte| parse_byte(what, byte, &parse))
            .collect()
    }

    pub(crate) fn finish(self) -> Result<(), LoadError> {
        match self.remaining() {
            0 => Ok(()),
            count => Err(LoadError::TrailingBytes {
                section: self.section,
                count,
            }),
        }
    }
}

/// `byte` turned into a `T` by `parse`, or refused as an invalid `what`.
fn parse_byte<T>(
    what: &'static str,
    byte: u8,
    parse: impl Fn(u8) -> Option<T>,
) -> Result<T, LoadError> {
    parse(byte).ok_or(LoadError::InvalidValue {
        what,
        value: byte.into(),
    })
}

/// The `u16` at `at` of `bytes` (little-endian); the caller has checked the bounds.
pub(crate) fn le_u16(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

/// The `u32` at `at` of `bytes` (little-endian); the caller has checked the bounds.
pub(crate) fn le_u32(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// Zigzag coding of a signed value, so that small magnitudes of either sign make short
/// varints: 0, −1, 1, −2, … become 0, 1, 2, 3, ….
#[cfg(feature = "write")]
pub(crate) fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

/// The inverse of [`zigzag`]: 0, 1, 2, 3, … become 0, −1, 1, −2, ….
pub(crate) fn unzigzag(value: u64) -> i64 {
    (value >> 1) as i64 ^ -((value & 1) as i64)
}

/// Appends `value` as an unsigned LEB128 varint in its minimal encoding (what
/// [`Reader::varint`] reads): 7 bits per byte, least significant group first, bit 7 set on
/// every byte but the last.
#[cfg(feature = "write")]
pub(crate) fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push(value as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zigzag_round_trips_and_keeps_small_magnitudes_small() {
        for (value, coded) in [
            (0, 0),
            (-1, 1),
            (1, 2),
            (-2, 3),
            (i64::from(i32::MIN), u64::from(u32::MAX)),
        ] {
            assert_eq!(unzigzag(coded), value);
            #[cfg(feature = "write")]
            assert_eq!(zigzag(value), coded);
        }
    }
}
