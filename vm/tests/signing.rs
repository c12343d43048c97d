//! Signed bundles: `Bundle::load_verified` accepts exactly the bundles signed by a trusted key
//! and refuses, with a clear error, unsigned bundles, unknown keys and every modification —
//! including every single byte changed with the checksum re-sealed, so that the signature (not
//! the CRC) is what refuses it. The C ABI reports the same outcomes.

use std::ffi::{CStr, c_char};
use std::path::Path;

use ed25519_dalek::{Signer, SigningKey};
use pm_vm::ffi::{
    PM_ERR_INVALID, PM_ERR_SIGNATURE, PM_OK, PmBundle, pm_bundle_free, pm_bundle_load_verified,
    pm_string_free,
};
use pm_vm::signature::SIGNATURE_SECTION_LEN;
use pm_vm::testkit::reseal;
use pm_vm::write::sign_bundle;
use pm_vm::{Bundle, LoadError, PublicKey, SignatureError};

fn unsigned() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/acme.pmb")).unwrap()
}

fn key(seed: u8) -> (SigningKey, PublicKey) {
    let signing = SigningKey::from_bytes(&[seed; 32]);
    let public = PublicKey::from_bytes(signing.verifying_key().to_bytes()).unwrap();
    (signing, public)
}

fn signed_by(seed: u8) -> Vec<u8> {
    let (signing, public) = key(seed);
    sign_bundle(&unsigned(), &public, |m| signing.sign(m).to_bytes()).unwrap()
}

fn signature_error(result: Result<Bundle, LoadError>) -> SignatureError {
    match result {
        Err(LoadError::Signature(e)) => e,
        other => panic!("expected a signature error, got {other:?}"),
    }
}

#[test]
fn a_signed_bundle_loads_with_its_key_and_without_a_check() {
    let bytes = signed_by(1);
    assert_eq!(bytes.len(), unsigned().len() + 15 + SIGNATURE_SECTION_LEN);
    let (_, public) = key(1);
    let (_, other) = key(2);
    let verified = Bundle::load_verified(&bytes, &[other, public]).unwrap();
    let plain = Bundle::load(&bytes).unwrap();
    let reference = Bundle::load(&unsigned()).unwrap();
    assert_eq!(verified.messages(), reference.messages());
    assert_eq!(
        pm_vm::disasm(&plain).lines().skip(1).collect::<Vec<_>>(),
        pm_vm::disasm(&reference)
            .lines()
            .skip(1)
            .collect::<Vec<_>>()
    );
}

#[test]
fn unsigned_unknown_key_and_no_keys_are_refused_with_clear_errors() {
    let (_, public) = key(1);
    let (_, other) = key(2);
    let e = signature_error(Bundle::load_verified(&unsigned(), &[public]));
    assert_eq!(e, SignatureError::Unsigned);
    let message = LoadError::Signature(e).to_string();
    assert_eq!(
        message,
        "bundle refused: the bundle is not signed, and a signature is required"
    );
    let e = signature_error(Bundle::load_verified(&signed_by(1), &[other]));
    assert_eq!(
        e,
        SignatureError::UnknownKey {
            key: public.to_bytes()
        }
    );
    assert!(e.to_string().contains(&public.to_string()), "{e}");
    assert!(e.to_string().contains("not a trusted key"), "{e}");
    let e = signature_error(Bundle::load_verified(&signed_by(1), &[]));
    assert_eq!(e, SignatureError::NoTrustedKeys);
}

#[test]
fn every_byte_changed_is_refused() {
    let bytes = signed_by(1);
    let (_, public) = key(1);
    let count = u16::from_le_bytes([bytes[16], bytes[17]]) as usize;
    let table_end = 18 + 15 * count;
    let signature_start = bytes.len() - SIGNATURE_SECTION_LEN;
    let mut by_signature = 0;
    for at in 0..bytes.len() {
        {
            let mask = 0xffu8;
            let mut changed = bytes.clone();
            changed[at] ^= mask;
            // As a corrupted download: the checksum refuses it (or the header check before it).
            assert!(
                Bundle::load_verified(&changed, &[public]).is_err(),
                "byte {at} ^ {mask:#x} was accepted"
            );
            if (8..12).contains(&at) {
                continue; // re-sealing would restore the original checksum
            }
            // As a deliberate tamper: the checksum re-computed, so only the signature is left.
            reseal(&mut changed);
            let result = Bundle::load_verified(&changed, &[public]);
            assert!(
                result.is_err(),
                "byte {at} ^ {mask:#x} (re-sealed) was accepted"
            );
            if (table_end..signature_start).contains(&at) {
                // Header and table intact: the signature refuses it before the body is parsed.
                assert_eq!(
                    signature_error(result),
                    SignatureError::Invalid,
                    "byte {at}"
                );
                by_signature += 1;
            }
        }
    }
    // The signature alone refuses every change to the body, which is most of the bundle.
    assert!(
        by_signature > bytes.len() * 9 / 10,
        "{by_signature} of {} bytes",
        bytes.len()
    );
}

#[test]
fn truncating_extending_or_swapping_the_key_is_refused() {
    let bytes = signed_by(1);
    let (_, public) = key(1);
    for len in 0..bytes.len() {
        let mut cut = bytes[..len].to_vec();
        if len >= 16 {
            cut[12..16].copy_from_slice(&(len as u32).to_le_bytes());
            reseal(&mut cut);
        }
        assert!(
            Bundle::load_verified(&cut, &[public]).is_err(),
            "{len} bytes accepted"
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    let len = longer.len() as u32;
    longer[12..16].copy_from_slice(&len.to_le_bytes());
    reseal(&mut longer);
    assert!(Bundle::load_verified(&longer, &[public]).is_err());

    // A bundle re-signed by an attacker but naming the trusted key.
    let mut swapped = signed_by(2);
    let at = swapped.len() - 64 - 32;
    swapped[at..at + 32].copy_from_slice(&public.to_bytes());
    reseal(&mut swapped);
    assert_eq!(
        signature_error(Bundle::load_verified(&swapped, &[public])),
        SignatureError::Invalid
    );
}

#[test]
fn a_malleated_signature_is_refused() {
    // Adding the group order L to S gives a signature that lax verifiers accept;
    // `verify_strict` requires S < L.
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let mut bytes = signed_by(1);
    let (_, public) = key(1);
    let s_at = bytes.len() - 32;
    let mut carry = 0u16;
    for i in 0..32 {
        let sum = u16::from(bytes[s_at + i]) + u16::from(L[i]) + carry;
        bytes[s_at + i] = sum as u8;
        carry = sum >> 8;
    }
    reseal(&mut bytes);
    assert_eq!(
        signature_error(Bundle::load_verified(&bytes, &[public])),
        SignatureError::Invalid
    );
}

#[test]
fn a_malformed_signature_section_fails_even_the_plain_load() {
    let mut bytes = signed_by(1);
    let at = bytes.len() - SIGNATURE_SECTION_LEN;
    bytes[at] = 2; // algorithm
    reseal(&mut bytes);
    let e = Bundle::load(&bytes).unwrap_err();
    assert_eq!(
        e,
        LoadError::Signature(SignatureError::UnsupportedAlgorithm { algorithm: 2 })
    );
}

#[test]
fn signing_refuses_a_signed_bundle_and_a_wrong_key() {
    let (signing, public) = key(1);
    let (_, other) = key(2);
    let bytes = signed_by(1);
    assert!(sign_bundle(&bytes, &public, |m| signing.sign(m).to_bytes()).is_err());
    assert!(sign_bundle(&unsigned(), &other, |m| signing.sign(m).to_bytes()).is_err());
}

#[test]
fn public_keys_parse_from_hex() {
    let (_, public) = key(1);
    assert_eq!(
        PublicKey::from_hex(&format!(" {public}\n")).unwrap(),
        public
    );
    assert_eq!(PublicKey::from_hex("abc"), Err(SignatureError::InvalidKey));
    assert_eq!(
        PublicKey::from_hex(&"zz".repeat(32)),
        Err(SignatureError::InvalidKey)
    );
}

/// Calls `pm_bundle_load_verified` and returns its status and error text.
fn c_load(bytes: &[u8], keys: &[[u8; 32]]) -> (i32, String) {
    let flat: Vec<u8> = keys.concat();
    let mut out: *mut PmBundle = std::ptr::null_mut();
    let mut error: *mut c_char = std::ptr::null_mut();
    // SAFETY: valid buffers and out-pointers, per the C ABI's contract.
    let status = unsafe {
        pm_bundle_load_verified(
            bytes.as_ptr(),
            bytes.len(),
            flat.as_ptr(),
            keys.len(),
            &mut out,
            &mut error,
        )
    };
    let text = if error.is_null() {
        String::new()
    } else {
        // SAFETY: set by the library, freed once below.
        let text = unsafe { CStr::from_ptr(error) }
            .to_string_lossy()
            .into_owned();
        unsafe { pm_string_free(error) };
        text
    };
    // SAFETY: a handle from the library (or NULL), freed once.
    unsafe { pm_bundle_free(out) };
    (status, text)
}

#[test]
fn the_c_abi_reports_signature_failures_distinctly() {
    let (_, public) = key(1);
    let (_, other) = key(2);
    assert_eq!(c_load(&signed_by(1), &[public.to_bytes()]).0, PM_OK);
    let (status, text) = c_load(&unsigned(), &[public.to_bytes()]);
    assert_eq!(status, PM_ERR_SIGNATURE);
    assert!(text.contains("not signed"), "{text}");
    let (status, text) = c_load(&signed_by(1), &[other.to_bytes()]);
    assert_eq!(status, PM_ERR_SIGNATURE);
    assert!(text.contains("not a trusted key"), "{text}");
    let mut tampered = signed_by(1);
    tampered[300] ^= 1;
    reseal(&mut tampered);
    let (status, text) = c_load(&tampered, &[public.to_bytes()]);
    assert_eq!(status, PM_ERR_SIGNATURE);
    assert!(text.contains("modified after signing"), "{text}");
    assert_eq!(c_load(&signed_by(1), &[]).0, PM_ERR_SIGNATURE);
    // Not a point on the curve: a caller's mistake, not a bundle's.
    let bad = (0..=255u8)
        .map(|b| [b; 32])
        .find(|k| PublicKey::from_bytes(*k).is_err())
        .unwrap();
    let (status, text) = c_load(&signed_by(1), &[bad]);
    assert_eq!(status, PM_ERR_INVALID, "{text}");
    // Corruption that is not about the signature stays PM_ERR_INVALID.
    assert_eq!(
        c_load(&signed_by(1)[..10], &[public.to_bytes()]).0,
        PM_ERR_INVALID
    );
}
