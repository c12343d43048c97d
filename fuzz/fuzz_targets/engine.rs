//! Target (c): structured, valid bundles built with the writer, then their code bytes mutated,
//! then random event sequences through the engine.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: pm_fuzz::EngineInput| {
    pm_fuzz::run_engine(&input);
});
