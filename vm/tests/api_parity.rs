//! The C ABI keeps up with the Rust API (SPEC §6: what an SDK needs is in both): every public
//! method of `Engine` and `Bundle` and every `Event` variant has a C counterpart exported by
//! `src/ffi.rs`, or is listed in [`NOT_IN_C`] with the reason C does not need it; and every
//! exported C function stands for some Rust API or is listed in [`C_ONLY`].
//!
//! The Rust side is read from the sources with `syn` (every `impl Engine` / `impl Bundle`
//! block in any file under `src/`, so moving methods between modules changes nothing). A
//! method `Engine::foo` (or an event variant `Foo` / `FooBar`) is matched by `pm_engine_foo`
//! (`pm_engine_foo_bar`) and `Bundle::foo` by `pm_bundle_foo` unless [`C_COUNTERPARTS`] names
//! other functions. So a new engine method fails this test until its C function exists.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use syn::{ImplItem, Item, Type, Visibility};

/// Rust API items whose C counterparts are not named by the convention.
const C_COUNTERPARTS: &[(&str, &[&str])] = &[
    // Events are fed by one C function per variant (checked from `Event` below).
    ("Engine::handle", &[]),
    // C drains deliveries one at a time into a caller-owned struct.
    ("Engine::take_deliveries", &["pm_engine_next_delivery"]),
    ("Engine::drain_deliveries", &["pm_engine_next_delivery"]),
    // A message list in C is its length and, per index, its name and content.
    (
        "Bundle::messages",
        &["pm_bundle_message_count", "pm_engine_message_name"],
    ),
    // C receives content as the JSON of SPEC §6, not as borrowed Rust structs.
    ("Bundle::message_content", &["pm_bundle_message_json"]),
    // C has no optional integer: setting and unsetting the build are two functions (SPEC §6).
    (
        "Engine::set_app_build",
        &["pm_engine_set_app_build", "pm_engine_clear_app_build"],
    ),
];

/// Rust API items C does not offer, each with the reason.
const NOT_IN_C: &[(&str, &str)] = &[
    (
        "Bundle::automata",
        "the patterns' automata serve the disassembler and `pmc diff`; an SDK evaluates them",
    ),
    (
        "Engine::bundle",
        "C callers hold the PmBundle they created the engine from",
    ),
    (
        "Engine::channel",
        "C callers named the channel in pm_engine_new",
    ),
    (
        "Engine::set_explain",
        "explain reports serve `pmc simulate --explain` and rule tests; an SDK shows deliveries",
    ),
    (
        "Engine::take_reports",
        "explain reports serve `pmc simulate --explain` and rule tests; an SDK shows deliveries",
    ),
    (
        "Engine::displayed",
        "introspection for tests: the host knows what it displays, it reports opened/dismissed",
    ),
    (
        "Engine::in_visit",
        "introspection for tests: the host reports app_launch and app_quit itself",
    ),
    (
        "Engine::in_conversation",
        "introspection for tests: the host reports conversation_started/ended itself",
    ),
    (
        "Engine::suppressed",
        "introspection for tests: the host sets suppression itself",
    ),
    (
        "Bundle::version",
        "format inspection for `pmc disasm`; a host only loads or refuses",
    ),
    (
        "Bundle::byte_len",
        "format inspection for `pmc disasm`; the host has the bytes it loaded",
    ),
    (
        "Bundle::sections",
        "format inspection for `pmc disasm`; a host only loads or refuses",
    ),
    (
        "Bundle::checksum",
        "format inspection for `pmc disasm`; the loader checks it",
    ),
    (
        "Bundle::str",
        "string-table access by id; C gets strings through pm_engine_message_name and the JSON",
    ),
    (
        "Bundle::string_count",
        "string-table inspection for `pmc disasm` and tests",
    ),
    (
        "Bundle::string_set_count",
        "string-table inspection for `pmc disasm` and tests",
    ),
    (
        "Bundle::string_set",
        "string-table inspection for `pmc disasm` and tests",
    ),
    (
        "Bundle::channels",
        "account tables for `pmc`; a host names its channel in pm_engine_new",
    ),
    (
        "Bundle::channel_by_name",
        "pm_engine_new looks the channel up and refuses unknown ones",
    ),
    (
        "Bundle::schedules",
        "business hours are applied by the engine; the host never reads them",
    ),
    (
        "Bundle::ai_agents",
        "the agent a message hands over to is in its JSON (`respond.ai_agent`)",
    ),
    (
        "Bundle::message_by_name",
        "C event calls take message names and look them up themselves",
    ),
    (
        "Bundle::code",
        "bytecode access for `pmc disasm` and the verifier's tests",
    ),
    (
        "Bundle::eval",
        "conditions are evaluated by the engine at its checks, not one message at a time",
    ),
    (
        "Bundle::explain",
        "conditions are evaluated by the engine at its checks, not one message at a time",
    ),
    (
        "Bundle::evaluation",
        "conditions are evaluated by the engine at its checks, not one message at a time",
    ),
];

/// Exported C functions with no Rust API of their own, each with the reason.
const C_ONLY: &[(&str, &str)] = &[
    ("pm_bundle_free", "Rust drops the bundle"),
    ("pm_engine_free", "Rust drops the engine"),
    ("pm_bytes_free", "Rust drops the saved state's Vec"),
    (
        "pm_string_free",
        "Rust drops error Strings and the JSON String",
    ),
];

const CRATE: &str = env!("CARGO_MANIFEST_DIR");

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// Whether the attributes include `#[cfg(test)]` (code that is not part of the API).
fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && attr
                .parse_args::<syn::Meta>()
                .is_ok_and(|meta| meta.path().is_ident("test"))
    })
}

/// The Rust API read from the sources: `Type::method` for the public methods of `Engine` and
/// `Bundle`, and `Event::Variant` for each event.
#[derive(Default)]
struct RustApi {
    items: BTreeSet<String>,
}

impl RustApi {
    fn read() -> RustApi {
        let mut api = RustApi::default();
        for file in rust_files(&Path::new(CRATE).join("src")) {
            let text = std::fs::read_to_string(&file).unwrap();
            let parsed = syn::parse_file(&text)
                .unwrap_or_else(|e| panic!("{} does not parse: {e}", file.display()));
            api.collect(&parsed.items);
        }
        api
    }

    fn collect(&mut self, items: &[Item]) {
        for item in items {
            match item {
                Item::Impl(block) if block.trait_.is_none() && !is_test_only(&block.attrs) => {
                    let Type::Path(ty) = &*block.self_ty else {
                        continue;
                    };
                    let Some(ty) = ty.path.segments.last().map(|s| s.ident.to_string()) else {
                        continue;
                    };
                    if ty != "Engine" && ty != "Bundle" {
                        continue;
                    }
                    for member in &block.items {
                        if let ImplItem::Fn(f) = member
                            && matches!(f.vis, Visibility::Public(_))
                            && !is_test_only(&f.attrs)
                        {
                            self.items.insert(format!("{ty}::{}", f.sig.ident));
                        }
                    }
                }
                Item::Enum(e) if e.ident == "Event" && matches!(e.vis, Visibility::Public(_)) => {
                    for variant in &e.variants {
                        self.items.insert(format!("Event::{}", variant.ident));
                    }
                }
                Item::Mod(m) if !is_test_only(&m.attrs) => {
                    if let Some((_, inner)) = &m.content {
                        self.collect(inner);
                    }
                }
                _ => {}
            }
        }
    }
}

/// `AppLaunch` → `app_launch`.
fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The C functions that stand for a Rust API item.
fn counterparts(item: &str) -> Vec<String> {
    if let Some((_, names)) = C_COUNTERPARTS.iter().find(|(rust, _)| *rust == item) {
        return names.iter().map(|name| (*name).to_owned()).collect();
    }
    let (ty, name) = item.split_once("::").unwrap();
    match ty {
        "Engine" => vec![format!("pm_engine_{name}")],
        "Event" => vec![format!("pm_engine_{}", snake_case(name))],
        _ => vec![format!("pm_bundle_{name}")],
    }
}

/// The `extern "C"` functions of `src/ffi.rs`.
fn exported() -> BTreeSet<String> {
    let text = std::fs::read_to_string(Path::new(CRATE).join("src/ffi.rs")).unwrap();
    let parsed = syn::parse_file(&text).unwrap();
    parsed
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Fn(f) if f.sig.abi.is_some() => Some(f.sig.ident.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn every_engine_and_bundle_method_has_a_c_counterpart_or_a_reason() {
    let api = RustApi::read();
    let exported = exported();
    // The reading itself works: the API this test was written against is found.
    for known in [
        "Engine::new",
        "Engine::save_state",
        "Bundle::load",
        "Event::AppQuit",
    ] {
        assert!(
            api.items.contains(known),
            "{known} not found in {:?}",
            api.items
        );
    }
    let mut missing = Vec::new();
    for item in &api.items {
        if NOT_IN_C.iter().any(|(rust, _)| rust == item) {
            continue;
        }
        for c in counterparts(item) {
            if !exported.contains(&c) {
                missing.push(format!("{item} → {c}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "Rust API without its C function in src/ffi.rs and include/pm_vm.h (add the function, \
         name others in C_COUNTERPARTS, or list the method in NOT_IN_C with a reason):\n  {}",
        missing.join("\n  ")
    );
}

#[test]
fn every_c_function_stands_for_rust_api() {
    let api = RustApi::read();
    let covered: BTreeSet<String> = api
        .items
        .iter()
        .filter(|item| !NOT_IN_C.iter().any(|(rust, _)| rust == *item))
        .flat_map(|item| counterparts(item))
        .collect();
    let stray: Vec<String> = exported()
        .into_iter()
        .filter(|c| !covered.contains(c) && !C_ONLY.iter().any(|(name, _)| name == c))
        .collect();
    assert!(
        stray.is_empty(),
        "C functions with no Rust API (give the Rust API the same capability, or list them in \
         C_ONLY with a reason): {stray:?}"
    );
}

#[test]
fn the_lists_name_only_what_exists() {
    let api = RustApi::read();
    let exported = exported();
    for (rust, _) in NOT_IN_C {
        assert!(
            api.items.contains(*rust),
            "NOT_IN_C lists {rust}, which is no longer public API"
        );
        assert!(
            !C_COUNTERPARTS.iter().any(|(other, _)| other == rust),
            "{rust} is in both lists"
        );
    }
    for (rust, names) in C_COUNTERPARTS {
        assert!(
            api.items.contains(*rust),
            "C_COUNTERPARTS lists {rust}, which is no longer public API"
        );
        for name in *names {
            assert!(exported.contains(*name), "{name} is not exported");
        }
    }
    for (name, reason) in C_ONLY.iter().chain(NOT_IN_C) {
        assert!(!reason.is_empty(), "{name} has no reason");
    }
    for (name, _) in C_ONLY {
        assert!(
            exported.contains(*name),
            "C_ONLY lists {name}, which is not exported"
        );
    }
}
