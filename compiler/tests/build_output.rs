//! Where `pmc build -o OUT` writes, end to end through the real binary:
//!
//! - never over an input: a `.pm` file, `account.toml` or the signing key, named directly,
//!   through a symbolic link or through a hard link (exit 2, the input unchanged);
//! - never over a file that is not a bundle, unless `--force`;
//! - into FIFOs and character devices directly (they stay what they are), through symbolic
//!   links to their target (the link stays a link), and never through a link to nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ACCOUNT: &str = include_str!("../../examples/acme/account.toml");
const MESSAGE: &str = r#"message "Hello" {
    brand "Acme"
    channel "Acme iOS"
    say "Hello!"
    respond agent { follow_up "Connecting you." }
    after screen_open 5s
    frequency once_per_visit
}
"#;

/// A fresh bundle directory with one message.
fn bundle(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pmc-output-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("account.toml"), ACCOUNT).unwrap();
    std::fs::write(dir.join("hello.pm"), MESSAGE).unwrap();
    dir
}

/// Runs `pmc build . -o OUT EXTRA…` in `dir`.
fn build(dir: &Path, out: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pmc"))
        .arg("build")
        .arg(".")
        .arg("-o")
        .arg(out)
        .args(extra)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The bytes a build of `dir` produces, written to a fresh file.
fn expected_bytes(dir: &Path) -> Vec<u8> {
    let out = dir.join("expected.pmb");
    let output = build(dir, &out, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let bytes = std::fs::read(&out).unwrap();
    std::fs::remove_file(&out).unwrap();
    bytes
}

#[cfg(unix)]
#[test]
fn an_output_that_is_an_input_is_refused() {
    use std::os::unix::fs::symlink;

    let dir = bundle("inputs");
    let keygen = Command::new(env!("CARGO_BIN_EXE_pmc"))
        .args(["keygen", "ci.key"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(keygen.status.success(), "{}", stderr(&keygen));
    let key = std::fs::read(dir.join("ci.key")).unwrap();
    symlink(dir.join("hello.pm"), dir.join("soft.pmb")).unwrap();
    std::fs::hard_link(dir.join("account.toml"), dir.join("hard.pmb")).unwrap();

    for (out, extra, why) in [
        ("hello.pm", &[][..], "sources"),
        ("account.toml", &[], "sources"),
        ("new.pm", &[], "sources"),
        ("soft.pmb", &[], "it is hello.pm, an input of the build"),
        ("hard.pmb", &[], "it is account.toml, an input of the build"),
        (
            "ci.key",
            &["--sign", "ci.key"],
            "it is ci.key, an input of the build",
        ),
        // `--force` allows replacing a file that is not a bundle, never an input.
        ("soft.pmb", &["--force"], "an input of the build"),
    ] {
        let output = build(&dir, Path::new(out), extra);
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "-o {out}: {text}");
        assert!(
            text.contains("refusing to write the bundle to"),
            "-o {out}: {text}"
        );
        assert!(text.contains(why), "-o {out}: {text}");
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("hello.pm")).unwrap(),
        MESSAGE
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("account.toml")).unwrap(),
        ACCOUNT
    );
    assert_eq!(std::fs::read(dir.join("ci.key")).unwrap(), key);
    assert!(!dir.join("new.pm").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_file_that_is_not_a_bundle_is_replaced_only_with_force() {
    let dir = bundle("force");
    let expected = expected_bytes(&dir);
    let notes = dir.join("notes.txt");
    std::fs::write(&notes, "meeting notes, not a bundle").unwrap();
    let output = build(&dir, &notes, &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("is not a bundle"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("--force"), "{}", stderr(&output));
    assert_eq!(
        std::fs::read_to_string(&notes).unwrap(),
        "meeting notes, not a bundle"
    );

    let output = build(&dir, &notes, &["--force"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(std::fs::read(&notes).unwrap(), expected);
    // A bundle (even an old or damaged one) and an empty file are replaced without asking.
    let old = dir.join("old.pmb");
    std::fs::write(&old, b"PMB\0 an older, truncated bundle").unwrap();
    let empty = dir.join("empty.pmb");
    std::fs::write(&empty, b"").unwrap();
    for out in [&old, &empty] {
        let output = build(&dir, out, &[]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert_eq!(&std::fs::read(out).unwrap(), &expected);
    }
    // A directory is not an output.
    let output = build(&dir, &dir.join("."), &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("is a directory"),
        "{}",
        stderr(&output)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn fifos_devices_and_links_are_written_through() {
    use std::os::unix::fs::{FileTypeExt, symlink};

    let dir = bundle("special");
    let expected = expected_bytes(&dir);

    // A FIFO: the bytes go to its reader, and it stays a FIFO.
    let fifo = dir.join("pipe.pmb");
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(
        made.is_ok_and(|s| s.success()),
        "mkfifo is needed for this test"
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    let output = build(&dir, &fifo, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(reader.join().unwrap(), expected);
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );

    // A character device: a null device of our own where we may create one (as root), else
    // /dev/null itself. Either way it is written to, not replaced by a regular file.
    let own = dir.join("null");
    let device = match Command::new("mknod")
        .arg(&own)
        .args(["c", "1", "3"])
        .status()
    {
        Ok(status) if status.success() => own,
        _ => PathBuf::from("/dev/null"),
    };
    let output = build(&dir, &device, &[]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}: {}",
        device.display(),
        stderr(&output)
    );
    let kind = std::fs::symlink_metadata(&device).unwrap().file_type();
    assert!(kind.is_char_device(), "{} was replaced", device.display());

    // A symbolic link to a regular file: the target gets the bundle, the link stays a link.
    let target = dir.join("real.pmb");
    std::fs::write(&target, b"").unwrap();
    let link = dir.join("link.pmb");
    symlink(&target, &link).unwrap();
    let output = build(&dir, &link, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read(&target).unwrap(), expected);

    // A link to nothing is refused, and nothing is created.
    let dangling = dir.join("dangling.pmb");
    symlink(dir.join("missing/nowhere.pmb"), &dangling).unwrap();
    let output = build(&dir, &dangling, &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("which does not exist"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.join("missing").exists());

    // No temporary file was left anywhere we wrote.
    let leftovers: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}
