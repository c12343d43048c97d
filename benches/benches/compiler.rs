//! Compiler throughput: `pmc check` (the whole front end, `pmc::analysis::analyze`) and
//! `pmc build` (front end + code generator) as library calls, on the generated 140-message
//! bundle and on a 10,000-message stress file, against `serde_json` parsing the same rules
//! written as JSON (into `serde_json::Value`).
//!
//! Run: `cargo bench -p pm-benches --bench compiler`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};

struct Input {
    label: &'static str,
    files: Vec<(String, String)>,
    json: String,
}

impl Input {
    fn pm_bytes(&self) -> usize {
        self.files.iter().map(|(_, t)| t.len()).sum::<usize>() + pm_benches::ACCOUNT_TOML.len()
    }
    fn pm_lines(&self) -> usize {
        self.files
            .iter()
            .map(|(_, t)| t.lines().count())
            .sum::<usize>()
            + pm_benches::ACCOUNT_TOML.lines().count()
    }
}

fn main() {
    let rules_140 = pm_benches::generated_rules(pm_benches::BUNDLE_MESSAGES);
    let rules_10k = pm_benches::generated_rules(10_000);
    let inputs = [
        Input {
            label: "bundle140",
            files: pm_benches::bundle_files(&rules_140, 20),
            json: pm_benches::bundle_json(&rules_140),
        },
        Input {
            label: "stress10000",
            files: pm_benches::stress_file(10_000),
            json: pm_benches::bundle_json(&rules_10k),
        },
    ];
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20)
        .configure_from_args();
    for input in &inputs {
        let (map, account, ids) = pm_benches::source_map(&input.files);
        let analysis = pm_benches::check(&map, account, &ids);
        let errors: Vec<_> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.code)
            .collect();
        println!(
            "{}: {} messages, {} diagnostics, errors {errors:?}",
            input.label,
            analysis.files.iter().map(|f| f.items.len()).sum::<usize>(),
            analysis.diagnostics.len()
        );
        let mut group = c.benchmark_group(input.label);
        group.throughput(Throughput::Bytes(input.pm_bytes() as u64));
        group.bench_function("check", |b| {
            b.iter(|| pm_benches::check(&map, account, black_box(&ids)))
        });
        if analysis.bundle.is_some() {
            group.bench_function("build", |b| {
                b.iter(|| pm_benches::build(&map, account, black_box(&ids)))
            });
        }
        group.throughput(Throughput::Bytes(input.json.len() as u64));
        group.bench_function("serde_json", |b| {
            b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&input.json)).unwrap())
        });
        group.finish();
    }
    c.final_summary();

    println!("\n== summary (absolute figures are machine-dependent) ==");
    for input in &inputs {
        let json_lines = input.json.lines().count();
        let median = |f: &str| pm_benches::criterion_median_ns(input.label, f);
        println!(
            "{}: .pm {} bytes / {} lines; JSON {} bytes (minified, {json_lines} line)",
            input.label,
            input.pm_bytes(),
            input.pm_lines(),
            input.json.len()
        );
        let json_bps = median("serde_json").map(|ns| input.json.len() as f64 / ns * 1e9);
        for (f, bytes) in [
            ("check", input.pm_bytes()),
            ("build", input.pm_bytes()),
            ("serde_json", input.json.len()),
        ] {
            let Some(ns) = median(f) else { continue };
            let bps = bytes as f64 / ns * 1e9;
            let lines = if f == "serde_json" {
                String::from("-")
            } else {
                format!("{:.0}", input.pm_lines() as f64 / ns * 1e9)
            };
            println!(
                "  {f:<11} {:>10.3} ms {:>8.1} MB/s {:>12} lines/s   throughput ÷ serde_json {}",
                ns / 1e6,
                bps / 1e6,
                lines,
                json_bps.map_or_else(|| "-".into(), |j| format!("{:.3}", bps / j)),
            );
        }
        if let (Some(check), Some(json)) = (median("check"), median("serde_json")) {
            println!(
                "  same rules: check takes {:.1}x the time serde_json takes to parse them as JSON",
                check / json
            );
        }
    }
}
