//! The native baseline of `bench/eval.mjs`: the same `Bundle::eval` loop as the module's
//! benchmark-only `evalRepeat`, on the same bundle and contexts, compiled for this machine,
//! so that `bench/run.sh` reports the JS binding against the Rust call measured in the same
//! session. Prints the median nanoseconds per evaluation.
//!
//! Usage: `cargo run --release -p pm-vm-wasm --example native_eval -- PRICING.pmb`

use std::hint::black_box;
use std::time::Instant;

use pm_vm::{Bundle, Context};

/// The same sampling as `bench/eval.mjs`.
const SAMPLES: usize = 31;
const CALLS: u32 = 200_000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: native_eval PRICING.pmb")?;
    let bundle = Bundle::load(&std::fs::read(path)?)?;
    // The contexts of benches/src/lib.rs and bench/eval.mjs.
    let contexts = [
        (
            "holds",
            "https://Acme.com/Pricing/Team?ref=Plans",
            "Team Plans — Acme",
            "fr_FR",
            true,
        ),
        (
            "fails_early",
            "https://acme.com/blog/post-42",
            "Acme Blog",
            "en-US",
            false,
        ),
    ];
    println!("| context | native Rust, ns per call |");
    println!("|---|---|");
    for (name, url, title, language, holds) in contexts {
        let mut ctx = Context::new();
        ctx.set_url(url);
        ctx.set_title(title);
        ctx.set_language(language);
        ctx.set_returning(holds);
        let run = || {
            (0..CALLS)
                .filter(|_| bundle.eval(0, black_box(&ctx)))
                .count() as u32
        };
        for _ in 0..5 {
            run();
        }
        let mut samples = Vec::with_capacity(SAMPLES);
        for _ in 0..SAMPLES {
            let start = Instant::now();
            let trues = run();
            let elapsed = start.elapsed();
            let want = if holds { CALLS } else { 0 };
            if trues != want {
                return Err(format!("wrong answers: {trues} of {CALLS} true").into());
            }
            samples.push(elapsed.as_nanos() as f64 / f64::from(CALLS));
        }
        samples.sort_by(f64::total_cmp);
        println!("| {name} | {:.1} |", samples[SAMPLES / 2]);
    }
    Ok(())
}
