//! No bundle is built from an `account.toml` with an error, end to end: for each kind of
//! invalid entry, `pmc check` reports a positioned `E05xx` error in `account.toml` and exits 1,
//! and `pmc build` exits 1 and writes nothing (it never drops the entry and builds the rest,
//! and never fails later with "the written bundle is invalid").

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const VALID: &str = r#"
[[brands]]
name = "Acme"

[[channels]]
name = "Acme iOS"
brand = "Acme"
platform = "ios"
schedules = ["Sales hours"]

[[schedules]]
name = "Sales hours"
timezone = "Europe/Paris"
holidays = ["2026-12-25"]
[schedules.hours]
mon = ["09:00-12:00", "13:00-17:30"]

[[ai_agents]]
name = "Assistant"
channels = ["Acme iOS"]
answers = ["Order status"]
"#;

const MESSAGE: &str = r#"
message "Pricing help" {
    channel "Acme iOS"
    say "Questions about our plans?"
    respond agent { follow_up "Let me connect you with our sales team." }
    when visitor.page_url contains "pricing"
    after screen_open 30s
    send during business_hours "Sales hours"
    frequency once_per_visit
}
"#;

fn pmc(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pmc"))
        .args(args)
        .output()
        .unwrap()
}

fn bundle(name: &str, account: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pmc-account-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("account.toml"), account).unwrap();
    std::fs::write(dir.join("pricing.pm"), MESSAGE).unwrap();
    dir
}

/// `pmc check DIR --message-format json`: the exit status and the errors in `account.toml` as
/// (code, the text their primary span covers).
fn check(dir: &Path, account: &str) -> (Option<i32>, Vec<(String, String)>) {
    let output = pmc(&[
        "check".as_ref(),
        dir.as_os_str(),
        "--message-format".as_ref(),
        "json".as_ref(),
    ]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&output.stdout));
    });
    let errors = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["severity"] == "error"
                && d["primary"]["file"]
                    .as_str()
                    .unwrap()
                    .ends_with("account.toml")
        })
        .map(|d| {
            let primary = &d["primary"];
            let start = primary["byte_start"].as_u64().unwrap() as usize;
            let end = primary["byte_end"].as_u64().unwrap() as usize;
            (
                d["code"].as_str().unwrap().to_string(),
                account[start..end].to_string(),
            )
        })
        .collect();
    (output.status.code(), errors)
}

/// The account with `from` replaced by `to` (which must occur).
fn edited(from: &str, to: &str) -> String {
    assert!(VALID.contains(from), "{from}");
    VALID.replacen(from, to, 1)
}

#[test]
fn the_valid_account_builds() {
    let dir = bundle("valid", VALID);
    let (status, errors) = check(&dir, VALID);
    assert_eq!((status, errors), (Some(0), vec![]));
    let out = dir.join("out.pmb");
    let build = pmc(&[
        "build".as_ref(),
        dir.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(build.status.code(), Some(0), "{build:?}");
    assert!(out.is_file());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn every_invalid_entry_is_an_error_and_nothing_is_built() {
    let interval = "\"09:00-12:00\", \"13:00-17:30\"";
    let cases: [(&str, String, &str, &str); 11] = [
        (
            "reversed",
            edited(interval, "\"17:00-09:00\""),
            "E0504",
            "\"17:00-09:00\"",
        ),
        (
            "minute-60",
            edited(interval, "\"09:60-12:00\""),
            "E0504",
            "\"09:60-12:00\"",
        ),
        (
            "one-digit-hour",
            edited(interval, "\"9:00-12:00\""),
            "E0504",
            "\"9:00-12:00\"",
        ),
        (
            "overlap",
            edited(interval, "\"09:00-12:00\", \"11:00-13:00\""),
            "E0504",
            "\"11:00-13:00\"",
        ),
        ("day-name", edited("mon = ", "monday = "), "E0501", "monday"),
        (
            "february-30",
            edited("2026-12-25", "2026-02-30"),
            "E0506",
            "\"2026-02-30\"",
        ),
        (
            "channel-schedule",
            edited(
                "schedules = [\"Sales hours\"]",
                "schedules = [\"Sales hour\"]",
            ),
            "E0503",
            "\"Sales hour\"",
        ),
        (
            "agent-channel",
            edited("channels = [\"Acme iOS\"]", "channels = [\"Acme Android\"]"),
            "E0503",
            "\"Acme Android\"",
        ),
        (
            "hold",
            edited(
                "platform = \"ios\"",
                "platform = \"ios\"\nconversation_control = \"hold\"",
            ),
            "E0501",
            "\"hold\"",
        ),
        (
            "time-zone",
            edited("Europe/Paris", "Europe/Pariss"),
            "E0505",
            "\"Europe/Pariss\"",
        ),
        (
            "duplicate",
            edited(
                "[[ai_agents]]",
                "[[schedules]]\nname = \"Sales hours\"\ntimezone = \"UTC\"\n\n[[ai_agents]]",
            ),
            "E0502",
            "\"Sales hours\"",
        ),
    ];
    for (name, account, code, at) in cases {
        let dir = bundle(name, &account);
        let (status, errors) = check(&dir, &account);
        assert_eq!(status, Some(1), "{name}: pmc check");
        assert!(
            errors.contains(&(code.to_string(), at.to_string())),
            "{name}: expected {code} at {at}, got {errors:?}"
        );
        let out = dir.join("out.pmb");
        let build = pmc(&[
            "build".as_ref(),
            dir.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
        ]);
        let stderr = String::from_utf8_lossy(&build.stderr);
        assert_eq!(build.status.code(), Some(1), "{name}: pmc build\n{stderr}");
        assert!(!out.exists(), "{name}: a bundle was written\n{stderr}");
        assert!(stderr.contains(&format!("[{code}]")), "{name}: {stderr}");
        assert!(!stderr.contains("wrote"), "{name}: {stderr}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
