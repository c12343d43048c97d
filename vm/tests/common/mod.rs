//! Shared by the tests that build C programs against `include/pm_vm.h` and the static library
//! cargo built for this test run.

// Each test binary uses part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The `vm/` directory.
pub const CRATE: &str = env!("CARGO_MANIFEST_DIR");

/// A fixture bundle of `tests/fixtures/` (built by `pmc`; a compiler test keeps them current).
pub fn fixture(name: &str) -> PathBuf {
    Path::new(CRATE).join("tests/fixtures").join(name)
}

/// A fresh, empty scratch directory for one test.
pub fn scratch_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pm_vm_{test}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The static library cargo built with this test binary: in its directory
/// (`target/<profile>/deps/`, where `cargo test` leaves it) or the one above.
fn static_library() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let deps = exe.parent().unwrap();
    [deps, deps.parent().unwrap()]
        .iter()
        .map(|dir| dir.join("libpm_vm.a"))
        .find(|lib| lib.exists())
        .unwrap_or_else(|| panic!("libpm_vm.a was not built next to {}", exe.display()))
}

/// Compiles `sources` (paths relative to `vm/`) with gcc as strict C11 against the header and
/// links the static library into `exe`; fails the test with gcc's output otherwise.
pub fn build_c_program(sources: &[&str], exe: &Path) {
    let compiled = Command::new("gcc")
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-o"])
        .arg(exe)
        .arg("-I")
        .arg(Path::new(CRATE).join("include"))
        .args(sources.iter().map(|source| Path::new(CRATE).join(source)))
        .arg(static_library())
        .args(["-lpthread", "-ldl", "-lm"])
        .output()
        .expect("gcc runs");
    assert!(
        compiled.status.success(),
        "gcc failed on {sources:?}:\n{}",
        String::from_utf8_lossy(&compiled.stderr)
    );
}
