//! What `pmc` says reads as English and as the docs promise:
//!
//! - the language guide's and `E0305`'s lists of tags are exactly the supported tags;
//! - counts agree with their nouns ("1 message") and articles with their words ("an AI
//!   agent"), over every rendered diagnostic and explanation;
//! - a report's second snippet in one file sits under the right header (`E0403`);
//! - `pmc init` without DIR uses the current directory and says what it kept.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pmc::diagnostic::Code;
use pmc::languages::LANGUAGES;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn pmc_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pmc"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pmc-wording-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The supported tags, as `(tag, name)` pairs.
fn supported() -> Vec<(String, String)> {
    LANGUAGES
        .iter()
        .map(|(tag, name)| (tag.to_string(), name.to_string()))
        .collect()
}

#[test]
fn the_language_lists_are_exactly_the_supported_tags() {
    let guide = std::fs::read_to_string(repo().join("docs/language.md")).unwrap();
    let table: Vec<(String, String)> = guide
        .split_once("Supported tags:\n\n| tag | language |\n|---|---|\n")
        .expect("the guide's table of tags")
        .1
        .lines()
        .take_while(|line| line.starts_with('|'))
        .map(|row| {
            let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
            (cells[0].trim_matches('`').to_string(), cells[1].to_string())
        })
        .collect();
    assert_eq!(table, supported(), "docs/language.md");

    let explanation = Code::E0305.explanation();
    let list: Vec<(String, String)> = explanation
        .split_once("Supported tags: ")
        .expect("E0305's list of tags")
        .1
        .trim_end()
        .trim_end_matches('.')
        .split(", ")
        .map(|entry| {
            let (tag, name) = entry.split_once(' ').unwrap();
            (tag.trim_matches('`').to_string(), name.to_string())
        })
        .collect();
    assert_eq!(list, supported(), "E0305.md");
}

/// Words after "a" that start with a vowel letter but a consonant sound.
const CONSONANT_SOUNDS: &[&str] = &[
    "one", "once", "unicode", "unique", "unit", "url", "usage", "use", "user", "utf",
];

/// The phrases "a <vowel…>" that should be "an", in `text`.
fn wrong_articles(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .windows(2)
        .filter(|pair| pair[0] == "a" || pair[0] == "A")
        .filter_map(|pair| {
            let word = pair[1]
                .trim_start_matches(['`', '"', '(', '*'])
                .to_lowercase();
            let vowel = word.starts_with(['a', 'e', 'i', 'o', 'u']);
            // `a or b`, `a and b`: conditions named `a` in examples.
            let code = ["or", "and", "=", "is"].contains(&word.as_str());
            let sounds_like_a_consonant = CONSONANT_SOUNDS.iter().any(|w| word.starts_with(w));
            (vowel && !code && !sounds_like_a_consonant).then(|| format!("{} {}", pair[0], pair[1]))
        })
        .collect()
}

#[test]
fn articles_and_counts_read_as_english() {
    assert_eq!(
        wrong_articles("a AI agent, a `after` clause, a unique name, an iOS app"),
        ["a AI", "a `after`"]
    );
    let mut wrong = Vec::new();
    let snapshots = repo().join("compiler/tests/snapshots");
    for entry in std::fs::read_dir(&snapshots).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        // The rendered reports, not the source lines they quote.
        let prose: String = text
            .lines()
            .filter(|line| !line.contains(" │ ") || line.contains("╰"))
            .collect::<Vec<_>>()
            .join("\n");
        for phrase in wrong_articles(&prose) {
            wrong.push(format!(
                "{}: {phrase}",
                path.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    for code in Code::ALL {
        for phrase in wrong_articles(code.explanation()) {
            wrong.push(format!("{code}: {phrase}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");

    // A one-message bundle: "1 message", not "1 messages".
    let dir = temp_dir("count");
    let init = pmc_in(&dir, &["init"]);
    assert!(init.status.success(), "{}", stderr(&init));
    let build = pmc_in(&dir, &["build", "-o", "one.pmb"]);
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(
        stderr(&build).contains("wrote one.pmb (1 message, "),
        "{}",
        stderr(&build)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Messages that put a name or a keyword after an article: a duplicate AI agent, a channel on
/// the `email` platform, a second `after`, a missing clause.
#[test]
fn messages_built_from_names_read_as_english() {
    let account = format!(
        "{}\n[[ai_agents]]\nname = \"Acme Assistant\"\nchannels = [\"Acme iOS\"]\nanswers = [\"Returns\"]\n\n[[channels]]\nname = \"Acme Mail\"\nbrand = \"Acme\"\nplatform = \"email\"\n",
        include_str!("../../examples/acme/account.toml")
    );
    let source = r#"message "Mail" {
    brand "Acme"
    channel "Acme Mail"
    say "Hi"
    respond agent { follow_up "y" }
    when visitor.page_url contains "a" after screen_open 1s
    when visitor.page_url contains "b" after screen_open 2s
    frequency once_per_visit
}
message "Bare" {
    brand "Acme"
    channel "Acme iOS"
}
"#;
    let mut sources = pmc::source::SourceMap::new();
    let account = sources.add("account.toml", account);
    let file = sources.add("a.pm", source);
    let analysis = pmc::analysis::analyze(&sources, Some(account), &[file]);
    let messages: Vec<String> = analysis
        .diagnostics
        .iter()
        .flat_map(|d| {
            let fixes = d.fix.iter().map(|f| f.title.clone());
            [d.message.clone(), d.primary.message.clone()]
                .into_iter()
                .chain(d.help.clone())
                .chain(fixes)
        })
        .collect();
    let text = messages.join("\n");
    for code in ["E0502", "E0408", "E0402", "E0401"] {
        assert!(
            analysis.diagnostics.iter().any(|d| d.code.as_str() == code),
            "{code} missing:\n{text}"
        );
    }
    assert_eq!(wrong_articles(&text), Vec::<String>::new(), "{text}");
    assert!(
        text.contains("another AI agent is already named \"Acme Assistant\""),
        "{text}"
    );
    assert!(text.contains("is on the `email` platform"), "{text}");
}

#[test]
fn a_second_snippet_in_the_same_file_is_under_the_primary_header() {
    let output = pmc_in(
        &repo(),
        &["check", "examples/errors/E0403-duplicate-message.pm"],
    );
    let text = stderr(&output);
    let headers: Vec<&str> = text.lines().filter(|l| l.contains("─[ ")).collect();
    assert_eq!(
        headers,
        ["    ╭─[ examples/errors/E0403-duplicate-message.pm:14:9 ]"],
        "{text}"
    );
    let first = text
        .find("  4 │ message \"Order tracking help\"")
        .expect("line 4 is shown");
    let second = text
        .find(" 14 │ message \"Order tracking help\"")
        .expect("line 14 is shown");
    assert!(first < second, "{text}");
}

#[test]
fn init_uses_the_current_directory_and_says_what_it_kept() {
    let dir = temp_dir("init");
    let output = pmc_in(&dir, &["init"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "created account.toml, welcome.pm and its test welcome.pmtest.json; next: pmc check, then pmc test\n"
    );
    let check = pmc_in(&dir, &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    // A second run refuses: account.toml exists.
    let again = pmc_in(&dir, &["init"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("account.toml already exists"),
        "{}",
        stderr(&again)
    );

    // An existing welcome.pm is kept, and the message says so.
    let mine = "// my own welcome message, not to be replaced\n";
    std::fs::create_dir(dir.join("other")).unwrap();
    std::fs::write(dir.join("other/welcome.pm"), mine).unwrap();
    let output = pmc_in(&dir, &["init", "other"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.starts_with(
            "created other/account.toml; kept the existing other/welcome.pm, unchanged"
        ),
        "{text}"
    );
    assert!(text.ends_with("next: pmc check other\n"), "{text}");
    assert_eq!(
        std::fs::read_to_string(dir.join("other/welcome.pm")).unwrap(),
        mine
    );
    assert!(dir.join("other/account.toml").is_file());
    // No test is written for a message that is not init's.
    assert!(!dir.join("other/welcome.pmtest.json").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
