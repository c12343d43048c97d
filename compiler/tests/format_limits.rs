//! Every limit of the bundle format (`pm_vm::format::limits`) is a positioned diagnostic of
//! the checker, and a bundle exactly at a limit builds: for each limit, one input just over it
//! (the checker reports the code, at the right place) and one at it (no error, and the code
//! generator's bundle loads in the VM). So `pmc build` never finds a user error that
//! `pmc check` did not.

use pm_vm::format::limits;
use pmc::analysis::{Analysis, analyze};
use pmc::diagnostic::Code;
use pmc::source::SourceMap;

const ACCOUNT: &str = r#"
[[brands]]
name = "B"
[[channels]]
name = "C"
brand = "B"
platform = "ios"
"#;

/// A message on channel `C` with `extra` clauses; `extra` may start with a `when` condition.
fn message(name: &str, extra: &str) -> String {
    let (when, clauses) = match extra.strip_prefix(" when ") {
        Some(when) => (format!(" when {when}"), String::new()),
        None => (String::new(), extra.to_string()),
    };
    format!(
        "message \"{name}\" {{\n channel \"C\"\n say \"s\"\n respond agent {{ follow_up \"f\" }}\n{when} after screen_open\n frequency every_time\n{clauses}\n}}\n"
    )
}

struct Checked {
    sources: SourceMap,
    analysis: Analysis,
}

impl Checked {
    fn new(account: &str, pm: &str) -> Checked {
        let mut sources = SourceMap::new();
        let account = sources.add("account.toml", account);
        let file = sources.add("a.pm", pm);
        let analysis = analyze(&sources, Some(account), &[file]);
        Checked { sources, analysis }
    }

    fn errors(&self) -> Vec<Code> {
        self.analysis
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.code)
            .collect()
    }

    /// Asserts exactly one error, `code`, whose primary span's text starts with `at`.
    fn refuses(&self, code: Code, at: &str) {
        assert_eq!(self.errors(), [code], "{:#?}", self.analysis.diagnostics);
        let diagnostic = &self.analysis.diagnostics[0];
        let file = self.sources.get(diagnostic.primary.span.file);
        let text = &file.text[diagnostic.primary.span.range()];
        assert!(
            text.starts_with(at),
            "{code} at {:?}, not at {at:?}",
            &text[..text.len().min(40)]
        );
        assert!(self.analysis.bundle.is_none());
    }

    /// Asserts no error, and that the bundle builds and loads.
    fn builds(&self) -> pm_vm::Bundle {
        assert_eq!(self.errors(), [], "{:#?}", self.analysis.diagnostics);
        let bundle = self
            .analysis
            .bundle
            .as_ref()
            .expect("no error, so a bundle");
        let bytes = pmc::codegen::generate(bundle).expect("a checked bundle builds");
        pm_vm::Bundle::load(&bytes).expect("and loads")
    }
}

fn list(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.map(|i| format!("\"{i}\"")).collect();
    format!("[{}]", items.join(", "))
}

#[test]
fn a_contains_list_holds_1024_different_items() {
    let when = |n: usize| {
        let items = list((0..n).map(|i| format!("p{i}")));
        message("M", &format!(" when visitor.page_url contains {items}"))
    };
    Checked::new(ACCOUNT, &when(limits::MAX_SET_ITEMS)).builds();
    Checked::new(ACCOUNT, &when(limits::MAX_SET_ITEMS + 1)).refuses(Code::E0312, "\"p1024\"");
    // Items are counted once each, ignoring case: 1,025 items of which two are equal fit.
    let mut items: Vec<String> = (0..limits::MAX_SET_ITEMS)
        .map(|i| format!("p{i}"))
        .collect();
    items.push("P0".into());
    let pm = message(
        "M",
        &format!(
            " when visitor.page_url contains {}",
            list(items.into_iter())
        ),
    );
    Checked::new(ACCOUNT, &pm).builds();
    // Lists merged under `or` are split again at the limit: two lists of 1,000 build.
    let two = format!(
        " when visitor.page_url contains {} or visitor.page_url contains {}",
        list((0..1000).map(|i| format!("a{i}"))),
        list((0..1000).map(|i| format!("b{i}")))
    );
    Checked::new(ACCOUNT, &message("M", &two)).builds();
}

#[test]
fn a_text_holds_65536_bytes() {
    let max = limits::MAX_STRING_BYTES;
    let with_say = |bytes: usize| {
        message("M", "").replace("say \"s\"", &format!("say \"{}\"", "x".repeat(bytes)))
    };
    Checked::new(ACCOUNT, &with_say(max)).builds();
    Checked::new(ACCOUNT, &with_say(max + 1)).refuses(Code::E0418, "\"xxx");
    Checked::new(ACCOUNT, &with_say(5 * 1024 * 1024)).refuses(Code::E0418, "\"xxx");
    // A message name, a follow-up text and a tag.
    let long = "y".repeat(max + 1);
    let name = message(&long, "");
    Checked::new(ACCOUNT, &name).refuses(Code::E0418, "\"yyy");
    let follow_up = message("M", "").replace("follow_up \"f\"", &format!("follow_up \"{long}\""));
    Checked::new(ACCOUNT, &follow_up).refuses(Code::E0418, "\"yyy");
    let tag = message("M", &format!(" tags \"{long}\""));
    Checked::new(ACCOUNT, &tag).refuses(Code::E0418, "\"yyy");
    // Strings of conditions are counted lower-cased, as the bundle stores them: "İ" (2 bytes)
    // is "i̇" (3 bytes) in lower case. (Few non-ASCII letters: the lexer of a debug build
    // recurses once per non-ASCII byte of a string.)
    let grows = |extra: usize| format!("{}{}", "a".repeat(max - 400 + extra), "İ".repeat(200));
    assert!(grows(0).len() == max && grows(0).to_lowercase().len() > max);
    let url_is = message("M", &format!(" when visitor.page_url is \"{}\"", grows(0)));
    Checked::new(ACCOUNT, &url_is).refuses(Code::E0418, "\"aaa");
    let contains = message(
        "M",
        &format!(
            " when visitor.page_title contains [\"a\", \"{}\"]",
            grows(0)
        ),
    );
    Checked::new(ACCOUNT, &contains).refuses(Code::E0418, "\"aaa");
    let fits = format!("{}{}", "a".repeat(max - 600), "İ".repeat(200));
    assert_eq!(fits.to_lowercase().len(), max);
    let url_is = message("M", &format!(" when visitor.page_url is \"{fits}\""));
    Checked::new(ACCOUNT, &url_is).builds();
}

#[test]
fn a_message_holds_64_different_tags() {
    let tags = |n: usize| {
        let tags: Vec<String> = (0..n).map(|i| format!("\"t{i}\"")).collect();
        message("M", &format!(" tags {}", tags.join(", ")))
    };
    let built = Checked::new(ACCOUNT, &tags(limits::MAX_TAGS)).builds();
    assert_eq!(built.messages()[0].tags.len(), limits::MAX_TAGS);
    Checked::new(ACCOUNT, &tags(limits::MAX_TAGS + 1)).refuses(Code::E0419, "\"t64\"");
    // Repeated tags count once (and get W0105).
    let repeated = message(
        "M",
        &format!(
            " tags {}, \"t0\"",
            (0..limits::MAX_TAGS)
                .map(|i| format!("\"t{i}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    Checked::new(ACCOUNT, &repeated).builds();
}

#[test]
fn a_condition_compiles_to_at_most_65535_bytes() {
    // `c0` is one 3-byte test; `cN = cN-1 and cN-1` flattens to 2^N tests and 2^N - 1 jumps:
    // 6 × 2^N - 3 bytes, plus `RET`.
    let doubling = |depth: usize, when: &str| {
        let mut pm = String::from("condition c0 = visitor.page_url is \"a\"\n");
        for i in 1..=depth {
            pm.push_str(&format!("condition c{i} = c{} and c{}\n", i - 1, i - 1));
        }
        pm + &message("M", &format!(" when {when}"))
    };
    // 6 × (2^13 + 2^11) - 3 + 1 = 61,438 bytes.
    let built = Checked::new(ACCOUNT, &doubling(13, "c13 and c11")).builds();
    assert_eq!(built.code(0).len(), 61_438);
    // 6 × 2^14 - 3 + 1 = 98,302 bytes.
    Checked::new(ACCOUNT, &doubling(14, "c14")).refuses(Code::E0311, "c14");
    // Far more parts than can be laid out: refused from the sizes alone, at once.
    Checked::new(ACCOUNT, &doubling(60, "c60")).refuses(Code::E0311, "c60");
    // Conditions nested deeper than 256 levels once written out.
    let mut pm = String::from("condition d0 = visitor.visit_history is new\n");
    for i in 1..=300 {
        pm.push_str(&format!("condition d{i} = not d{}\n", i - 1));
    }
    Checked::new(ACCOUNT, &(pm + &message("M", " when d300"))).refuses(Code::E0311, "d300");
    // A flat condition can be too long as well: 11,000 comparisons joined by `or`.
    let flat: Vec<String> = (0..11_000)
        .map(|i| format!("visitor.page_title is \"t{i}\""))
        .collect();
    let pm = message("M", &format!(" when {}", flat.join(" or ")));
    Checked::new(ACCOUNT, &pm).refuses(Code::E0311, "visitor.page_title is \"t0\"");
}

/// An account with `n` mobile channels, `n` schedules and `n` AI agents (each with
/// `answers` answers and `holidays` holidays, and `intervals` intervals on Monday).
fn large_account(n: usize, answers: usize, holidays: usize, intervals: usize) -> String {
    let mut account = String::from("[[brands]]\nname = \"B\"\n");
    for i in 0..n {
        account.push_str(&format!(
            "[[channels]]\nname = \"C{i}\"\nbrand = \"B\"\nplatform = \"ios\"\n"
        ));
    }
    // Non-mobile channels are not in the bundle, and do not count.
    account.push_str("[[channels]]\nname = \"W\"\nbrand = \"B\"\nplatform = \"web\"\n");
    let dates = list((0..holidays).map(|d| {
        let date = jiff::civil::date(2000, 1, 1) + jiff::Span::new().days(d as i64);
        date.to_string()
    }));
    let hours = list((0..intervals).map(|k| {
        let start = k * 20;
        let end = start + 10;
        format!(
            "{:02}:{:02}-{:02}:{:02}",
            start / 60,
            start % 60,
            end / 60,
            end % 60
        )
    }));
    for i in 0..n {
        account.push_str(&format!(
            "[[schedules]]\nname = \"S{i}\"\ntimezone = \"Europe/Paris\"\nholidays = {dates}\n[schedules.hours]\nmon = {hours}\n"
        ));
    }
    let answers = list((0..answers).map(|a| format!("A{a}")));
    for i in 0..n {
        account.push_str(&format!(
            "[[ai_agents]]\nname = \"G{i}\"\nchannels = [\"C0\"]\nanswers = {answers}\n"
        ));
    }
    account
}

#[test]
fn the_account_tables_hold_their_limits() {
    let pm = message("M", "").replace("channel \"C\"", "channel \"C0\"");
    let max = limits::MAX_CHANNELS;
    assert_eq!(
        (limits::MAX_SCHEDULES, limits::MAX_AI_AGENTS),
        (max, max),
        "one account below tests all three tables"
    );
    let built = Checked::new(&large_account(max, 1, 1, 1), &pm).builds();
    assert_eq!(
        (
            built.channels().len(),
            built.schedules().len(),
            built.ai_agents().len()
        ),
        (max, max, max)
    );
    let over = Checked::new(&large_account(max + 1, 1, 1, 1), &pm);
    assert_eq!(
        over.errors(),
        [Code::E0508; 3],
        "{:#?}",
        over.analysis.diagnostics
    );
    let at = |d: &pmc::diagnostic::Diagnostic| {
        over.sources.get(d.primary.span.file).text[d.primary.span.range()].to_string()
    };
    let places: Vec<String> = over.analysis.diagnostics.iter().map(at).collect();
    assert_eq!(places, ["\"C256\"", "\"S256\"", "\"G256\""]);

    let built = Checked::new(
        &large_account(
            1,
            limits::MAX_ANSWERS,
            limits::MAX_HOLIDAYS,
            limits::MAX_INTERVALS_PER_DAY,
        ),
        &pm,
    )
    .builds();
    assert_eq!(built.ai_agents()[0].answers.len(), limits::MAX_ANSWERS);
    let answers = large_account(1, limits::MAX_ANSWERS + 1, 1, 1);
    Checked::new(&answers, &pm).refuses(Code::E0508, "\"A1024\"");
    let holidays = large_account(1, 1, limits::MAX_HOLIDAYS + 1, 1);
    Checked::new(&holidays, &pm).refuses(Code::E0508, "\"2002-10-21\"");
    let intervals = large_account(1, 1, 1, limits::MAX_INTERVALS_PER_DAY + 1);
    Checked::new(&intervals, &pm).refuses(Code::E0508, "\"16:00-16:10\"");
    // A name longer than a string of the bundle.
    let long = ACCOUNT.replace(
        "name = \"C\"",
        &format!("name = \"{}\"", "c".repeat(70_000)),
    );
    let pm = message("M", "").replace(
        "channel \"C\"",
        &format!("channel \"{}\"", "c".repeat(70_000)),
    );
    let checked = Checked::new(&long, &pm);
    assert!(
        checked.errors().contains(&Code::E0508),
        "{:?}",
        checked.errors()
    );
}

#[test]
fn the_bundle_holds_65535_strings_and_65535_lists() {
    // Seven messages of 10,000 different `contains` tests joined by `and` (no merging): 70,000
    // strings and 70,000 lists, each message's code within its limit.
    let mut pm = String::new();
    for m in 0..7 {
        let tests: Vec<String> = (0..10_000)
            .map(|i| format!("visitor.page_url contains \"m{m}n{i}\""))
            .collect();
        pm.push_str(&message(
            &format!("M{m}"),
            &format!(" when {}", tests.join(" and ")),
        ));
    }
    let checked = Checked::new(ACCOUNT, &pm);
    assert_eq!(
        checked.errors(),
        [Code::E0420, Code::E0420],
        "{:#?}",
        checked.analysis.diagnostics
    );
    for diagnostic in &checked.analysis.diagnostics {
        // Both pass their limit in the seventh message's condition.
        let text = &checked.sources.get(diagnostic.primary.span.file).text
            [diagnostic.primary.span.range()];
        assert!(
            text.starts_with("visitor.page_url contains \"m6n0\""),
            "{text:.40}"
        );
    }
    // Six of them build: 60,000 strings and lists.
    let six = pm[..pm.rfind("message \"M6\"").unwrap()].to_string();
    let built = Checked::new(ACCOUNT, &six).builds();
    assert!(built.string_count() > 60_000);
}

#[test]
fn the_bundle_is_at_most_8_mib() {
    // Messages with 60,000-byte `say` texts of letters that do not repeat: 140 of them are
    // 8.4 MB, 135 are 8.1 MB.
    let mut seed: u64 = 1;
    let mut letters = |n: usize| -> String {
        (0..n)
            .map(|_| {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                char::from(b'a' + (seed >> 59) as u8 % 26)
            })
            .collect()
    };
    let says: Vec<String> = (0..140).map(|_| letters(60_000)).collect();
    let messages = |n: usize| -> String {
        (0..n)
            .map(|m| {
                message(&format!("M{m}"), "").replace("say \"s\"", &format!("say \"{}\"", says[m]))
            })
            .collect()
    };
    let over = Checked::new(ACCOUNT, &messages(140));
    assert_eq!(
        over.errors(),
        [Code::E0420],
        "{:#?}",
        over.analysis.diagnostics
    );
    let diagnostic = &over.analysis.diagnostics[0];
    assert!(
        diagnostic.message.contains("8,388,608"),
        "{}",
        diagnostic.message
    );
    // The limit is passed at the 140th message: 139 × 60,000 bytes are 8.34 MB.
    assert!(
        over.sources.get(diagnostic.primary.span.file).text[diagnostic.primary.span.range()]
            .starts_with("\"M139\"")
    );
    let built = Checked::new(ACCOUNT, &messages(135)).builds();
    assert_eq!(built.messages().len(), 135);
}
