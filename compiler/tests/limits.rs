//! Resource limits and crash safety of `pmc`, end to end: each hostile input gets a clear
//! error within bounded memory, and a build killed while writing leaves the old output intact.
//!
//! - a 50 MB `.pm` file: `E0107`, and the file is never read (peak heap measured);
//! - nesting 10,000 deep: `E0203`, no stack overflow;
//! - a bundle claiming 2³² strings: a clear error from the VM's verifier (its allocation bound
//!   is measured by `vm/tests/alloc.rs`, `a_bundle_claiming_huge_counts_is_rejected_with_bounded_memory`);
//! - `pmc build` killed mid-write (by the file-size limit, and by `SIGKILL` at random moments).

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts live and peak heap bytes of this test process.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
const ACCOUNT: &str = include_str!("../../examples/acme/account.toml");

fn pmc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pmc"))
        .args(args)
        .output()
        .unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pmc-limits-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn a_50_mb_source_file_gets_e0107_and_is_never_read() {
    let dir = temp_dir("large");
    std::fs::write(dir.join("account.toml"), ACCOUNT).unwrap();
    // Real text, not a sparse file: reading it would show in the peak below.
    let line = "// a comment line that fills the file up to fifty megabytes...........\n";
    let big = line.repeat(50 * 1024 * 1024 / line.len() + 1);
    std::fs::write(dir.join("huge.pm"), &big).unwrap();
    drop(big);

    let output = pmc(&["check", "--message-format", "json", dir.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(text(&output).contains("E0107"), "{}", text(&output));

    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
    let base = LIVE.load(Ordering::Relaxed);
    let bundle = pmc::fs::load_bundle(&dir).unwrap();
    let analysis = pmc::analysis::analyze(&bundle.sources, bundle.account, &bundle.pm_files);
    let peak = PEAK.load(Ordering::Relaxed) - base;
    assert_eq!(bundle.diagnostics[0].code.as_str(), "E0107");
    assert!(
        bundle.diagnostics[0].message.contains("bytes"),
        "{}",
        bundle.diagnostics[0].message
    );
    drop(analysis);
    assert!(
        peak < 4 * 1024 * 1024,
        "reading the bundle peaked at {peak} bytes"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn nesting_10_000_deep_gets_e0203_without_overflowing_the_stack() {
    let dir = temp_dir("deep");
    std::fs::write(dir.join("account.toml"), ACCOUNT).unwrap();
    let depth = 10_000;
    let parens = format!(
        "condition parens = {}visitor.visit_history is new{}\n",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let nots = format!(
        "condition nots = {}visitor.visit_history is new\n",
        "not ".repeat(depth)
    );
    let lists = format!(
        "condition lists = visitor.page_url contains {}\"a\"{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    for (name, source) in [("parens", &parens), ("nots", &nots), ("lists", &lists)] {
        std::fs::write(dir.join("deep.pm"), source).unwrap();
        let output = pmc(&["check", "--message-format", "json", dir.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(1), "{name}: {}", text(&output));
        assert!(text(&output).contains("E0203"), "{name}: {}", text(&output));
        // And the formatter refuses it cleanly (syntax errors).
        let output = pmc(&["fmt", "--check", dir.join("deep.pm").to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(1), "{name}: {}", text(&output));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// CRC-32 (IEEE), as `FORMAT.md` specifies it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn a_bundle_claiming_2_pow_32_strings_is_refused_clearly() {
    // Stored sections, so that the string table's count can be patched in place.
    let mut writer = pm_vm::write::BundleWriter::new();
    writer.set_compression(false);
    writer.intern("Acme").unwrap();
    let mut bytes = writer.finish().unwrap();
    // The string table is the first section; its offset is in the first table entry (after
    // the 16-byte header, the `u16` entry count, the entry's `u16` id and `u8` encoding).
    let at = u32::from_le_bytes(bytes[21..25].try_into().unwrap()) as usize;
    bytes[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    bytes[8..12].fill(0);
    let crc = crc32(&bytes);
    bytes[8..12].copy_from_slice(&crc.to_le_bytes());
    let dir = temp_dir("strings");
    let path = dir.join("claims.pmb");
    std::fs::write(&path, &bytes).unwrap();
    let output = pmc(&["disasm", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        text(&output).contains("too many strings: 4294967295 (the limit is 65535)"),
        "{}",
        text(&output)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The old output, and the bytes a successful build writes.
fn prepare_build(name: &str) -> (PathBuf, PathBuf, Vec<u8>, Vec<u8>) {
    let dir = temp_dir(name);
    let output = dir.join("acme.pmb");
    let acme = Path::new(ROOT).join("examples/acme");
    let built = pmc(&[
        "build",
        acme.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
    ]);
    assert!(built.status.success(), "{}", text(&built));
    let new = std::fs::read(&output).unwrap();
    // Starts like a bundle, so that `pmc build` replaces it without `--force`.
    let old = b"PMB\0the previous bundle, which must survive".to_vec();
    std::fs::write(&output, &old).unwrap();
    (dir, output, old, new)
}

#[cfg(unix)]
#[test]
fn a_build_killed_mid_write_leaves_the_old_output_intact() {
    use std::os::unix::process::ExitStatusExt;

    let (dir, output, old, new) = prepare_build("killed");
    assert!(
        new.len() > 2048,
        "the bundle must be larger than the file-size limit below"
    );
    let acme = Path::new(ROOT).join("examples/acme");
    // RLIMIT_FSIZE of 2 KiB: the kernel kills pmc with SIGXFSZ in the middle of writing the
    // bundle (a real crash at the worst moment, independent of timing).
    let killed = Command::new("sh")
        .arg("-c")
        .arg("ulimit -f 2 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_pmc"))
        .args([
            "build",
            acme.to_str().unwrap(),
            "-o",
            output.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(
        killed.status.signal(),
        Some(25),
        "not killed by SIGXFSZ: {killed:?}"
    );
    assert_eq!(
        std::fs::read(&output).unwrap(),
        old,
        "the old output was damaged"
    );
    // What was killed is a temporary file next to the output, never the output.
    let partial: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "acme.pmb")
        .collect();
    assert!(
        partial
            .iter()
            .all(|n| n.starts_with(".acme.pmb.") && n.ends_with(".tmp")),
        "{partial:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn a_build_killed_at_random_moments_leaves_the_old_or_the_new_output() {
    let (dir, output, old, new) = prepare_build("sigkill");
    let acme = Path::new(ROOT).join("examples/acme");
    let mut outcomes = [0usize; 2];
    for attempt in 0..40u64 {
        std::fs::write(&output, &old).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_pmc"))
            .args([
                "build",
                acme.to_str().unwrap(),
                "-o",
                output.to_str().unwrap(),
            ])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_micros(attempt * 500));
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(&output).unwrap();
        assert!(
            now == old || now == new,
            "attempt {attempt}: a torn output ({} bytes)",
            now.len()
        );
        outcomes[usize::from(now == new)] += 1;
    }
    // Both outcomes should occur; report rather than fail when the machine is very fast or slow.
    eprintln!(
        "killed builds: {} left the old output, {} the new",
        outcomes[0], outcomes[1]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
