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

/// Analyses `text` as the only `.pm` file of a bundle with the error examples' account, as
/// `pmc check` does, and returns each diagnostic's code and 1-based line, in order.
fn checked(text: &str) -> Vec<(Code, u32)> {
    let mut sources = SourceMap::new();
    let account = sources.add(
        "account.toml",
        include_str!("../../examples/errors/account.toml"),
    );
    let file = sources.add("test.pm", text);
    let analysis = pmc::analysis::analyze(&sources, Some(account), &[file]);
    let source = sources.get(file);
    analysis
        .diagnostics
        .iter()
        .map(|d| {
            assert_eq!(d.primary.span.file, file, "{d:?}");
            (d.code, source.lines.line_col(d.primary.span.start).line + 1)
        })
        .collect()
}

#[test]
fn an_unknown_clause_hides_no_other_error_of_its_message() {
    let text = r#"message "Pricing help" {
    brand "Acme Travl"
    colour "red"
    channel "Acme iOS"
    say ""
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_urll contains "pricing"
    after screen_open 30s
    frequency sometimes
}
"#;
    assert_eq!(
        checked(text),
        [
            (Code::E0404, 2),
            (Code::E0204, 3),
            (Code::E0414, 5),
            (Code::E0302, 7),
            (Code::E0310, 9),
        ]
    );
}

#[test]
fn a_duration_without_unit_is_read_as_seconds_and_hides_nothing() {
    let text = r#"message "Pricing help" {
    brand "Acme"
    channel "Acme iOS"
    say "Questions?"
    respond agent { follow_up "An agent will be with you shortly." }
    when visitor.page_urll contains "pricing"
    after screen_open 30
    frequency sometimes
}
"#;
    assert_eq!(
        checked(text),
        [(Code::E0302, 6), (Code::E0103, 7), (Code::E0310, 8)]
    );
    let mut diagnostics = Vec::new();
    let file = parse_file(pmc::source::FileId(0), text, &mut diagnostics);
    let bare = diagnostics.iter().find(|d| d.code == Code::E0103).unwrap();
    assert_eq!(bare.message, "`30` is a number, not a duration");
    let fix = bare.fix.as_ref().expect("a machine-applicable fix");
    let edit = &fix.edits[0];
    assert_eq!(&text[edit.span.range()], "30");
    assert_eq!(edit.replacement, "30s");
    // The tree reads the number as seconds.
    let pmc::syntax::ast::Item::Message(message) = &file.items[0] else {
        panic!("a message")
    };
    let trigger = message.clauses.iter().find_map(|c| match &c.kind {
        pmc::syntax::ast::ClauseKind::Trigger(trigger) => Some(trigger),
        _ => None,
    });
    assert_eq!(
        trigger.and_then(|t| t.duration).map(|d| d.seconds),
        Some(30)
    );
    // Out of range or negative: no fix, as no unit makes it valid.
    for number in ["4000", "-5"] {
        let text = format!("message \"m\" {{ after screen_open {number} }}");
        let mut diagnostics = Vec::new();
        parse_file(pmc::source::FileId(0), &text, &mut diagnostics);
        let codes: Vec<Code> = diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::E0103], "{number}");
        assert!(diagnostics[0].fix.is_none(), "{number}");
    }
}

#[test]
fn a_misspelt_clause_keyword_is_read_as_the_clause_meant() {
    // `chanel`, `wen`, `aftr` and `followup` are reported, and their clauses checked: the
    // channel's name is wrong too, and no clause is reported missing.
    let text = r#"message "Pricing help" {
    brand "Acme"
    chanel "Acme iOs"
    say "Questions?"
    respond agent { followup "An agent will be with you shortly." }
    wen visitor.page_url contains "pricing"
    aftr screen_open 30s
    frequency once_per_visit
}
"#;
    assert_eq!(
        checked(text),
        [
            (Code::E0204, 3),
            (Code::E0406, 3),
            (Code::E0204, 5),
            (Code::E0204, 6),
            (Code::E0204, 7),
        ]
    );
}

#[test]
fn a_syntax_error_still_hides_the_follow_on_errors_of_its_message() {
    // `say 42` leaves the message without its text: "no `say` clause" would repeat the error.
    let text = r#"message "Pricing help" {
    brand "Acme"
    channel "Acme iOS"
    say 42
    respond agent { follow_up "An agent will be with you shortly." }
    after screen_open 30s
    frequency once_per_visit
}
"#;
    assert_eq!(checked(text), [(Code::E0201, 4)]);
}
