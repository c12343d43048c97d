//! Signed bundles: an Ed25519 signature in a trailing section, checked by
//! [`Bundle::load_verified`] against the public keys the app trusts.
//!
//! The CRC-32 in the header only detects corruption; anyone can recompute it. The signature
//! proves origin: only the holder of the private key (the account's CI) can produce a bundle
//! that [`Bundle::load_verified`] accepts. `FORMAT.md` (*Signature*) specifies the layout:
//!
//! ```text
//! section id 0xFFFF (the largest id, so always the last section), 97 bytes:
//!     u8       algorithm   1 = Ed25519
//!     [u8; 32] signer      the signer's public key
//!     [u8; 64] signature   Ed25519 (RFC 8032) over SIGNING_CONTEXT ‖ the file without its
//!                          last 64 bytes, with the header's checksum field read as zeros
//! ```
//!
//! Verification uses `ed25519-dalek`'s `verify_strict` (rejects non-canonical and small-order
//! points, so a signature is not malleable). The VM only verifies; signing happens in the
//! compiler (`pmc build --sign`), which hands a signing closure to [`sign_bundle`] (feature
//! `write`), so no private key ever passes through this crate.

use std::fmt;

use ed25519_dalek::{Signature, VerifyingKey};

use crate::bundle::{Bundle, LoadError, check_header};
use crate::format::HEADER_LEN;
use crate::section::{SectionEntry, entry_count, read_sections};

/// Id of the signature section: the largest id, so it is always the last section.
pub const SIGNATURE_SECTION_ID: u16 = 0xFFFF;
/// The signature section's length: algorithm, public key, signature.
pub const SIGNATURE_SECTION_LEN: usize = 1 + 32 + 64;
/// The algorithm byte for Ed25519.
pub const ALGORITHM_ED25519: u8 = 1;
/// Prefix of the signed message (domain separation: a `.pmb` signature cannot be replayed as a
/// signature over anything else made with the same key, and vice versa).
pub const SIGNING_CONTEXT: &[u8] = b"PMB signature v1\0";

/// An Ed25519 public key that the app trusts to sign bundles.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey([u8; 32]);

impl PublicKey {
    /// The key from its 32 bytes.
    ///
    /// # Errors
    ///
    /// [`SignatureError::InvalidKey`] when the bytes are not a valid Ed25519 point.
    pub fn from_bytes(bytes: [u8; 32]) -> Result<PublicKey, SignatureError> {
        VerifyingKey::from_bytes(&bytes).map_err(|_| SignatureError::InvalidKey)?;
        Ok(PublicKey(bytes))
    }

    /// The key from 64 hexadecimal digits (as `pmc keygen` prints it); surrounding whitespace
    /// is ignored.
    ///
    /// # Errors
    ///
    /// [`SignatureError::InvalidKey`] when the text is not 64 hex digits of a valid key.
    pub fn from_hex(text: &str) -> Result<PublicKey, SignatureError> {
        let text = text.trim().as_bytes();
        if text.len() != 64 {
            return Err(SignatureError::InvalidKey);
        }
        let mut bytes = [0u8; 32];
        for (i, pair) in text.chunks(2).enumerate() {
            let digit = |c: u8| (c as char).to_digit(16).ok_or(SignatureError::InvalidKey);
            bytes[i] = (digit(pair[0])? * 16 + digit(pair[1])?) as u8;
        }
        PublicKey::from_bytes(bytes)
    }

    /// The key's 32 bytes.
    pub fn to_bytes(self) -> [u8; 32] {
        self.0
    }
}

/// Lower-case hexadecimal, 64 digits.
impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({self})")
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

/// The signature section of a bundle whose header and section table are valid: its byte
/// range, or `None` when the bundle is unsigned.
pub(crate) fn find_section(bytes: &[u8]) -> Result<Option<(usize, usize)>, LoadError> {
    let last = entry_count(bytes)
        .checked_sub(1)
        .map(|i| SectionEntry::read(bytes, i));
    match last {
        Some(entry) if entry.id == SIGNATURE_SECTION_ID => {
            let (start, end) = entry.range();
            if entry.len as usize != SIGNATURE_SECTION_LEN {
                return Err(LoadError::Signature(SignatureError::BadSectionLength {
                    len: entry.len as usize,
                }));
            }
            let algorithm = bytes[start];
            if algorithm != ALGORITHM_ED25519 {
                return Err(LoadError::Signature(SignatureError::UnsupportedAlgorithm {
                    algorithm,
                }));
            }
            Ok(Some((start, end)))
        }
        _ => Ok(None),
    }
}

/// The message a signature covers: [`SIGNING_CONTEXT`], then the bundle without its last 64
/// bytes (the signature itself), with the checksum field (bytes 8..12) read as zeros.
///
/// `bundle` must be at least [`HEADER_LEN`] + 64 bytes long.
pub fn signed_message(bundle: &[u8]) -> Vec<u8> {
    let body = &bundle[..bundle.len() - 64];
    let mut message = Vec::with_capacity(SIGNING_CONTEXT.len() + body.len());
    message.extend_from_slice(SIGNING_CONTEXT);
    message.extend_from_slice(&body[..8]);
    message.extend_from_slice(&[0; 4]);
    message.extend_from_slice(&body[12..]);
    message
}

impl Bundle {
    /// Verifies `bytes` as [`Bundle::load`] does and, first, requires a valid Ed25519
    /// signature by one of `trusted` (see the module [`crate::signature`]).
    ///
    /// Order of checks: header and checksum, section table, signature, then everything else,
    /// so that nothing beyond the header and the section table of an unauthenticated bundle
    /// is parsed.
    ///
    /// # Errors
    ///
    /// [`LoadError::Signature`] when the bundle is unsigned, signed by an unknown key, or
    /// modified after signing (or `trusted` is empty); any other [`LoadError`] as for
    /// [`Bundle::load`].
    pub fn load_verified(bytes: &[u8], trusted: &[PublicKey]) -> Result<Bundle, LoadError> {
        if bytes.len() < HEADER_LEN {
            return Err(LoadError::TooShort { len: bytes.len() });
        }
        check_header(bytes)?;
        read_sections(bytes)?;
        if trusted.is_empty() {
            return Err(LoadError::Signature(SignatureError::NoTrustedKeys));
        }
        let (start, end) =
            find_section(bytes)?.ok_or(LoadError::Signature(SignatureError::Unsigned))?;
        let key: [u8; 32] = bytes[start + 1..start + 33].try_into().expect("32 bytes");
        let signature: [u8; 64] = bytes[start + 33..end].try_into().expect("64 bytes");
        if !trusted.iter().any(|k| k.0 == key) {
            return Err(LoadError::Signature(SignatureError::UnknownKey { key }));
        }
        // A trusted key was valid when it became a `PublicKey`.
        let verifying = VerifyingKey::from_bytes(&key)
            .map_err(|_| LoadError::Signature(SignatureError::InvalidKey))?;
        verifying
            .verify_strict(&signed_message(bytes), &Signature::from_bytes(&signature))
            .map_err(|_| LoadError::Signature(SignatureError::Invalid))?;
        Bundle::load(bytes)
    }
}

/// Signs a bundle: returns `bundle` with a signature section by `signer` appended (the section
/// table, total length and checksum updated). `sign` receives the message to sign (see
/// [`signed_message`]) and returns the Ed25519 signature made with `signer`'s private key.
///
/// # Errors
///
/// [`crate::write::WriteError::Invalid`] when `bundle` does not load, is already signed, or
/// the result does not verify with `signer` (a signature made with another key).
#[cfg(feature = "write")]
pub fn sign_bundle(
    bundle: &[u8],
    signer: &PublicKey,
    sign: impl FnOnce(&[u8]) -> [u8; 64],
) -> Result<Vec<u8>, crate::write::WriteError> {
    use crate::format::{Encoding, SECTION_ENTRY_LEN};
    use crate::section::entry_offset;
    use crate::write::WriteError;

    Bundle::load(bundle).map_err(WriteError::Invalid)?;
    if find_section(bundle).map_err(WriteError::Invalid)?.is_some() {
        return Err(WriteError::Invalid(LoadError::SectionTable {
            reason: "the bundle is already signed".into(),
        }));
    }
    let count = entry_count(bundle);
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
    out.extend_from_slice(&signer.0);
    out.extend_from_slice(&[0; 64]);
    out[12..16].copy_from_slice(&(total as u32).to_le_bytes());
    let signature = sign(&signed_message(&out));
    out[total - 64..].copy_from_slice(&signature);
    let crc = crate::bundle::checksum(&out);
    out[8..12].copy_from_slice(&crc.to_le_bytes());
    Bundle::load_verified(&out, std::slice::from_ref(signer)).map_err(WriteError::Invalid)?;
    Ok(out)
}
