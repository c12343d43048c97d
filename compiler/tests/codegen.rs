//! The code generator and the VM against the reference semantics: random well-typed
//! conditions and random contexts give the same answer from the bytecode as from
//! `NamedConditions::eval`; builds are byte-identical; and what the checker counts before
//! building (each condition's code length, the bundle's strings, lists and size) is what the
//! build holds.

use proptest::prelude::*;

use pmc::analysis::analyze;
use pmc::model::Facts;
use pmc::source::SourceMap;

const ACCOUNT: &str = r#"
[[brands]]
name = "B"
[[channels]]
name = "C"
brand = "B"
platform = "ios"
"#;

/// Asserts that the checker's counts of `checked` (see `pmc::check::limits`) are those of its
/// build `bytes`: each message's code length and the different strings and lists exactly, the
/// size as an upper bound.
fn assert_counts_are_the_build(checked: &pmc::model::CheckedBundle, bytes: &[u8]) {
    let built = pm_vm::Bundle::load(bytes).unwrap();
    let mut tally = pmc::check::limits::Tally::new(&checked.account);
    let mut constants = pmc::truth::ConstantValues::default();
    for (i, message) in checked.messages.iter().enumerate() {
        let layout =
            pmc::codegen::Layout::new(&message.condition, &checked.conditions, &mut constants)
                .unwrap();
        assert_eq!(layout.code_len(), built.code(i).len(), "{}", message.name);
        tally.message(message, &layout, message.name_span);
    }
    let (strings, sets, size) = tally.counts();
    assert_eq!(strings, built.string_count());
    assert_eq!(sets, built.string_set_count());
    let decoded: usize = built
        .sections()
        .iter()
        .map(|s| s.decoded_len as usize)
        .sum();
    assert!(
        size >= decoded + 16 + 2 + 15 * built.sections().len(),
        "{size} < {decoded}"
    );
    assert!(size >= bytes.len(), "{size} < {}", bytes.len());
}

/// Compiles one message whose condition is `condition`; returns the checked bundle and bytes.
fn compile(condition: &str) -> (pmc::model::CheckedBundle, Vec<u8>) {
    let mut sources = SourceMap::new();
    let account = sources.add("account.toml", ACCOUNT);
    let text = format!(
        "message \"M\" {{\n channel \"C\"\n say \"s\"\n respond agent {{ follow_up \"f\" }}\n when {condition}\n after screen_open\n frequency every_time\n}}\n"
    );
    let file = sources.add("m.pm", text);
    let analysis = analyze(&sources, Some(account), &[file]);
    let errors: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{condition}: {errors:#?}");
    let bundle = analysis.bundle.expect("no errors, so a bundle");
    let bytes = pmc::codegen::generate(&bundle).unwrap();
    assert_counts_are_the_build(&bundle, &bytes);
    (bundle, bytes)
}

const NEEDLES: &[&str] = &["pricing", "PLANS", "é", "", "a", "ab", "Straße", "/cart"];
const TAGS: &[&str] = &["fr", "fr-ca", "de", "en", "pt-br", "zh"];
const ORDERS: &[&str] = &["is", "is not", "<", "<=", ">", ">="];
const VERSIONS: &[&str] = &["5.2", "5.2.0-beta.1", "5.2.1", "6", "5.2.0+7"];
const BUILDS: &[i64] = &[0, 5210, -1, i64::MAX];

fn needle() -> impl Strategy<Value = String> {
    prop::sample::select(NEEDLES).prop_map(|n| format!("\"{n}\""))
}

fn comparison() -> impl Strategy<Value = String> {
    prop_oneof![
        (
            prop::sample::select(vec!["page_url", "page_title"]),
            prop::sample::select(vec!["is", "is not"]),
            needle()
        )
            .prop_map(|(f, op, v)| format!("visitor.{f} {op} {v}")),
        (
            prop::sample::select(vec!["page_url", "page_title"]),
            prop::sample::select(vec![
                "contains",
                "not contains",
                "starts_with",
                "not starts_with",
                "ends_with",
                "not ends_with",
            ]),
            prop::collection::vec(needle(), 1..4),
        )
            .prop_map(|(f, op, v)| format!("visitor.{f} {op} [{}]", v.join(", "))),
        (
            prop::sample::select(vec!["is", "is not"]),
            prop::sample::select(TAGS)
        )
            .prop_map(|(op, tag)| format!("device.language {op} \"{tag}\"")),
        (
            prop::sample::select(vec!["is", "is not"]),
            prop::sample::select(vec!["new", "returning"])
        )
            .prop_map(|(op, v)| format!("visitor.visit_history {op} {v}")),
        (prop::sample::select(ORDERS), prop::sample::select(VERSIONS))
            .prop_map(|(op, v)| format!("app.version {op} \"{v}\"")),
        (prop::sample::select(ORDERS), prop::sample::select(BUILDS))
            .prop_map(|(op, b)| format!("app.build {op} {b}")),
    ]
}

fn expression() -> impl Strategy<Value = String> {
    comparison().prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4)
                .prop_map(|ops| format!("({})", ops.join(" and "))),
            prop::collection::vec(inner.clone(), 2..4)
                .prop_map(|ops| format!("({})", ops.join(" or "))),
            inner.prop_map(|e| format!("not {e}")),
        ]
    })
}

fn facts() -> impl Strategy<Value = Facts> {
    let text = prop::collection::vec(
        prop::sample::select(vec![
            "Pricing", "plans", "/CART", "x", "É", "STRASSE", "straße", "ab", "a",
        ]),
        0..4,
    )
    .prop_map(|parts| parts.concat());
    let language = prop::sample::select(vec![
        "fr", "FR_ca", "fr-CA-x", "fr-fr", "de", "pt_BR", "pt", "zh-Hant", "", "en-US",
    ]);
    let version = prop::option::of(prop::sample::select(vec![
        "5.2",
        "5.2.0",
        "5.2.0-beta.1",
        "5.2.0-rc.1",
        "5.3",
        "4",
        "x",
    ]));
    let build = prop::option::of(prop::sample::select(vec![5209i64, 5210, 0, i64::MAX]));
    (text.clone(), text, language, any::<bool>(), version, build).prop_map(
        |(url, title, language, returning, version, build)| Facts {
            url,
            title,
            language: language.to_string(),
            returning,
            app_version: version.map(str::to_string),
            app_build: build,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn bytecode_agrees_with_the_reference_semantics(condition in expression(), contexts in prop::collection::vec(facts(), 1..8)) {
        let (checked, bytes) = compile(&condition);
        let bundle = pm_vm::Bundle::load(&bytes).unwrap();
        let mut context = pm_vm::Context::new();
        for facts in contexts {
            context.set_url(&facts.url);
            context.set_title(&facts.title);
            context.set_language(&facts.language);
            context.set_returning(facts.returning);
            context.set_app_version(facts.app_version.as_deref());
            context.set_app_build(facts.app_build);
            let expected = checked.conditions.eval(&checked.messages[0].condition, &facts);
            prop_assert_eq!(bundle.eval(0, &context), expected, "{} on {:?}", condition, facts);
        }
    }
}

#[test]
fn building_twice_gives_identical_bytes() {
    let pmc = env!("CARGO_BIN_EXE_pmc");
    let dir = std::env::temp_dir().join(format!("pmc-build-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/acme");
    let mut outputs = Vec::new();
    for name in ["a.pmb", "b.pmb"] {
        let out = dir.join(name);
        let status = std::process::Command::new(pmc)
            .args(["build", example, "-o"])
            .arg(&out)
            .status()
            .unwrap();
        assert!(status.success());
        outputs.push(std::fs::read(&out).unwrap());
    }
    assert_eq!(outputs[0], outputs[1]);
    let bundle = pm_vm::Bundle::load(&outputs[0]).unwrap();
    assert_eq!(bundle.messages().len(), 16);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn build_with_errors_writes_nothing() {
    let pmc = env!("CARGO_BIN_EXE_pmc");
    let dir = std::env::temp_dir().join(format!("pmc-build-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("account.toml"), ACCOUNT).unwrap();
    std::fs::write(dir.join("bad.pm"), "message \"M\" { channel \"Nope\" }").unwrap();
    let out = dir.join("out.pmb");
    std::fs::write(&out, b"previous").unwrap();
    let status = std::process::Command::new(pmc)
        .arg("build")
        .arg(&dir)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(1));
    assert_eq!(
        std::fs::read(&out).unwrap(),
        b"previous",
        "the old output is intact"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The VM's C tests run on bundles in `vm/tests/fixtures/` (the VM cannot compile): each must
/// be what `pmc build` produces today from its sources. `cargo xtask bless` rewrites them (by
/// running this test with `PM_BLESS=1`).
#[test]
fn the_vm_fixtures_are_todays_builds() {
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    for (sources, fixture) in [
        ("examples/acme", "vm/tests/fixtures/acme.pmb"),
        ("tests/scenarios/bundle", "vm/tests/fixtures/scenarios.pmb"),
        (
            "vm/examples/host/bundle-v1",
            "vm/tests/fixtures/host-v1.pmb",
        ),
        (
            "vm/examples/host/bundle-v2",
            "vm/tests/fixtures/host-v2.pmb",
        ),
    ] {
        let bundle = pmc::fs::load_bundle(&root.join(sources)).unwrap();
        let analysis = analyze(&bundle.sources, bundle.account, &bundle.pm_files);
        let model = analysis
            .bundle
            .unwrap_or_else(|| panic!("{sources} has errors"));
        let bytes = pmc::codegen::generate(&model).unwrap();
        assert_counts_are_the_build(&model, &bytes);
        let fixture = root.join(fixture);
        if std::env::var_os("PM_BLESS").is_some() {
            std::fs::write(&fixture, &bytes).unwrap();
        }
        assert!(
            std::fs::read(&fixture).is_ok_and(|old| old == bytes),
            "{} is stale: run `cargo xtask bless`",
            fixture.display()
        );
    }
}
