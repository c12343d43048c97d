//! The section table and section encodings: where each section lies in a bundle, how its
//! bytes are stored (as is, or deflated), and decoding them.
//!
//! Invariants checked by [`read_sections`] before any section is decoded: entries have
//! strictly increasing ids and describe contiguous sections that fill the file after the
//! table; every section this VM reads is present, uses an encoding it knows, and declares a
//! decoded length that the encoding can produce from its stored bytes (equal for
//! [`Encoding::Stored`], at most [`MAX_DEFLATE_RATIO`] times for [`Encoding::Deflate`]);
//! their decoded lengths add up to at most [`limits::MAX_DECODED_BYTES`]. So decoding
//! allocates at most that much, and only what the stored bytes can really hold.

use std::borrow::Cow;

use miniz_oxide::inflate::TINFLStatus;
use miniz_oxide::inflate::core::{DecompressorOxide, decompress, inflate_flags};

use crate::bytes::{le_u16, le_u32};
use crate::error::LoadError;
use crate::format::{
    Encoding, HEADER_LEN, MAX_DEFLATE_RATIO, SECTION_ENTRY_LEN, SIGNATURE_SECTION_ID, SectionId,
    limits,
};

/// One entry of the section table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct SectionEntry {
    /// The section's id ([`SectionId`], the signature's, or one this VM does not know).
    pub id: u16,
    /// The encoding byte ([`Encoding`]; any value in a section this VM skips).
    pub encoding: u8,
    /// Offset of the stored bytes from the start of the file.
    pub offset: u32,
    /// Number of stored bytes.
    pub len: u32,
    /// Number of bytes once decoded.
    pub decoded_len: u32,
}

impl SectionEntry {
    /// The `i`-th entry of the table; the caller has checked that it lies within `bytes`.
    pub fn read(bytes: &[u8], i: usize) -> SectionEntry {
        let at = entry_offset(i);
        SectionEntry {
            id: le_u16(bytes, at),
            encoding: bytes[at + 2],
            offset: le_u32(bytes, at + 3),
            len: le_u32(bytes, at + 7),
            decoded_len: le_u32(bytes, at + 11),
        }
    }

    /// Appends the entry's [`SECTION_ENTRY_LEN`] bytes.
    #[cfg(feature = "write")]
    pub fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.id.to_le_bytes());
        out.push(self.encoding);
        out.extend_from_slice(&self.offset.to_le_bytes());
        out.extend_from_slice(&self.len.to_le_bytes());
        out.extend_from_slice(&self.decoded_len.to_le_bytes());
    }

    /// The stored bytes' range in the file.
    pub fn range(&self) -> (usize, usize) {
        let start = self.offset as usize;
        (start, start + self.len as usize)
    }
}

/// One section a loaded bundle holds: where it lies and how it is stored (what `disasm`
/// lists). Only sections with a known id and encoding become one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SectionInfo {
    /// The section.
    pub id: SectionId,
    /// How its bytes are stored.
    pub encoding: Encoding,
    /// Offset of the stored bytes from the start of the file.
    pub offset: u32,
    /// Number of stored bytes.
    pub stored_len: u32,
    /// Number of bytes once decoded.
    pub decoded_len: u32,
}

/// Offset of entry `i` of the section table.
pub(crate) fn entry_offset(i: usize) -> usize {
    HEADER_LEN + 2 + i * SECTION_ENTRY_LEN
}

/// Number of entries in the section table of a bundle whose table has been checked.
pub(crate) fn entry_count(bytes: &[u8]) -> usize {
    usize::from(le_u16(bytes, HEADER_LEN))
}

/// Reads and checks the section table (see the module's invariants) and returns each section
/// this VM reads in file order: the required ones, indexed like [`SectionId::ALL`], then the
/// automata section when present.
pub(crate) fn read_sections(bytes: &[u8]) -> Result<Vec<SectionInfo>, LoadError> {
    let table_err = |reason: String| LoadError::SectionTable { reason };
    if bytes.len() < HEADER_LEN + 2 {
        return Err(table_err("the section count is missing".into()));
    }
    let count = entry_count(bytes);
    if count > limits::MAX_SECTIONS {
        return Err(LoadError::Limit {
            what: "sections",
            count: count as u64,
            max: limits::MAX_SECTIONS,
        });
    }
    let table_end = entry_offset(count);
    if table_end > bytes.len() {
        return Err(table_err(format!(
            "{count} entries do not fit in the bundle"
        )));
    }
    let mut found: [Option<SectionInfo>; 7] = [None; 7];
    let mut automata = None;
    let mut expected_offset = table_end;
    let mut last_id = 0u16;
    let mut decoded_total = 0u64;
    for i in 0..count {
        let entry = SectionEntry::read(bytes, i);
        let SectionEntry {
            id, offset, len, ..
        } = entry;
        if id <= last_id {
            return Err(table_err(format!(
                "section ids must increase: id {id} follows id {last_id}"
            )));
        }
        last_id = id;
        if offset as usize != expected_offset {
            return Err(table_err(format!(
                "section {id} starts at {offset}, expected {expected_offset} (sections are \
                 contiguous, without gaps)"
            )));
        }
        // Checked: on 32-bit targets an offset plus a `u32` length can overflow `usize`.
        let end = expected_offset
            .checked_add(len as usize)
            .filter(|&end| end <= bytes.len())
            .ok_or_else(|| {
                table_err(format!(
                    "section {id} ({len} bytes at {offset}) ends past the bundle's end"
                ))
            })?;
        expected_offset = end;
        if id == SIGNATURE_SECTION_ID && entry.encoding != Encoding::Stored.byte() {
            return Err(table_err(
                "the signature section must be stored, not encoded".into(),
            ));
        }
        let slot = SectionId::ALL.iter().position(|s| *s as u16 == id);
        let section = match slot {
            Some(slot) => Some(SectionId::ALL[slot]),
            None => (id == SectionId::Automata as u16).then_some(SectionId::Automata),
        };
        if let Some(section) = section {
            decoded_total += u64::from(entry.decoded_len);
            let info = SectionInfo {
                id: section,
                encoding: check_encoding(&entry, section)?,
                offset,
                stored_len: len,
                decoded_len: entry.decoded_len,
            };
            match slot {
                Some(slot) => found[slot] = Some(info),
                None => automata = Some(info),
            }
        }
    }
    if expected_offset != bytes.len() {
        return Err(table_err(format!(
            "{} bytes after the last section",
            bytes.len() - expected_offset
        )));
    }
    if decoded_total > limits::MAX_DECODED_BYTES as u64 {
        return Err(LoadError::Limit {
            what: "decoded section bytes",
            count: decoded_total,
            max: limits::MAX_DECODED_BYTES,
        });
    }
    if let Some(slot) = found.iter().position(Option::is_none) {
        return Err(LoadError::MissingSection {
            section: SectionId::ALL[slot].name(),
        });
    }
    let mut sections: Vec<SectionInfo> = found
        .into_iter()
        .map(|section| section.expect("every slot was checked just above"))
        .collect();
    sections.extend(automata);
    Ok(sections)
}

/// Checks that a known section's encoding is one this VM decodes and that its decoded length
/// is one the encoding can produce from the stored bytes; returns the encoding.
fn check_encoding(entry: &SectionEntry, section: SectionId) -> Result<Encoding, LoadError> {
    let name = section.name();
    match Encoding::from_byte(entry.encoding) {
        Some(Encoding::Stored) if entry.decoded_len == entry.len => Ok(Encoding::Stored),
        Some(Encoding::Stored) => Err(LoadError::SectionTable {
            reason: format!(
                "the stored {name} section is {} bytes but declares {} decoded bytes",
                entry.len, entry.decoded_len
            ),
        }),
        Some(Encoding::Deflate)
            if u64::from(entry.decoded_len) <= u64::from(entry.len) * MAX_DEFLATE_RATIO =>
        {
            Ok(Encoding::Deflate)
        }
        Some(Encoding::Deflate) => Err(LoadError::SectionTable {
            reason: format!(
                "the deflated {name} section declares {} decoded bytes, more than {} bytes of \
                 deflate data can hold",
                entry.decoded_len, entry.len
            ),
        }),
        None => Err(LoadError::SectionTable {
            reason: format!(
                "the {name} section uses encoding {}, which this VM does not know (0 stored, \
                 1 deflate)",
                entry.encoding
            ),
        }),
    }
}

/// The decoded bytes of a section [`read_sections`] accepted from `bytes`: borrowed when
/// stored, inflated when deflated.
///
/// # Errors
///
/// [`LoadError::Deflate`] when the stored bytes are not exactly one deflate stream of exactly
/// the declared decoded length.
pub(crate) fn decode<'a>(
    bytes: &'a [u8],
    section: &SectionInfo,
) -> Result<Cow<'a, [u8]>, LoadError> {
    let start = section.offset as usize;
    let stored = &bytes[start..start + section.stored_len as usize];
    if section.encoding == Encoding::Stored {
        return Ok(Cow::Borrowed(stored));
    }
    let err = |reason: String| LoadError::Deflate {
        section: section.id.name(),
        reason,
    };
    let mut out = vec![0; section.decoded_len as usize];
    let mut state = Box::<DecompressorOxide>::default();
    let (status, read, written) = decompress(
        &mut state,
        stored,
        &mut out,
        0,
        inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF,
    );
    match status {
        TINFLStatus::Done if read == stored.len() && written == out.len() => Ok(Cow::Owned(out)),
        TINFLStatus::Done if written != out.len() => Err(err(format!(
            "it decodes to {written} bytes, not the {} its entry declares",
            out.len()
        ))),
        TINFLStatus::Done => Err(err(format!(
            "{} bytes follow the end of its deflate stream",
            stored.len() - read
        ))),
        TINFLStatus::HasMoreOutput => Err(err(format!(
            "it decodes to more than the {} bytes its entry declares",
            out.len()
        ))),
        TINFLStatus::NeedsMoreInput | TINFLStatus::FailedCannotMakeProgress => {
            Err(err("its deflate stream is truncated".into()))
        }
        _ => Err(err("its bytes are not a valid deflate stream".into())),
    }
}

/// The stored form of a section's bytes for the writer: deflated (at level 9, zlib's best)
/// when that makes them smaller and `compress` is on, as is otherwise.
#[cfg(feature = "write")]
pub(crate) fn encode(body: Vec<u8>, compress: bool) -> (Encoding, Vec<u8>) {
    if compress {
        let deflated = miniz_oxide::deflate::compress_to_vec(&body, 9);
        if deflated.len() < body.len() {
            return (Encoding::Deflate, deflated);
        }
    }
    (Encoding::Stored, body)
}
