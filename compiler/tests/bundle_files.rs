//! Which files make a bundle, end to end through the real `pmc` binary:
//!
//! - the bundle root is found upwards from a file, a subdirectory or the current directory
//!   (`pmc check support/s.pm`, `pmc check support`, `pmc check` inside `support/`);
//! - an empty directory is `E0507` for `check` and `build` alike;
//! - a `.pm` file that is not UTF-8 is `E0108` (exit 1) at the line and column of its first bad
//!   byte, for `check`, `build` and `fmt`;
//! - hidden files and directories, `A.PM`, links to directories, FIFOs and other bundles are
//!   left out and reported; links to `.pm` files are followed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const ACCOUNT: &str = include_str!("../../examples/acme/account.toml");

/// A message of the acme account whose `when` uses the named condition `returning`.
const MESSAGE: &str = r#"message "Support" {
    brand "Acme"
    channel "Acme iOS"
    say "Need help?"
    respond agent { follow_up "Connecting you." }
    when returning
    after screen_open 5s
    frequency once_per_visit
}
"#;

/// A fresh directory under the system's temporary directory (outside any repository).
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pmc-files-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `pmc` in `dir`, killing it after a minute (a hang guard, not a timing test).
fn pmc_in(dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pmc"))
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("pmc {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A bundle: the account, `conditions.pm` at the root and `support/s.pm` using its condition.
/// With `broken`, both `.pm` files have an error (an unknown field).
fn bundle(name: &str, broken: bool) -> PathBuf {
    let dir = temp_dir(name);
    std::fs::write(dir.join("account.toml"), ACCOUNT).unwrap();
    let field = if broken {
        "visit_histry"
    } else {
        "visit_history"
    };
    std::fs::write(
        dir.join("conditions.pm"),
        format!("condition returning = visitor.{field} is returning\n"),
    )
    .unwrap();
    std::fs::create_dir(dir.join("support")).unwrap();
    let message = if broken {
        MESSAGE.replace(
            "when returning",
            "when returning and visitor.page_titl is \"x\"",
        )
    } else {
        MESSAGE.to_string()
    };
    std::fs::write(dir.join("support/s.pm"), message).unwrap();
    dir
}

/// The `file:line:column` headers of a human report.
fn headers(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            l.split_once("─[ ")
                .map(|(_, rest)| rest.trim_end_matches(" ]").to_string())
        })
        .collect()
}

#[test]
fn the_bundle_root_is_found_from_a_file_a_subdirectory_and_inside_it() {
    let dir = bundle("root", true);
    let support = dir.join("support");

    // From the root: a file shows its own diagnostics (and the account's), a subdirectory its
    // bundle's; both named from the current directory.
    for (arg, expected) in [
        ("support/s.pm", vec!["support/s.pm:6:32"]),
        ("support/../support/s.pm", vec!["support/s.pm:6:32"]),
        ("support", vec!["conditions.pm:1:31", "support/s.pm:6:32"]),
        (
            "./support/",
            vec!["conditions.pm:1:31", "support/s.pm:6:32"],
        ),
    ] {
        let output = pmc_in(&dir, &["check", arg]);
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{arg}: {text}");
        assert!(!text.contains("cannot read"), "{arg}: {text}");
        assert_eq!(headers(&text), expected, "{arg}: {text}");
    }

    // From inside `support/`: `../account.toml` is found, as cargo and git find theirs.
    let output = pmc_in(&support, &["check"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(!text.contains("E0507"), "{text}");
    assert_eq!(
        headers(&text),
        ["../conditions.pm:1:31", "s.pm:6:32"],
        "{text}"
    );
    assert!(text.contains("..: 2 errors"), "{text}");
    let output = pmc_in(&support, &["check", "s.pm"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(headers(&stderr(&output)), ["s.pm:6:32"]);
    // `build` agrees with `check`.
    let output = pmc_in(&support, &["build", "-o", "../out.pmb"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(!dir.join("out.pmb").exists());

    // Fixed, the same commands succeed, and `build` from the subdirectory builds the bundle.
    let dir = bundle("root-clean", false);
    let support = dir.join("support");
    for (cwd, args) in [
        (&dir, vec!["check", "support/s.pm"]),
        (&dir, vec!["check", "support"]),
        (&support, vec!["check"]),
        (&support, vec!["check", "s.pm"]),
    ] {
        let output = pmc_in(cwd, &args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    let output = pmc_in(&support, &["build", "-o", "../out.pmb"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let bytes = std::fs::read(dir.join("out.pmb")).unwrap();
    assert_eq!(pm_vm::Bundle::load(&bytes).unwrap().messages().len(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_empty_directory_is_e0507_for_check_and_build_alike() {
    let dir = temp_dir("empty");
    std::fs::create_dir(dir.join("empty")).unwrap();
    let check = pmc_in(&dir, &["check", "empty"]);
    let build = pmc_in(&dir, &["build", "empty", "-o", "out.pmb"]);
    for output in [&check, &build] {
        let text = stderr(output);
        assert_eq!(output.status.code(), Some(1), "{text}");
        assert!(text.contains("[E0507]"), "{text}");
        assert!(text.contains("no account.toml and no .pm file"), "{text}");
        assert_eq!(headers(&text), ["empty/account.toml:1:1"], "{text}");
    }
    assert!(!dir.join("out.pmb").exists());
    let json = pmc_in(&dir, &["check", "--message-format", "json", "empty"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["diagnostics"][0]["code"], "E0507");
    assert_eq!(value["errors"], 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_source_that_is_not_utf8_is_e0108_at_its_first_bad_byte() {
    let dir = temp_dir("latin1");
    std::fs::write(dir.join("account.toml"), ACCOUNT).unwrap();
    // "Café" saved as Latin-1 on line 2, and a real error on line 3 that is still reported.
    let mut bytes =
        b"condition fr = device.language is \"fr\"\ncondition cafe = visitor.page_title is \"Caf"
            .to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(b"\"\ncondition other = visitor.page_titel is \"x\"\n");
    std::fs::write(dir.join("latin1.pm"), &bytes).unwrap();

    let output = pmc_in(&dir, &["check"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    insta::assert_snapshot!("not_utf8", text);

    let json = pmc_in(&dir, &["check", "--message-format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let codes: Vec<&str> = value["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"E0302"),
        "the rest of the file is checked: {codes:?}"
    );
    let e0108 = value["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "E0108")
        .expect("E0108");
    assert_eq!(
        (
            e0108["primary"]["line"].clone(),
            e0108["primary"]["column"].clone()
        ),
        (2.into(), 44.into())
    );

    let build = pmc_in(&dir, &["build", "-o", "out.pmb"]);
    assert_eq!(build.status.code(), Some(1), "{}", stderr(&build));
    assert!(!dir.join("out.pmb").exists());
    let fmt = pmc_in(&dir, &["fmt", "--check", "latin1.pm"]);
    assert_eq!(fmt.status.code(), Some(1), "{}", stderr(&fmt));
    assert!(
        stderr(&fmt).contains("latin1.pm:2:44: the file is not UTF-8 text (byte 0xE9)"),
        "{}",
        stderr(&fmt)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn what_is_left_out_of_a_bundle_is_reported() {
    use std::os::unix::fs::symlink;

    let dir = bundle("skipped", false);
    let outside = temp_dir("skipped-outside");
    // Each left-out file has an error: were it read, `check` would fail.
    let broken = "condition broken = visitor.nope is \"x\"\n";
    std::fs::write(dir.join(".hidden.pm"), broken).unwrap();
    std::fs::write(dir.join("UPPER.PM"), broken).unwrap();
    std::fs::create_dir(dir.join(".drafts")).unwrap();
    std::fs::write(dir.join(".drafts/d.pm"), broken).unwrap();
    std::fs::create_dir(dir.join("nested")).unwrap();
    std::fs::write(dir.join("nested/account.toml"), ACCOUNT).unwrap();
    std::fs::write(dir.join("nested/n.pm"), broken).unwrap();
    std::fs::write(outside.join("o.pm"), broken).unwrap();
    symlink(&outside, dir.join("linked")).unwrap();
    let fifo = Command::new("mkfifo").arg(dir.join("pipe.pm")).status();
    assert!(
        fifo.is_ok_and(|s| s.success()),
        "mkfifo is needed for this test"
    );
    // A link to a `.pm` file is part of the bundle: its unused condition is W0101.
    std::fs::write(
        outside.join("shared.pm"),
        "condition shared = device.language is \"fr\"\n",
    )
    .unwrap();
    symlink(outside.join("shared.pm"), dir.join("shared.pm")).unwrap();

    let output = pmc_in(&dir, &["check"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains("[W0101]") && text.contains("shared.pm:1:11"),
        "{text}"
    );
    let notes: Vec<&str> = text.lines().filter(|l| l.starts_with("note: ")).collect();
    assert_eq!(
        notes,
        [
            "note: .hidden.pm is left out of the bundle: its name starts with `.` (hidden)",
            "note: UPPER.PM is left out of the bundle: sources end in lower-case `.pm`",
            "note: linked is left out of the bundle: it is a symbolic link to a directory, and those are not followed",
            "note: pipe.pm is left out of the bundle: it is not a regular file",
        ],
        "{text}"
    );
    // `--verbose` also lists what is left out on purpose.
    let verbose = stderr(&pmc_in(&dir, &["check", "--verbose"]));
    assert!(
        verbose.contains("note: .drafts is left out of the bundle: hidden directories"),
        "{verbose}"
    );
    assert!(
        verbose.contains("note: nested is left out of the bundle: it has its own account.toml"),
        "{verbose}"
    );
    // Naming a left-out part is an error, not a silent success.
    for part in [".drafts", ".drafts/d.pm", "UPPER.PM", ".hidden.pm"] {
        let output = pmc_in(&dir, &["check", part]);
        assert_eq!(output.status.code(), Some(2), "{part}: {}", stderr(&output));
        assert!(
            stderr(&output).contains(&format!("error: {part} is not part of the bundle")),
            "{}",
            stderr(&output)
        );
    }
    // The nested bundle is checked on its own.
    let nested = pmc_in(&dir, &["check", "nested"]);
    assert_eq!(nested.status.code(), Some(1), "{}", stderr(&nested));
    // Formatting follows the same rules, and a linked file is formatted through its link.
    let fmt = pmc_in(&dir, &["fmt", "."]);
    assert_eq!(fmt.status.code(), Some(0), "{}", stderr(&fmt));
    assert!(
        std::fs::symlink_metadata(dir.join("shared.pm"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_dir_all(&outside).unwrap();
}
