//! Key files: the bundle signing keys of `pmc keygen` and `pmc build --sign` (Ed25519, via
//! `ed25519-dalek`).
//!
//! A private key file holds one line, `PM-ED25519-PRIVATE-KEY <64 hex digits>` (the 32-byte
//! seed), after `#` comment lines; it is created with mode 0600, atomically, and never
//! overwritten. The public key is 64 hex digits (the format `pm_vm::PublicKey::from_hex`
//! reads), printed by `pmc keygen` and written next to the private key as `<file>.pub`.
//! The signature section itself is specified in `vm/FORMAT.md` and written by
//! `pm_vm::write::sign_bundle`.

use std::io::Write;
use std::path::{Path, PathBuf};

use ed25519_dalek::{Signer, SigningKey};
use pm_vm::PublicKey;

/// The label before the hex seed in a private key file.
const LABEL: &str = "PM-ED25519-PRIVATE-KEY";
/// Private key files larger than this are not key files.
const MAX_KEY_FILE_BYTES: u64 = 4096;

/// A signing key read from a file or freshly generated.
pub struct Key {
    signing: SigningKey,
}

impl Key {
    /// A new key from the operating system's random number generator.
    ///
    /// # Errors
    /// When the operating system cannot provide randomness.
    pub fn generate() -> Result<Key, String> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| format!("cannot get random bytes: {e}"))?;
        let signing = SigningKey::from_bytes(&seed);
        seed.fill(0);
        Ok(Key { signing })
    }

    /// The public key.
    pub fn public(&self) -> PublicKey {
        PublicKey::from_bytes(self.signing.verifying_key().to_bytes())
            .expect("a signing key's public key is valid")
    }

    /// Signs a bundle written by `pmc build` (appends the signature section).
    ///
    /// # Errors
    /// When the bundle does not verify before or after signing.
    pub fn sign_bundle(&self, bundle: &[u8]) -> Result<Vec<u8>, String> {
        pm_vm::write::sign_bundle(bundle, &self.public(), |message| {
            self.signing.sign(message).to_bytes()
        })
        .map_err(|e| format!("cannot sign the bundle: {e}"))
    }

    /// The private key file's text.
    fn file_text(&self) -> String {
        let hex: String = self
            .signing
            .to_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!(
            "# pmc bundle signing key (Ed25519). Keep it secret: whoever holds it can publish\n\
             # bundles that apps accept. Public key: {}\n{LABEL} {hex}\n",
            self.public()
        )
    }

    /// Reads a private key file. On Unix, warns on stderr when the file is readable by group
    /// or others.
    ///
    /// # Errors
    /// When the file cannot be read or is not a key file.
    pub fn read(path: &Path) -> Result<Key, String> {
        let bad = |why: &str| format!("{} is not a pmc signing key: {why}", path.display());
        let metadata =
            std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if metadata.len() > MAX_KEY_FILE_BYTES {
            return Err(bad("the file is too large"));
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if metadata.permissions().mode() & 0o077 != 0 {
                eprintln!(
                    "warning: {} is readable by other users; `chmod 600` it",
                    path.display()
                );
            }
        }
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let line = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .ok_or_else(|| bad("no key line"))?;
        let hex = line
            .strip_prefix(LABEL)
            .ok_or_else(|| bad(&format!("the key line does not start with {LABEL}")))?
            .trim();
        let seed = parse_hex32(hex).ok_or_else(|| bad("the key is not 64 hex digits"))?;
        Ok(Key {
            signing: SigningKey::from_bytes(&seed),
        })
    }
}

fn parse_hex32(hex: &str) -> Option<[u8; 32]> {
    let hex = hex.as_bytes();
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in hex.chunks(2).enumerate() {
        let text = std::str::from_utf8(pair).ok()?;
        out[i] = u8::from_str_radix(text, 16).ok()?;
    }
    Some(out)
}

/// The public key file written next to a private key file: `<file>.pub`.
pub fn public_key_path(private: &Path) -> PathBuf {
    let mut name = private.as_os_str().to_owned();
    name.push(".pub");
    PathBuf::from(name)
}

/// Writes a new private key file (mode 0600, atomically, refusing to replace an existing file)
/// and its `.pub` file; returns the key.
///
/// # Errors
/// When `path` exists or a file cannot be written.
pub fn keygen(path: &Path) -> Result<Key, String> {
    if path.exists() {
        return Err(format!(
            "{} already exists; pmc keygen never overwrites a key",
            path.display()
        ));
    }
    let key = Key::generate()?;
    write_new_private(path, key.file_text().as_bytes())?;
    pmc::fs::write_atomically(
        &public_key_path(path),
        format!("{}\n", key.public()).as_bytes(),
    )?;
    Ok(key)
}

/// Creates `path` with `bytes` atomically and without replacing an existing file: a temporary
/// file (mode 0600 from creation on Unix) in the same directory, flushed, then hard-linked to
/// `path` (which fails if `path` exists) and removed.
fn write_new_private(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let temporary = pmc::fs::temporary_path(path);
    let result = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::hard_link(&temporary, path)
    })();
    let _ = std::fs::remove_file(&temporary);
    result.map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_file_round_trips_and_signed_bundles_verify() {
        let dir = std::env::temp_dir().join(format!("pmc-signing-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("ci.key");
        let key = keygen(&path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(keygen(&path).err().unwrap().contains("already exists"));
        let read = Key::read(&path).unwrap();
        assert_eq!(read.public(), key.public());
        let public = std::fs::read_to_string(public_key_path(&path)).unwrap();
        assert_eq!(PublicKey::from_hex(&public).unwrap(), key.public());
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            2,
            "no temporary left"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
