//! Renderers: diagnostics to text for terminals (ariadne), JSON, SARIF 2.1.0 and GitHub workflow
//! annotations.
//!
//! Renderers are pure functions from diagnostics and the [`SourceMap`] they point into to a
//! `String`; the caller decides where it goes, and how files are named ([`Paths`]: the command
//! line names them as the user would open them). Positions in JSON, SARIF and GitHub output are
//! one-based lines and one-based columns counted in Unicode characters; JSON also gives byte
//! offsets, SARIF character offsets (`columnKind: unicodeCodePoints`).
//!
//! Text meant for people never carries raw control characters ([`crate::terminal`]): the
//! terminal report shows stand-ins in source excerpts and escapes in messages, GitHub annotations
//! escape them too.

use std::ops::Range;

use ariadne::{Config, IndexType, Label as AriadneLabel, Report, ReportKind};
use serde_json::{Value, json};

use super::excerpt::Excerpts;
use super::{Code, Diagnostic, Label, Severity};
use crate::source::{FileId, SourceMap, Span};
use crate::terminal;

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

/// How a report names its files.
///
/// By default a file is named by its [`SourceMap`] path (relative to the bundle root); the
/// command line gives paths relative to the current directory for people, and relative to the
/// repository root for GitHub and SARIF.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paths {
    /// The name of each file, indexed by [`FileId`]; a file without an entry (or with an empty
    /// one) is named by its `SourceMap` path. `/`-separated; relative to [`Paths::root_uri`]
    /// unless absolute.
    pub names: Vec<String>,
    /// The absolute `file:` URI, ending in `/`, of the directory relative names start from:
    /// SARIF's `SRCROOT` base URI. `None` when it is not known (no file system).
    pub root_uri: Option<String>,
}

impl Paths {
    /// The name of `file`.
    fn name<'a>(&'a self, sources: &'a SourceMap, file: FileId) -> &'a str {
        match self.names.get(file.0 as usize) {
            Some(name) if !name.is_empty() => name,
            _ => &sources.get(file).path,
        }
    }
}

/// Renders `diagnostics` in `format`, naming files by their `SourceMap` paths. `color` only
/// affects [`Format::Human`].
pub fn render(
    format: Format,
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    color: bool,
) -> String {
    render_with(format, diagnostics, sources, &Paths::default(), color)
}

/// Renders `diagnostics` in `format`, naming files as `paths` says. `color` only affects
/// [`Format::Human`].
pub fn render_with(
    format: Format,
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    paths: &Paths,
    color: bool,
) -> String {
    match format {
        Format::Human => human_with(diagnostics, sources, paths, color),
        Format::Json => json(diagnostics, sources, paths),
        Format::Sarif => sarif(diagnostics, sources, paths),
        Format::Github => github(diagnostics, sources, paths),
    }
}

/// `n` and `word`, in the plural unless `n` is 1: "1 error", "2 errors", "0 messages".
pub fn count(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// A one-line summary such as "2 errors, 1 warning", or `None` when there is nothing to say.
pub fn summary(diagnostics: &[Diagnostic]) -> Option<String> {
    let of = |severity| {
        diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    let parts: Vec<String> = [
        (of(Severity::Error), "error"),
        (of(Severity::Warning), "warning"),
    ]
    .into_iter()
    .filter(|&(n, _)| n > 0)
    .map(|(n, word)| count(n, word))
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// ariadne reports, one after the other, naming files by their `SourceMap` paths.
pub fn human(diagnostics: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    human_with(diagnostics, sources, &Paths::default(), color)
}

/// ariadne reports, one after the other.
///
/// ariadne is given the texts with [`terminal::stand_in`]s, which keep character counts, and
/// character-indexed spans: its line and column numbers are then those of the other formats.
/// Labels go to ariadne in source order (the primary label's file first), so that the labels of
/// one file form one snippet under one header.
fn human_with(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    paths: &Paths,
    color: bool,
) -> String {
    let name = |file: FileId| terminal::escape(paths.name(sources, file)).into_owned();
    // Only the files a report points into; their text borrowed where it has nothing to stand in for.
    let reported = |file: FileId| {
        diagnostics.iter().any(|d| {
            std::iter::once(&d.primary)
                .chain(&d.secondary)
                .any(|label| label.span.file == file)
        })
    };
    let mut cache = ariadne::sources(
        sources
            .files()
            .filter(|f| reported(f.id))
            .map(|f| (name(f.id), terminal::stand_in(&f.text))),
    );
    let mut out = Vec::new();
    for diagnostic in diagnostics {
        let excerpts = Excerpts::of(diagnostic, sources);
        let at = |span: Span| {
            let range = match &excerpts {
                Some(excerpts) => excerpts.char_range(sources, span),
                None => char_range(sources, span),
            };
            (name(span.file), range)
        };
        let report = report(diagnostic, color, at);
        // Writing into a Vec cannot fail; a failure would only lose this one report.
        match &excerpts {
            None => {
                let _ = report.write(&mut cache, &mut out);
            }
            Some(excerpts) => {
                let mut excerpt_cache = ariadne::FnCache::new(
                    (|id: &String| Err(format!("no excerpt of {id}"))) as fn(&_) -> _,
                )
                .with_sources(excerpts.sources(name));
                let mut text = Vec::new();
                let _ = report.write(&mut excerpt_cache, &mut text);
                let headers = group_headers(diagnostic, name);
                let text = excerpts.restore_columns(
                    sources,
                    String::from_utf8_lossy(&text).into_owned(),
                    &headers,
                );
                out.extend_from_slice(text.as_bytes());
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The ariadne report of one diagnostic, its spans placed by `at`.
fn report<'a>(
    diagnostic: &'a Diagnostic,
    color: bool,
    at: impl Fn(Span) -> (String, Range<usize>),
) -> Report<'a, (String, Range<usize>)> {
    let kind = match diagnostic.severity {
        Severity::Error => ReportKind::Error,
        Severity::Warning => ReportKind::Warning,
        Severity::Note => ReportKind::Advice,
    };
    let escape = |text: &str| terminal::escape(text).into_owned();
    let mut report = Report::build(kind, at(diagnostic.primary.span))
        .with_config(
            Config::default()
                .with_color(color)
                .with_index_type(IndexType::Char),
        )
        .with_code(diagnostic.code)
        .with_message(escape(&diagnostic.message));
    for label in labels_in_source_order(diagnostic) {
        report = report
            .with_label(AriadneLabel::new(at(label.span)).with_message(escape(&label.message)));
    }
    for note in &diagnostic.notes {
        report = report.with_note(escape(note));
    }
    if let Some(help) = &diagnostic.help {
        report = report.with_help(escape(help));
    }
    report.finish()
}

/// The spans whose starts ariadne's snippet headers show, one per file in the report's order:
/// the primary label's for its file, the first label's for each other file.
fn group_headers(diagnostic: &Diagnostic, name: impl Fn(FileId) -> String) -> Vec<(String, Span)> {
    let mut headers: Vec<(String, Span)> = Vec::new();
    for label in labels_in_source_order(diagnostic) {
        if label.span.file == diagnostic.primary.span.file {
            if headers.is_empty() {
                headers.push((name(label.span.file), diagnostic.primary.span));
            }
        } else if !headers.iter().any(|(_, span)| span.file == label.span.file) {
            headers.push((name(label.span.file), label.span));
        }
    }
    headers
}

/// The primary and secondary labels: the primary label's file first, then the other files in
/// the order they first appear, each file's labels by position.
fn labels_in_source_order(diagnostic: &Diagnostic) -> Vec<&Label> {
    let mut labels: Vec<&Label> = std::iter::once(&diagnostic.primary)
        .chain(&diagnostic.secondary)
        .collect();
    let mut files: Vec<FileId> = Vec::new();
    for label in &labels {
        if !files.contains(&label.span.file) {
            files.push(label.span.file);
        }
    }
    labels.sort_by_key(|label| {
        let file = files.iter().position(|&f| f == label.span.file);
        (file, label.span.start, label.span.end)
    });
    labels
}

/// A span's byte range, clamped to its file so that a renderer never indexes out of bounds.
pub(super) fn clamp(sources: &SourceMap, span: Span) -> Range<usize> {
    let len = sources.get(span.file).text.len();
    let start = (span.start as usize).min(len);
    start..(span.end as usize).clamp(start, len)
}

/// A span's range in characters from the start of its file (clamped like [`clamp`]).
fn char_range(sources: &SourceMap, span: Span) -> Range<usize> {
    let file = sources.get(span.file);
    let bytes = clamp(sources, span);
    let offset = |byte: usize| file.lines.to_char_offset(&file.text, byte as u32) as usize;
    offset(bytes.start)..offset(bytes.end)
}

/// One-based line and character column of a byte offset.
fn position(sources: &SourceMap, span: Span, offset: u32) -> (u32, u32) {
    let file = sources.get(span.file);
    let at = file.lines.to_chars(&file.text, offset);
    (at.line + 1, at.column + 1)
}

fn location_json(sources: &SourceMap, paths: &Paths, span: Span, message: &str) -> Value {
    let (line, column) = position(sources, span, span.start);
    let (end_line, end_column) = position(sources, span, span.end);
    json!({
        "file": paths.name(sources, span.file),
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
fn json(diagnostics: &[Diagnostic], sources: &SourceMap, paths: &Paths) -> String {
    let location = |span: Span, message: &str| location_json(sources, paths, span, message);
    let items: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            json!({
                "code": d.code.as_str(),
                "severity": d.severity.as_str(),
                "message": d.message,
                "primary": location(d.primary.span, &d.primary.message),
                "secondary": d.secondary.iter().map(|l| location(l.span, &l.message)).collect::<Vec<_>>(),
                "notes": d.notes,
                "help": d.help,
                "fix": d.fix.as_ref().map(|fix| json!({
                    "title": fix.title,
                    "edits": fix.edits.iter().map(|e| {
                        let mut edit = location(e.span, "");
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

/// A SARIF region: lines and columns as everywhere, and `charOffset`/`charLength` counted in
/// characters, as the run's `columnKind: unicodeCodePoints` declares.
fn sarif_region(sources: &SourceMap, span: Span) -> Value {
    let (start_line, start_column) = position(sources, span, span.start);
    let (end_line, end_column) = position(sources, span, span.end);
    let chars = char_range(sources, span);
    json!({
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
        "charOffset": chars.start,
        "charLength": chars.len(),
    })
}

/// The SARIF name of the base URI that relative file names start from.
const SRCROOT: &str = "SRCROOT";

/// A SARIF `artifactLocation`: a relative URI with `uriBaseId: SRCROOT`, or an absolute
/// `file:` URI for a file outside the root.
fn sarif_artifact(sources: &SourceMap, paths: &Paths, file: FileId) -> Value {
    let name = paths.name(sources, file);
    if name.starts_with('/') {
        json!({ "uri": format!("file://{}", uri_path(name)) })
    } else {
        json!({ "uri": uri_path(name), "uriBaseId": SRCROOT })
    }
}

/// Percent-encodes a `/`-separated path for a URI (RFC 3986: unreserved characters and `/`
/// stay, every other byte becomes `%XX`).
pub(crate) fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn sarif_location(sources: &SourceMap, paths: &Paths, span: Span, message: Option<&str>) -> Value {
    let mut location = json!({
        "physicalLocation": {
            "artifactLocation": sarif_artifact(sources, paths, span.file),
            "region": sarif_region(sources, span),
        }
    });
    if let Some(text) = message.filter(|m| !m.is_empty()) {
        location["message"] = json!({ "text": text });
    }
    location
}

/// A SARIF 2.1.0 log with one run: the rules are every code used, results point into the files
/// with URIs relative to `SRCROOT`, which `originalUriBaseIds` defines ([`Paths::root_uri`]).
fn sarif(diagnostics: &[Diagnostic], sources: &SourceMap, paths: &Paths) -> String {
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
                "locations": [sarif_location(sources, paths, d.primary.span, None)],
            });
            if !d.secondary.is_empty() {
                result["relatedLocations"] = d
                    .secondary
                    .iter()
                    .enumerate()
                    .map(|(id, l)| {
                        let mut location = sarif_location(sources, paths, l.span, Some(&l.message));
                        location["id"] = json!(id);
                        location
                    })
                    .collect();
            }
            if let Some(fix) = &d.fix {
                result["fixes"] = json!([{
                    "description": { "text": sentence(&fix.title) },
                    "artifactChanges": fix.edits.iter().map(|e| json!({
                        "artifactLocation": sarif_artifact(sources, paths, e.span.file),
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
    let root = match &paths.root_uri {
        Some(uri) => json!({ "uri": uri }),
        None => json!({ "description": { "text": "The bundle root." } }),
    };
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
            "originalUriBaseIds": { SRCROOT: root },
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
/// Other control characters are escaped (`\u{1b}`): CI logs are shown by terminals and
/// browsers that interpret them.
fn github(diagnostics: &[Diagnostic], sources: &SourceMap, paths: &Paths) -> String {
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
            escape_property(paths.name(sources, span.file)),
            escape_property(&format!("{} {}", d.code, d.code.title())),
            escape_data(&message),
        ));
    }
    out
}

/// Escapes a workflow command's message (`%`, CR, LF, and other control characters).
fn escape_data(text: &str) -> String {
    let text = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    terminal::escape(&text).into_owned()
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
        let paths = Paths::default();
        let value: Value = serde_json::from_str(&json(&diagnostics, &sources, &paths)).unwrap();
        assert_eq!(value["diagnostics"][0]["primary"]["column"], 9);
        assert_eq!(value["errors"], 1);
        assert!(
            github(&diagnostics, &sources, &paths).starts_with("::error file=a.pm,line=1,col=9,")
        );
        let log: Value = serde_json::from_str(&sarif(&diagnostics, &sources, &paths)).unwrap();
        let region = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
        // `say "👋" x`: `x` is the ninth character but the twelfth byte.
        assert_eq!(
            (region["charOffset"].clone(), region["charLength"].clone()),
            (json!(8), json!(1))
        );
    }

    #[test]
    fn paths_rename_files_and_define_srcroot() {
        let (sources, diagnostics) = sample();
        let paths = Paths {
            names: vec!["rules/a b.pm".to_string()],
            root_uri: Some("file:///work/repo/".to_string()),
        };
        let log: Value = serde_json::from_str(&sarif(&diagnostics, &sources, &paths)).unwrap();
        let run = &log["runs"][0];
        assert_eq!(
            run["originalUriBaseIds"]["SRCROOT"]["uri"],
            "file:///work/repo/"
        );
        let artifact = &run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact["uri"], "rules/a%20b.pm");
        assert_eq!(artifact["uriBaseId"], "SRCROOT");
        let text = render_with(Format::Github, &diagnostics, &sources, &paths, false);
        assert!(
            text.starts_with("::error file=rules/a b.pm,line=1,"),
            "{text}"
        );
        let text = render_with(Format::Human, &diagnostics, &sources, &paths, false);
        assert!(text.contains("rules/a b.pm:1:9"), "{text}");
        // Outside the root: an absolute `file:` URI and no base.
        let outside = Paths {
            names: vec!["/elsewhere/é.pm".to_string()],
            root_uri: None,
        };
        let log: Value = serde_json::from_str(&sarif(&diagnostics, &sources, &outside)).unwrap();
        let run = &log["runs"][0];
        let artifact = &run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact, &json!({ "uri": "file:///elsewhere/%C3%A9.pm" }));
        assert!(run["originalUriBaseIds"]["SRCROOT"]["uri"].is_null());
    }

    #[test]
    fn human_reports_show_control_characters_visibly_at_true_columns() {
        let mut sources = SourceMap::new();
        let text = "say \"\x1b[2J\x07\u{202e}\" x\n";
        let file = sources.add("a\x1b.pm", text);
        let x = text.find(" x").unwrap() + 1;
        let diagnostics = vec![
            Diagnostic::new(
                Code::E0204,
                Span::new(file, x..x + 1),
                "`\x1b[2J` is not a clause",
            )
            .with_label("unknown \x07 clause")
            .with_help("remove \u{202e}"),
        ];
        let shown = human(&diagnostics, &sources, false);
        assert!(!shown.chars().any(terminal::is_unsafe), "{shown:?}");
        assert!(shown.contains("say \"␛[2J␇�\" x"), "{shown}");
        assert!(shown.contains("`\\u{1b}[2J` is not a clause"), "{shown}");
        assert!(shown.contains("unknown \\u{7} clause"), "{shown}");
        assert!(shown.contains("remove \\u{202e}"), "{shown}");
        // The column is the character column, as in every other format.
        let paths = Paths::default();
        let value: Value = serde_json::from_str(&json(&diagnostics, &sources, &paths)).unwrap();
        let column = value["diagnostics"][0]["primary"]["column"]
            .as_u64()
            .unwrap();
        assert!(
            shown.contains(&format!("a\\u{{1b}}.pm:1:{column} ")),
            "{shown}"
        );
        let github = github(&diagnostics, &sources, &paths);
        assert!(!github.chars().any(terminal::is_unsafe), "{github:?}");
    }

    #[test]
    fn labels_of_one_file_share_one_header_at_the_primary_position() {
        let mut sources = SourceMap::new();
        let text = "message \"A\" {}\n\n\n\n\nmessage \"A\" {}\n";
        let file = sources.add("a.pm", text);
        let second = text.rfind("\"A\"").unwrap();
        let diagnostics = vec![
            Diagnostic::new(
                Code::E0403,
                Span::new(file, second..second + 3),
                "duplicate",
            )
            .with_label("second")
            .with_secondary(Span::new(file, 8..11), "first defined here"),
        ];
        let shown = human(&diagnostics, &sources, false);
        let headers: Vec<&str> = shown.lines().filter(|l| l.contains("─[ ")).collect();
        assert_eq!(headers.len(), 1, "{shown}");
        assert!(headers[0].contains("a.pm:6:9"), "{shown}");
        let first = shown.find("first defined here").unwrap();
        assert!(first < shown.find("second").unwrap(), "{shown}");
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
    fn long_lines_are_cut_to_windows_around_the_labels_with_the_files_columns() {
        // A generated file: a short first line, then one line of 50,000 characters with a
        // 👋 before the labels (so bytes and characters differ), then a short last line.
        let long = format!("{}👋{}", "a".repeat(20_000), "b".repeat(29_999));
        let text = format!("first\n{long}\nlast\n");
        let mut sources = SourceMap::new();
        let file = sources.add("gen.pm", text.clone());
        let other = sources.add("other.pm", "message \"x\" {}\n");
        let line_start = 6;
        let byte =
            |char_column: usize| line_start + char_column + 3 * usize::from(char_column > 20_000);
        let diagnostics: Vec<Diagnostic> = (0..1_000)
            .map(|i| {
                let at = byte(25_000 + i);
                Diagnostic::new(Code::E0102, Span::new(file, at..at + 1), "bad")
                    .with_label("here")
                    .with_secondary(Span::new(file, byte(100)..byte(102)), "and there")
                    .with_secondary(Span::new(other, 0..7), "elsewhere")
            })
            .collect();
        let out = human(&diagnostics, &sources, false);
        // Each report shows windows of the line, never the line: about 1 KB per report.
        assert!(out.len() < 1_000 * 2_000, "{} bytes", out.len());
        assert!(out.lines().all(|line| line.chars().count() < 400));
        let first = &out[..out.find("───╯").unwrap()];
        // The header's column is the file's (character 25,001 of line 2), and the other file
        // keeps its own header.
        assert!(first.contains("[ gen.pm:2:25001 ]"), "{first}");
        assert!(first.contains("[ other.pm:1:1 ]"), "{first}");
        assert!(first.contains(" 2 │ …aaaa"), "{first}");
        assert!(first.contains("bbb…"), "{first}");
        assert!(first.contains("here") && first.contains("and there"));
        // Each label sits under the characters it names, in the windows: the primary (the
        // rightmost mark) under a `b`, the secondary under an `a`.
        let line = first.lines().find(|l| l.starts_with(" 2 │")).unwrap();
        let marks = first.lines().find(|l| l.contains('┬')).unwrap();
        let mark_columns: Vec<usize> = marks
            .chars()
            .enumerate()
            .filter(|&(_, c)| c == '┬')
            .map(|(i, _)| i)
            .collect();
        let under = |column: usize| line.chars().nth(column);
        assert_eq!(mark_columns.len(), 2, "{line}\n{marks}");
        assert_eq!(under(mark_columns[0]), Some('a'), "{line}\n{marks}");
        assert_eq!(under(mark_columns[1]), Some('b'), "{line}\n{marks}");
        // Short lines are shown whole, as before.
        let short = human(&sample().1, &sample().0, false);
        assert!(short.contains("say \"👋\" x") && !short.contains('…'));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        /// On any text, long lines or not, with spans anywhere in it (even inside a
        /// character; secondary spans even out of bounds), the terminal report's header names
        /// the line and column the JSON report gives. (At the very end of a text ending in a
        /// line break ariadne names the last line's end, JSON the empty line after it.)
        #[test]
        fn terminal_headers_agree_with_json_positions(
            pieces in proptest::collection::vec(
                proptest::prop_oneof!["[a-z ]{0,30}", "[é👋\\t]{1,3}", "\n", "x{250,700}"],
                1..12,
            ),
            spans in proptest::collection::vec((0u32..2_000, 0u32..400), 1..4),
        ) {
            let text: String = pieces.concat();
            proptest::prop_assume!((spans[0].0 as usize) < text.len());
            let mut sources = SourceMap::new();
            let file = sources.add("p.pm", text.clone());
            let span = |&(start, len): &(u32, u32)| {
                Span::new(file, start as usize..(start + len) as usize)
            };
            let mut diagnostic = Diagnostic::new(Code::E0102, span(&spans[0]), "bad").with_label("here");
            for extra in &spans[1..] {
                diagnostic = diagnostic.with_secondary(span(extra), "there");
            }
            let diagnostics = vec![diagnostic];
            let value: Value =
                serde_json::from_str(&json(&diagnostics, &sources, &Paths::default())).unwrap();
            let primary = &value["diagnostics"][0]["primary"];
            let header = format!("[ p.pm:{}:{} ]", primary["line"], primary["column"]);
            let out = human(&diagnostics, &sources, false);
            proptest::prop_assert!(out.contains(&header), "{header} not in\n{out}");
            proptest::prop_assert!(out.lines().all(|line| line.chars().count() < 1_000));
        }
    }

    #[test]
    fn summary_counts() {
        let (_, diagnostics) = sample();
        assert_eq!(summary(&diagnostics).as_deref(), Some("1 error"));
        assert_eq!(summary(&[]), None);
    }
}
