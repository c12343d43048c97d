//! Replays the seeds and every saved crashing input (`regressions/<target>/`) through the same
//! functions the fuzz targets call, as ordinary tests: `cargo test` in `fuzz/` (stable).

use std::path::Path;

use arbitrary::{Arbitrary, Unstructured};

fn inputs(kind: &str, target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(kind)
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    entries
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect()
}

fn replay(target: &str, run: impl Fn(&[u8])) {
    for kind in ["seeds", "regressions"] {
        for input in inputs(kind, target) {
            run(&input);
        }
    }
}

/// Every `.pm` file under `examples/`: the source targets' seeds, read in place.
fn example_sources() -> Vec<Vec<u8>> {
    fn walk(dir: &Path, out: &mut Vec<Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "pm") {
                out.push(std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples"),
        &mut out,
    );
    assert!(out.len() > 40, "the examples were not found");
    out
}

/// Replays the seeds, the regressions and the examples through a source target (reading
/// generator programs as the targets do).
fn replay_sources(target: &str, run: impl Fn(&str)) {
    let run_text = |data: &[u8]| {
        if let Some(text) = pm_fuzz::adversarial::text_of(data) {
            run(&text);
        }
    };
    replay(target, run_text);
    example_sources().iter().for_each(|data| run_text(data));
}

#[test]
fn check() {
    replay_sources("check", pm_fuzz::check_source);
}

#[test]
fn fmt_roundtrip() {
    replay_sources("fmt_roundtrip", pm_fuzz::format_round_trip);
}

#[test]
fn load() {
    replay("load", pm_fuzz::load_bytes);
    // The signed seed really is signed by the key the target trusts.
    let signed = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/load/acme-signed-fuzz-key.pmb"),
    )
    .unwrap();
    pm_vm::Bundle::load_verified(&signed, &[pm_fuzz::fuzz_key().1]).unwrap();
}

#[test]
fn state_seeds_and_regressions() {
    replay("state", pm_fuzz::restore_state_bytes);
}

#[test]
fn engine() {
    replay("engine", |data| {
        if let Ok(input) = pm_fuzz::EngineInput::arbitrary_take_rest(Unstructured::new(data)) {
            pm_fuzz::run_engine(&input);
        }
    });
}
