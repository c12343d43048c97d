//! `pmc build`: a bundle directory checked, compiled, optionally signed, and written where it
//! loses no data.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use pmc::diagnostic::render;
use pmc::fs::{self, OutputTarget};

use super::{analyze_loaded, keyfile, open_bundle, print_diagnostics, shown};
use crate::{EXIT_INPUT_ERRORS, MessageFormat};

/// `pmc build`'s output path and whether it may replace a file that is not a bundle.
pub(crate) struct Output {
    pub(crate) path: PathBuf,
    pub(crate) force: bool,
}

impl Output {
    /// Resolves the output and refuses what would lose data: a path named like a source
    /// (`.pm`, account.toml), one of the inputs (also through a link or a hard link), or an
    /// existing non-empty file that is not a bundle (unless `--force`).
    fn checked_target(&self, inputs: &[PathBuf]) -> Result<OutputTarget, String> {
        let shown = self.path.display();
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if name == fs::ACCOUNT_FILE || name.ends_with(".pm") {
            return Err(format!(
                "refusing to write the bundle to {shown}: account.toml and `.pm` files are \
                 sources; give the output a `.pmb` name"
            ));
        }
        let target = OutputTarget::resolve(&self.path)?;
        if let Some(input) = inputs.iter().find(|i| fs::same_file(target.path(), i)) {
            return Err(format!(
                "refusing to write the bundle to {shown}: it is {}, an input of the build",
                input.strip_prefix(".").unwrap_or(input).display()
            ));
        }
        if let OutputTarget::File(path) = &target
            && !self.force
            && !holds_a_bundle(path)?
        {
            return Err(format!(
                "refusing to replace {shown}: it exists and is not a bundle (it does not start \
                 with the `PMB` header); pass --force to replace it"
            ));
        }
        Ok(target)
    }
}

/// Whether the regular file at `path` is empty or starts like a bundle: the files `pmc build`
/// replaces without `--force`.
pub(crate) fn holds_a_bundle(path: &Path) -> Result<bool, String> {
    use std::io::Read;
    let mut head = Vec::with_capacity(pm_vm::format::MAGIC.len());
    std::fs::File::open(path)
        .and_then(|file| {
            file.take(pm_vm::format::MAGIC.len() as u64)
                .read_to_end(&mut head)
        })
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(head.is_empty() || head == pm_vm::format::MAGIC)
}

pub(crate) fn build(
    dir: Option<&Path>,
    output: &Output,
    message_format: MessageFormat,
    sign: Option<&Path>,
    verbose: bool,
) -> Result<ExitCode, String> {
    // Read the key first: a bad key fails before anything is compiled or written.
    let key = sign.map(keyfile::Key::read).transpose()?;
    let dir = dir.unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(format!("{} is not a directory", dir.display()));
    }
    let bundle = open_bundle(dir, verbose)?;
    let inputs: Vec<PathBuf> = bundle
        .sources
        .files()
        .map(|f| bundle.root.join(&f.path))
        .chain(sign.map(Path::to_path_buf))
        .collect();
    let analysis = analyze_loaded(&bundle);
    print_diagnostics(&bundle, &analysis.diagnostics, message_format)?;
    let Some(checked) = analysis.bundle else {
        return Ok(ExitCode::from(EXIT_INPUT_ERRORS));
    };
    let target = output.checked_target(&inputs)?;
    let mut bytes = pmc::codegen::generate(&checked)?;
    if let Some(key) = &key {
        bytes = key.sign_bundle(&bytes)?;
        eprintln!("signed with key {}", key.public());
    }
    target.write(&bytes)?;
    eprintln!(
        "wrote {} ({}, {})",
        shown(&output.path),
        render::count(checked.messages.len(), "message"),
        render::count(bytes.len(), "byte")
    );
    Ok(ExitCode::SUCCESS)
}
