//! The formatter: the examples are formatted, formatting is idempotent, and every comment
//! survives — over the examples and over randomly generated files.

use proptest::prelude::*;

use pmc::formatter::format_source;
use pmc::syntax::lexer::Token;

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

/// Formatting `text` is stable, keeps the comments in order and in place (in the same list, in
/// the same message), adds no blank line inside a message, and means the same thing.
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
    assert_eq!(
        comment_places(&formatted),
        comment_places(text),
        "a comment left its list or its message:\n{text}\n---\n{formatted}"
    );
    assert_eq!(
        text_direction_warnings(&formatted),
        text_direction_warnings(text),
        "formatting changed the W0107 warnings:\n{text}\n---\n{formatted}"
    );
    let invented = invented_blank_lines(text, &formatted);
    assert!(
        invented.is_empty(),
        "blank lines added before {invented:?}:\n{text}\n---\n{formatted}"
    );
}

/// How many W0107 warnings (text-direction characters) the lexer reports.
fn text_direction_warnings(text: &str) -> usize {
    pmc::syntax::lexer::lex(pmc::source::FileId(0), text)
        .diagnostics
        .iter()
        .filter(|d| d.code == pmc::diagnostic::Code::W0107)
        .count()
}

/// A token or a comment of a file, in source order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Element {
    /// The n-th token.
    Token(usize),
    /// The n-th comment.
    Comment(usize),
}

/// The tokens (without trailing commas) and comments of `text` with their spans, in source
/// order.
fn elements(text: &str) -> Vec<(Element, pmc::source::Span, Option<Token<'_>>)> {
    let comments = pmc::syntax::lexer::lex(pmc::source::FileId(0), text).comments;
    let mut all: Vec<_> = tokens(text)
        .into_iter()
        .enumerate()
        .map(|(i, (token, span))| (Element::Token(i), span, Some(token)))
        .chain(
            comments
                .into_iter()
                .enumerate()
                .map(|(i, span)| (Element::Comment(i), span, None)),
        )
        .collect();
    all.sort_by_key(|(_, span, _)| span.start);
    all
}

/// For each comment: the number of the message whose braces hold it and of the list whose
/// brackets hold it, if any.
fn comment_places(text: &str) -> Vec<(Option<usize>, Option<usize>)> {
    let (mut messages, mut lists) = (0, 0);
    let (mut in_message, mut in_list) = (None, None);
    let mut depth = 0usize;
    let mut places = Vec::new();
    for (element, _, token) in elements(text) {
        match token {
            Some(Token::LBrace) => {
                if depth == 0 {
                    messages += 1;
                    in_message = Some(messages);
                }
                depth += 1;
            }
            Some(Token::RBrace) => {
                depth -= 1;
                if depth == 0 {
                    in_message = None;
                }
            }
            Some(Token::LBracket) => {
                lists += 1;
                in_list = Some(lists);
            }
            Some(Token::RBracket) => in_list = None,
            _ => {}
        }
        if matches!(element, Element::Comment(_)) {
            places.push((in_message, in_list));
        }
    }
    places
}

/// The pairs of consecutive elements of `formatted`, inside a message, with a blank line between
/// them although `original` has none between the same two elements.
fn invented_blank_lines(original: &str, formatted: &str) -> Vec<(Element, Element)> {
    let source: Vec<_> = elements(original);
    let span_of = |element: Element| {
        source
            .iter()
            .find(|(e, _, _)| *e == element)
            .map(|&(_, span, _)| span)
    };
    let mut invented = Vec::new();
    let mut depth = 0usize;
    let mut previous: Option<(Element, pmc::source::Span)> = None;
    for (element, span, token) in elements(formatted) {
        if let Some((before, before_span)) = previous
            && depth > 0
            && has_blank_line(&formatted[before_span.end as usize..span.start as usize])
        {
            let in_original = span_of(before).zip(span_of(element)).is_some_and(|(a, b)| {
                let (first, second) = if a.start <= b.start { (a, b) } else { (b, a) };
                has_blank_line(&original[first.end as usize..second.start as usize])
            });
            if !in_original {
                invented.push((before, element));
            }
        }
        match token {
            Some(Token::LBrace) => depth += 1,
            Some(Token::RBrace) => depth -= 1,
            _ => {}
        }
        previous = Some((element, span));
    }
    invented
}

/// Whether `text` holds a line with only white space, between two line breaks.
fn has_blank_line(text: &str) -> bool {
    let lines: Vec<&str> = text.split('\n').collect();
    lines.len() >= 3
        && lines[1..lines.len() - 1]
            .iter()
            .any(|l| l.trim().is_empty())
}

/// The tokens of `text` without a list's trailing comma (which the formatter adds).
fn tokens(text: &str) -> Vec<(Token<'_>, pmc::source::Span)> {
    let tokens = pmc::syntax::lexer::lex(pmc::source::FileId(0), text).tokens;
    let trailing_comma = |i: usize| {
        tokens[i].0 == Token::Comma
            && tokens
                .get(i + 1)
                .is_some_and(|(next, _)| *next == Token::RBracket)
    };
    (0..tokens.len())
        .filter(|&i| !trailing_comma(i))
        .map(|i| tokens[i].clone())
        .collect()
}

/// The token sequence without comments and without a list's trailing comma, durations
/// normalized: what the parser sees.
fn without_trivia(text: &str) -> Vec<String> {
    tokens(text)
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
        "\"\\u{202e}escaped\"",
        "\"raw \u{2067}isolate\u{2069}\"",
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

/// A comment that needs the line break after it (or nothing).
fn comment_line() -> impl Strategy<Value = String> {
    comment().prop_map(|c| if c.is_empty() { c } else { c + "\n" })
}

/// A list of strings, with comments after the `[`, after items and before the `]`.
fn commented_list() -> impl Strategy<Value = String> {
    (
        comment_line(),
        prop::collection::vec((string(), comment_line()), 1..4),
        any::<bool>(),
    )
        .prop_map(|(after_open, items, trailing_comma)| {
            let count = items.len();
            let items: String = items
                .into_iter()
                .enumerate()
                .map(|(i, (item, comment))| {
                    let comma = if i + 1 < count || trailing_comma {
                        ","
                    } else {
                        ""
                    };
                    format!("{item}{comma}{comment}")
                })
                .collect();
            format!("[{after_open}{items}]")
        })
}

fn comparison() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "visitor.page_url",
            "visitor.page_title",
            "device.language",
            "visitor.visit_history",
        ]),
        // A comment inside the comparison, rarely.
        prop_oneof![8 => Just(String::new()), 1 => comment_line()],
        prop::sample::select(vec![
            "is",
            "is not",
            "contains",
            "not contains",
            "starts_with",
            "not ends_with",
        ]),
        prop_oneof![
            string(),
            prop::collection::vec(string(), 1..4)
                .prop_map(|items| format!("[{}]", items.join(","))),
            commented_list(),
        ],
    )
        .prop_map(|(field, comment, op, value)| format!("{field}{comment} {op} {value}"))
}

/// Operands joined by `connective`, each possibly followed by a comment.
fn chain(
    operand: impl Strategy<Value = String> + Clone,
    connective: &'static str,
) -> impl Strategy<Value = String> {
    prop::collection::vec((operand, comment_line()), 2..4).prop_map(move |operands| {
        operands
            .into_iter()
            .map(|(operand, comment)| format!("{operand}{comment}"))
            .collect::<Vec<_>>()
            .join(&format!(" {connective} "))
    })
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
            chain(inner.clone(), "and"),
            chain(inner.clone(), "or"),
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
