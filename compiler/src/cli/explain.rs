//! `pmc explain`: the long explanation of a diagnostic code.

use std::process::ExitCode;

use pmc::diagnostic::Code;

pub(crate) fn explain(code: &str) -> Result<ExitCode, String> {
    let Some(code) = Code::parse(code) else {
        let known: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let hint = pmc::suggest::did_you_mean(code, known.iter().copied())
            .map(|s| format!(" (did you mean {s}?)"))
            .unwrap_or_default();
        return Err(format!(
            "`{code}` is not a diagnostic code{hint}; codes look like E0302 or W0101"
        ));
    };
    print!("{}", code.explanation());
    Ok(ExitCode::SUCCESS)
}
