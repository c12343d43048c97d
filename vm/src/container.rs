//! The container of a bundle: the header, the checksum and the section table, parsed and
//! checked **once** per load. [`Container::parse`] is the only place that computes a bundle's
//! CRC-32 and reads its section table for loading; [`crate::Bundle::load`] and
//! [`crate::Bundle::load_verified`] both start from its result and never parse them again.
//!
//! Invariants of a [`Container`]: the header names this VM's major version, the length it
//! declares is the input's, the checksum matches, and the section table satisfies every rule
//! of [`crate::section`] (so each known section can be decoded without further checks of the
//! table).

use crate::bytes::{le_u16, le_u32};
use crate::error::{LoadError, SignatureError};
use crate::format::{
    ALGORITHM_ED25519, FORMAT_MAJOR, HEADER_LEN, MAGIC, SIGNATURE_SECTION_ID,
    SIGNATURE_SECTION_LEN, limits,
};
use crate::section::{SectionEntry, SectionInfo, entry_count, read_sections};

/// A bundle's checked header and section table.
#[derive(Clone, Debug)]
pub(crate) struct Container {
    /// The format version `(major, minor)`.
    pub version: (u16, u16),
    /// The CRC-32 the header stores (and the contents match).
    pub checksum: u32,
    /// Each section this VM reads, indexed like [`crate::format::SectionId::ALL`], then the
    /// automata section when present.
    pub sections: Vec<SectionInfo>,
    /// The last table entry when it has the signature's id; its shape is checked by
    /// [`Container::signature`].
    signature: Option<SectionEntry>,
}

impl Container {
    /// Checks the header (magic, version, size, declared length, checksum) and the section
    /// table of `bytes`.
    ///
    /// # Errors
    ///
    /// The first problem found, as a [`LoadError`]; never panics, allocates nothing beyond the
    /// result.
    pub fn parse(bytes: &[u8]) -> Result<Container, LoadError> {
        #[cfg(test)]
        count::PARSES.with(|n| n.set(n.get() + 1));
        if bytes.len() < HEADER_LEN {
            return Err(LoadError::TooShort { len: bytes.len() });
        }
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
        let sections = read_sections(bytes)?;
        let signature = entry_count(bytes)
            .checked_sub(1)
            .map(|i| SectionEntry::read(bytes, i))
            .filter(|entry| entry.id == SIGNATURE_SECTION_ID);
        Ok(Container {
            version: (major, minor),
            checksum: stored,
            sections,
            signature,
        })
    }

    /// The signature section's byte range in `bytes` (the bundle this container was parsed
    /// from), or `None` when the bundle is unsigned.
    ///
    /// # Errors
    ///
    /// [`LoadError::Signature`] when the section is not [`SIGNATURE_SECTION_LEN`] bytes or
    /// names an algorithm other than Ed25519: a malformed signature section is refused even by
    /// a load that checks no signature.
    pub fn signature(&self, bytes: &[u8]) -> Result<Option<(usize, usize)>, LoadError> {
        let Some(entry) = self.signature else {
            return Ok(None);
        };
        let (start, end) = entry.range();
        if entry.len as usize != SIGNATURE_SECTION_LEN {
            return Err(LoadError::Signature(SignatureError::BadSectionLength {
                len: entry.len as usize,
            }));
        }
        // The table check put the section within `bytes`, and it is not empty.
        let algorithm = bytes[start];
        if algorithm != ALGORITHM_ED25519 {
            return Err(LoadError::Signature(SignatureError::UnsupportedAlgorithm {
                algorithm,
            }));
        }
        Ok(Some((start, end)))
    }
}

/// The CRC-32 (IEEE) of a whole bundle with the checksum field (bytes 8..12) read as zeros:
/// what the header stores. `bytes` is at least [`HEADER_LEN`] long.
pub(crate) fn checksum(bytes: &[u8]) -> u32 {
    #[cfg(test)]
    count::CHECKSUMS.with(|n| n.set(n.get() + 1));
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&bytes[..8]);
    hasher.update(&[0; 4]);
    hasher.update(&bytes[12..]);
    hasher.finalize()
}

/// Stores the [`checksum`] of `bytes` (at least [`HEADER_LEN`] long) in its header, after the
/// rest of the header and the contents are final.
#[cfg(feature = "write")]
pub(crate) fn reseal(bytes: &mut [u8]) {
    let crc = checksum(bytes);
    bytes[8..12].copy_from_slice(&crc.to_le_bytes());
}

/// Per-thread counts of container parses and checksum computations, so that a test can show
/// that a load does each once (tests only; nothing is counted in a build that ships).
#[cfg(test)]
pub(crate) mod count {
    use std::cell::Cell;

    thread_local! {
        /// Calls of [`super::Container::parse`].
        pub(crate) static PARSES: Cell<usize> = const { Cell::new(0) };
        /// Calls of [`super::checksum`].
        pub(crate) static CHECKSUMS: Cell<usize> = const { Cell::new(0) };
    }

    /// The `(parses, checksums)` that running `f` on this thread caused.
    pub(crate) fn during(f: impl FnOnce()) -> (usize, usize) {
        let now = || (PARSES.with(Cell::get), CHECKSUMS.with(Cell::get));
        let before = now();
        f();
        let after = now();
        (after.0 - before.0, after.1 - before.1)
    }
}
