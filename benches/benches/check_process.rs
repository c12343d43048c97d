//! `pmc check` as a new user runs it: the real binary, one process per run, on two generated
//! 140-message bundles written to disk (7 files of 20 messages and `account.toml`, no errors):
//! the other benchmarks' bundle, whose 30 never-holds warnings are printed, and one with nothing
//! to report ([`pm_benches::bundle_140_quiet`]), against `pmc --version` (process start-up
//! alone) in the same rounds.
//!
//! Run: `cargo build --release -p pmc && cargo bench -p pm-benches --bench check_process`
//! (`PM_PMC=/path/to/pmc` to use another binary; `PM_CHECK_RUNS=N`, default 30).
//!
//! Each round runs `pmc --version` then `pmc check` on each bundle, so that all see the same machine
//! load; after 5 warm-up rounds the medians of `PM_CHECK_RUNS` rounds are reported, with the
//! difference (what `check` costs beyond start-up) and the ratio.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Rounds run before measuring (page cache, CPU frequency).
const WARMUP: usize = 5;

fn pmc() -> PathBuf {
    if let Some(p) = std::env::var_os("PM_PMC") {
        return p.into();
    }
    // target/release/deps/check_process-HASH → target/release/pmc
    let exe = std::env::current_exe().expect("the benchmark's path");
    let p = exe.ancestors().nth(2).expect("a target dir").join("pmc");
    assert!(
        p.exists(),
        "{} not found: run `cargo build --release -p pmc` first, or set PM_PMC",
        p.display()
    );
    p
}

/// Runs `program args` once, with no output, and returns how long the process took.
fn time_run(program: &Path, args: &[&str]) -> Duration {
    let start = Instant::now();
    let status = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    let elapsed = start.elapsed();
    assert!(
        status.success(),
        "{} {args:?} failed: {status}",
        program.display()
    );
    elapsed
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// A bundle written to disk for the runs: its directory, and its size in bytes.
struct OnDisk {
    dir: PathBuf,
    bytes: usize,
    warnings: usize,
}

/// Writes `files` and the account into `dir` and checks that `pmc check` passes on them.
fn write_bundle(program: &Path, dir: PathBuf, files: &[(String, String)]) -> OnDisk {
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("account.toml"), pm_benches::ACCOUNT_TOML).expect("write");
    for (path, text) in files {
        std::fs::write(dir.join(path), text).expect("write");
    }
    let output = Command::new(program)
        .arg("check")
        .arg(&dir)
        .output()
        .expect("run pmc check");
    assert!(
        output.status.success(),
        "the generated bundle does not check:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let warnings = String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|l| l.contains("] Warning:"))
        .count();
    let bytes = files.iter().map(|(_, t)| t.len()).sum::<usize>() + pm_benches::ACCOUNT_TOML.len();
    OnDisk {
        dir,
        bytes,
        warnings,
    }
}

fn main() {
    let runs: usize = std::env::var("PM_CHECK_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30)
        .max(1);
    let program = pmc();
    let root = std::env::temp_dir().join(format!("pm-check-bench-{}", std::process::id()));
    // The bundle of the other benchmarks, whose never-holds warnings are printed as a user
    // would see them, and the same generator's bundle with nothing to report.
    let warned = write_bundle(&program, root.join("warned"), &pm_benches::bundle_140());
    let quiet = write_bundle(
        &program,
        root.join("quiet"),
        &pm_benches::bundle_140_quiet(),
    );
    assert_eq!(quiet.warnings, 0);

    let (mut version, mut check_warned, mut check_quiet) = (Vec::new(), Vec::new(), Vec::new());
    let arg = |bundle: &OnDisk| bundle.dir.to_str().expect("a UTF-8 temp dir").to_string();
    let (warned_dir, quiet_dir) = (arg(&warned), arg(&quiet));
    for round in 0..WARMUP + runs {
        let v = time_run(&program, &["--version"]);
        let w = time_run(&program, &["check", &warned_dir]);
        let q = time_run(&program, &["check", &quiet_dir]);
        if round >= WARMUP {
            version.push(v);
            check_warned.push(w);
            check_quiet.push(q);
        }
    }
    let _ = std::fs::remove_dir_all(&root);

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let version = ms(median(version));
    println!(
        "pmc {} on generated 140-message bundles (7 files each); medians of {runs} process runs; \
         absolute times are machine-dependent",
        program.display()
    );
    println!("pmc --version                          median {version:>7.3} ms");
    for (label, bundle, times) in [
        ("check, warnings printed", &warned, check_warned),
        ("check, nothing to report", &quiet, check_quiet),
    ] {
        let check = ms(median(times));
        println!(
            "{label:<25} ({:>5} bytes, {:>2} warnings) median {check:>7.3} ms   beyond start-up {:>7.3} ms   \
             (check / --version = {:.2}; goal < 5 ms, ideally <= 2 ms)",
            bundle.bytes,
            bundle.warnings,
            check - version,
            check / version
        );
    }
}
