//! Allocation accounting with a counting global allocator: evaluating conditions and a screen
//! change through the engine allocate nothing, and a hostile bundle is rejected with bounded
//! memory.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;

use pm_vm::format::{ChannelLimits, Encoding, Frequency, SendMode, Status};
use pm_vm::testkit::{Cond, Msg, build, build_limited, msg, reseal, sample, sample_stored};
use pm_vm::{Bundle, Context, Engine, Event, LoadError};

/// Counts this thread's allocations and live bytes (tests run on their own threads).
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn record(allocations: usize, bytes: isize) {
    let _ = ALLOCATIONS.try_with(|a| a.set(a.get() + allocations));
    let _ = LIVE.try_with(|live| {
        live.set(live.get() + bytes);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
    });
}

// SAFETY: forwards to the system allocator; the bookkeeping neither allocates nor unwinds.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record(1, layout.size() as isize);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record(1, layout.size() as isize);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        record(0, -(layout.size() as isize));
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record(1, new_size as isize - layout.size() as isize);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

#[test]
fn condition_evaluation_allocates_nothing() {
    // The sample's conditions use every opcode, with short-circuit jumps.
    let bundle = Bundle::load(&sample()).unwrap();
    let mut ctx = Context::new();
    ctx.set_language("fr_FR");
    ctx.set_returning(true);
    let pages = [
        ("https://acme.com/PRICING/enterprise", "Plans and pricing"),
        ("https://acme.com/pricing", "Checkout"),
        ("https://acme.com/", "Home"),
    ];
    // Warm up the context's buffers with the longest values.
    ctx.set_url(pages[0].0);
    ctx.set_title(pages[0].1);
    let mut results = Vec::with_capacity(1024);

    let before = allocations();
    let mut trues = 0;
    for _ in 0..100 {
        for (url, title) in pages {
            // Building the context (case folding, `_` in the language tag) reuses its buffers.
            ctx.set_language("fr_FR");
            ctx.set_url(url);
            ctx.set_title(title);
            // A screen change: every message against the new context, shared tests run once.
            let mut evaluation = bundle.evaluation(&ctx);
            for m in 0..bundle.messages().len() {
                let value = black_box(bundle.eval(black_box(m), &ctx));
                let explained = black_box(bundle.explain(m, &ctx));
                assert_eq!(explained.result, value);
                assert_eq!(black_box(evaluation.eval(m)), value);
                assert_eq!(black_box(evaluation.explain(m)), explained);
                trues += usize::from(value);
            }
        }
    }
    let after = allocations();
    results.push(trues);
    assert_eq!(
        after - before,
        0,
        "evaluation allocated {} times",
        after - before
    );
    // Both outcomes occurred, so the loop exercised real work.
    assert!(trues > 0 && trues < 100 * pages.len() * bundle.messages().len());
}

/// An engine over messages of every kind a screen change checks: several dwells (so several
/// checks per screen), shared tests, every frequency rule, business hours, a paused message.
fn screen_engine() -> Engine {
    let needles = |list: &[&str]| list.iter().map(|&n| n.to_owned()).collect::<Vec<_>>();
    let bundle = build(&[
        Msg {
            cond: Cond::And(
                Box::new(Cond::UrlHasAny(needles(&["pricing", "plans"]))),
                Box::new(Cond::Returning),
            ),
            dwell_ms: 30_000,
            frequency: Frequency::OncePerVisit,
            send: SendMode::During(0),
            priority: 9,
            ..msg("Pricing help")
        },
        Msg {
            cond: Cond::TitleHasAny(needles(&["acme", "team"])),
            dwell_ms: 10_000,
            priority: 1,
            ..msg("Any Acme page")
        },
        Msg {
            cond: Cond::And(
                Box::new(Cond::LangIs("fr".into())),
                Box::new(Cond::TitleHasAny(needles(&["team"]))),
            ),
            dwell_ms: 10_000,
            ..msg("French team")
        },
        Msg {
            cond: Cond::Returning,
            dwell_ms: 5_000,
            frequency: Frequency::OncePerDevice,
            priority: 5,
            ..msg("Welcome back")
        },
        Msg {
            cond: Cond::UrlHasAny(needles(&["pricing"])),
            status: Status::Paused,
            ..msg("Paused")
        },
        Msg {
            cond: Cond::Or(
                Box::new(Cond::UrlIs("https://acme.com/".into())),
                Box::new(Cond::Not(Box::new(Cond::TitleIs("home".into())))),
            ),
            dwell_ms: 20_000,
            send: SendMode::Outside(0),
            ..msg("After hours")
        },
    ]);
    let mut engine = Engine::new(bundle, "iOS").unwrap();
    engine.set_language("fr_FR");
    engine
}

/// Monday 2026-11-23 09:00 UTC (10:00 in Paris, inside the schedule's hours).
const MONDAY_MS: i64 = 1_795_424_400_000;

/// The pages screen changes alternate between.
const PAGES: [(&str, &str); 2] = [
    (
        "https://Acme.com/Pricing/Team?ref=Plans",
        "Team Plans — Acme",
    ),
    ("https://acme.com/blog/post-42", "Acme Blog"),
];

#[test]
fn a_screen_change_through_the_engine_allocates_nothing_once_warm() {
    let mut engine = screen_engine();
    engine.handle(
        MONDAY_MS,
        Event::AppLaunch {
            returning: Some(true),
        },
    );
    // One screen change as an SDK makes it: the event, the checks once every dwell is over,
    // the deliveries, and the customer dismissing what was shown.
    let screen_change = |engine: &mut Engine, i: i64| {
        let now = MONDAY_MS + 60_000 * (i + 1);
        let (url, title) = PAGES[(i % 2) as usize];
        engine.handle(now, Event::ScreenOpen { url, title });
        engine.advance_to(now + 30_000);
        let (delivered, shown) = {
            let mut deliveries = engine.drain_deliveries();
            (deliveries.len(), deliveries.next_back())
        };
        // A delivered message blocks the others until dismissed: the last one is displayed.
        if let Some(shown) = shown {
            engine.handle(
                now + 30_000,
                Event::MessageDismissed {
                    message: shown.message,
                },
            );
        }
        delivered
    };
    // Warm-up: the first screens store the once-per-device name and size the buffers.
    for i in 0..4 {
        screen_change(&mut engine, i);
    }
    let before = allocations();
    let delivered: usize = (4..104).map(|i| screen_change(&mut engine, i)).sum();
    let after = allocations();
    assert_eq!(
        after - before,
        0,
        "100 screen changes allocated {} times",
        after - before
    );
    // Every screen delivered a message, so every check ran to the end.
    assert_eq!(delivered, 100);

    // While a message is displayed nothing more is delivered, and `take_deliveries` returns
    // an empty vector, which does not allocate either.
    let before = allocations();
    let mut taken = 0;
    for i in 104..204 {
        let now = MONDAY_MS + 60_000 * (i + 1);
        let (url, title) = PAGES[(i % 2) as usize];
        engine.handle(now, Event::ScreenOpen { url, title });
        engine.advance_to(now + 30_000);
        taken += black_box(engine.take_deliveries()).len();
    }
    let after = allocations();
    // The first of these screens delivers, into the buffer the engine kept (handed over by
    // `take_deliveries`); that message then stays displayed.
    assert_eq!(taken, 1);
    assert_eq!(
        after - before,
        0,
        "100 screen changes allocated {} times",
        after - before
    );
}

#[test]
fn channel_limits_and_suppression_allocate_nothing_once_warm() {
    // Every limit in play: the ring of `max_per_day` instants fills during the warm-up and is
    // then rotated; every reason (each limit, suppression) occurs in the measured loop.
    let limits = ChannelLimits {
        min_interval_s: Some(40),
        max_per_visit: Some(3),
        max_per_day: Some(5),
    };
    let tip = Msg {
        frequency: Frequency::EveryTime,
        dwell_ms: 1_000,
        ..msg("Tip")
    };
    let mut engine = Engine::new(build_limited(&[tip], limits), "iOS").unwrap();
    // A visit of four screens every six hours, a screen every 30 s; every third screen is
    // suppressed. Returns whether the screen delivered.
    let step = |engine: &mut Engine, i: i64| {
        let now = MONDAY_MS + (i / 4) * 6 * 3_600_000 + (i % 4) * 30_000;
        if i % 4 == 0 {
            engine.handle(now, Event::AppLaunch { returning: None });
        }
        engine.set_suppressed(now, i % 3 == 0);
        engine.handle(
            now,
            Event::ScreenOpen {
                url: "/",
                title: "",
            },
        );
        engine.advance_to(now + 1_000);
        let delivered = engine.drain_deliveries().count();
        engine.handle(now + 1_001, Event::MessageDismissed { message: 0 });
        delivered
    };
    for i in 0..40 {
        step(&mut engine, i);
    }
    let before = allocations();
    let delivered: usize = (40..240).map(|i| step(&mut engine, i)).sum();
    let after = allocations();
    assert_eq!(
        after - before,
        0,
        "200 screens under limits allocated {} times",
        after - before
    );
    // Some screens delivered, and the limits and suppression kept others from it.
    assert!(delivered > 0 && delivered < 200, "{delivered} deliveries");
}

/// Loads `good` with the `u32` at `at` replaced by `value` (checksum re-sealed), asserts that
/// loading never had 4 KiB live at once, and returns the result.
fn load_patched(good: &[u8], at: usize, value: u32) -> Result<Bundle, LoadError> {
    let mut bytes = good.to_vec();
    bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
    reseal(&mut bytes);
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let result = Bundle::load(&bytes);
    let peak = PEAK.with(Cell::get) - base;
    assert!(peak < 4096, "loading used {peak} bytes at its peak");
    result
}

/// Offset of the decoded length in section table entry `i` (`FORMAT.md`: 15-byte entries after
/// the 16-byte header and the `u16` count; the decoded length at 11).
fn decoded_len_field(i: usize) -> usize {
    16 + 2 + i * 15 + 11
}

#[test]
fn a_bundle_claiming_huge_counts_is_rejected_with_bounded_memory() {
    let good = sample_stored();
    // The string table is the first section; it starts with its `u32` count.
    let at = Bundle::load(&good).unwrap().sections()[0].offset as usize;
    for claimed in [u32::MAX, 65_535] {
        let result = load_patched(&good, at, claimed);
        assert!(
            matches!(
                result,
                Err(LoadError::Limit { .. } | LoadError::Truncated { .. })
            ),
            "{result:?}"
        );
        if claimed == u32::MAX {
            assert_eq!(
                result.unwrap_err().to_string(),
                "too many strings: 4294967295 (the limit is 65535)"
            );
        }
    }
}

#[test]
fn a_deflated_section_claiming_a_huge_decoded_length_is_rejected_before_allocating() {
    let good = sample();
    let sections = Bundle::load(&good).unwrap().sections().to_vec();
    let deflated = sections
        .iter()
        .position(|s| s.encoding == Encoding::Deflate)
        .expect("the writer deflates some section of this bundle");
    let stored_len = sections[deflated].stored_len;
    // The writer's table lists exactly these sections, in this order.
    // More than deflate can produce from the stored bytes, then more than the 8 MiB limit.
    for claimed in [stored_len * 1032 + 1, 8 * 1024 * 1024 + 1] {
        let result = load_patched(&good, decoded_len_field(deflated), claimed);
        assert!(
            matches!(
                result,
                Err(LoadError::SectionTable { .. } | LoadError::Limit { .. })
            ),
            "{result:?}"
        );
    }
}
