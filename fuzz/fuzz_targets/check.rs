//! Target (a): source text through the whole front end (`pmc::analysis::analyze`), the
//! formatter and, when the text checks, code generation and the VM's loader.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        pm_fuzz::check_source(text);
    }
});
