//! The C ABI end to end: a C program compiled with gcc against `include/pm_vm.h` and the
//! static library runs on the bundle built from `examples/acme`; and the header declares every
//! `extern "C"` function of `src/ffi.rs`.

use std::path::{Path, PathBuf};
use std::process::Command;

const CRATE: &str = env!("CARGO_MANIFEST_DIR");

/// The bundle `pmc build examples/acme` produces; a compiler test keeps it current.
fn bundle() -> Vec<u8> {
    std::fs::read(Path::new(CRATE).join("tests/fixtures/acme.pmb")).unwrap()
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

#[test]
fn a_c_program_loads_a_bundle_and_gets_a_delivery() {
    let dir = std::env::temp_dir().join(format!("pm_vm_c_abi_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bundle_path = dir.join("acme.pmb");
    std::fs::write(&bundle_path, bundle()).unwrap();
    let exe = dir.join("smoke");
    let compiled = Command::new("gcc")
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-o"])
        .arg(&exe)
        .arg("-I")
        .arg(Path::new(CRATE).join("include"))
        .arg(Path::new(CRATE).join("tests/c/smoke.c"))
        .arg(static_library())
        .args(["-lpthread", "-ldl", "-lm"])
        .output()
        .unwrap();
    assert!(
        compiled.status.success(),
        "gcc failed:\n{}",
        String::from_utf8_lossy(&compiled.stderr)
    );
    let run = Command::new(&exe)
        .arg(&bundle_path)
        .args(["Acme iOS", "https://acme.com/Pricing", "Pricing help"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "the C program failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        stdout.contains("delivered Pricing help at +31s"),
        "{stdout}"
    );
    assert!(
        stdout.contains("rejected channel: the bundle has no channel named \"No such channel\"")
    );
    assert!(stdout.ends_with("ok\n"), "{stdout}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_header_declares_every_exported_function() {
    let ffi = std::fs::read_to_string(Path::new(CRATE).join("src/ffi.rs")).unwrap();
    let header = std::fs::read_to_string(Path::new(CRATE).join("include/pm_vm.h")).unwrap();
    let exported: Vec<&str> = ffi
        .split("extern \"C\" fn ")
        .skip(1)
        .map(|rest| rest.split('(').next().unwrap().trim())
        .collect();
    assert!(exported.len() >= 20, "{exported:?}");
    for name in &exported {
        assert!(
            header.contains(&format!(" {name}(")),
            "{name} is missing from pm_vm.h"
        );
    }
    // And the header declares nothing the library lacks.
    let declared = header
        .lines()
        .filter_map(|line| line.split_once(" pm_").map(|(_, rest)| rest))
        .filter_map(|rest| rest.split_once('(').map(|(name, _)| format!("pm_{name}")))
        .filter(|name| !name.contains(' '));
    for name in declared {
        assert!(
            exported.contains(&name.as_str()),
            "{name} is not exported by ffi.rs"
        );
    }
}
