//! Target (d): the formatter's round trip: format, parse again, format again.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        pm_fuzz::format_round_trip(text);
    }
});
