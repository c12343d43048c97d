//! The formatter: the examples are formatted, formatting is idempotent, and every comment
//! survives — over the examples and over randomly generated files.

use proptest::prelude::*;

use pmc::format::format_source;

fn comments(text: &str) -> Vec<String> {
    let mut diagnostics = Vec::new();
    let lexed = pmc::syntax::lexer::lex(pmc::source::FileId(0), text);
    diagnostics.extend(lexed.diagnostics);
    lexed
        .comments
        .iter()
        .map(|span| text[span.range()].trim_end().to_string())
        .collect()
}

/// Formatting `text` is stable, keeps the comments in order, and means the same thing.
fn check_formatting(text: &str) {
    let formatted = format_source(text).unwrap_or_else(|| panic!("does not parse:\n{text}"));
    assert_eq!(
        format_source(&formatted).as_deref(),
        Some(formatted.as_str()),
        "not idempotent:\n{text}"
    );
    assert_eq!(
        comments(&formatted),
        comments(text),
        "comments changed:\n{text}\n---\n{formatted}"
    );
    assert_eq!(
        without_trivia(&formatted),
        without_trivia(text),
        "meaning changed:\n{text}\n---\n{formatted}"
    );
}

/// The token sequence without comments, durations normalized: what the parser sees.
fn without_trivia(text: &str) -> Vec<String> {
    pmc::syntax::lexer::lex(pmc::source::FileId(0), text)
        .tokens
        .iter()
        .map(|(token, _)| format!("{token:?}"))
        .collect()
}

#[test]
fn examples_are_formatted() {
    for entry in
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/acme")).unwrap()
    {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "pm") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert_eq!(
                format_source(&text).as_deref(),
                Some(text.as_str()),
                "{} is not formatted",
                path.display()
            );
            check_formatting(&text);
        }
    }
}

fn string() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "\"pricing\"",
        "\"a \\\"q\\\" b\"",
        "\"👋 hi\"",
        "\"\"",
        "\"tab\\there\"",
        "\"Acme iOS\"",
    ])
    .prop_map(str::to_string)
}

fn comment() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "",
        "",
        "",
        " // note",
        "\n// own line",
        "\n\n// after a blank line",
        " //",
    ])
    .prop_map(str::to_string)
}

fn space() -> impl Strategy<Value = String> {
    prop::sample::select(vec![" ", "  ", "\n", "\n\n", "\n\t  "]).prop_map(str::to_string)
}

fn comparison() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "visitor.page_url",
            "visitor.page_title",
            "device.language",
            "visitor.visit_history",
        ]),
        prop::sample::select(vec!["is", "is not", "contains", "not contains"]),
        prop_oneof![
            string(),
            prop::collection::vec(string(), 1..4)
                .prop_map(|items| format!("[{}]", items.join(",")))
        ],
    )
        .prop_map(|(field, op, value)| format!("{field} {op} {value}"))
}

fn expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        comparison(),
        prop::sample::select(vec!["named", "other_one"]).prop_map(str::to_string)
    ];
    leaf.prop_recursive(4, 16, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(|ops| ops.join(" and ")),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|ops| ops.join(" or ")),
            inner.clone().prop_map(|e| format!("not ({e})")),
            (inner, comment()).prop_map(|(e, c)| format!(
                "({e}{})",
                if c.contains('\n') { c } else { String::new() } + "\n"
            )),
        ]
    })
}

fn clause() -> impl Strategy<Value = String> {
    prop_oneof![
        string().prop_map(|s| format!("channel {s}")),
        string().prop_map(|s| format!("say {s}")),
        (string(), string()).prop_map(|(a, b)| format!("respond ai_agent {a} answer {b}")),
        (string(), comment()).prop_map(|(s, c)| format!(
            "respond agent {{{c}\nfollow_up {s}\ncollect name, email{c}\n}}"
        )),
        (
            expression(),
            prop::sample::select(vec!["", " 30s", " 1m30s", " 0m5s", " 2m"])
        )
            .prop_map(|(e, d)| format!("when {e}\nafter screen_open{d}")),
        prop::collection::vec(string(), 1..3).prop_map(|t| format!("tags {}", t.join(", "))),
        prop::sample::select(vec![
            "send anytime",
            "send during business_hours \"S\"",
            "frequency every_time",
            "priority -3",
            "status paused"
        ])
        .prop_map(str::to_string),
    ]
}

fn file() -> impl Strategy<Value = String> {
    let message = (
        string(),
        prop::collection::vec((clause(), comment(), space()), 0..6),
    )
        .prop_map(|(name, clauses)| {
            let body: String = clauses
                .into_iter()
                .map(|(c, comment, space)| format!("{space}{c}{comment}\n"))
                .collect();
            format!("message {name} {{{body}}}")
        });
    let condition =
        (expression(), comment()).prop_map(|(e, c)| format!("condition named = {e}{c}\n"));
    prop::collection::vec((prop_oneof![message, condition], comment(), space()), 0..4).prop_map(
        |items| {
            items
                .into_iter()
                .map(|(item, comment, space)| format!("{item}{comment}\n{space}"))
                .collect()
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn formatting_random_files_is_idempotent_and_keeps_comments(text in file()) {
        check_formatting(&text);
    }
}
