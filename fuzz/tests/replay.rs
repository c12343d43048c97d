//! Replays the seeds and every saved crashing input (`regressions/<target>/`) through the same
//! functions the fuzz targets call, as ordinary tests: `cargo test` in `fuzz/` (stable).

use std::path::Path;

use arbitrary::{Arbitrary, Unstructured};

fn inputs(kind: &str, target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(kind).join(target);
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

#[test]
fn check() {
    replay("check", |data| {
        if let Ok(text) = std::str::from_utf8(data) {
            pm_fuzz::check_source(text);
        }
    });
}

#[test]
fn fmt_roundtrip() {
    replay("fmt_roundtrip", |data| {
        if let Ok(text) = std::str::from_utf8(data) {
            pm_fuzz::format_round_trip(text);
        }
    });
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
fn engine() {
    replay("engine", |data| {
        if let Ok(input) = pm_fuzz::EngineInput::arbitrary_take_rest(Unstructured::new(data)) {
            pm_fuzz::run_engine(&input);
        }
    });
}
