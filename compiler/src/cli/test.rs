//! `pmc test`: a bundle's rule tests run, with their report, JUnit XML and coverage written
//! where they overwrite no input.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use pmc::fs::{self, LoadedBundle, OutputTarget};
use pmc::terminal;

use super::{analyze_loaded, open_bundle, print_diagnostics};
use crate::{EXIT_INPUT_ERRORS, MessageFormat};

/// `--min-coverage`: a percentage from 0 to 100.
pub(crate) fn percent(text: &str) -> Result<f64, String> {
    match text.trim_end_matches('%').parse::<f64>() {
        Ok(value) if (0.0..=100.0).contains(&value) => Ok(value),
        _ => Err(format!("{text:?} is not a percentage from 0 to 100")),
    }
}

/// The files `pmc test` writes besides its report on standard output.
pub(crate) struct TestOutputs {
    pub(crate) junit: Option<PathBuf>,
    pub(crate) report: Option<PathBuf>,
    pub(crate) coverage: Option<PathBuf>,
}

impl TestOutputs {
    /// Refuses an output that is an input (a source or a test file, also through a link) or
    /// named like one, before anything runs.
    fn check(&self, inputs: &[PathBuf]) -> Result<(), String> {
        for path in [&self.junit, &self.report, &self.coverage]
            .into_iter()
            .flatten()
        {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            if name == fs::ACCOUNT_FILE
                || name.ends_with(".pm")
                || name.ends_with(pmc::ruletest::FILE_SUFFIX)
            {
                return Err(format!(
                    "refusing to write a report to {}: account.toml, `.pm` and `{}` files are inputs",
                    path.display(),
                    pmc::ruletest::FILE_SUFFIX
                ));
            }
            let target = OutputTarget::resolve(path)?;
            if let Some(input) = inputs.iter().find(|i| fs::same_file(target.path(), i)) {
                return Err(format!(
                    "refusing to write a report to {}: it is {}, an input of the tests",
                    path.display(),
                    input.display()
                ));
            }
        }
        Ok(())
    }
}

/// A path as `pmc test` names it: as given, without a leading `./`.
pub(crate) fn test_path(path: &Path) -> String {
    path.strip_prefix(".").unwrap_or(path).display().to_string()
}

pub(crate) fn test(
    path: Option<&Path>,
    outputs: &TestOutputs,
    min_coverage: Option<f64>,
) -> Result<ExitCode, String> {
    use pmc::ruletest::report::{self, FileResult, Outcome};
    let path = path.unwrap_or(Path::new("."));
    let suffix = pmc::ruletest::FILE_SUFFIX;
    // A directory: its tests; a test file: that test alone.
    let (dir, single) = if path.is_dir() {
        (path.to_path_buf(), None)
    } else if path.is_file() && path.to_string_lossy().ends_with(suffix) {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
        (parent.unwrap_or(Path::new(".")).to_path_buf(), Some(path))
    } else if path.exists() {
        return Err(format!(
            "{} is neither a directory nor a rule test (a file named *{suffix})",
            path.display()
        ));
    } else {
        return Err(format!("{} does not exist", path.display()));
    };
    let bundle = open_bundle(&dir, false)?;
    let analysis = analyze_loaded(&bundle);
    let Some(checked) = &analysis.bundle else {
        print_diagnostics(&bundle, &analysis.diagnostics, MessageFormat::Human)?;
        eprintln!("error: the bundle has errors; no test ran");
        return Ok(ExitCode::from(EXIT_INPUT_ERRORS));
    };
    let files = match single {
        Some(file) => vec![file.to_path_buf()],
        None => fs::rule_test_files(&dir)?,
    };
    let inputs: Vec<PathBuf> = bundle
        .sources
        .files()
        .map(|f| bundle.root.join(&f.path))
        .chain(files.iter().cloned())
        .collect();
    outputs.check(&inputs)?;
    let bytes = pmc::codegen::generate(checked)?;
    let vm = pm_vm::Bundle::load(&bytes)
        .map_err(|e| format!("the compiled bundle does not load: {e}"))?;
    let comparisons = pmc::trace::Comparisons::new(&bundle.sources, &analysis.files, checked);
    let people = fs::report_paths(&bundle, fs::Naming::FromCurrentDir).names;
    let suite = pmc::ruletest::Suite {
        vm: std::sync::Arc::new(vm),
        model: checked,
        comparisons: &comparisons,
        sources: &bundle.sources,
        file_names: &people,
    };
    let measure = outputs.coverage.is_some() || min_coverage.is_some();
    let mut coverage = pmc::coverage::Coverage::new(checked, &comparisons);
    let mut results = Vec::with_capacity(files.len());
    for file in &files {
        let started = std::time::Instant::now();
        let path = test_path(file);
        let text = match fs::read_source(file)? {
            Ok(text) => text,
            Err(not_text) => {
                results.push(FileResult {
                    path,
                    name: None,
                    outcome: Outcome::Broken(pmc::scenario::ScenarioError {
                        position: pmc::json_position::Position::START,
                        message: not_text,
                    }),
                    deliveries: Vec::new(),
                    seconds: started.elapsed().as_secs_f64(),
                });
                continue;
            }
        };
        let (name, outcome, deliveries) = match pmc::ruletest::parse(&text) {
            Err(error) => (None, Outcome::Broken(error), Vec::new()),
            Ok(test) => match suite.run(&test, &text) {
                Err(error) => (Some(test.name), Outcome::Broken(error), Vec::new()),
                Ok(ran) => {
                    if measure {
                        coverage.record(&ran.report);
                    }
                    let outcome = if ran.failures.is_empty() {
                        Outcome::Passed
                    } else {
                        Outcome::Failed(ran.failures)
                    };
                    (Some(test.name), outcome, ran.report.deliveries)
                }
            },
        };
        results.push(FileResult {
            path,
            name,
            outcome,
            deliveries,
            seconds: started.elapsed().as_secs_f64(),
        });
    }
    let (_, failed) = report::counts(&results);
    let root = fs::shown_root(&bundle);
    let mut out = String::new();
    if results.is_empty() {
        out.push_str(&format!(
            "no rule tests in {} (files named *{suffix})\n",
            terminal::escape(&test_path(&dir)),
        ));
    } else {
        out.push_str(&report::human(&results));
    }
    let mut below = false;
    if measure {
        out.push_str(&coverage.summary(&bundle.sources, &people));
        if let Some(minimum) = min_coverage {
            let percent = coverage.percent();
            if results.is_empty() {
                below = true;
                out.push_str("error: there are no tests, and a minimum coverage is asked for\n");
            } else if percent < minimum {
                below = true;
                out.push_str(&format!(
                    "error: coverage {} is below the minimum of {}%\n",
                    pmc::coverage::percent_text(percent),
                    minimum
                ));
            }
        }
    }
    out.push_str(&report::final_line(&results));
    out.push('\n');
    let absolute = absolute_names(&bundle);
    if let Some(path) = &outputs.junit {
        fs::write_output(
            path,
            pmc::ruletest::junit::render(&root, &results).as_bytes(),
        )?;
    }
    if let Some(path) = &outputs.coverage {
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let text = if is_json {
            let json = coverage.to_json(&bundle.sources, &absolute);
            serde_json::to_string_pretty(&json).unwrap_or_default() + "\n"
        } else {
            coverage.lcov(&bundle.sources, &absolute)
        };
        fs::write_output(path, text.as_bytes())?;
    }
    if let Some(path) = &outputs.report {
        let json = measure.then(|| coverage.to_json(&bundle.sources, &absolute));
        fs::write_output(path, (report::to_json(&results, json) + "\n").as_bytes())?;
    }
    write!(std::io::stdout().lock(), "{out}").map_err(|e| format!("cannot write output: {e}"))?;
    Ok(if failed > 0 || below {
        ExitCode::from(EXIT_INPUT_ERRORS)
    } else {
        ExitCode::SUCCESS
    })
}

/// The absolute path of each file of `bundle`, indexed by file id (LCOV names files so).
pub(crate) fn absolute_names(bundle: &LoadedBundle) -> Vec<String> {
    let root = std::fs::canonicalize(&bundle.root).unwrap_or_else(|_| bundle.root.clone());
    bundle
        .sources
        .files()
        .map(|f| root.join(&f.path).display().to_string())
        .collect()
}
