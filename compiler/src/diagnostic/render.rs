//! Renderers: diagnostics to text for terminals (ariadne), JSON, SARIF 2.1.0 and GitHub workflow
//! annotations.
//!
//! Renderers are pure functions from diagnostics and the [`SourceMap`] they point into to a
//! `String`; the caller decides where it goes. Positions in JSON, SARIF and GitHub output are
//! one-based lines and one-based columns counted in Unicode characters; JSON also gives byte
//! offsets.

use std::ops::Range;

use ariadne::{Config, IndexType, Label as AriadneLabel, Report, ReportKind};
use serde_json::{Value, json};

use super::{Code, Diagnostic, Severity};
use crate::source::{SourceMap, Span};

/// The output formats of `--message-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// ariadne reports for people.
    Human,
    /// One JSON document with every diagnostic.
    Json,
    /// A SARIF 2.1.0 log, for code-scanning tools.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…::…`).
    Github,
}

/// Renders `diagnostics` in `format`. `color` only affects [`Format::Human`].
pub fn render(
    format: Format,
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    color: bool,
) -> String {
    match format {
        Format::Human => human(diagnostics, sources, color),
        Format::Json => json(diagnostics, sources),
        Format::Sarif => sarif(diagnostics, sources),
        Format::Github => github(diagnostics, sources),
    }
}

/// A one-line summary such as "2 errors, 1 warning", or `None` when there is nothing to say.
pub fn summary(diagnostics: &[Diagnostic]) -> Option<String> {
    let count = |severity| {
        diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let parts: Vec<String> = [
        (count(Severity::Error), "error"),
        (count(Severity::Warning), "warning"),
    ]
    .into_iter()
    .filter(|&(n, _)| n > 0)
    .map(|(n, word)| plural(n, word))
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// ariadne reports, one after the other, with byte-indexed spans.
pub fn human(diagnostics: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let mut cache = ariadne::sources(sources.files().map(|f| (f.path.clone(), f.text.clone())));
    let mut out = Vec::new();
    for diagnostic in diagnostics {
        let kind = match diagnostic.severity {
            Severity::Error => ReportKind::Error,
            Severity::Warning => ReportKind::Warning,
            Severity::Note => ReportKind::Advice,
        };
        let at = |span: Span| (sources.get(span.file).path.clone(), clamp(sources, span));
        let mut report = Report::build(kind, at(diagnostic.primary.span))
            .with_config(
                Config::default()
                    .with_color(color)
                    .with_index_type(IndexType::Byte),
            )
            .with_code(diagnostic.code)
            .with_message(&diagnostic.message)
            .with_label(
                AriadneLabel::new(at(diagnostic.primary.span))
                    .with_message(&diagnostic.primary.message),
            );
        for label in &diagnostic.secondary {
            report =
                report.with_label(AriadneLabel::new(at(label.span)).with_message(&label.message));
        }
        for note in &diagnostic.notes {
            report = report.with_note(note);
        }
        if let Some(help) = &diagnostic.help {
            report = report.with_help(help);
        }
        // Writing into a Vec cannot fail; a failure would only lose this one report.
        let _ = report.finish().write(&mut cache, &mut out);
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A span's byte range, clamped to its file so that a renderer never indexes out of bounds.
fn clamp(sources: &SourceMap, span: Span) -> Range<usize> {
    let len = sources.get(span.file).text.len();
    let start = (span.start as usize).min(len);
    start..(span.end as usize).clamp(start, len)
}

/// One-based line and character column of a byte offset.
fn position(sources: &SourceMap, span: Span, offset: u32) -> (u32, u32) {
    let file = sources.get(span.file);
    let at = file.lines.to_chars(&file.text, offset);
    (at.line + 1, at.column + 1)
}

fn location_json(sources: &SourceMap, span: Span, message: &str) -> Value {
    let (line, column) = position(sources, span, span.start);
    let (end_line, end_column) = position(sources, span, span.end);
    json!({
        "file": sources.get(span.file).path,
        "byte_start": span.start,
        "byte_end": span.end,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "message": message,
    })
}

/// `{"diagnostics": [...], "errors": N, "warnings": N}`, one line, stable field order.
pub fn json(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let items: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            json!({
                "code": d.code.as_str(),
                "severity": d.severity.as_str(),
                "message": d.message,
                "primary": location_json(sources, d.primary.span, &d.primary.message),
                "secondary": d.secondary.iter().map(|l| location_json(sources, l.span, &l.message)).collect::<Vec<_>>(),
                "notes": d.notes,
                "help": d.help,
                "fix": d.fix.as_ref().map(|fix| json!({
                    "title": fix.title,
                    "edits": fix.edits.iter().map(|e| {
                        let mut edit = location_json(sources, e.span, "");
                        edit["replacement"] = json!(e.replacement);
                        edit
                    }).collect::<Vec<_>>(),
                })),
            })
        })
        .collect();
    let count = |s| diagnostics.iter().filter(|d| d.severity == s).count();
    json!({
        "diagnostics": items,
        "errors": count(Severity::Error),
        "warnings": count(Severity::Warning),
    })
    .to_string()
}

fn sarif_region(sources: &SourceMap, span: Span) -> Value {
    let (start_line, start_column) = position(sources, span, span.start);
    let (end_line, end_column) = position(sources, span, span.end);
    json!({
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
        "charOffset": span.start,
        "charLength": span.end - span.start,
    })
}

fn sarif_location(sources: &SourceMap, span: Span, message: Option<&str>) -> Value {
    let mut location = json!({
        "physicalLocation": {
            "artifactLocation": { "uri": sources.get(span.file).path, "uriBaseId": "SRCROOT" },
            "region": sarif_region(sources, span),
        }
    });
    if let Some(text) = message.filter(|m| !m.is_empty()) {
        location["message"] = json!({ "text": text });
    }
    location
}

/// A SARIF 2.1.0 log with one run: the rules are every code used, results point into the files
/// with paths relative to `SRCROOT` (the bundle root).
pub fn sarif(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let mut used: Vec<Code> = diagnostics.iter().map(|d| d.code).collect();
    used.sort();
    used.dedup();
    let rules: Vec<Value> = used
        .iter()
        .map(|code| {
            json!({
                "id": code.as_str(),
                "name": pascal_case(code.title()),
                "shortDescription": { "text": sentence(code.title()) },
                "fullDescription": { "text": code.explanation().lines().skip(1).find(|l| !l.trim().is_empty()).unwrap_or(code.title()) },
                "defaultConfiguration": { "level": level(code.default_severity()) },
                "helpUri": format!("https://pm-rules.dev/errors/{}", code.as_str()),
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let mut text = sentence(&d.message);
            if let Some(help) = &d.help {
                text.push(' ');
                text.push_str(&sentence(help));
            }
            let mut result = json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": used.binary_search(&d.code).unwrap_or(0),
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [sarif_location(sources, d.primary.span, None)],
            });
            if !d.secondary.is_empty() {
                result["relatedLocations"] = d
                    .secondary
                    .iter()
                    .enumerate()
                    .map(|(id, l)| {
                        let mut location = sarif_location(sources, l.span, Some(&l.message));
                        location["id"] = json!(id);
                        location
                    })
                    .collect();
            }
            if let Some(fix) = &d.fix {
                result["fixes"] = json!([{
                    "description": { "text": sentence(&fix.title) },
                    "artifactChanges": fix.edits.iter().map(|e| json!({
                        "artifactLocation": { "uri": sources.get(e.span.file).path, "uriBaseId": "SRCROOT" },
                        "replacements": [{
                            "deletedRegion": sarif_region(sources, e.span),
                            "insertedContent": { "text": e.replacement },
                        }],
                    })).collect::<Vec<_>>(),
                }]);
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "pmc",
                    "informationUri": "https://pm-rules.dev",
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    serde_json::to_string_pretty(&log).unwrap_or_default()
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// "unknown field" → "UnknownField" (SARIF rule names).
fn pascal_case(title: &str) -> String {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// Capitalises and ends with a period (SARIF messages are sentences).
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    if !out.ends_with(['.', '?', '!']) {
        out.push('.');
    }
    out
}

/// GitHub workflow commands, one per line: `::error file=F,line=L,col=C,endLine=…,endColumn=…,title=CODE::MESSAGE`.
pub fn github(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let span = d.primary.span;
        let (line, column) = position(sources, span, span.start);
        let (end_line, end_column) = position(sources, span, span.end);
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{command} file={},line={line},col={column},endLine={end_line},endColumn={end_column},title={}::{}\n",
            escape_property(&sources.get(span.file).path),
            escape_property(&format!("{} {}", d.code, d.code.title())),
            escape_data(&message),
        ));
    }
    out
}

/// Escapes a workflow command's message (`%`, CR, LF).
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value (also `:` and `,`).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (SourceMap, Vec<Diagnostic>) {
        let mut sources = SourceMap::new();
        let file = sources.add("a.pm", "say \"👋\" x\n");
        let diagnostic = Diagnostic::new(
            Code::E0204,
            Span::new(file, 11..12),
            "`x` is not a message clause",
        )
        .with_label("unknown clause")
        .with_suggestion(Span::new(file, 11..12), Some("tags"));
        (sources, vec![diagnostic])
    }

    #[test]
    fn columns_count_characters() {
        let (sources, diagnostics) = sample();
        let value: Value = serde_json::from_str(&json(&diagnostics, &sources)).unwrap();
        assert_eq!(value["diagnostics"][0]["primary"]["column"], 9);
        assert_eq!(value["errors"], 1);
        assert!(github(&diagnostics, &sources).starts_with("::error file=a.pm,line=1,col=9,"));
    }

    #[test]
    fn human_report_names_the_file_and_code() {
        let (sources, diagnostics) = sample();
        let text = human(&diagnostics, &sources, false);
        assert!(text.contains("[E0204]"), "{text}");
        assert!(text.contains("a.pm:1:"), "{text}");
        assert!(text.contains("did you mean `tags`?"), "{text}");
    }

    #[test]
    fn github_escapes_newlines_and_commas() {
        assert_eq!(escape_data("a\nb%"), "a%0Ab%25");
        assert_eq!(escape_property("a,b:c"), "a%2Cb%3Ac");
    }

    #[test]
    fn summary_counts() {
        let (_, diagnostics) = sample();
        assert_eq!(summary(&diagnostics).as_deref(), Some("1 error"));
        assert_eq!(summary(&[]), None);
    }
}
