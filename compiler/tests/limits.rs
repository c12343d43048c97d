//! Resource limits and crash safety of `pmc`, end to end: each hostile input gets a clear
//! error within bounded memory, and a build killed while writing leaves the old output intact.
//!
//! - a 50 MB `.pm` file: `E0107`, and the file is never read (peak heap measured);
//! - nesting 10,000 deep: `E0203`, no stack overflow;
//! - a bundle claiming 2³² strings: a clear error from the VM's verifier (its allocation bound
//!   is measured by `vm/tests/alloc.rs`, `a_bundle_claiming_huge_counts_is_rejected_with_bounded_memory`);
//! - `pmc build` killed mid-write (by the file-size limit, and by `SIGKILL` at random moments);
//! - named conditions chained 10,000 long, and a cycle of 20,000: checked without recursion
//!   (E0307 for the cycle), also on a thread with a small stack;
//! - conditions that each use the previous one twice (exponential when written out): refused
//!   with E0311 from their sizes alone, within a few megabytes;
//! - a `contains` list of 100,000 items: E0312, checked in linear time (a hang guard);
//! - a 2 KB file of all three: checked and built within a bounded peak heap;
//! - 4,000 errors on one 48 KB line: each terminal report shows windows of the line, not all
//!   of it (output linear in the number of errors).

mod adversarial;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::{Duration, Instant};

use adversarial::{chain, doubling, long_list, message};

/// Counts the live and peak heap bytes of the threads being measured ([`peak_heap_of`]), so
/// that tests running at the same time do not count.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

thread_local! {
    /// Whether this thread's allocations are counted.
    static COUNTED: Cell<bool> = const { Cell::new(false) };
}

fn counted() -> bool {
    COUNTED.try_with(Cell::get).unwrap_or(false)
}

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if counted() {
            let size = layout.size() as isize;
            let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if counted() {
            LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        }
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Held while a test measures, so that measurements do not overlap.
static MEASURING: Mutex<()> = Mutex::new(());

/// Runs `f` with this thread's allocations counted, and returns the peak heap it reached above
/// what it started with. Threads `f` starts are counted when they call [`count_allocations`].
fn peak_heap_of<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let _measuring = MEASURING.lock().unwrap_or_else(|e| e.into_inner());
    LIVE.store(0, Ordering::Relaxed);
    PEAK.store(0, Ordering::Relaxed);
    COUNTED.set(true);
    let result = f();
    COUNTED.set(false);
    (result, PEAK.load(Ordering::Relaxed).max(0) as usize)
}

/// Counts this thread's allocations when `counted` (what [`counted`] said on the thread that
/// started it).
fn count_allocations(counted: bool) {
    COUNTED.set(counted);
}

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

    let ((bundle, analysis), peak) = peak_heap_of(|| {
        let bundle = pmc::fs::load_bundle(&dir).unwrap();
        let analysis = pmc::analysis::analyze(&bundle.sources, bundle.account, &bundle.pm_files);
        (bundle, analysis)
    });
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

/// Runs `pmc` with `args`, output to files; kills it and fails after `limit`. A hang guard
/// for inputs that used to take minutes, not a measure of speed.
fn pmc_within(args: &[&OsStr], limit: Duration, dir: &Path) -> Output {
    let (stdout, stderr) = (dir.join("stdout"), dir.join("stderr"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_pmc"))
        .args(args)
        .stdout(Stdio::from(std::fs::File::create(&stdout).unwrap()))
        .stderr(Stdio::from(std::fs::File::create(&stderr).unwrap()))
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("pmc {args:?} still runs after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: std::fs::read(stdout).unwrap(),
        stderr: std::fs::read(stderr).unwrap(),
    }
}

/// `pmc check --message-format json` and `pmc build` of a bundle of `source` (on the
/// adversarial account), each within `limit`: the exit statuses, the codes of the errors
/// `check` reported, and the bundle `build` wrote.
fn check_and_build(
    name: &str,
    source: &str,
    limit: Duration,
) -> (Option<i32>, Vec<String>, Option<i32>, Option<Vec<u8>>) {
    let dir = temp_dir(name);
    std::fs::write(dir.join("account.toml"), adversarial::ACCOUNT).unwrap();
    std::fs::write(dir.join("a.pm"), source).unwrap();
    let bundle = dir.join("bundle");
    std::fs::create_dir(&bundle).unwrap();
    for file in ["account.toml", "a.pm"] {
        std::fs::rename(dir.join(file), bundle.join(file)).unwrap();
    }
    let json = "json".as_ref();
    let check = pmc_within(
        &[
            "check".as_ref(),
            bundle.as_os_str(),
            "--message-format".as_ref(),
            json,
        ],
        limit,
        &dir,
    );
    let value: serde_json::Value = serde_json::from_slice(&check.stdout)
        .unwrap_or_else(|e| panic!("{name}: {e}\n{}", text(&check)));
    let errors = value["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    let out = dir.join("out.pmb");
    let build = pmc_within(
        &[
            "build".as_ref(),
            bundle.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
        ],
        limit,
        &dir,
    );
    let written = std::fs::read(&out).ok();
    std::fs::remove_dir_all(&dir).unwrap();
    (check.status.code(), errors, build.status.code(), written)
}

/// The whole front end and code generator on a thread with a small stack, as a language
/// server's worker thread has: the checker's errors, and whether the bundle built.
fn analyze_on_small_stack(source: &str) -> (Vec<pmc::diagnostic::Code>, bool) {
    let source = source.to_string();
    let counted = counted();
    std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || {
            count_allocations(counted);
            let mut sources = pmc::source::SourceMap::new();
            let account = sources.add("account.toml", adversarial::ACCOUNT);
            let file = sources.add("a.pm", source);
            let analysis = pmc::analysis::analyze(&sources, Some(account), &[file]);
            let built = analysis
                .bundle
                .as_ref()
                .map(|b| pmc::codegen::generate(b).expect("a checked bundle builds"));
            if let Some(bytes) = &built {
                pm_vm::Bundle::load(bytes).expect("and loads");
            }
            let errors = analysis
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| d.code)
                .collect();
            (errors, built.is_some())
        })
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn ten_thousand_chained_conditions_are_resolved_without_recursion() {
    use pmc::diagnostic::Code;
    let guard = Duration::from_secs(120);
    // Each a reference to the next: they are all the last one, and the bundle builds.
    let aliases =
        chain("c", 10_000, "{next}", Some("visitor.visit_history is new")) + &message("M", "c0");
    assert_eq!(analyze_on_small_stack(&aliases), (vec![], true));
    let (check, errors, build, written) = check_and_build("aliases", &aliases, guard);
    assert_eq!((check, errors.len(), build), (Some(0), 0, Some(0)));
    pm_vm::Bundle::load(&written.unwrap()).unwrap();
    // A cycle of 20,000: one E0307, at the use that closes it.
    let cycle = chain("c", 20_000, "{next}", None) + &message("M", "c0");
    assert_eq!(analyze_on_small_stack(&cycle), (vec![Code::E0307], false));
    let (check, errors, build, written) = check_and_build("cycle", &cycle, guard);
    assert_eq!((check, build, written), (Some(1), Some(1), None));
    assert_eq!(errors, ["E0307"]);
    // Each condition a comparison and the next one: 10,000 levels written out, refused.
    let nested = chain(
        "c",
        10_000,
        "{next} and visitor.page_url contains \"a\"",
        Some("visitor.visit_history is new"),
    ) + &message("M", "c0");
    assert_eq!(analyze_on_small_stack(&nested), (vec![Code::E0311], false));
    let (check, errors, build, written) = check_and_build("nested", &nested, guard);
    assert_eq!((check, build, written), (Some(1), Some(1), None));
    assert_eq!(errors, ["E0311"]);
    // 200 levels are within the limit, and build.
    let within = chain(
        "c",
        200,
        "{next} and visitor.page_url contains \"a\"",
        Some("visitor.visit_history is new"),
    ) + &message("M", "c0");
    assert_eq!(analyze_on_small_stack(&within), (vec![], true));
}

#[test]
fn doubling_conditions_are_refused_from_their_sizes_in_bounded_memory() {
    use pmc::diagnostic::Code;
    // 2^24 copies of the comparison written out: 50 million parts, once 1.3 GB and minutes.
    let doubled = doubling("d", 24, "and", "visitor.visit_history is new") + &message("M", "d24");
    let ((errors, built), peak) = peak_heap_of(|| analyze_on_small_stack(&doubled));
    assert_eq!((errors, built), (vec![Code::E0311], false));
    assert!(peak < 8 * 1024 * 1024, "checking peaked at {peak} bytes");
    eprintln!("24 doublings refused, peak heap {peak} bytes");
    let (check, errors, build, written) =
        check_and_build("doubled", &doubled, Duration::from_secs(60));
    assert_eq!((check, build, written), (Some(1), Some(1), None));
    assert_eq!(errors, ["E0311"]);
    // With `or` and a `contains` test, the copies merge into one set when written out; the
    // limit is still on the written-out size, which the checker reports.
    let merged = doubling("e", 24, "or", "visitor.page_url contains \"a\"") + &message("M", "e24");
    assert_eq!(analyze_on_small_stack(&merged), (vec![Code::E0311], false));
    // Twelve doublings fit: 4,096 copies, 20,478 bytes of code, built.
    let fits = doubling("d", 12, "and", "visitor.visit_history is new") + &message("M", "d12");
    assert_eq!(analyze_on_small_stack(&fits), (vec![], true));
}

#[test]
fn a_long_contains_list_is_checked_in_linear_time() {
    // 100,000 items took 55 s when checking was quadratic; the guard is far above linear.
    let source = message("M", &long_list(100_000));
    let (check, errors, build, written) =
        check_and_build("long-list", &source, Duration::from_secs(120));
    assert_eq!((check, build, written), (Some(1), Some(1), None));
    assert_eq!(errors, ["E0312"]);
}

#[test]
fn a_2_kb_adversarial_file_is_checked_and_built_in_bounded_memory() {
    use pmc::diagnostic::Code;
    // A chain, a doubling and a long list, in 2 KB: one message refused (E0311), and without
    // it, a bundle that builds.
    let shared = chain("a", 20, "{next}", Some("visitor.visit_history is new"))
        + &doubling("d", 24, "and", "a0")
        + &message("Chain", "a0")
        + &message("List", &long_list(60));
    let refused = shared.clone() + &message("Doubled", "d24");
    let built = shared + &message("Doubled", "d12");
    assert!(refused.len() <= 2048, "{} bytes", refused.len());
    let ((errors, _), peak) = peak_heap_of(|| analyze_on_small_stack(&refused));
    assert_eq!(errors, [Code::E0311]);
    assert!(peak < 16 * 1024 * 1024, "checking peaked at {peak} bytes");
    eprintln!("{} bytes refused, peak heap {peak} bytes", refused.len());
    let ((errors, bundle), peak) = peak_heap_of(|| analyze_on_small_stack(&built));
    assert_eq!((errors, bundle), (vec![], true));
    assert!(
        peak < 16 * 1024 * 1024,
        "checking and building peaked at {peak} bytes"
    );
    eprintln!("{} bytes built, peak heap {peak} bytes", built.len());
    let guard = Duration::from_secs(30);
    let (check, _, build, written) = check_and_build("adversarial-refused", &refused, guard);
    assert_eq!((check, build, written), (Some(1), Some(1), None));
    let (check, _, build, written) = check_and_build("adversarial-built", &built, guard);
    assert_eq!((check, build), (Some(0), Some(0)));
    pm_vm::Bundle::load(&written.unwrap()).unwrap();
}

#[test]
fn thousands_of_errors_on_one_long_line_print_windows_of_it() {
    // 4,000 bad escapes on one 48 KB line: each report used to print the whole line (192 MB
    // of output, 19 s); now each shows windows around its label, so the output grows with
    // the number of errors only.
    let say = "\\q".repeat(4_000) + &"x".repeat(40_000);
    let source = format!("message \"M\" {{ say \"{say}\" }}\n");
    let dir = temp_dir("long-line");
    std::fs::write(dir.join("account.toml"), adversarial::ACCOUNT).unwrap();
    std::fs::write(dir.join("a.pm"), &source).unwrap();
    let check = pmc_within(
        &["check".as_ref(), dir.as_os_str()],
        Duration::from_secs(60),
        &dir,
    );
    assert_eq!(check.status.code(), Some(1), "{}", text(&check));
    let report = String::from_utf8_lossy(&check.stderr);
    assert_eq!(report.matches("[E0102]").count(), 4_000);
    assert!(report.len() < 4_000 * 1_000, "{} bytes", report.len());
    // The last error's header names its true column: `message "M" { say "` is 19 characters.
    assert!(
        report.contains(&format!("a.pm:1:{} ]", 20 + 2 * 3_999)),
        "{}",
        &report[..2_000]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
