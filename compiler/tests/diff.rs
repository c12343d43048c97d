//! `pmc diff` end to end, on copies of `tests/diff/base` with one change each: identical
//! bundles (also reformatted, commented, with messages moved between files, and with a
//! condition written differently) exit 0; each kind of change is reported (snapshots, in every
//! format for the behaviour diff); compiled bundles compare like directories; trouble exits 2.
//! Property tests compile random pairs of conditions and check that every example context of
//! the behaviour diff flips the outcome through the VM of both bundles, that "no difference"
//! means the same outcome everywhere, and that conditions read back from bytecode mean what the
//! VM runs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pmc::analysis::analyze;
use pmc::diff::behaviour::{Behaviour, vm_context};
use pmc::diff::{MessageDiff, Side, condition, diff};
use pmc::model::Facts;
use pmc::source::SourceMap;
use proptest::prelude::*;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

const BASE: &str = "tests/diff/base";

/// `pmc ARGS` run from the repository root.
fn pmc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pmc"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("pmc runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A fresh copy of the base bundle named `name`, changed by `change`.
fn variant(name: &str, change: impl FnOnce(&Path)) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("diff")
        .join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(root().join(BASE)).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    change(&dir);
    dir
}

/// Replaces `from` (which must occur) by `to` in `file` of `dir`.
fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from:?} is not in {file}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// `pmc diff BASE NEW --format FORMAT`: the exit status and standard output.
fn diff_with_base(new: &Path, format: &str) -> (i32, String) {
    let output = pmc(&["diff", BASE, new.to_str().unwrap(), "--format", format]);
    let code = output.status.code().expect("pmc exits");
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (code, stdout(&output))
}

#[test]
fn identical_bundles_are_no_difference_in_every_format() {
    let same = variant("same", |_| {});
    assert_eq!(
        diff_with_base(&same, "human"),
        (0, "no differences\n".into())
    );
    let (code, markdown) = diff_with_base(&same, "markdown");
    assert_eq!(code, 0);
    assert_eq!(markdown, "### Rule changes: no differences\n");
    let (code, json) = diff_with_base(&same, "json");
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["differs"], false);
    assert_eq!(json["messages"], serde_json::json!([]));
}

#[test]
fn reformatting_comments_and_moving_messages_between_files_are_no_difference() {
    let moved = variant("reformatted", |dir| {
        // Everything on few lines, with comments, and the order-status message moved to a file
        // that sorts first: it now comes first in bundle order, but no other message is due
        // at the same checks (5 s after a screen opens).
        let shop = std::fs::read_to_string(dir.join("shop.pm")).unwrap();
        let (cart, orders) = shop.split_at(shop.find("message \"Order status bot\"").unwrap());
        std::fs::write(dir.join("shop.pm"), cart).unwrap();
        std::fs::write(
            dir.join("a-orders.pm"),
            format!("// Moved here.\n{}", orders.replace("\n    ", " ")),
        )
        .unwrap();
        edit(
            dir,
            "pricing.pm",
            "when pricing_pages and device.language is \"fr\"",
            "when pricing_pages // the pricing pages\n      and device.language is \"fr\"  // French",
        );
        edit(
            dir,
            "pricing.pm",
            "    tags \"pricing\"\n",
            "\n\n\ttags   \"pricing\"\n",
        );
    });
    assert_eq!(
        diff_with_base(&moved, "human"),
        (0, "no differences\n".into())
    );
}

#[test]
fn a_condition_written_differently_with_the_same_outcome_is_no_difference() {
    let rewritten = variant("rewritten", |dir| {
        edit(
            dir,
            "pricing.pm",
            "when pricing_pages and device.language is \"fr\"",
            "when not (device.language is not \"fr\" or not pricing_pages)",
        );
        edit(
            dir,
            "pricing.pm",
            "contains [\"pricing\", \"plans\"]",
            "contains \"plans\" or visitor.page_url contains \"PRICING\"",
        );
    });
    assert_eq!(
        diff_with_base(&rewritten, "human"),
        (0, "no differences\n".into())
    );
}

#[test]
fn every_clause_that_changes_is_reported() {
    let changed = variant("clauses", |dir| {
        let edits = [
            (
                "say \"Questions about our plans?\"",
                "say \"Questions about pricing?\"",
            ),
            (
                "follow_up \"Let me connect you with sales.\"\n        collect email",
                "follow_up \"Sales will answer.\"\n        collect name, email",
            ),
            ("after screen_open 30s", "after screen_open 1m"),
            ("tags \"pricing\"", "tags \"pricing\", \"sales\""),
            (
                "send during business_hours \"Office\"",
                "send outside business_hours \"Office\"",
            ),
            ("frequency once_per_visit", "frequency every_time"),
            ("priority 5", "priority 7\n    status paused"),
        ];
        for (from, to) in edits {
            edit(dir, "pricing.pm", from, to);
        }
        edit(
            dir,
            "shop.pm",
            "respond ai_agent \"Shop Assistant\" answer \"Order status\"",
            "respond ai_agent \"Shop Assistant\" answer \"Returns\"",
        );
    });
    let (code, text) = diff_with_base(&changed, "human");
    assert_eq!(code, 1, "{text}");
    insta::assert_snapshot!("clauses", text);
}

#[test]
fn added_and_removed_messages_are_reported_with_their_clauses() {
    let changed = variant("added-removed", |dir| {
        let shop = std::fs::read_to_string(dir.join("shop.pm")).unwrap();
        let start = shop.find("message \"Cart reminder\"").unwrap();
        let end = shop.find("message \"Order status bot\"").unwrap();
        let returns = "message \"Returns help\" {\n    brand \"Shop\"\n    channel \"Shop iOS\"\n    say \"Returning something?\"\n    respond ai_agent \"Shop Assistant\" answer \"Returns\"\n    when visitor.page_title contains \"returns\"\n    after screen_open\n    frequency once_per_visit\n}\n\n";
        let shop = format!("{}{returns}{}", &shop[..start], &shop[end..]);
        std::fs::write(dir.join("shop.pm"), shop).unwrap();
    });
    let (code, text) = diff_with_base(&changed, "human");
    assert_eq!(code, 1, "{text}");
    insta::assert_snapshot!("added_removed", text);
}

/// The pricing message's named condition loses a page and its language test gains German.
fn behaviour_change(dir: &Path) {
    edit(
        dir,
        "pricing.pm",
        "contains [\"pricing\", \"plans\"]",
        "contains \"pricing\"",
    );
    edit(
        dir,
        "pricing.pm",
        "and device.language is \"fr\"",
        "and (device.language is \"fr\" or device.language is \"de\")",
    );
}

#[test]
fn a_changed_condition_shows_example_contexts_whose_outcome_flips() {
    let changed = variant("behaviour", behaviour_change);
    let (code, human) = diff_with_base(&changed, "human");
    assert_eq!(code, 1, "{human}");
    assert!(
        human.contains("now also holds for visitor.page_url \"pricing\", device.language \"de\""),
        "{human}"
    );
    assert!(
        human.contains("no longer holds for visitor.page_url \"plans\", device.language \"fr\""),
        "{human}"
    );
    insta::assert_snapshot!("behaviour_human", human);
    let (code, markdown) = diff_with_base(&changed, "markdown");
    assert_eq!(code, 1);
    insta::assert_snapshot!("behaviour_markdown", markdown);
    let (code, json) = diff_with_base(&changed, "json");
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["differs"], true);
    insta::assert_json_snapshot!("behaviour_json", json);
}

#[test]
fn only_a_named_condition_changed_shows_the_conditions_written_out() {
    let changed = variant("named", |dir| {
        edit(dir, "pricing.pm", "[\"pricing\", \"plans\"]", "\"plans\"");
    });
    let (code, text) = diff_with_base(&changed, "human");
    assert_eq!(code, 1, "{text}");
    insta::assert_snapshot!("named", text);
}

#[test]
fn renaming_a_once_per_device_message_warns_that_it_is_shown_again() {
    let renamed = variant("renamed", |dir| {
        edit(
            dir,
            "pricing.pm",
            "message \"Welcome\"",
            "message \"Hello\"",
        );
    });
    let (code, text) = diff_with_base(&renamed, "human");
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("everyone who has seen \"Welcome\" will be shown \"Hello\" again"),
        "{text}"
    );
    insta::assert_snapshot!("renamed", text);
}

#[test]
fn a_raised_priority_that_changes_the_winner_warns() {
    // "Welcome" and "Cart reminder" are both checked 10 s after a screen opens, with priority 0:
    // "Welcome" won by bundle order, now "Cart reminder" wins on priority.
    let raised = variant("priority", |dir| {
        edit(
            dir,
            "shop.pm",
            "after screen_open 10s\n",
            "after screen_open 10s\n    priority 1\n",
        );
    });
    let (code, text) = diff_with_base(&raised, "human");
    assert_eq!(code, 1, "{text}");
    insta::assert_snapshot!("priority", text);
}

#[test]
fn a_new_order_of_equal_priority_messages_due_together_is_a_difference() {
    // `cart.pm` sorts before `pricing.pm`: "Cart reminder" now comes before "Welcome".
    let reordered = variant("reordered", |dir| {
        std::fs::rename(dir.join("shop.pm"), dir.join("cart.pm")).unwrap();
    });
    let (code, text) = diff_with_base(&reordered, "human");
    assert_eq!(code, 1, "{text}");
    insta::assert_snapshot!("reordered", text);
}

#[test]
fn equal_priority_messages_that_cannot_both_hold_may_change_order() {
    // Both due 10 s after a screen opens, but a page cannot be both `/cart` and `/welcome`.
    let reordered = variant("reordered-disjoint", |dir| {
        std::fs::rename(dir.join("shop.pm"), dir.join("cart.pm")).unwrap();
        edit(
            dir,
            "pricing.pm",
            "when visitor.visit_history is new",
            "when visitor.page_url is \"/welcome\"",
        );
    });
    let (code, text) = diff_with_base(&reordered, "human");
    assert_eq!(code, 1, "{text}");
    assert!(!text.contains("warning"), "{text}");
}

#[test]
fn account_changes_are_reported() {
    let changed = variant("account", |dir| {
        edit(
            dir,
            "account.toml",
            "fri = [\"09:00-17:00\"]",
            "fri = [\"09:00-16:00\"]",
        );
        edit(
            dir,
            "account.toml",
            "answers = [\"Order status\", \"Returns\"]",
            "answers = [\"Order status\", \"Returns\", \"Sizes\"]",
        );
    });
    let (code, text) = diff_with_base(&changed, "human");
    assert_eq!(code, 1, "{text}");
    insta::assert_snapshot!("account", text);
}

#[test]
fn compiled_bundles_compare_like_directories() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diff-base.pmb");
    let built = pmc(&["build", BASE, "-o", out.to_str().unwrap()]);
    assert!(built.status.success(), "{built:?}");
    let pmb = out.to_str().unwrap();
    let same = pmc(&["diff", pmb, BASE]);
    assert_eq!(
        (same.status.code(), stdout(&same).as_str()),
        (Some(0), "no differences\n")
    );
    // Without sources, conditions are shown as the bytecode has them.
    let changed = variant("behaviour-pmb", behaviour_change);
    let output = pmc(&["diff", pmb, changed.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!("pmb", stdout(&output));
}

#[test]
fn trouble_exits_2_with_a_reason() {
    let missing = pmc(&["diff", BASE, "tests/diff/no-such-bundle.pmb"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read"));

    let garbage = Path::new(env!("CARGO_TARGET_TMPDIR")).join("garbage.pmb");
    std::fs::write(&garbage, b"PMB\0 this is not a bundle").unwrap();
    let output = pmc(&["diff", garbage.to_str().unwrap(), BASE]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not a valid bundle"));

    let broken = variant("broken", |dir| {
        edit(
            dir,
            "pricing.pm",
            "channel \"Shop iOS\"",
            "channel \"Shop Android\"",
        );
    });
    let output = pmc(&["diff", BASE, broken.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("error"));
}

#[test]
fn text_direction_characters_in_conditions_are_never_printed_raw() {
    let changed = variant("bidi", |dir| {
        edit(
            dir,
            "shop.pm",
            "when visitor.page_url contains \"/cart\"",
            "when visitor.page_url contains \"/cart\" and visitor.page_title not contains \"\u{202e}x\"",
        );
    });
    for format in ["human", "markdown"] {
        let (code, text) = diff_with_base(&changed, format);
        assert_eq!(code, 1, "{text}");
        assert!(!text.contains('\u{202e}'), "{text}");
        assert!(text.contains("\\u{202e}x"), "{text}");
    }
}

/// `git ARGS` in `dir`, which must succeed; `false` when git does not run (which fails the
/// test under CI, where `.ci/run`'s machine has git).
fn git(dir: &Path, args: &[&str]) -> bool {
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=pmc",
            "-c",
            "user.email=pmc@example.invalid",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output();
    match output {
        Ok(output) => {
            assert!(output.status.success(), "git {args:?}: {output:?}");
            true
        }
        Err(e) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "git is required in CI: {e}"
            );
            println!("SKIPPED: git does not run ({e}), so this check did not run");
            false
        }
    }
}

#[test]
fn a_git_revision_of_the_bundle_directory_is_the_old_side() {
    let repo = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diff-git");
    if repo.exists() {
        std::fs::remove_dir_all(&repo).unwrap();
    }
    std::fs::create_dir_all(&repo).unwrap();
    if !git(&repo, &["init", "-q"]) {
        return;
    }
    let rules = variant("git-rules", |_| {});
    std::fs::rename(&rules, repo.join("rules")).unwrap();
    std::fs::write(repo.join("README.md"), "not part of the bundle\n").unwrap();
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "rules"]);
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_pmc"))
            .args(args)
            .current_dir(&repo)
            .output()
            .unwrap()
    };
    let same = run(&["diff", "--git", "HEAD", "rules"]);
    assert_eq!(
        (same.status.code(), stdout(&same).as_str()),
        (Some(0), "no differences\n"),
        "{same:?}"
    );
    behaviour_change(&repo.join("rules"));
    let changed = run(&["diff", "--git", "main", "rules"]);
    assert_eq!(changed.status.code(), Some(1), "{changed:?}");
    // The same report as from the two directories.
    let against_base = variant("git-behaviour", behaviour_change);
    assert_eq!(stdout(&changed), diff_with_base(&against_base, "human").1);
    let unknown = run(&["diff", "--git", "no-such-branch", "rules"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no-such-branch"));
    let option = run(&["diff", "--git=--output=x", "rules"]);
    assert_eq!(option.status.code(), Some(2));
    assert!(!repo.join("x").exists());
}

// Property tests through the library: random conditions compiled into one-message bundles.

const ACCOUNT: &str = r#"
[[brands]]
name = "B"
[[channels]]
name = "C"
brand = "B"
platform = "ios"
"#;

/// A bundle of one message "M" whose condition is `condition`, as a diff side.
fn side(condition: &str) -> Side {
    let mut sources = SourceMap::new();
    let account = sources.add("account.toml", ACCOUNT);
    let text = format!(
        "message \"M\" {{\n channel \"C\"\n say \"s\"\n respond agent {{ follow_up \"f\" }}\n when {condition}\n after screen_open\n frequency every_time\n}}\n"
    );
    let file = sources.add("m.pm", text);
    let analysis = analyze(&sources, Some(account), &[file]);
    let checked = analysis.bundle.as_ref().expect("the condition checks");
    Side::from_sources(checked, &analysis.files, &sources).unwrap()
}

fn comparison() -> impl Strategy<Value = String> {
    let text = || prop::sample::select(vec!["pricing", "PLANS", "a", "ab", "", "é"]);
    prop_oneof![
        (
            prop::sample::select(vec!["page_url", "page_title"]),
            prop::sample::select(vec!["is", "is not"]),
            text()
        )
            .prop_map(|(f, op, v)| format!("visitor.{f} {op} \"{v}\"")),
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
            prop::collection::vec(text(), 1..3),
        )
            .prop_map(|(f, op, v)| format!(
                "visitor.{f} {op} [{}]",
                v.iter()
                    .map(|n| format!("\"{n}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        (
            prop::sample::select(vec!["is", "is not"]),
            prop::sample::select(vec!["fr", "fr-ca", "de"])
        )
            .prop_map(|(op, tag)| format!("device.language {op} \"{tag}\"")),
        prop::sample::select(vec!["new", "returning"])
            .prop_map(|v| format!("visitor.visit_history is {v}")),
        (
            prop::sample::select(vec!["is not", "<", ">="]),
            prop::sample::select(vec!["5.2", "5.2.0-beta.1"])
        )
            .prop_map(|(op, v)| format!("app.version {op} \"{v}\"")),
        (
            prop::sample::select(vec!["is", "<"]),
            prop::sample::select(vec![5210, 0])
        )
            .prop_map(|(op, b)| format!("app.build {op} {b}")),
    ]
}

fn expression() -> impl Strategy<Value = String> {
    comparison().prop_recursive(3, 12, 3, |inner| {
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
        prop::sample::select(vec!["Pricing", "plans", "x", "É", "ab", "a", ""]),
        0..3,
    )
    .prop_map(|parts| parts.concat());
    let language = prop::sample::select(vec!["fr", "FR_ca", "fr-fr", "de", "en", ""]);
    let version = prop::option::of(prop::sample::select(vec!["5.2", "5.2.0-beta.1", "6"]));
    let build = prop::option::of(prop::sample::select(vec![5209i64, 5210]));
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
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn example_contexts_flip_the_outcome_through_the_vm_of_both_bundles(
        old in expression(),
        new in expression(),
        contexts in prop::collection::vec(facts(), 1..8),
    ) {
        let (old_side, new_side) = (side(&old), side(&new));
        let (old_vm, new_vm) = (old_side.bundle(), new_side.bundle());
        let report = diff(&old_side, &new_side);
        let behaviour = report.messages.iter().find_map(|m| match m {
            MessageDiff::Changed { behaviour, .. } => behaviour.clone(),
            _ => None,
        });
        match behaviour {
            Some(Behaviour::Differs { now_true, now_false, now_true_count, now_false_count }) => {
                prop_assert!(!now_true.is_empty() || !now_false.is_empty());
                prop_assert!(now_true_count >= now_true.len() && now_false_count >= now_false.len());
                for (examples, was) in [(&now_true, false), (&now_false, true)] {
                    for example in examples {
                        let context = vm_context(&example.facts);
                        prop_assert_eq!(old_vm.eval(0, &context), was, "{:?}", example);
                        prop_assert_eq!(new_vm.eval(0, &context), !was, "{:?}", example);
                    }
                }
            }
            Some(Behaviour::Unknown) => {}
            // No behaviour change reported: the outcome is the same in every context.
            Some(Behaviour::Same) | None => {
                prop_assert!(report.is_empty(), "{:?}", report);
                for facts in &contexts {
                    let context = vm_context(facts);
                    prop_assert_eq!(old_vm.eval(0, &context), new_vm.eval(0, &context));
                }
            }
        }
    }

    #[test]
    fn conditions_read_back_from_bytecode_mean_what_the_vm_runs(
        condition in expression(),
        contexts in prop::collection::vec(facts(), 1..8),
    ) {
        let side = side(&condition);
        let bundle = side.bundle();
        let read_back = condition::decompile(bundle, 0).expect("small conditions read back");
        for facts in &contexts {
            prop_assert_eq!(read_back.eval(facts), bundle.eval(0, &vm_context(facts)));
        }
        // Shown in the language's syntax, it compiles to the same behaviour again (a constant
        // is shown as `always` or `never`, which the language writes as no condition at all).
        let shown = condition::show(&read_back);
        prop_assume!(shown != "always" && shown != "never");
        let again = self::side(&shown);
        for facts in &contexts {
            let context = vm_context(facts);
            prop_assert_eq!(again.bundle().eval(0, &context), bundle.eval(0, &context));
        }
    }
}
