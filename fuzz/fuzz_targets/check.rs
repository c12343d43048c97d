//! Target (a): source text through the whole front end (`pmc::analysis::analyze`), the
//! formatter and, when the text checks, code generation and the VM's loader.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Text, or a program of `pm_fuzz::adversarial` (a first byte of 0xFF).
    if let Some(text) = pm_fuzz::adversarial::text_of(data) {
        pm_fuzz::check_source(&text);
    }
});
