//! `pmc simulate`: a scenario run on a compiled bundle (a directory compiled first).

use std::path::Path;
use std::process::ExitCode;

use super::{analyze_loaded, open_bundle, print_diagnostics};
use crate::{EXIT_INPUT_ERRORS, MessageFormat, SimulateFormat};

/// Compiles a bundle directory, or loads a `.pmb` file; `Ok(Err(code))` when the sources have errors.
pub(crate) fn compiled_bundle(path: &Path) -> Result<Result<Vec<u8>, ExitCode>, String> {
    if path.is_dir() {
        let bundle = open_bundle(path, false)?;
        let analysis = analyze_loaded(&bundle);
        let Some(checked) = analysis.bundle else {
            print_diagnostics(&bundle, &analysis.diagnostics, MessageFormat::Human)?;
            return Ok(Err(ExitCode::from(EXIT_INPUT_ERRORS)));
        };
        return pmc::codegen::generate(&checked).map(Ok);
    }
    std::fs::read(path)
        .map(Ok)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

pub(crate) fn simulate(
    path: &Path,
    scenario_path: &Path,
    format: SimulateFormat,
    explain: bool,
) -> Result<ExitCode, String> {
    let text = std::fs::read_to_string(scenario_path)
        .map_err(|e| format!("cannot read {}: {e}", scenario_path.display()))?;
    let scenario =
        pmc::scenario::parse(&text).map_err(|e| format!("{}: {e}", scenario_path.display()))?;
    let bytes = match compiled_bundle(path)? {
        Ok(bytes) => bytes,
        Err(code) => return Ok(code),
    };
    let bundle = pm_vm::Bundle::load(&bytes)
        .map_err(|e| format!("{} is not a valid bundle: {e}", path.display()))?;
    let report =
        pmc::scenario::run(std::sync::Arc::new(bundle), &scenario, explain).map_err(|e| {
            let error = pmc::scenario::ScenarioError::from_run(&text, &e);
            format!("{}: {error}", scenario_path.display())
        })?;
    match format {
        SimulateFormat::Json => println!("{}", pmc::scenario::to_json(&report, explain)),
        SimulateFormat::Human => print!("{}", pmc::scenario::to_human(&report, explain)),
    }
    Ok(ExitCode::SUCCESS)
}
