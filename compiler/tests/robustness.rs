//! No input panics the compiler: random bytes and mutations of the examples, given as `.pm`
//! source or as `account.toml`, go through the whole front end and the formatter. And what
//! `pmc check` accepts, `pmc build` builds: for every input, no error means a bundle, which the
//! code generator writes and the VM loads. Besides random and mutated text, sources built to
//! stress the checker (chains and cycles of named conditions, conditions that double, lists
//! and tags around their limits) are generated and mutated.

mod adversarial;

use proptest::prelude::*;

use pmc::analysis::analyze;
use pmc::source::SourceMap;

const ACCOUNT: &str = include_str!("../../examples/acme/account.toml");
const SEEDS: &[&str] = &[
    include_str!("../../examples/acme/pricing.pm"),
    include_str!("../../examples/acme/shop.pm"),
    include_str!("../../examples/acme/conditions.pm"),
    include_str!("../../examples/acme/travel.pm"),
];

/// Runs the whole front end and the formatter on one `.pm` text and one account text.
fn run(pm: &str, account: &str) {
    let mut sources = SourceMap::new();
    let account = sources.add("account.toml", account);
    let file = sources.add("a.pm", pm);
    let analysis = analyze(&sources, Some(account), &[file]);
    for diagnostic in &analysis.diagnostics {
        assert!(
            diagnostic.primary.span.end as usize
                <= sources.get(diagnostic.primary.span.file).text.len()
        );
    }
    // Reports for people never carry a raw control character, whatever the input holds.
    let human = pmc::diagnostic::render::human(&analysis.diagnostics, &sources, false);
    assert!(!human.chars().any(pmc::terminal::is_unsafe), "{human:?}");
    // `check` says yes exactly when there is a bundle, and then `build` says yes.
    assert_eq!(
        analysis.bundle.is_some(),
        !analysis.has_errors(),
        "{:#?}",
        analysis.diagnostics
    );
    if let Some(bundle) = &analysis.bundle {
        let bytes = pmc::codegen::generate(bundle)
            .unwrap_or_else(|e| panic!("checked without errors, but {e}"));
        pm_vm::Bundle::load(&bytes).unwrap_or_else(|e| panic!("the VM refuses the build: {e}"));
    }
    if let Some(formatted) = pmc::formatter::format_source(pm) {
        assert_eq!(
            pmc::formatter::format_source(&formatted).as_deref(),
            Some(formatted.as_str())
        );
    }
}

/// A byte-level edit of a seed text.
#[derive(Debug, Clone)]
enum Mutation {
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Replace(usize, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let tokens = prop::sample::select(vec![
        "(",
        ")",
        "{",
        "}",
        "[",
        "]",
        "\"",
        "\\",
        ",",
        "not ",
        "and ",
        "or ",
        " is ",
        "contains",
        "message ",
        "condition ",
        "when ",
        "after ",
        "1m",
        "99m99s",
        "-",
        "//",
        "\n",
        "é",
        "👋",
        "\u{0}",
        "\u{1b}[2J",
        "\u{202e}",
        "=",
    ]);
    prop_oneof![
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..4))
            .prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
        (any::<usize>(), tokens)
            .prop_map(|(at, token)| Mutation::Insert(at, token.as_bytes().to_vec())),
        (any::<usize>(), 1usize..20).prop_map(|(at, len)| Mutation::Delete(at, len)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Replace(at, byte)),
    ]
}

fn mutate(seed: &str, mutations: &[Mutation]) -> String {
    let mut bytes = seed.as_bytes().to_vec();
    for mutation in mutations {
        let len = bytes.len().max(1);
        match mutation {
            Mutation::Insert(at, new) => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, new.iter().copied());
            }
            Mutation::Delete(at, count) => {
                let at = at % len;
                let end = (at + count).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            Mutation::Replace(at, byte) => {
                if !bytes.is_empty() {
                    let at = at % bytes.len();
                    bytes[at] = *byte;
                }
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        run(&text, ACCOUNT);
        run(SEEDS[0], &text);
    }

    #[test]
    fn mutated_sources_never_panic(seed in 0..SEEDS.len(), mutations in prop::collection::vec(mutation(), 1..6)) {
        run(&mutate(SEEDS[seed], &mutations), ACCOUNT);
    }

    #[test]
    fn mutated_accounts_never_panic(mutations in prop::collection::vec(mutation(), 1..6)) {
        run(SEEDS[0], &mutate(ACCOUNT, &mutations));
    }
}

/// One part of a generated source: named conditions, and an expression using them.
fn adversarial_part() -> impl Strategy<Value = (String, String)> {
    let step = prop::sample::select(vec![
        "{next}",
        "not {next}",
        "{next} and visitor.visit_history is new",
        "({next} or visitor.page_url contains \"a\")",
    ]);
    let base = prop::sample::select(vec![
        "visitor.visit_history is new",
        "visitor.page_url contains \"a\"",
        "device.language is \"fr\" or visitor.page_title is \"x\"",
    ]);
    prop_oneof![
        // Chains, some closed into cycles.
        (1usize..400, step, any::<bool>()).prop_map(|(len, step, cycle)| {
            let end = (!cycle).then_some("visitor.visit_history is returning");
            (adversarial::chain("c", len, step, end), "c0".to_string())
        }),
        // Doublings around the size limits.
        (0usize..18, prop::sample::select(vec!["and", "or"]), base).prop_map(
            |(depth, op, base)| {
                (
                    adversarial::doubling("d", depth, op, base),
                    format!("d{depth}"),
                )
            }
        ),
        // Lists around the 1,024-item limit.
        (1000usize..1030)
            .prop_map(|len| (String::new(), format!("({})", adversarial::long_list(len)))),
    ]
}

/// A source of up to three parts (each kind at most once) and one message using them.
fn adversarial_source() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(adversarial_part(), 1..4),
        prop::sample::select(vec![" and ", " or "]),
        60usize..67,
    )
        .prop_map(|(parts, op, tags)| {
            let mut defined = std::collections::HashSet::new();
            let mut definitions = String::new();
            let mut uses = Vec::new();
            for (defs, expr) in parts {
                // Parts of the same kind define the same names: keep the first.
                if defined.insert(expr.chars().next()) {
                    definitions.push_str(&defs);
                    uses.push(expr);
                }
            }
            let tags: Vec<String> = (0..tags).map(|i| format!("\"t{}\"", i % 65)).collect();
            let message = adversarial::message("M", &uses.join(op)).replace(
                " frequency every_time\n",
                &format!(" frequency every_time\n tags {}\n", tags.join(", ")),
            );
            definitions + &message
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn adversarial_sources_check_and_build_alike(
        source in adversarial_source(),
        mutations in prop::collection::vec(mutation(), 0..3),
    ) {
        run(&mutate(&source, &mutations), adversarial::ACCOUNT);
    }
}
