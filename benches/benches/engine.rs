//! The path an SDK takes at a screen change, through `pm_vm::Engine` on the generated
//! 140-message bundle, side by side with the bare work that screen change performs (the context
//! setters, then every message's condition) and with a native context builder.
//!
//! The pages' URLs and titles are pangrams, so they hold every byte of every needle: the byte
//! filter cannot rule a needle out and every `contains` test really searches. Two pages
//! alternate, so every screen change really replaces the context's text.
//!
//! Routines (one call = one screen change):
//! - `native_setters`: the native baseline's context building (lower-casing URL, title and
//!   language into reused buffers, the returning flag);
//! - `setters`: the VM's four context setters (`Context::set_url`, `set_title`,
//!   `set_language`, `set_returning`);
//! - `bare_eval`: `set_url` + `set_title` (what the engine sets at a screen change), then
//!   `Bundle::eval` for each of the 140 messages;
//! - `bare_screen`: the same, through one `Bundle::evaluation` (tests shared between messages
//!   run once);
//! - `engine`: the SDK's calls — `handle(ScreenOpen)`, `advance_to` past the longest dwell,
//!   `take_deliveries`, and `handle(MessageDismissed)` for what was delivered (so that the next
//!   screen change is checked like this one, not blocked by a displayed message);
//! - `engine_drain`: the same with `drain_deliveries` (what the C ABI calls), which keeps the
//!   engine's buffer instead of handing it over;
//! - `limits_off` / `limits_on`: `engine_drain` in visits of 500 screen changes (the visit ends
//!   and a new one begins every 500th call), on the bundle without and with channel limits
//!   (`min_interval = "1m"`, `max_per_visit = 1000`, `max_per_day = 1000`: checked at every
//!   check, reached by none, so both deliver the same; the bench checks that first).
//!
//! Run: `cargo bench -p pm-benches --bench engine`
//! Instruction counts: `PM_BENCH_PROFILE=<routine> PM_BENCH_ITERS=N` runs one routine N times
//! and exits (for `valgrind --tool=callgrind`), see `BENCHMARKS.md`.

use std::hint::black_box;
use std::sync::Arc;

use criterion::Criterion;
use pm_benches::{BUNDLE_MESSAGES, CountingAlloc, NativeContext, RawContext};
use pm_vm::testkit::set_context;
use pm_vm::{Bundle, Context, Engine, Event};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc::new();

/// The two pages the benchmark alternates between (pangrams: every needle byte is there).
const PAGES: [RawContext; 2] = [
    RawContext {
        name: "fox",
        url: "https://Shop.Acme.com/The-Quick-Brown-Fox/jumps-over/lazy-dogs?ref=42",
        title: "The Quick Brown Fox Jumps Over The Lazy Dog — Acme",
        language: "fr_FR",
        returning: true,
    },
    RawContext {
        name: "jugs",
        url: "https://shop.acme.com/pack-my-box/with-FIVE-dozen/liquor-jugs?page=7",
        title: "Pack My Box With Five Dozen Liquor Jugs",
        language: "fr_FR",
        returning: true,
    },
];

/// Monday 2026-11-23 09:00 UTC, in milliseconds: inside the bundle's business hours.
const START_MS: i64 = 1_795_424_400_000;

/// Time between two screen changes: longer than the longest dwell (59 s).
const STEP_MS: i64 = 120_000;

/// One benchmarked routine: its name and one screen change (returns a count, to be kept).
type Routine<'a> = (&'static str, Box<dyn FnMut() -> usize + 'a>);

/// The pages in turn, one per call.
fn alternate() -> impl FnMut() -> &'static RawContext {
    let mut page = 0;
    move || {
        page ^= 1;
        &PAGES[page]
    }
}

/// Screen changes per visit in the `limits_off` / `limits_on` routines.
const SCREENS_PER_VISIT: u32 = 500;

/// Every routine, over `bundle` (and `limited`, the same bundle with channel limits); each
/// alternates between the two [`PAGES`].
fn routines<'a>(bundle: &'a Arc<Bundle>, limited: &'a Arc<Bundle>) -> Vec<Routine<'a>> {
    let messages = bundle.messages().len();
    let mut out: Vec<Routine<'_>> = Vec::new();
    {
        let mut next_page = alternate();
        let mut c = NativeContext::default();
        out.push((
            "native_setters",
            Box::new(move || {
                c.set(black_box(next_page()));
                black_box(&c).url.len()
            }),
        ));
    }
    {
        let mut next_page = alternate();
        let mut ctx = Context::new();
        out.push((
            "setters",
            Box::new(move || {
                let raw = black_box(next_page());
                set_context(&mut ctx, raw.url, raw.title, raw.language, raw.returning);
                black_box(&ctx).url().len()
            }),
        ));
    }
    {
        let mut next_page = alternate();
        let mut ctx = screen_context();
        out.push((
            "bare_eval",
            Box::new(move || {
                let raw = black_box(next_page());
                ctx.set_url(raw.url);
                ctx.set_title(raw.title);
                (0..messages).filter(|&m| bundle.eval(m, &ctx)).count()
            }),
        ));
    }
    {
        let mut next_page = alternate();
        let mut ctx = screen_context();
        out.push((
            "bare_screen",
            Box::new(move || {
                let raw = black_box(next_page());
                ctx.set_url(raw.url);
                ctx.set_title(raw.title);
                let mut evaluation = bundle.evaluation(&ctx);
                (0..messages).filter(|&m| evaluation.eval(m)).count()
            }),
        ));
    }
    out.push(("engine", engine_routine(bundle, false, None)));
    out.push(("engine_drain", engine_routine(bundle, true, None)));
    let visit = Some(SCREENS_PER_VISIT);
    out.push(("limits_off", engine_routine(bundle, true, visit)));
    out.push(("limits_on", engine_routine(limited, true, visit)));
    out
}

/// The SDK's screen change through an engine in a visit that has begun; deliveries are taken
/// with `take_deliveries` or, when `drain`, with `drain_deliveries` (as the C ABI does). With
/// `visit_length`, every that many calls the visit ends and a new one begins first.
fn engine_routine(
    bundle: &Arc<Bundle>,
    drain: bool,
    visit_length: Option<u32>,
) -> Box<dyn FnMut() -> usize> {
    let mut next_page = alternate();
    let mut engine = Engine::new(Arc::clone(bundle), "Acme iOS").expect("the channel exists");
    engine.set_language(PAGES[0].language);
    let launch = Event::AppLaunch {
        returning: Some(PAGES[0].returning),
    };
    engine.handle(START_MS, launch);
    let mut now = START_MS;
    let mut screens = 0;
    Box::new(move || {
        let raw = black_box(next_page());
        now += STEP_MS;
        screens += 1;
        if visit_length.is_some_and(|length| screens % length == 0) {
            engine.handle(now, Event::AppQuit);
            engine.handle(now, launch);
        }
        engine.handle(
            now,
            Event::ScreenOpen {
                url: raw.url,
                title: raw.title,
            },
        );
        let checked = now + STEP_MS / 2;
        engine.advance_to(checked);
        // A delivered message blocks the others until dismissed: the last one is displayed.
        let (delivered, shown) = if drain {
            let mut deliveries = engine.drain_deliveries();
            (deliveries.len(), deliveries.next_back())
        } else {
            let deliveries = engine.take_deliveries();
            (deliveries.len(), deliveries.last().copied())
        };
        if let Some(shown) = shown {
            engine.handle(
                checked,
                Event::MessageDismissed {
                    message: shown.message,
                },
            );
        }
        delivered
    })
}

/// The context a screen change starts from: the language and visit set once, as the engine
/// sets them.
fn screen_context() -> Context {
    let mut ctx = Context::new();
    ctx.set_language(PAGES[0].language);
    ctx.set_returning(PAGES[0].returning);
    ctx
}

/// Checks that the engine delivers what the bare evaluation says holds: on each page, some
/// message holds, and the engine's first screen change delivers one of them.
fn check_answers(bundle: &Arc<Bundle>) {
    for raw in &PAGES {
        let mut ctx = screen_context();
        ctx.set_url(raw.url);
        ctx.set_title(raw.title);
        let mut evaluation = bundle.evaluation(&ctx);
        let holding: Vec<usize> = (0..bundle.messages().len())
            .filter(|&m| bundle.eval(m, &ctx))
            .collect();
        for m in 0..bundle.messages().len() {
            assert_eq!(evaluation.eval(m), holding.contains(&m), "message {m}");
        }
        assert!(
            !holding.is_empty() && holding.len() < bundle.messages().len(),
            "{}",
            raw.name
        );
        let mut engine = Engine::new(Arc::clone(bundle), "Acme iOS").expect("the channel exists");
        engine.set_language(raw.language);
        engine.handle(
            START_MS,
            Event::AppLaunch {
                returning: Some(raw.returning),
            },
        );
        engine.handle(
            START_MS,
            Event::ScreenOpen {
                url: raw.url,
                title: raw.title,
            },
        );
        engine.advance_to(START_MS + STEP_MS);
        let delivered = engine.take_deliveries();
        assert!(
            delivered.iter().all(|d| holding.contains(&d.message)) && !delivered.is_empty(),
            "{}: delivered {delivered:?}",
            raw.name
        );
        println!(
            "page {}: {} of {} messages hold; the engine delivered {:?}",
            raw.name,
            holding.len(),
            bundle.messages().len(),
            delivered.iter().map(|d| d.message).collect::<Vec<_>>()
        );
    }
}

/// Checks that the limits of `limited` change no delivery of the `limits_on` routine: over
/// three visits, it delivers what `limits_off` delivers.
fn check_limits_change_nothing(bundle: &Arc<Bundle>, limited: &Arc<Bundle>) {
    let visit = Some(SCREENS_PER_VISIT);
    let mut off = engine_routine(bundle, true, visit);
    let mut on = engine_routine(limited, true, visit);
    let calls = 3 * SCREENS_PER_VISIT;
    let mut delivered = 0;
    for call in 0..calls {
        let expected = off();
        assert_eq!(on(), expected, "deliveries of screen change {call}");
        delivered += expected;
    }
    assert!(delivered > 0, "the routine delivers");
    println!("limits: {calls} screen changes, {delivered} deliveries with and without limits");
}

/// Allocations per call of `f`, over `n` calls after a warm-up.
fn allocs_per(n: u64, mut f: impl FnMut() -> usize) -> f64 {
    for _ in 0..16 {
        black_box(f());
    }
    let before = ALLOC.count();
    for _ in 0..n {
        black_box(f());
    }
    (ALLOC.count() - before) as f64 / n as f64
}

/// `PM_BENCH_PROFILE=<routine>`: runs one routine `PM_BENCH_ITERS` times (default 100,000)
/// and exits, for callgrind.
fn profile(name: &str, bundle: &Arc<Bundle>, limited: &Arc<Bundle>) {
    let iters: u64 = std::env::var("PM_BENCH_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let mut list = routines(bundle, limited);
    let (_, f) = list
        .iter_mut()
        .find(|(routine, _)| *routine == name)
        .unwrap_or_else(|| panic!("no routine {name:?}"));
    let mut total = 0;
    for _ in 0..iters {
        total += f();
    }
    println!("{name}: {iters} iterations, {total} counted");
}

fn main() {
    let bytes = pm_benches::compile(&pm_benches::bundle_140());
    let bundle = Arc::new(Bundle::load(&bytes).expect("the compiled bundle loads"));
    assert_eq!(bundle.messages().len(), BUNDLE_MESSAGES);
    let limited_bytes = pm_benches::compile_with_account(
        &pm_benches::account_toml_with_limits(),
        &pm_benches::bundle_140(),
    );
    let limited = Arc::new(Bundle::load(&limited_bytes).expect("the compiled bundle loads"));
    if let Ok(name) = std::env::var("PM_BENCH_PROFILE") {
        profile(&name, &bundle, &limited);
        return;
    }
    check_answers(&bundle);
    check_limits_change_nothing(&bundle, &limited);
    let mut c = Criterion::default()
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2))
        .sample_size(50)
        .configure_from_args();
    let group_name = "screen_change140";
    let mut group = c.benchmark_group(group_name);
    let mut allocs = Vec::new();
    for (name, mut f) in routines(&bundle, &limited) {
        group.bench_function(name, |b| b.iter(&mut f));
        allocs.push((name, allocs_per(2_000, &mut f)));
    }
    group.finish();
    c.final_summary();
    println!(
        "\n== summary: median ns (machine-dependent), ratios, allocations per screen change =="
    );
    let median = |name: &str| pm_benches::criterion_median_ns(group_name, name);
    let fmt = |x: Option<f64>| x.map_or_else(|| "-".into(), |v| format!("{v:.2}"));
    println!(
        "  {:<16} {:>10} {:>14} {:>14} {:>8}",
        "routine", "median ns", "÷ bare_eval", "÷ native_set", "allocs"
    );
    for (name, a) in allocs {
        let m = median(name);
        println!(
            "  {:<16} {:>10} {:>14} {:>14} {:>8.2}",
            name,
            m.map_or_else(|| "-".into(), |v| format!("{v:.1}")),
            fmt(m.zip(median("bare_eval")).map(|(a, b)| a / b)),
            fmt(m.zip(median("native_setters")).map(|(a, b)| a / b)),
            a
        );
    }
}
