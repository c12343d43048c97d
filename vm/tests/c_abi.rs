//! The C ABI end to end: a C program compiled with gcc against `include/pm_vm.h` and the
//! static library runs on the bundle built from `examples/acme` (events, deadlines, the
//! delivery and its content, state); and the header declares every `extern "C"` function of
//! `src/ffi.rs`.

mod common;

use std::path::Path;
use std::process::Command;

use common::{CRATE, build_c_program, fixture, scratch_dir};

#[test]
fn a_c_program_loads_a_bundle_and_gets_a_delivery() {
    let dir = scratch_dir("c_abi");
    let exe = dir.join("smoke");
    build_c_program(&["tests/c/smoke.c"], &exe);
    let run = Command::new(&exe)
        .arg(fixture("acme.pmb"))
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
    assert!(
        stdout.contains(r#"content: {"name":"Pricing help","brand":"Acme","#),
        "{stdout}"
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
