//! Drift tests: the tree-sitter grammar against the compiler, which is the reference.
//!
//! - Every fixed token the compiler's lexer declares (`#[token("…")]` in
//!   `compiler/src/syntax/lexer.rs`: hard keywords and punctuation) is a token of the grammar.
//! - Every word the compiler's parser and checker recognise by its text (clause keywords, the
//!   words of `respond agent { … }`, response kinds, send modes, frequencies, statuses, collect
//!   fields, events, objects, fields and each operator a field accepts, visit-history values),
//!   taken from the compiler's own tables, parses in its place and gets its highlight capture.
//! - Every `.pm` file of the repository (outside this grammar's own tests) agrees: when the
//!   compiler parses it without a diagnostic, tree-sitter finds no problem (an ERROR or MISSING
//!   node, or an `unknown_clause`); when the compiler reports a syntax error that the grammar is
//!   as strict about (see [`STRICT`]), tree-sitter finds a problem in the same item, and none
//!   in the items before (see [`disagreement`]).
//! - Random well-formed programs built from the compiler's vocabulary parse without a problem
//!   in both, and with one token deleted the two agree as files do.
//!
//! The grammar also accepts the version-2 constructs of the specification, which the compiler
//! does not parse yet: those are covered by the corpus tests (`test/corpus`), not here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use pmc::diagnostic::Code;
use pmc::source::FileId;
use pmc::syntax::lexer::{self, Token};
use pmc::vocabulary::{
    AGENT_CLAUSE_KEYWORDS, CLAUSE_KEYWORDS, COLLECT_FIELDS, EVENTS, FIELDS, FREQUENCIES, OBJECTS,
    RESPONSE_KINDS, SEND_MODES, STATUSES, TRIGGER_KEYWORDS, VISIT_HISTORY, names,
};
use proptest::prelude::*;
use tree_sitter::{Language, Parser, Query, QueryCursor, StreamingIterator, Tree};

/// Compiler diagnostics for which tree-sitter must find a problem as well: unterminated strings,
/// invalid escapes, stray characters, upper-case identifiers, syntax errors, unclosed brackets,
/// unknown clauses. The others are checks of values that the grammar leaves to the compiler:
/// durations out of range (`E0103`, except a number followed by letters), integers out of range
/// (`E0105`) and nesting deeper than 32 levels (`E0203`).
const STRICT: &[Code] = &[
    Code::E0101,
    Code::E0102,
    Code::E0104,
    Code::E0106,
    Code::E0201,
    Code::E0202,
    Code::E0204,
];

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository's root exists")
}

fn language() -> Language {
    Language::from(tree_sitter_pm::LANGUAGE)
}

fn parse(text: &str) -> Tree {
    let mut parser = Parser::new();
    parser
        .set_language(&language())
        .expect("the runtime supports the grammar's ABI");
    parser
        .parse(text, None)
        .expect("a parse without timeout or cancellation returns a tree")
}

/// A syntax problem tree-sitter found: an ERROR or MISSING node, or an `unknown_clause` (a word
/// that starts no clause, which the grammar parses as a node so that a typo does not spoil the
/// rest of the message).
struct Problem {
    /// The bytes it spans (none for a MISSING node).
    bytes: std::ops::Range<usize>,
    /// Where it starts and what it is, as `LINE:COLUMN what`.
    description: String,
}

/// Every problem in `tree`, in document order.
fn problems(tree: &Tree) -> Vec<Problem> {
    let mut found = Vec::new();
    let mut pending = vec![tree.root_node()];
    while let Some(node) = pending.pop() {
        let what = if node.is_missing() {
            Some(format!("MISSING {}", node.kind()))
        } else if node.is_error() || node.kind() == "unknown_clause" {
            Some(node.kind().to_string())
        } else {
            None
        };
        if let Some(what) = what {
            let at = node.start_position();
            found.push(Problem {
                bytes: node.byte_range(),
                description: format!("{}:{} {what}", at.row + 1, at.column + 1),
            });
        }
        let mut cursor = node.walk();
        let children: Vec<_> = node.children(&mut cursor).collect();
        pending.extend(children.into_iter().rev());
    }
    found
}

/// The first problem in `tree`, if any.
fn first_problem(tree: &Tree) -> Option<String> {
    problems(tree).into_iter().next().map(|p| p.description)
}

/// The items of `text` as the compiler's lexer sees them: where each `message` and `condition`
/// keyword starts.
fn item_starts(text: &str) -> Vec<usize> {
    lexer::lex(FileId::default(), text)
        .tokens
        .iter()
        .filter(|(token, _)| matches!(token, Token::Message | Token::Condition))
        .map(|(_, span)| span.start as usize)
        .collect()
}

/// The item a byte belongs to: 0 before the first item, `i + 1` in the `i`-th.
fn item_at(items: &[usize], byte: usize) -> usize {
    items.partition_point(|&start| start <= byte)
}

/// A diagnostic of the compiler's lexer or parser, and the items it concerns: the one it is
/// in and, when it points at an item's keyword (`expected a value, found `condition``), also
/// the item before, which it ends.
struct CompilerError {
    code: Code,
    items: [usize; 2],
}

/// The diagnostics the compiler's lexer and parser report on `text`.
fn compiler_syntax_errors(text: &str, items: &[usize]) -> Vec<CompilerError> {
    let mut diagnostics = Vec::new();
    pmc::syntax::parse_file(FileId::default(), text, &mut diagnostics);
    diagnostics
        .into_iter()
        .map(|d| {
            let start = d.primary.span.start as usize;
            let item = item_at(items, start);
            let before = if items.contains(&start) {
                item - 1
            } else {
                item
            };
            CompilerError {
                code: d.code,
                items: [before, item],
            }
        })
        .collect()
}

/// How tree-sitter and the compiler disagree on `text`, if they do: whether the same items are
/// broken.
///
/// Without a compiler diagnostic, tree-sitter must find no problem. Otherwise tree-sitter finds
/// no problem within the items before the first one the compiler reports, and a problem that
/// reaches into each item where the compiler reports a [`STRICT`] diagnostic. (Within a broken
/// item the two recoveries blame different tokens, and tree-sitter's ERROR node may take in the
/// items around it.) An unclosed bracket (`E0202`) only needs a problem somewhere: the compiler
/// points at the opening bracket and leaves out the errors it explains, tree-sitter reports the
/// missing closing one.
fn disagreement(text: &str) -> Option<String> {
    let items = item_starts(text);
    // The bytes of item `i` (0: before the first item).
    let item_bytes = |i: usize| {
        let start = if i == 0 { 0 } else { items[i - 1] };
        start..items.get(i).copied().unwrap_or(text.len())
    };
    let errors = compiler_syntax_errors(text, &items);
    let problems = problems(&parse(text));
    let Some(first_broken) = errors.iter().map(|error| error.items[0]).min() else {
        return problems.first().map(|p| {
            format!(
                "the compiler parses it without a diagnostic, tree-sitter finds {}",
                p.description
            )
        });
    };
    if errors.iter().any(|error| error.code == Code::E0202) {
        return problems.is_empty().then(|| {
            "the compiler reports an unclosed bracket, tree-sitter finds no problem".to_string()
        });
    }
    let boundary = item_bytes(first_broken).start;
    if let Some(early) = problems
        .iter()
        .find(|p| p.bytes.start < boundary && p.bytes.end <= boundary)
    {
        return Some(format!(
            "tree-sitter finds {} in an item before the first one the compiler reports",
            early.description
        ));
    }
    errors
        .iter()
        .filter(|error| STRICT.contains(&error.code))
        .find(|error| {
            let reach = item_bytes(error.items[0]).start..item_bytes(error.items[1]).end;
            !problems
                .iter()
                .any(|p| p.bytes.start <= reach.end && p.bytes.end >= reach.start)
        })
        .map(|error| {
            let found: Vec<&str> = problems.iter().map(|p| p.description.as_str()).collect();
            format!(
                "the compiler reports {:?} in item {}, tree-sitter finds no problem there (it finds {found:?})",
                error.code, error.items[1]
            )
        })
}

// ---- Tokens ----

/// The generated grammar, `src/grammar.json` (what `grammar.js` evaluates to).
fn generated_grammar() -> serde_json::Value {
    let path = repository().join("editors/tree-sitter-pm/src/grammar.json");
    let text = std::fs::read_to_string(&path).expect("src/grammar.json is committed");
    serde_json::from_str(&text).expect("grammar.json is JSON")
}

/// The `STRING` tokens of the generated grammar.
fn grammar_tokens() -> BTreeSet<String> {
    let grammar = generated_grammar();
    let mut tokens = BTreeSet::new();
    let mut pending = vec![&grammar];
    while let Some(value) = pending.pop() {
        match value {
            serde_json::Value::Object(object) => {
                if object.get("type").and_then(|t| t.as_str()) == Some("STRING")
                    && let Some(token) = object.get("value").and_then(|v| v.as_str())
                {
                    tokens.insert(token.to_string());
                }
                pending.extend(object.values());
            }
            serde_json::Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    tokens
}

#[test]
fn lexer_tokens_are_grammar_tokens() {
    let lexer = std::fs::read_to_string(repository().join("compiler/src/syntax/lexer.rs"))
        .expect("the compiler's lexer is readable");
    let declared: Vec<&str> = lexer
        .split("#[token(\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(token, _)| token))
        .collect();
    // The hard keywords and the punctuation of version 1 at least.
    assert!(
        declared.len() >= 18 && declared.contains(&"message") && declared.contains(&"="),
        "reading the lexer's tokens failed: {declared:?}"
    );
    for word in declared
        .iter()
        .filter(|t| t.starts_with(|c: char| c.is_ascii_lowercase()))
    {
        assert!(
            Token::keyword(word).is_some(),
            "`{word}` was read as a token of the lexer but is no keyword"
        );
    }
    let tokens = grammar_tokens();
    let missing: Vec<&&str> = declared.iter().filter(|t| !tokens.contains(**t)).collect();
    assert!(
        missing.is_empty(),
        "tokens of the compiler's lexer that grammar.js does not know: {missing:?}"
    );
    // The hard keywords are exactly the grammar's reserved words: never identifiers.
    let hard: BTreeSet<String> = declared
        .iter()
        .filter(|t| Token::keyword(t).is_some())
        .map(|t| t.to_string())
        .collect();
    assert_eq!(reserved_words(), hard, "grammar.js's reserved words");
}

/// The global reserved words of the generated grammar.
fn reserved_words() -> BTreeSet<String> {
    let grammar = generated_grammar();
    let words = grammar["reserved"]["global"]
        .as_array()
        .expect("grammar.json lists the reserved words");
    words
        .iter()
        .map(|word| {
            word["value"]
                .as_str()
                .expect("a reserved word is a string")
                .to_string()
        })
        .collect()
}

// ---- Words and their highlights ----

/// The highlight query, run over small snippets.
struct Highlights {
    query: Query,
}

impl Highlights {
    fn new() -> Self {
        let query = Query::new(&language(), tree_sitter_pm::HIGHLIGHTS_QUERY)
            .expect("queries/highlights.scm is a valid query");
        Highlights { query }
    }

    /// Checks that `text` parses without error and that the node spanning exactly
    /// `text[at..at + word.len()]`, where `word` must be, has the one capture `expected`.
    fn check(&self, text: &str, word: &str, at: usize, expected: &str) {
        assert_eq!(&text[at..at + word.len()], word, "bad offset in {text:?}");
        let tree = parse(text);
        if let Some(error) = first_problem(&tree) {
            panic!("{text:?} does not parse: error at {error}");
        }
        let names = self.query.capture_names();
        let mut found = BTreeSet::new();
        let mut cursor = QueryCursor::new();
        let mut captures = cursor.captures(&self.query, tree.root_node(), text.as_bytes());
        while let Some((found_match, index)) = captures.next() {
            let capture = found_match.captures()[*index];
            if capture.node.start_byte() == at && capture.node.end_byte() == at + word.len() {
                found.insert(names[capture.index as usize].to_string());
            }
        }
        let expected = BTreeSet::from([expected.to_string()]);
        assert_eq!(found, expected, "captures of `{word}` in {text:?}");
    }

    /// [`Highlights::check`] on `prefix WORD suffix`.
    fn check_in(&self, prefix: &str, word: &str, suffix: &str, expected: &str) {
        self.check(
            &format!("{prefix}{word}{suffix}"),
            word,
            prefix.len(),
            expected,
        );
    }
}

/// A well-formed example of each message clause the compiler knows, by its keyword.
fn clause_example(keyword: &str) -> Option<&'static str> {
    Some(match keyword {
        "brand" => "brand \"Acme\"",
        "channel" => "channel \"Acme iOS\"",
        "say" => "say \"Hi\"",
        "respond" => "respond agent { }",
        "tags" => "tags \"a\", \"b\"",
        "send" => "send anytime",
        "frequency" => "frequency every_time",
        "priority" => "priority -1",
        "status" => "status paused",
        "when" => "when c after screen_open",
        "after" => "after screen_open 30s",
        _ => return None,
    })
}

/// A well-formed example of each clause of `respond agent { … }`, by its keyword.
fn agent_clause_example(keyword: &str) -> Option<&'static str> {
    Some(match keyword {
        "follow_up" => "follow_up \"Hi\"",
        "collect" => "collect name, email",
        _ => return None,
    })
}

#[test]
fn clause_keywords_are_keywords() {
    let highlights = Highlights::new();
    let tokens = grammar_tokens();
    let keywords = CLAUSE_KEYWORDS.iter().chain(&TRIGGER_KEYWORDS);
    for keyword in keywords {
        assert!(
            tokens.contains(*keyword),
            "grammar.js lacks the clause `{keyword}`"
        );
        let example = clause_example(keyword).unwrap_or_else(|| {
            panic!("the compiler knows the clause `{keyword}`: add it to grammar.js, highlights.scm and clause_example")
        });
        let capture = if *keyword == "when" {
            "keyword.conditional"
        } else {
            "keyword"
        };
        let prefix = "message \"m\" { ";
        highlights.check(
            &format!("{prefix}{example} }}"),
            keyword,
            prefix.len(),
            capture,
        );
    }
    for keyword in &AGENT_CLAUSE_KEYWORDS {
        assert!(tokens.contains(*keyword), "grammar.js lacks `{keyword}`");
        let example = agent_clause_example(keyword).unwrap_or_else(|| {
            panic!("the compiler knows `respond agent {{ {keyword} … }}`: add it to grammar.js, highlights.scm and agent_clause_example")
        });
        let prefix = "message \"m\" { respond agent { ";
        highlights.check(
            &format!("{prefix}{example} }} }}"),
            keyword,
            prefix.len(),
            "keyword",
        );
    }
}

#[test]
fn clause_values_are_highlighted() {
    let highlights = Highlights::new();
    let message = "message \"m\" { ";
    for kind in &names(&RESPONSE_KINDS) {
        let rest = match *kind {
            "agent" => " { }",
            "ai_agent" => " \"A\" answer \"B\"",
            other => panic!(
                "the compiler knows `respond {other}`: add it to grammar.js and highlights.scm"
            ),
        };
        highlights.check_in(
            &format!("{message}respond "),
            kind,
            &format!("{rest} }}"),
            "keyword",
        );
    }
    let ai_agent = format!("{message}respond ai_agent \"A\" answer \"B\" }}");
    highlights.check(
        &ai_agent,
        "answer",
        ai_agent.find("answer").unwrap(),
        "keyword",
    );
    for mode in names(&SEND_MODES) {
        highlights.check_in(&format!("{message}send "), mode, " }", "keyword");
        let schedule = format!("{message}send {mode} business_hours \"S\" }}");
        let at = schedule.find("business_hours").unwrap();
        highlights.check(&schedule, "business_hours", at, "keyword");
    }
    let values = [
        ("frequency ", names(&FREQUENCIES)),
        ("status ", names(&STATUSES)),
        ("respond agent { collect ", names(&COLLECT_FIELDS)),
    ];
    for (before, words) in values {
        let closing = if before.contains('{') { " } }" } else { " }" };
        for word in words {
            highlights.check_in(
                &format!("{message}{before}"),
                word,
                closing,
                "constant.builtin",
            );
        }
    }
    for event in names(&EVENTS) {
        highlights.check_in(&format!("{message}after "), event, " }", "constant.builtin");
    }
    // Misspelt words parse (the checker reports them) but keep no colour.
    let misspelt = format!("{message}frequency once_per_vist }}");
    let tree = parse(&misspelt);
    assert_eq!(first_problem(&tree), None);
    let mut cursor = QueryCursor::new();
    let query = &highlights.query;
    let mut captures = cursor.captures(query, tree.root_node(), misspelt.as_bytes());
    let at = misspelt.find("once_per_vist").unwrap();
    while let Some((found, index)) = captures.next() {
        let node = found.captures()[*index].node;
        assert!(node.start_byte() != at, "a misspelt value is highlighted");
    }
}

#[test]
fn objects_fields_and_operators_are_highlighted() {
    let highlights = Highlights::new();
    let mut comparisons = 0;
    for known in FIELDS {
        let (object, field) = (known.object, known.word.text);
        for op in known.operators {
            let text = format!("condition c = {object}.{field} {} \"v\"", op.as_str());
            let at = "condition c = ".len();
            highlights.check(&text, object, at, "variable.builtin");
            highlights.check(&text, field, at + object.len() + 1, "variable.member");
            let mut offset = at + object.len() + 1 + field.len() + 1;
            for word in op.as_str().split(' ') {
                let capture = if word.starts_with(|c: char| c.is_ascii_lowercase()) {
                    "keyword.operator"
                } else {
                    "operator"
                };
                highlights.check(&text, word, offset, capture);
                offset += word.len() + 1;
            }
            comparisons += 1;
        }
    }
    assert!(comparisons >= 8, "only {comparisons} comparisons checked");
    for value in names(&VISIT_HISTORY) {
        let prefix = "condition c = visitor.visit_history is ";
        highlights.check_in(prefix, value, "", "constant.builtin");
    }
}

// ---- Files of the repository ----

/// Every `.pm` file under `dir`, except build output, dependencies and this grammar's own tests
/// (which use version-2 constructs).
fn pm_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let skipped = ["target", "node_modules", ".git", "tree-sitter-pm"];
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if path.is_dir() {
            if !skipped.contains(&name) {
                pm_files(&path, files);
            }
        } else if path.extension().is_some_and(|e| e == "pm") {
            files.push(path);
        }
    }
}

#[test]
fn repository_files_agree() {
    let mut files = Vec::new();
    pm_files(&repository(), &mut files);
    let (mut clean, mut strict) = (0, 0);
    let mut problems = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("a readable .pm file");
        let errors = compiler_syntax_errors(&text, &item_starts(&text));
        if errors.is_empty() {
            clean += 1;
        } else if errors.iter().any(|error| STRICT.contains(&error.code)) {
            strict += 1;
        }
        if let Some(problem) = disagreement(&text) {
            let shown = path.strip_prefix(repository()).unwrap_or(path);
            problems.push(format!("{}: {problem}", shown.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // examples/acme, examples/warnings, the scenario bundle and the files of examples/errors
    // whose errors come after parsing; and the syntax errors of examples/errors.
    assert!(
        clean >= 40 && strict >= 6,
        "{clean} files without syntax diagnostics and {strict} with strict ones: fewer than expected"
    );
}

// ---- Generated programs ----

/// The compiler's words, and the grammar's version-2 keywords, as identifiers.
fn vocabulary() -> Vec<&'static str> {
    let mut words: Vec<&'static str> = CLAUSE_KEYWORDS.to_vec();
    words.extend(AGENT_CLAUSE_KEYWORDS);
    for table in [
        &RESPONSE_KINDS[..],
        &SEND_MODES,
        &FREQUENCIES,
        &STATUSES,
        &COLLECT_FIELDS,
        &VISIT_HISTORY,
        &OBJECTS,
        &EVENTS,
    ] {
        words.extend(names(table));
    }
    words.extend(FIELDS.iter().map(|f| f.word.text));
    words.extend([
        "answer",
        "business_hours",
        "event",
        "active",
        "from",
        "until",
        "starts_with",
        "ends_with",
        "matches",
        "true",
        "false",
        "set",
        "app",
        "user",
        "version",
        "build",
    ]);
    words
}

/// An identifier: a word of the language or a random one, never a hard keyword of the compiler.
fn identifier() -> BoxedStrategy<String> {
    prop_oneof![
        proptest::sample::select(vocabulary()).prop_map(String::from),
        "[a-z_][a-z0-9_]{0,6}",
    ]
    .prop_filter("hard keywords are not identifiers", |w| {
        Token::keyword(w).is_none()
    })
    .boxed()
}

/// An identifier other than `words`.
fn identifier_except(words: &'static [&'static str]) -> BoxedStrategy<String> {
    identifier()
        .prop_filter("a word with another meaning here", move |w| {
            !words.contains(&w.as_str())
        })
        .boxed()
}

fn string() -> BoxedStrategy<String> {
    prop_oneof![
        proptest::sample::select(vec![
            r#""""#,
            r#""Hi there 👋""#,
            r#""a \" b \\ c \n \t \u{1F44B}""#,
            r#""// not a comment""#,
            r#""ça, 日本語""#,
        ])
        .prop_map(String::from),
        "[a-zA-Z0-9 ./_-]{0,8}".prop_map(|s| format!("\"{s}\"")),
    ]
    .boxed()
}

fn duration() -> BoxedStrategy<String> {
    prop_oneof![
        (0u32..3600).prop_map(|s| format!("{s}s")),
        (0u32..60).prop_map(|m| format!("{m}m")),
        (0u32..60, 0u32..60).prop_map(|(m, s)| format!("{m}m{s}s")),
    ]
    .boxed()
}

/// Tokens of `a`, then of `b`, and so on.
fn concat(parts: Vec<Vec<String>>) -> Vec<String> {
    parts.into_iter().flatten().collect()
}

fn words(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

/// `first`, then each of `rest` after a comma.
fn comma_separated(first: String, rest: Vec<String>) -> Vec<String> {
    let mut tokens = vec![first];
    for item in rest {
        tokens.push(",".to_string());
        tokens.push(item);
    }
    tokens
}

fn comparison() -> BoxedStrategy<Vec<String>> {
    let list = (
        string(),
        prop::collection::vec(string(), 0..3),
        any::<bool>(),
    )
        .prop_map(|(first, rest, trailing)| {
            let mut tokens = vec!["[".to_string()];
            tokens.extend(comma_separated(first, rest));
            if trailing {
                tokens.push(",".to_string());
            }
            tokens.push("]".to_string());
            tokens
        });
    let value = prop_oneof![
        string().prop_map(|s| vec![s]),
        list,
        identifier().prop_map(|w| vec![w]),
    ];
    let operator = proptest::sample::select(vec!["is", "is not", "contains", "not contains"]);
    (identifier(), identifier(), operator, value)
        .prop_map(|(object, field, operator, value)| {
            let operator = operator.split(' ').map(String::from).collect();
            concat(vec![vec![object, ".".into(), field], operator, value])
        })
        .boxed()
}

fn expression() -> BoxedStrategy<Vec<String>> {
    let leaf = prop_oneof![identifier().prop_map(|w| vec![w]), comparison()];
    leaf.prop_recursive(3, 12, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|e| concat(vec![words(&["not"]), e])),
            inner
                .clone()
                .prop_map(|e| concat(vec![words(&["("]), e, words(&[")"])])),
            (inner.clone(), inner, any::<bool>()).prop_map(|(a, b, and)| {
                concat(vec![a, words(&[if and { "and" } else { "or" }]), b])
            }),
        ]
    })
    .boxed()
}

fn agent_clause() -> BoxedStrategy<Vec<String>> {
    prop_oneof![
        string().prop_map(|s| vec!["follow_up".to_string(), s]),
        (identifier(), prop::collection::vec(identifier(), 0..2)).prop_map(|(first, rest)| {
            concat(vec![words(&["collect"]), comma_separated(first, rest)])
        }),
    ]
    .boxed()
}

fn clause() -> BoxedStrategy<Vec<String>> {
    let text_clause = (
        proptest::sample::select(vec!["brand", "channel", "say"]),
        string(),
    )
        .prop_map(|(keyword, text)| vec![keyword.to_string(), text]);
    let agent =
        (identifier(), prop::collection::vec(agent_clause(), 0..3)).prop_map(|(kind, clauses)| {
            concat(vec![
                vec!["respond".to_string(), kind, "{".to_string()],
                concat(clauses),
                words(&["}"]),
            ])
        });
    let ai_agent = (identifier(), string(), string()).prop_map(|(kind, agent, answer)| {
        vec!["respond".into(), kind, agent, "answer".into(), answer]
    });
    // `after event …` is a version-2 custom event: the event is never the word `event`.
    let trigger = (
        prop::option::of(expression()),
        identifier_except(&["event"]),
        prop::option::of(duration()),
    )
        .prop_map(|(when, event, duration)| {
            let when = when.map_or_else(Vec::new, |e| concat(vec![words(&["when"]), e]));
            concat(vec![
                when,
                vec!["after".into(), event],
                duration.into_iter().collect(),
            ])
        });
    let tags = (string(), prop::collection::vec(string(), 0..3))
        .prop_map(|(first, rest)| concat(vec![words(&["tags"]), comma_separated(first, rest)]));
    // The word before a schedule is never a clause keyword (the compiler reads it as the next
    // clause), nor the version-2 clause keyword `active`.
    let hours: &'static [&'static str] = &[
        "brand",
        "channel",
        "say",
        "respond",
        "tags",
        "send",
        "frequency",
        "priority",
        "status",
        "active",
    ];
    let send = (
        identifier(),
        prop::option::of((prop::option::of(identifier_except(hours)), string())),
    )
        .prop_map(|(mode, schedule)| {
            let mut tokens = vec!["send".to_string(), mode];
            if let Some((word, name)) = schedule {
                tokens.extend(word);
                tokens.push(name);
            }
            tokens
        });
    let word_clause = (
        proptest::sample::select(vec!["frequency", "status"]),
        identifier(),
    )
        .prop_map(|(keyword, word)| vec![keyword.to_string(), word]);
    let priority = (-1000i64..1000).prop_map(|n| vec!["priority".to_string(), n.to_string()]);
    prop_oneof![
        text_clause,
        agent,
        ai_agent,
        trigger,
        tags,
        send,
        word_clause,
        priority
    ]
    .boxed()
}

fn item() -> BoxedStrategy<Vec<String>> {
    let message = (string(), prop::collection::vec(clause(), 0..6)).prop_map(|(name, clauses)| {
        concat(vec![
            vec!["message".to_string(), name, "{".to_string()],
            concat(clauses),
            words(&["}"]),
        ])
    });
    let condition = (identifier(), expression()).prop_map(|(name, expr)| {
        concat(vec![
            vec!["condition".to_string(), name, "=".to_string()],
            expr,
        ])
    });
    prop_oneof![message, condition].boxed()
}

/// A program as tokens, and the separators to put between them.
fn program() -> impl Strategy<Value = (Vec<String>, Vec<&'static str>)> {
    prop::collection::vec(item(), 1..4).prop_flat_map(|items| {
        let tokens = concat(items);
        let separators = proptest::sample::select(vec![
            " ",
            " ",
            "\n",
            "\n    ",
            "\t",
            "\r\n",
            "\x0c",
            "",
            " // note 👋\n",
            "\n// a\n// b\n",
        ]);
        let count = tokens.len();
        (Just(tokens), prop::collection::vec(separators, count))
    })
}

/// Joins tokens with their separators; a word never touches the next one.
fn render(tokens: &[String], separators: &[&str]) -> String {
    let word_end = |t: &str| t.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
    let word_start =
        |t: &str| t.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let mut text = String::new();
    for (i, token) in tokens.iter().enumerate() {
        text.push_str(token);
        let separator = separators.get(i).copied().unwrap_or(" ");
        let next = tokens.get(i + 1).map_or("", |t| t.as_str());
        if separator.is_empty() && word_end(token) && word_start(next) {
            text.push(' ');
        } else {
            text.push_str(separator);
        }
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Well-formed programs: the compiler parses them without a diagnostic and tree-sitter
    /// without an error.
    #[test]
    fn generated_programs_agree((tokens, separators) in program()) {
        let text = render(&tokens, &separators);
        let errors = compiler_syntax_errors(&text, &item_starts(&text));
        let codes: Vec<Code> = errors.iter().map(|e| e.code).collect();
        prop_assert_eq!(codes, Vec::<Code>::new(), "{}", text);
        prop_assert_eq!(first_problem(&parse(&text)), None, "{}", text);
    }

    /// The same with one token deleted: whatever the compiler says, tree-sitter agrees.
    #[test]
    fn programs_with_a_token_deleted_agree(
        (tokens, separators) in program(),
        deleted in any::<prop::sample::Index>(),
    ) {
        let mut tokens = tokens;
        tokens.remove(deleted.index(tokens.len()));
        let text = render(&tokens, &separators);
        prop_assert_eq!(disagreement(&text), None, "{}", text);
    }
}
