//! Target (b): arbitrary bytes through the bundle loader and verifier; whatever loads is
//! evaluated, explained, disassembled and run by an engine on every channel.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pm_fuzz::load_bytes(data);
});
