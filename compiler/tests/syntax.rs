//! Syntax error recovery: every independent error of a file is reported in one run, at the
//! right place, and deep nesting is an error rather than a stack overflow.

use pmc::diagnostic::Code;
use pmc::source::SourceMap;
use pmc::syntax::parse_file;

/// Parses `text` and returns (code, 1-based line, 1-based column) of each diagnostic.
fn positions(text: &str) -> Vec<(Code, u32, u32)> {
    let mut sources = SourceMap::new();
    let file = sources.add("test.pm", text);
    let mut diagnostics = Vec::new();
    parse_file(file, text, &mut diagnostics);
    pmc::diagnostic::sort(&mut diagnostics);
    let source = sources.get(file);
    diagnostics
        .iter()
        .map(|d| {
            let at = source.lines.to_chars(&source.text, d.primary.span.start);
            (d.code, at.line + 1, at.column + 1)
        })
        .collect()
}

#[test]
fn five_independent_syntax_errors_are_all_reported() {
    let text = r#"message "One" {
    channel "Acme iOS"
    say 42
    frequency once_per_visit
}

message "Two" {
    priority high
    after screen_open
}

condition broken = visitor.page_url contains

message "Three" {
    tags "a" "b"
    when device.language is "fr" and and visitor.visit_history is new
    after screen_open 30s
}
"#;
    assert_eq!(
        positions(text),
        vec![
            (Code::E0201, 3, 9),
            (Code::E0201, 8, 14),
            (Code::E0201, 14, 1),
            (Code::E0201, 15, 14),
            (Code::E0201, 16, 38),
        ]
    );
}

#[test]
fn lexical_errors_do_not_stop_parsing() {
    let text = "message \"A\" {\n    say \"bad \\q escape\"\n    after screen_open 1m75s\n    frequency Once_per_visit\n    status # paused\n}\n";
    let codes: Vec<Code> = positions(text)
        .into_iter()
        .map(|(code, _, _)| code)
        .collect();
    assert_eq!(
        codes,
        vec![Code::E0102, Code::E0103, Code::E0106, Code::E0104]
    );
}

#[test]
fn unclosed_braces_are_reported_where_they_open() {
    let found = positions("message \"A\" {\n    say \"hi\"\n\nmessage \"B\" {\n}\n");
    assert_eq!(found[0], (Code::E0202, 1, 13));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    // Run on a small stack: the parser must not recurse with the input's depth.
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let depth = 10_000;
            let text = format!(
                "condition deep = {}visitor.page_url is \"x\"{}\ncondition nots = {}visitor.page_url is \"x\"\n",
                "(".repeat(depth),
                ")".repeat(depth),
                "not ".repeat(depth)
            );
            positions(&text)
        })
        .unwrap();
    let found = handle.join().expect("the parser overflowed its stack");
    let too_deep: Vec<_> = found
        .iter()
        .filter(|(code, _, _)| *code == Code::E0203)
        .collect();
    assert_eq!(too_deep.len(), 2, "{found:?}");
}
