//! JUnit XML for `pmc test --junit`: the report format that GitHub (through test-report
//! actions), GitLab and Jenkins display.
//!
//! One `<testsuites>` with one `<testsuite>` (the bundle) and one `<testcase>` per test file:
//! `name` is the test's name, `classname` its file. A failing test has one `<failure>` per
//! failing expectation (its message in `message`, the file, line, column and details in the
//! text); a file that is not a valid test, or cannot run, has an `<error>`. The elements and
//! attributes are those of the Jenkins JUnit schema (`junit-10.xsd`), which the other
//! consumers read too. Text is escaped for XML, and characters XML 1.0 cannot hold (most
//! control characters) are written as `\u{…}` ([`terminal::escape`]).

use std::fmt::Write as _;

use super::report::{FileResult, Outcome};
use crate::terminal;

/// The JUnit XML of `results`, as the test suite `suite` (the bundle's name for people).
pub fn render(suite: &str, results: &[FileResult]) -> String {
    let failed = results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Failed(_)))
        .count();
    let broken = results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Broken(_)))
        .count();
    let time: f64 = results.iter().map(|r| r.seconds).sum();
    let counts = format!(
        "tests=\"{}\" failures=\"{failed}\" errors=\"{broken}\" time=\"{time:.3}\"",
        results.len()
    );
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<testsuites name=\"pmc test\" {counts}>");
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" {counts} skipped=\"0\">",
        attribute(suite)
    );
    for result in results {
        let _ = write!(
            out,
            "    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3}\"",
            attribute(result.title()),
            attribute(&result.path),
            result.seconds
        );
        let problems = result.problems();
        match &result.outcome {
            Outcome::Passed => out.push_str("/>\n"),
            Outcome::Failed(failures) => {
                out.push_str(">\n");
                for (failure, text) in failures.iter().zip(&problems) {
                    let _ = writeln!(
                        out,
                        "      <failure type=\"expectation\" message=\"{}\">{}</failure>",
                        attribute(&failure.message),
                        text_content(text)
                    );
                }
                out.push_str("    </testcase>\n");
            }
            Outcome::Broken(error) => {
                let _ = writeln!(
                    out,
                    ">\n      <error type=\"invalid test\" message=\"{}\">{}</error>\n    </testcase>",
                    attribute(&error.message),
                    text_content(problems.first().map_or("", String::as_str))
                );
            }
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// Text for an attribute value: escaped, line breaks and tabs as character references.
fn attribute(text: &str) -> String {
    escape(text, true)
}

/// Text for element content.
fn text_content(text: &str) -> String {
    escape(text, false)
}

fn escape(text: &str, in_attribute: bool) -> String {
    // Control characters become visible escapes first; line feeds and tabs are kept.
    let visible = terminal::escape(text);
    let mut out = String::with_capacity(visible.len());
    for c in visible.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if in_attribute => out.push_str("&quot;"),
            '\n' if in_attribute => out.push_str("&#10;"),
            '\t' if in_attribute => out.push_str("&#9;"),
            // Not allowed in XML 1.0 even as references (U+FFFE, U+FFFF; surrogates cannot
            // occur in a `str`).
            c @ ('\u{fffe}' | '\u{ffff}') => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_quotes_breaks_and_controls_are_escaped() {
        assert_eq!(
            attribute("a <b> & \"c\"\nd\te"),
            "a &lt;b&gt; &amp; &quot;c&quot;&#10;d&#9;e"
        );
        assert_eq!(text_content("x\ny \"z\""), "x\ny \"z\"");
        let escaped = text_content("bell\u{7} escape\u{1b}");
        assert!(!escaped.chars().any(|c| c.is_control()), "{escaped}");
    }
}
