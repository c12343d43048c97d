//! What crossing JNI costs: the same engine loops run on `pm_vm::Engine` directly and through
//! the Java binding (`src/bench/java/pm/vm/bench/JniOverhead.java`), with the same bundle,
//! batches, warm-up and median, so the ratio of the two medians is the binding's overhead.
//!
//! The bundle is the pricing rule of `benches/benches/eval.rs` (`pm_benches::pricing_bundle`),
//! and the contexts are its `holds` and `fails_early`. Routines, per iteration:
//! - `screen`: `screen_open` (context building), `advance_to` past the 5 s dwell (the check:
//!   the rule's evaluation, business hours, frequency), `take_deliveries` — three crossings;
//! - `advance`: `advance_to` with no check pending — one crossing that does almost nothing.
//!
//! Every batch runs on a fresh engine (created outside the timing), starting on a Tuesday at
//! 09:00 in Paris, so all checks fall inside the business hours. Time is the thread's CPU
//! time (`CLOCK_THREAD_CPUTIME_ID`, which Java's `ThreadMXBean` also reads), so the figures
//! count the work and not the waits of a machine shared with other jobs.
//!
//! Run: `cargo bench -p pm-vm-jni --bench jni_overhead` (needs a JDK: `javac`, `java`).

#[path = "../tests/support/mod.rs"]
mod support;

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use pm_benches::{FAIL_EARLY, PASS, RawContext};
use pm_vm::{Bundle, Engine, Event};
use support::{Jvm, Setup};

/// Iterations per batch of `screen`: 2,000 × 10 s stays within one day's business hours.
const SCREEN_BATCH: usize = 2_000;
/// Iterations per batch of `advance`, enough for the clock's reading cost not to count.
const ADVANCE_BATCH: usize = 100_000;
const WARMUP: usize = 100;
const RUNS: usize = 400;
/// 2026-11-24T08:00:00Z, a Tuesday, 09:00 in Paris.
const START_MS: i64 = 1_795_507_200_000;
const CHANNEL: &str = "Acme iOS";

/// One loop over a fresh engine; returns a checksum so the work is not dead.
type Routine = fn(&mut Engine, &RawContext, usize) -> usize;

/// The calling thread's CPU time, in nanoseconds.
fn thread_cpu_ns() -> u128 {
    let mut time = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `time` is a valid, writable timespec.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut time) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) fails");
    time.tv_sec as u128 * 1_000_000_000 + time.tv_nsec as u128
}

fn screen(engine: &mut Engine, raw: &RawContext, iterations: usize) -> usize {
    let mut now = START_MS;
    let mut sum = 0;
    for _ in 0..iterations {
        engine.handle(
            now,
            Event::ScreenOpen {
                url: black_box(raw.url),
                title: raw.title,
            },
        );
        engine.advance_to(now + 5_000);
        sum += engine.take_deliveries().len();
        now += 10_000;
    }
    sum
}

fn advance(engine: &mut Engine, _raw: &RawContext, iterations: usize) -> usize {
    for i in 0..iterations {
        engine.advance_to(black_box(START_MS + i as i64));
    }
    iterations
}

/// The median CPU nanoseconds per iteration over `RUNS` batches of `batch` after `WARMUP`,
/// and the checksum over every batch.
fn measure(bundle: &Arc<Bundle>, raw: &RawContext, routine: Routine, batch: usize) -> (f64, usize) {
    let mut per_iteration = Vec::with_capacity(RUNS);
    let mut checksum = 0;
    for run in 0..WARMUP + RUNS {
        let mut engine = Engine::new(Arc::clone(bundle), CHANNEL).expect("the channel exists");
        engine.set_language(raw.language);
        engine.handle(
            START_MS,
            Event::AppLaunch {
                returning: Some(raw.returning),
            },
        );
        let begin = thread_cpu_ns();
        checksum += routine(&mut engine, raw, batch);
        let elapsed = thread_cpu_ns() - begin;
        if run >= WARMUP {
            per_iteration.push(elapsed as f64 / batch as f64);
        }
    }
    per_iteration.sort_by(f64::total_cmp);
    (per_iteration[RUNS / 2], checksum)
}

fn main() {
    // `cargo bench` passes `--bench`; this harness takes no options.
    let bytes = pm_benches::compile(&pm_benches::pricing_bundle());
    let bundle = Arc::new(Bundle::load(&bytes).expect("the pricing bundle loads"));
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pm-vm-jni-bench");
    std::fs::create_dir_all(&work).expect("the work directory can be created");
    let bundle_path = work.join("pricing.pmb");
    std::fs::write(&bundle_path, &bytes).expect("the bundle is written");
    let jvm = match Jvm::new(&["src/main/java", "src/bench/java"], &work) {
        Ok(jvm) => jvm,
        Err(Setup::Missing(why) | Setup::Failed(why)) => {
            eprintln!("cannot run the Java half: {why}");
            std::process::exit(2);
        }
    };
    let contexts = [PASS, FAIL_EARLY];
    let output = jvm
        .command(&[], "pm.vm.bench.JniOverhead")
        .arg(&bundle_path)
        .arg(CHANNEL)
        .args([SCREEN_BATCH, ADVANCE_BATCH, WARMUP, RUNS].map(|n| n.to_string()))
        .arg(START_MS.to_string())
        .args(contexts.iter().map(|c| {
            let history = if c.returning { "returning" } else { "new" };
            format!("{}|{}|{}|{}|{history}", c.name, c.url, c.title, c.language)
        }))
        .output()
        .expect("java runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the Java half failed: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let java: Vec<(String, String, f64, usize)> = stdout
        .lines()
        .map(|line| {
            let [routine, context, median, checksum]: [&str; 4] = line
                .split('\t')
                .collect::<Vec<_>>()
                .try_into()
                .expect("ROUTINE, CONTEXT, MEDIAN, CHECKSUM");
            (
                routine.to_owned(),
                context.to_owned(),
                median.parse().expect("a median"),
                checksum.parse().expect("a checksum"),
            )
        })
        .collect();

    println!(
        "{WARMUP} warm-up + {RUNS} timed batches ({SCREEN_BATCH} iterations of screen, \
         {ADVANCE_BATCH} of advance); median CPU ns per iteration"
    );
    println!(
        "{:<8} {:<12} {:>10} {:>10} {:>8} {:>10} {:>22}",
        "routine", "context", "Rust", "Java", "Java÷Rust", "crossings", "overhead per crossing"
    );
    for (routine, context, java_median, java_checksum) in &java {
        let raw = contexts
            .iter()
            .find(|c| c.name == context)
            .expect("a known context");
        let (function, batch, crossings): (Routine, usize, usize) = match routine.as_str() {
            "screen" => (screen, SCREEN_BATCH, 3),
            "advance" => (advance, ADVANCE_BATCH, 1),
            other => panic!("unknown routine {other}"),
        };
        let (rust_median, rust_checksum) = measure(&bundle, raw, function, batch);
        assert_eq!(
            *java_checksum, rust_checksum,
            "{routine}/{context}: Java and Rust did different work"
        );
        println!(
            "{routine:<8} {context:<12} {rust_median:>10.1} {java_median:>10.1} {:>8.2} {crossings:>10} {:>19.1} ns",
            java_median / rust_median,
            (java_median - rust_median) / crossings as f64
        );
    }
}
