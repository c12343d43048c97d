//! Target (e): arbitrary bytes restored as device state (version 1 or 2) into an engine whose
//! channel has every limit: refused without a change to the engine, or accepted and then
//! saved to bytes that restore to themselves.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pm_fuzz::restore_state_bytes(data);
});
