//! Machine-readable outputs: `--message-format json` is valid JSON with positions, and
//! `--message-format sarif` has the shape SARIF 2.1.0 requires.

use serde_json::Value;

use pmc::analysis::analyze;
use pmc::diagnostic::render;
use pmc::source::SourceMap;

const ACCOUNT: &str = include_str!("../../examples/acme/account.toml");

fn analysed() -> (SourceMap, Vec<pmc::diagnostic::Diagnostic>) {
    let mut sources = SourceMap::new();
    let account = sources.add("account.toml", ACCOUNT);
    let file = sources.add(
        "bad.pm",
        "message \"Hi 👋\" {\n    brand \"Acme\"\n    channel \"Acme iOS\"\n    say \"x\"\n    respond agent { follow_up \"y\" }\n    when visitor.page_titel contains \"a\"\n    after screen_open\n    frequency once_per_visit\n}\ncondition unused = device.language is \"fr\" and device.language is \"de\"\n",
    );
    let analysis = analyze(&sources, Some(account), &[file]);
    (sources, analysis.diagnostics)
}

#[test]
fn json_lists_every_diagnostic_with_positions() {
    let (sources, diagnostics) = analysed();
    let value: Value = serde_json::from_str(&render::render(
        render::Format::Json,
        &diagnostics,
        &sources,
        false,
    ))
    .unwrap();
    let items = value["diagnostics"].as_array().unwrap();
    let codes: Vec<&str> = items.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["E0302", "W0101", "W0103"]);
    assert_eq!(value["errors"], 1);
    assert_eq!(value["warnings"], 2);
    let field = &items[0];
    assert_eq!(field["primary"]["line"], 6);
    assert_eq!(field["primary"]["column"], 18);
    assert_eq!(field["fix"]["edits"][0]["replacement"], "page_title");
}

/// Checks the parts of the SARIF 2.1.0 schema this output uses (required properties, types
/// and enumerations of `sarifLog`, `run`, `tool`, `reportingDescriptor`, `result`,
/// `location`, `region` and `fix`).
fn assert_sarif_2_1_0(log: &Value) {
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif"));
    let runs = log["runs"].as_array().expect("runs is an array");
    for run in runs {
        let driver = &run["tool"]["driver"];
        assert!(driver["name"].is_string(), "tool.driver.name is required");
        let rules = driver["rules"].as_array().unwrap();
        for rule in rules {
            assert!(rule["id"].is_string());
            assert!(rule["shortDescription"]["text"].is_string());
            let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
            assert!(["none", "note", "warning", "error"].contains(&level));
        }
        assert!(
            ["utf16CodeUnits", "unicodeCodePoints"].contains(&run["columnKind"].as_str().unwrap())
        );
        for result in run["results"].as_array().unwrap() {
            assert!(
                result["message"]["text"]
                    .as_str()
                    .is_some_and(|t| !t.is_empty()),
                "result.message.text is required"
            );
            let rule_index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(
                rules[rule_index]["id"], result["ruleId"],
                "ruleIndex points at the rule"
            );
            assert!(
                ["none", "note", "warning", "error"].contains(&result["level"].as_str().unwrap())
            );
            let locations = result["locations"].as_array().unwrap();
            let related = result["relatedLocations"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            for location in locations.iter().chain(&related) {
                let physical = &location["physicalLocation"];
                assert!(physical["artifactLocation"]["uri"].is_string());
                if let Some(base) = physical["artifactLocation"]["uriBaseId"].as_str() {
                    assert!(
                        run["originalUriBaseIds"][base].is_object(),
                        "uriBaseId {base} is not defined in originalUriBaseIds"
                    );
                }
                let region = &physical["region"];
                assert!(region["startLine"].as_u64().unwrap() >= 1);
                assert!(region["startColumn"].as_u64().unwrap() >= 1);
                assert!(
                    region["endLine"].as_u64().unwrap() >= region["startLine"].as_u64().unwrap()
                );
            }
            if let Some(fixes) = result["fixes"].as_array() {
                for fix in fixes {
                    for change in fix["artifactChanges"].as_array().unwrap() {
                        assert!(change["artifactLocation"]["uri"].is_string());
                        for replacement in change["replacements"].as_array().unwrap() {
                            assert!(replacement["deletedRegion"]["startLine"].is_u64());
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn sarif_has_the_2_1_0_shape() {
    let (sources, diagnostics) = analysed();
    let log: Value = serde_json::from_str(&render::render(
        render::Format::Sarif,
        &diagnostics,
        &sources,
        false,
    ))
    .unwrap();
    assert_sarif_2_1_0(&log);
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["region"]["startColumn"],
        18
    );
    // An empty report is a valid log too.
    let empty: Value =
        serde_json::from_str(&render::render(render::Format::Sarif, &[], &sources, false)).unwrap();
    assert_sarif_2_1_0(&empty);
}

#[test]
fn github_annotations_are_one_line_each() {
    let (sources, diagnostics) = analysed();
    let text = render::render(render::Format::Github, &diagnostics, &sources, false);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[0].starts_with("::error file=bad.pm,line=6,col=18,"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("::warning file=bad.pm,line=10,"),
        "{}",
        lines[1]
    );
}

/// SARIF regions count characters, as `columnKind: unicodeCodePoints` declares: slicing the
/// file's characters at `charOffset`/`charLength` gives the text of the diagnostic's span
/// (bad.pm has an emoji on its first line, so bytes and characters differ below it).
#[test]
fn sarif_offsets_count_characters() {
    let (sources, diagnostics) = analysed();
    let log: Value = serde_json::from_str(&render::render(
        render::Format::Sarif,
        &diagnostics,
        &sources,
        false,
    ))
    .unwrap();
    assert_eq!(log["runs"][0]["columnKind"], "unicodeCodePoints");
    let results = log["runs"][0]["results"].as_array().unwrap();
    for (result, diagnostic) in results.iter().zip(&diagnostics) {
        let region = &result["locations"][0]["physicalLocation"]["region"];
        let offset = region["charOffset"].as_u64().unwrap() as usize;
        let length = region["charLength"].as_u64().unwrap() as usize;
        let file = sources.get(diagnostic.primary.span.file);
        let by_chars: String = file.text.chars().skip(offset).take(length).collect();
        assert_eq!(by_chars, file.slice(diagnostic.primary.span));
        assert!(
            offset < diagnostic.primary.span.start as usize,
            "the emoji's bytes are not counted"
        );
    }
}

/// A repository (a `.git` directory) whose bundle is `rules/`, with an error in
/// `rules/sub/é.pm` after non-ASCII text on the same line.
fn repository(name: &str) -> std::path::PathBuf {
    let repo = std::env::temp_dir().join(format!("pmc-formats-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&repo);
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("rules/sub")).unwrap();
    std::fs::write(repo.join("rules/account.toml"), ACCOUNT).unwrap();
    std::fs::write(
        repo.join("rules/sub/é.pm"),
        "condition cafe = visitor.page_url contains \"é👋\" or visitor.page_titel is \"x\"\n",
    )
    .unwrap();
    repo
}

fn pmc_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_pmc"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// GitHub annotations and SARIF name files from the repository root wherever `pmc` runs, so
/// that they attach to the pull request's lines; SARIF defines `SRCROOT` and counts offsets
/// in characters; people get paths they can open from the current directory.
#[test]
fn paths_are_those_a_user_or_a_tool_opens() {
    let repo = repository("paths");
    let sub = repo.join("rules/sub");
    for (cwd, target) in [(&repo, "rules"), (&sub, "."), (&sub, "é.pm")] {
        let output = pmc_in(cwd, &["check", "--message-format", "github", target]);
        let text = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(1), "{text}");
        let error = text.lines().find(|l| l.starts_with("::error")).unwrap();
        assert!(
            error.starts_with("::error file=rules/sub/é.pm,line=1,col=60,"),
            "from {}: {text}",
            cwd.display()
        );
        assert!(
            text.lines().all(|l| l.contains(" file=rules/sub/é.pm,")),
            "{text}"
        );

        let output = pmc_in(cwd, &["check", "--message-format", "sarif", target]);
        let log: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_sarif_2_1_0(&log);
        let run = &log["runs"][0];
        let root = run["originalUriBaseIds"]["SRCROOT"]["uri"]
            .as_str()
            .unwrap();
        let canonical = std::fs::canonicalize(&repo).unwrap();
        assert_eq!(root, format!("file://{}/", canonical.display()));
        let result = run["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ruleId"] == "E0302")
            .unwrap();
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "rules/sub/%C3%A9.pm");
        assert_eq!(location["artifactLocation"]["uriBaseId"], "SRCROOT");
        // `page_titel` starts at character 59 (0-based) but at byte 63, after "é" and "👋".
        assert_eq!(location["region"]["charOffset"], 59);
        assert_eq!(location["region"]["charLength"], 10);
        assert_eq!(location["region"]["startColumn"], 60);
    }
    // Human and JSON output: relative to the current directory.
    for (cwd, target, expected) in [(&repo, "rules", "rules/sub/é.pm"), (&sub, ".", "é.pm")] {
        let output = pmc_in(cwd, &["check", target]);
        let text = String::from_utf8_lossy(&output.stderr);
        assert!(text.contains(&format!("─[ {expected}:1:60 ]")), "{text}");
        let output = pmc_in(cwd, &["check", "--message-format", "json", target]);
        let value: Value = serde_json::from_slice(&output.stdout).unwrap();
        for diagnostic in value["diagnostics"].as_array().unwrap() {
            assert_eq!(diagnostic["primary"]["file"], expected);
        }
    }
    // Outside any repository, tools get paths from the current directory too.
    std::fs::remove_dir_all(repo.join(".git")).unwrap();
    let output = pmc_in(&sub, &["check", "--message-format", "github"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.lines().all(|l| l.contains(" file=é.pm,line=1,")),
        "{text}"
    );
    std::fs::remove_dir_all(&repo).unwrap();
}

/// Raw ESC and BEL in a string, a message name built with `\u{1b}`, bidirectional controls:
/// none reaches the terminal raw, neither in `pmc check` reports nor in `pmc simulate`.
#[test]
fn control_characters_never_reach_the_terminal_raw() {
    let dir = std::env::temp_dir().join(format!("pmc-formats-controls-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("account.toml"), ACCOUNT).unwrap();
    let message = "message \"Hi\\u{1b}[2J\\u{7}\" {\n    brand \"Acme\"\n    channel \"Acme iOS\"\n    say \"\x1b[31mred\x07 \u{202e}txet\u{202c}\"\n    respond agent { follow_up \"y\" }\n    when visitor.page_url contains \"/p\"\n    after screen_open 1s\n    frequency once_per_visit\n}\n";
    let broken =
        "condition c = visitor.page_url is \"\x1b]0;owned\x07\" and visitor.nope is \"\u{2066}\"\n";
    std::fs::write(dir.join("a.pm"), message).unwrap();
    std::fs::write(dir.join("b.pm"), broken).unwrap();
    let raw = |text: &str| {
        text.chars()
            .filter(|&c| pmc::terminal::is_unsafe(c))
            .count()
    };

    let output = pmc_in(&dir, &["check"]);
    let text = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert_eq!(raw(&text), 0, "{text:?}");
    assert!(text.contains("\"␛]0;owned␇\""), "{text}");
    let output = pmc_in(&dir, &["check", "--message-format", "github"]);
    assert_eq!(raw(&String::from_utf8_lossy(&output.stdout)), 0);

    std::fs::remove_file(dir.join("b.pm")).unwrap();
    let scenario = dir.join("s.json");
    std::fs::write(
        &scenario,
        r#"{"channel": "Acme iOS", "device": {"language": "en"}, "start": "2026-11-23T09:00:00Z",
            "events": [{"t": 0, "type": "app_launch"}, {"t": 1, "type": "screen_open", "url": "/p"}],
            "until": 5}"#,
    )
    .unwrap();
    for extra in [&[][..], &["--explain"]] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_pmc"))
            .arg("simulate")
            .arg(&dir)
            .arg("--scenario")
            .arg(&scenario)
            .args(extra)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(raw(&text), 0, "{text:?}");
        assert!(text.contains("deliver \"Hi\\u{1b}[2J\\u{7}\""), "{text}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
