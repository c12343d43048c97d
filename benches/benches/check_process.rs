//! `pmc check` as a new user runs it: the real binary, one process per run, on the generated
//! 140-message bundle written to disk (7 files of 20 messages and `account.toml`, no errors;
//! its never-holds warnings are printed), against `pmc --version` (process start-up alone) in the same rounds.
//!
//! Run: `cargo build --release -p pmc && cargo bench -p pm-benches --bench check_process`
//! (`PM_PMC=/path/to/pmc` to use another binary; `PM_CHECK_RUNS=N`, default 30).
//!
//! Each round runs `pmc --version` then `pmc check DIR`, so that both see the same machine
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

fn main() {
    let runs: usize = std::env::var("PM_CHECK_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30)
        .max(1);
    let program = pmc();
    let root = std::env::temp_dir().join(format!("pm-check-bench-{}", std::process::id()));
    std::fs::create_dir_all(&root).expect("temp dir");
    std::fs::write(root.join("account.toml"), pm_benches::ACCOUNT_TOML).expect("write");
    let files = pm_benches::bundle_140();
    for (path, text) in &files {
        std::fs::write(root.join(path), text).expect("write");
    }
    let dir = root.to_str().expect("a UTF-8 temp dir");
    // The bundle must check without errors (its never-holds warnings are printed, as a user
    // would see them).
    let output = Command::new(&program)
        .args(["check", dir])
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

    let (mut version, mut check) = (Vec::new(), Vec::new());
    for round in 0..WARMUP + runs {
        let v = time_run(&program, &["--version"]);
        let c = time_run(&program, &["check", dir]);
        if round >= WARMUP {
            version.push(v);
            check.push(c);
        }
    }
    let _ = std::fs::remove_dir_all(&root);

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let (version, check) = (ms(median(version)), ms(median(check)));
    println!(
        "pmc {} on the generated 140-message bundle ({} files, {} bytes of .pm and account.toml); \
         {warnings} warnings printed; medians of {runs} process runs; absolute times are \
         machine-dependent",
        program.display(),
        files.len(),
        files.iter().map(|(_, t)| t.len()).sum::<usize>() + pm_benches::ACCOUNT_TOML.len()
    );
    println!("pmc --version        median {version:>7.3} ms");
    println!("pmc check DIR        median {check:>7.3} ms");
    println!(
        "check beyond start-up       {:>7.3} ms   (check / --version = {:.2}; goal < 5 ms, ideally <= 2 ms)",
        check - version,
        check / version
    );
}
