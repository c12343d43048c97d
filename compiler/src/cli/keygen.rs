//! `pmc keygen`: a new signing key pair written, the public key printed.

use std::path::Path;
use std::process::ExitCode;

use super::{keyfile, shown};

pub(crate) fn keygen(path: &Path) -> Result<ExitCode, String> {
    let key = keyfile::keygen(path)?;
    eprintln!(
        "wrote {} (private, keep it secret) and {}",
        shown(path),
        shown(&keyfile::public_key_path(path))
    );
    println!("{}", key.public());
    Ok(ExitCode::SUCCESS)
}
