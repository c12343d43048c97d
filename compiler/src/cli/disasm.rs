//! `pmc disasm`: a bundle's bytecode listed.

use std::path::Path;
use std::process::ExitCode;

pub(crate) fn disasm(path: &Path) -> Result<ExitCode, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let bundle = pm_vm::Bundle::load(&bytes)
        .map_err(|e| format!("{} is not a valid bundle: {e}", path.display()))?;
    print!("{}", pm_vm::disasm(&bundle));
    Ok(ExitCode::SUCCESS)
}
