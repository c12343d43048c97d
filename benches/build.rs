//! Generates the hand-written-equivalent native Rust closures of the generated bundle (one
//! function per rule, straight-line `&&`/`||` over `str::contains`, plus a variant over prepared
//! `memchr::memmem` finders), from the same rule generator the other engines use.

use std::fmt::Write;

#[allow(dead_code, reason = "the build script uses only part of the generator")]
#[path = "src/rules.rs"]
mod rules;

fn main() {
    println!("cargo::rerun-if-changed=src/rules.rs");
    let rules = rules::generated_rules(140);
    let mut out = String::new();
    let mut needles = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        writeln!(
            out,
            "#[inline]\npub fn rule_{i}(u: &str, t: &str, l: &str, r: bool) -> bool {{ {} }}",
            rule.to_rust(None)
        )
        .unwrap();
        writeln!(
            out,
            "#[inline]\npub fn prepared_{i}(u: &str, t: &str, l: &str, r: bool, f: &[Finder<'static>]) -> bool {{ let _ = (&u, &t, &l, r, f); {} }}",
            rule.to_rust(Some(&mut needles))
        )
        .unwrap();
    }
    writeln!(out, "/// The needles of the prepared variant, by finder index.\npub const NEEDLES: &[&str] = &{needles:?};").unwrap();
    writeln!(out, "/// Every rule against one context, as a screen change does.\npub fn screen(u: &str, t: &str, l: &str, r: bool, out: &mut [bool; {}]) {{", rules.len()).unwrap();
    for i in 0..rules.len() {
        writeln!(out, "    out[{i}] = rule_{i}(u, t, l, r);").unwrap();
    }
    writeln!(out, "}}").unwrap();
    writeln!(out, "/// The same with prepared finders.\npub fn screen_prepared(u: &str, t: &str, l: &str, r: bool, f: &[Finder<'static>], out: &mut [bool; {}]) {{", rules.len()).unwrap();
    for i in 0..rules.len() {
        writeln!(out, "    out[{i}] = prepared_{i}(u, t, l, r, f);").unwrap();
    }
    writeln!(out, "}}").unwrap();
    let dir = std::env::var("OUT_DIR").unwrap();
    std::fs::write(format!("{dir}/native.rs"), out).unwrap();
}
