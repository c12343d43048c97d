//! The results of a run of rule tests, and how `pmc test` shows them: lines for people (each
//! test, then each failure at its file, line and column) and a JSON report for tools.
//!
//! Every name and path from the input goes through [`terminal::escape`] in the text for
//! people; the JSON report holds them as they are.

use std::fmt::Write as _;

use super::Failure;
use crate::scenario::{Delivery, ScenarioError};
use crate::terminal;

/// What became of one test file.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Every expectation held.
    Passed,
    /// These expectations failed.
    Failed(Vec<Failure>),
    /// The file is not a valid rule test, or its scenario cannot run on the bundle.
    Broken(ScenarioError),
}

/// One test file's result.
#[derive(Debug, Clone, PartialEq)]
pub struct FileResult {
    /// The file's path, as people and tools name it.
    pub path: String,
    /// The test's name, when the file could be read.
    pub name: Option<String>,
    /// What became of it.
    pub outcome: Outcome,
    /// What the scenario delivered (empty when it did not run).
    pub deliveries: Vec<Delivery>,
    /// How long it took, in seconds.
    pub seconds: f64,
}

impl FileResult {
    /// Whether the test passed.
    pub fn passed(&self) -> bool {
        self.outcome == Outcome::Passed
    }

    /// The test's name, or its file's path when the file could not be read.
    pub fn title(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.path)
    }

    /// Each problem as one block of text: `FILE:LINE:COLUMN: message`, then indented details.
    pub fn problems(&self) -> Vec<String> {
        let path = terminal::escape(&self.path);
        match &self.outcome {
            Outcome::Passed => Vec::new(),
            Outcome::Broken(error) => vec![format!(
                "{path}:{}:{}: error: {}",
                error.position.line,
                error.position.column,
                terminal::escape(&error.message)
            )],
            Outcome::Failed(failures) => failures
                .iter()
                .map(|failure| {
                    let mut block = format!(
                        "{path}:{}:{}: {}",
                        failure.position.line,
                        failure.position.column,
                        terminal::escape(&failure.message)
                    );
                    for line in &failure.details {
                        let _ = write!(block, "\n    {}", terminal::escape(line));
                    }
                    block
                })
                .collect(),
        }
    }
}

/// Passed and failed tests (a broken file counts as failed).
pub fn counts(results: &[FileResult]) -> (usize, usize) {
    let passed = results.iter().filter(|r| r.passed()).count();
    (passed, results.len() - passed)
}

/// One line per test (`ok` or `FAILED`, its file and name), then every failure.
pub fn human(results: &[FileResult]) -> String {
    let mut out = String::new();
    for result in results {
        let status = if result.passed() { "ok    " } else { "FAILED" };
        let _ = write!(out, "{status} {}", terminal::escape(&result.path));
        match &result.name {
            Some(name) => {
                let _ = writeln!(out, ": {}", terminal::escape(name));
            }
            None => out.push('\n'),
        }
    }
    let problems: Vec<String> = results.iter().flat_map(FileResult::problems).collect();
    if !problems.is_empty() {
        out.push_str("\nfailures:\n");
        for problem in problems {
            let _ = writeln!(out, "\n{problem}");
        }
        out.push('\n');
    }
    out
}

/// The last line: `N passed, N failed`.
pub fn final_line(results: &[FileResult]) -> String {
    let (passed, failed) = counts(results);
    format!("{passed} passed, {failed} failed")
}

/// The JSON report: every test with its status, failures (line, column, message, details) or
/// error, deliveries and time; the counts; the coverage when measured.
pub fn to_json(results: &[FileResult], coverage: Option<serde_json::Value>) -> String {
    let number = |t: f64| {
        if t.fract() == 0.0 {
            serde_json::json!(t as i64)
        } else {
            serde_json::json!(t)
        }
    };
    let tests: Vec<serde_json::Value> = results
        .iter()
        .map(|result| {
            let mut test = serde_json::json!({
                "file": result.path,
                "name": result.name,
                "status": match result.outcome {
                    Outcome::Passed => "passed",
                    Outcome::Failed(_) => "failed",
                    Outcome::Broken(_) => "error",
                },
                "time": (result.seconds * 1e6).round() / 1e6,
                "deliveries": result.deliveries.iter().map(|d| serde_json::json!({
                    "t": number(d.t), "message": d.message,
                })).collect::<Vec<_>>(),
            });
            match &result.outcome {
                Outcome::Passed => {}
                Outcome::Failed(failures) => {
                    test["failures"] = failures
                        .iter()
                        .map(|f| {
                            serde_json::json!({
                                "line": f.position.line, "column": f.position.column,
                                "message": f.message, "details": f.details,
                            })
                        })
                        .collect();
                }
                Outcome::Broken(error) => {
                    test["error"] = serde_json::json!({
                        "line": error.position.line, "column": error.position.column,
                        "message": error.message,
                    });
                }
            }
            test
        })
        .collect();
    let (passed, failed) = counts(results);
    let mut report = serde_json::json!({ "tests": tests, "passed": passed, "failed": failed });
    if let Some(coverage) = coverage {
        report["coverage"] = coverage;
    }
    serde_json::to_string_pretty(&report).unwrap_or_default()
}
