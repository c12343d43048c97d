//! The reference host loop (`examples/host`), built with gcc against the header and the static
//! library, run as an app would be: twice over one state file, with a bundle update arriving
//! during the first run; and with a corrupt state file and refused updates.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{build_c_program, fixture, scratch_dir};

/// One delivery as the host printed it: the instant (seconds into the session), the message's
/// name and its text.
#[derive(Debug, PartialEq)]
struct Shown {
    at: String,
    name: String,
    says: String,
}

/// Runs the host and returns its output, failing the test when it exits with an error.
fn run(exe: &Path, args: &[&Path]) -> String {
    let out = Command::new(exe).args(args).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "host failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The deliveries of a host's output: each `[  t s] show:` line and the card under it.
fn shown(output: &str) -> Vec<Shown> {
    let lines: Vec<&str> = output.lines().collect();
    lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let at = line
                .strip_suffix("s] show:")?
                .trim_start_matches('[')
                .trim();
            let name = lines[i + 1].trim().split("  (").next().unwrap();
            let says = lines[i + 2].trim().strip_prefix("says:").unwrap().trim();
            Some(Shown {
                at: at.into(),
                name: name.into(),
                says: says.into(),
            })
        })
        .collect()
}

fn show(at: &str, name: &str, says: &str) -> Shown {
    Shown {
        at: at.into(),
        name: name.into(),
        says: says.into(),
    }
}

/// A scratch directory `name` with the C host built in it (`host`) and `host-v1.pmb` copied
/// as the app's bundle (`bundle.pmb`): the directory, the program and the bundle's path.
fn host_with_first_bundle(name: &str) -> (PathBuf, PathBuf, PathBuf) {
    let dir = scratch_dir(name);
    let exe = dir.join("host");
    build_c_program(&["examples/host/host.c", "examples/host/render.c"], &exe);
    let bundle = dir.join("bundle.pmb");
    std::fs::copy(fixture("host-v1.pmb"), &bundle).unwrap();
    (dir, exe, bundle)
}

const WELCOME: &str = "Welcome to the bookshop! Looking for something?";
const BOOK_FINDER: &str = "Can't find it? Ask Book Bot.";
const GIFT_CARDS: &str = "Gift cards arrive by e-mail within minutes.";

#[test]
fn state_survives_two_runs_and_a_bundle_update() {
    let (dir, exe, bundle) = host_with_first_bundle("c_host");
    let state = dir.join("state.bin");

    let first = run(&exe, &[&state, &bundle, &fixture("host-v2.pmb")]);
    assert!(first.contains("state: none yet (first run)"), "{first}");
    assert!(
        first.contains("[  50.0s] update: 4 messages (was 3), state carried over\n"),
        "{first}"
    );
    assert_eq!(
        shown(&first),
        [
            show("6.0", "Welcome", WELCOME),
            show("20.0", "Book finder", BOOK_FINDER),
            show("44.0", "Checkout help", "Any trouble with your order?"),
            // Book finder is not shown again at 62 s: once_per_device carried over the update.
            show("67.0", "Gift cards", GIFT_CARDS),
        ],
        "{first}"
    );
    // The content comes from the JSON: the AI hand-over and the collected fields.
    assert!(
        first.contains("on reply: AI agent Book Bot answers \"Recommendations\" (generative)"),
        "{first}"
    );
    assert!(first.contains("asks for name, email"), "{first}");
    assert!(first.contains("tags:     checkout, proactive"), "{first}");
    // The update was cached for the next launch, and the state saved.
    assert_eq!(
        std::fs::read(&bundle).unwrap(),
        std::fs::read(fixture("host-v2.pmb")).unwrap()
    );
    let saved = std::fs::read(&state).unwrap();
    assert!(first.ends_with(&format!("state: saved {} bytes\n", saved.len())));

    // The second run: the updated bundle, and the device remembers what it was shown.
    let second = run(&exe, &[&state, &bundle]);
    assert!(second.contains("bundle: 4 messages\n"), "{second}");
    assert!(
        second.contains(&format!("state: restored {} bytes\n", saved.len())),
        "{second}"
    );
    assert_eq!(
        shown(&second),
        [
            show(
                "44.0",
                "Checkout help",
                "Stuck at checkout? Orders over 30 € ship \"free\" 📦"
            ),
            show("67.0", "Gift cards", GIFT_CARDS),
        ],
        "{second}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_corrupt_state_or_a_bad_update_does_not_stop_the_app() {
    let (dir, exe, bundle) = host_with_first_bundle("c_host_bad");

    // A state file with one byte changed: reported, and the device starts afresh.
    let state = dir.join("state.bin");
    run(&exe, &[&state, &bundle]);
    let mut bytes = std::fs::read(&state).unwrap();
    bytes[6] ^= 1;
    std::fs::write(&state, &bytes).unwrap();
    let output = run(&exe, &[&state, &bundle]);
    assert!(
        output.contains("state: ignored, device state is corrupted (checksum mismatch)\n"),
        "{output}"
    );
    assert_eq!(
        shown(&output)[0],
        show("6.0", "Welcome", WELCOME),
        "{output}"
    );

    // Updates that are not bundles, or lack the app's channel, are refused; the app keeps
    // running its bundle (no Gift cards) and keeps it cached.
    let garbage = dir.join("garbage.pmb");
    std::fs::write(&garbage, b"not a bundle").unwrap();
    for (update, reason) in [
        (garbage.as_path(), "not a bundle: "),
        (
            &fixture("acme.pmb"),
            "the bundle has no channel named \"Bookshop iOS\"",
        ),
    ] {
        let output = run(&exe, &[&dir.join("fresh.bin"), &bundle, update]);
        assert!(
            output.contains(&format!("[  50.0s] update: bundle refused: {reason}")),
            "{output}"
        );
        assert!(
            !shown(&output).iter().any(|s| s.name == "Gift cards"),
            "{output}"
        );
        assert_eq!(
            std::fs::read(&bundle).unwrap(),
            std::fs::read(fixture("host-v1.pmb")).unwrap()
        );
        std::fs::remove_file(dir.join("fresh.bin")).unwrap();
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
