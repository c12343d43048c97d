//! Target (d): the formatter's round trip: format, parse again, format again.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Text, or a program of `pm_fuzz::adversarial` (a first byte of 0xFF).
    if let Some(text) = pm_fuzz::adversarial::text_of(data) {
        pm_fuzz::format_round_trip(&text);
    }
});
