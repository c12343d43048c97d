//! Signed bundles: an Ed25519 signature in a trailing section, checked by
//! [`crate::Bundle::load_verified`] against the public keys the app trusts.
//!
//! The CRC-32 in the header only detects corruption; anyone can recompute it. The signature
//! proves origin: only the holder of the private key (the account's CI) can produce a bundle
//! that [`crate::Bundle::load_verified`] accepts. `FORMAT.md` (*Signature*) specifies the layout:
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
//! compiler (`pmc build --sign`), which hands a signing closure to
//! `pm_vm::write::sign_bundle` (feature `write`), so no private key ever passes through this
//! crate.
//!
//! The section's id and layout constants belong to the format ([`crate::format`]) and
//! [`SignatureError`] to the loader's errors; both are re-exported here, so that everything
//! about signatures is found in this module.

use std::fmt;

use ed25519_dalek::{Signature, VerifyingKey};

use crate::container::Container;
use crate::error::LoadError;
pub use crate::error::SignatureError;
pub use crate::format::{ALGORITHM_ED25519, SIGNATURE_SECTION_ID, SIGNATURE_SECTION_LEN};

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

/// The message a signature covers: [`SIGNING_CONTEXT`], then the bundle without its last 64
/// bytes (the signature itself), with the checksum field (bytes 8..12) read as zeros.
///
/// `bundle` must be at least [`crate::format::HEADER_LEN`] + 64 bytes long.
pub fn signed_message(bundle: &[u8]) -> Vec<u8> {
    let body = &bundle[..bundle.len() - 64];
    let mut message = Vec::with_capacity(SIGNING_CONTEXT.len() + body.len());
    message.extend_from_slice(SIGNING_CONTEXT);
    message.extend_from_slice(&body[..8]);
    message.extend_from_slice(&[0; 4]);
    message.extend_from_slice(&body[12..]);
    message
}

/// Checks the signature of `bytes`, whose header and section table `container` holds:
/// it must be by one of `trusted` and match the bundle's contents. Reads nothing beyond the
/// header, the section table and the signature section.
///
/// # Errors
///
/// [`LoadError::Signature`] when `trusted` is empty, the bundle is unsigned or its signature
/// section malformed, the signer is not trusted, or the signature does not match.
pub(crate) fn verify(
    bytes: &[u8],
    container: &Container,
    trusted: &[PublicKey],
) -> Result<(), LoadError> {
    if trusted.is_empty() {
        return Err(LoadError::Signature(SignatureError::NoTrustedKeys));
    }
    let (start, end) = container
        .signature(bytes)?
        .ok_or(LoadError::Signature(SignatureError::Unsigned))?;
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
        .map_err(|_| LoadError::Signature(SignatureError::Invalid))
}
