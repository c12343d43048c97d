//! iOS: Swift and Objective-C import the C interface as the Clang module `PmVm`
//! (`include/module.modulemap`). Clang compiles an Objective-C file that does
//! `@import PmVm;` and uses the header's declarations; without the module map the same file
//! does not compile, so the check is the module map's.
//!
//! Needs `clang` (Debian's `clang` package); without it the test is skipped with a printed
//! reason, except in CI (`CI` set), where it fails.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{CRATE, scratch_dir};

/// `clang -fmodules -fsyntax-only` on `tests/c/module_import.m` with `include` as the only
/// include directory.
fn check_import(include: &Path, cache: &Path) -> Output {
    Command::new("clang")
        .args(["-fmodules", "-fsyntax-only", "-Wall", "-Wextra", "-Werror"])
        .arg(format!("-fmodules-cache-path={}", cache.display()))
        .arg("-I")
        .arg(include)
        .args(["-x", "objective-c"])
        .arg(Path::new(CRATE).join("tests/c/module_import.m"))
        .output()
        .expect("clang runs")
}

fn clang_available() -> bool {
    let found = Command::new("clang")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "`clang` is required in CI but was not found"
        );
        println!("SKIPPED: `clang` is not installed, so the module map was not checked");
    }
    found
}

#[test]
fn objective_c_imports_the_vm_as_a_clang_module() {
    if !clang_available() {
        return;
    }
    let dir = scratch_dir("module_map");
    let imported = check_import(&Path::new(CRATE).join("include"), &dir.join("cache"));
    assert!(
        imported.status.success(),
        "@import PmVm failed:\n{}",
        String::from_utf8_lossy(&imported.stderr)
    );

    // The header alone, without the module map: the import is not found.
    let bare = dir.join("bare");
    std::fs::create_dir_all(&bare).unwrap();
    std::fs::copy(
        Path::new(CRATE).join("include/pm_vm.h"),
        bare.join("pm_vm.h"),
    )
    .unwrap();
    let without = check_import(&bare, &dir.join("cache-bare"));
    assert!(!without.status.success());
    assert!(
        String::from_utf8_lossy(&without.stderr).contains("module 'PmVm' not found"),
        "{}",
        String::from_utf8_lossy(&without.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
