//! Shared pieces of the benchmarks (see `BENCHMARKS.md`): the generated bundle in `.pm` and
//! JSON, the contexts, compiling through `pmc`'s library, and an allocation counter.
//!
//! The benchmarks themselves are in `benches/`; this library only generates inputs, so that
//! every engine sees the same rules and the same contexts.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

use pmc::analysis::{Analysis, analyze};
use pmc::source::SourceMap;

/// The rules and their spelling in each engine (shared with `build.rs`).
pub mod rules;

pub use rules::{Cond, PRICING_PM, generated_rules, pricing_rule};

/// The number of messages of the generated bundle (the account limit).
pub const BUNDLE_MESSAGES: usize = pm_vm::format::limits::MAX_MESSAGES;

/// The account of the generated bundles: one brand, one iOS channel, one schedule.
pub const ACCOUNT_TOML: &str = r#"[[brands]]
name = "Acme"

[[channels]]
name = "Acme iOS"
brand = "Acme"
platform = "ios"
conversation_control = "release"
schedules = ["Sales hours"]

[[schedules]]
name = "Sales hours"
timezone = "Europe/Paris"
holidays = ["2026-12-25", "2027-01-01"]
[schedules.hours]
mon = ["09:00-12:00", "13:00-17:30"]
tue = ["09:00-17:30"]
wed = ["09:00-17:30"]
thu = ["09:00-17:30"]
fri = ["09:00-16:00"]
"#;

/// The `.pm` text of message `i` with condition `when` (the other clauses vary with `i`).
pub fn message_pm(i: usize, when: &str) -> String {
    let mut s = format!(
        "message \"Generated {i:05}\" {{\n    brand \"Acme\"\n    channel \"Acme iOS\"\n    say \"Message {i}: can we help you with this page?\"\n    respond agent {{\n        follow_up \"An agent will join you shortly.\"\n        collect name, email\n    }}\n    when {when}\n    after screen_open {}s\n",
        5 + i % 55
    );
    if i.is_multiple_of(3) {
        s.push_str("    send during business_hours \"Sales hours\"\n");
    }
    if i.is_multiple_of(4) {
        s.push_str("    tags \"generated\", \"bench\"\n");
    }
    s.push_str(match i % 3 {
        0 => "    frequency once_per_visit\n",
        1 => "    frequency once_per_device\n",
        _ => "    frequency every_time\n",
    });
    if i.is_multiple_of(5) {
        s.push_str(&format!("    priority {}\n", i % 20));
    }
    s.push_str("}\n\n");
    s
}

/// The `.pm` files of a bundle with these conditions, `per_file` messages per file, as
/// `(path, text)`; `account.toml` is not included.
pub fn bundle_files(rules: &[Cond], per_file: usize) -> Vec<(String, String)> {
    rules
        .chunks(per_file)
        .enumerate()
        .map(|(f, chunk)| {
            let mut text = format!("// Generated benchmark bundle, part {f}.\n\n");
            for (j, rule) in chunk.iter().enumerate() {
                text.push_str(&message_pm(f * per_file + j, &rule.to_pm()));
            }
            (format!("part_{f:03}.pm"), text)
        })
        .collect()
}

/// The generated 140-message bundle in 7 files of 20 messages.
pub fn bundle_140() -> Vec<(String, String)> {
    bundle_files(&generated_rules(BUNDLE_MESSAGES), 20)
}

/// A 140-message bundle like [`bundle_140`] on which `pmc check` reports nothing at all: the
/// generated rules it warns about (a condition that never or always holds) are left out, and
/// the next generated ones take their place.
///
/// # Panics
/// When the bundle so made still has a diagnostic.
pub fn bundle_140_quiet() -> Vec<(String, String)> {
    let candidates = generated_rules(2 * BUNDLE_MESSAGES);
    let mut quiet = Vec::new();
    for chunk in candidates.chunks(BUNDLE_MESSAGES) {
        let files = bundle_files(chunk, 20);
        let (map, account, ids) = source_map(&files);
        let analysis = check(&map, account, &ids);
        let warned = |i: usize| {
            let name = format!("Generated {i:05}");
            analysis.diagnostics.iter().any(|d| {
                let text = map.get(d.primary.span.file).text.as_str();
                // The message a diagnostic is in: the last message header that starts before
                // it, or at it (a span on the header itself). The text is ASCII.
                let header = "message \"";
                text[..(d.primary.span.start as usize + header.len()).min(text.len())]
                    .rfind(header)
                    .is_some_and(|at| text[at..].starts_with(&format!("message \"{name}\"")))
            })
        };
        quiet.extend(
            (0..chunk.len())
                .filter(|&i| !warned(i))
                .map(|i| chunk[i].clone()),
        );
    }
    assert!(
        quiet.len() >= BUNDLE_MESSAGES,
        "only {} quiet rules",
        quiet.len()
    );
    quiet.truncate(BUNDLE_MESSAGES);
    let files = bundle_files(&quiet, 20);
    let (map, account, ids) = source_map(&files);
    let diagnostics = check(&map, account, &ids).diagnostics;
    assert!(
        diagnostics.is_empty(),
        "the quiet bundle has diagnostics: {:?}",
        diagnostics.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    files
}

/// The single-message bundle of the pricing rule, written as the issue writes it.
pub fn pricing_bundle() -> Vec<(String, String)> {
    vec![("pricing.pm".into(), message_pm(0, PRICING_PM))]
}

/// A stress file of `n` messages in one file (beyond the 140-message limit, so `check`
/// reports the limit; the rest of the work is done all the same).
pub fn stress_file(n: usize) -> Vec<(String, String)> {
    let rules = rules::generated_rules(n);
    bundle_files(&rules, n)
}

/// [`ACCOUNT_TOML`] with channel limits on `Acme iOS` that the engine bench's screen changes
/// (one every two minutes, at most 500 per visit) never reach, so the limits are checked at
/// every check and change no delivery.
pub fn account_toml_with_limits() -> String {
    let channel = "schedules = [\"Sales hours\"]\n";
    ACCOUNT_TOML.replacen(
        channel,
        &format!(
            "{channel}[channels.limits]\nmin_interval = \"1m\"\nmax_per_visit = 1000\nmax_per_day = 1000\n"
        ),
        1,
    )
}

/// A source map of [`ACCOUNT_TOML`] and `files`, with the ids `analyze` takes.
pub fn source_map(
    files: &[(String, String)],
) -> (
    SourceMap,
    Option<pmc::source::FileId>,
    Vec<pmc::source::FileId>,
) {
    source_map_with(ACCOUNT_TOML, files)
}

/// A source map of `account_toml` (as `account.toml`) and `files`.
pub fn source_map_with(
    account_toml: &str,
    files: &[(String, String)],
) -> (
    SourceMap,
    Option<pmc::source::FileId>,
    Vec<pmc::source::FileId>,
) {
    let mut map = SourceMap::new();
    let account = map.add("account.toml", account_toml.to_string());
    let ids = files
        .iter()
        .map(|(path, text)| map.add(path.clone(), text.clone()))
        .collect();
    (map, Some(account), ids)
}

/// `pmc check` as a library call: the whole front end.
pub fn check(
    map: &SourceMap,
    account: Option<pmc::source::FileId>,
    ids: &[pmc::source::FileId],
) -> Analysis {
    analyze(map, account, ids)
}

/// `pmc build` as a library call: the front end and the code generator.
///
/// # Panics
/// When the bundle has errors (the benchmarks' inputs have none).
pub fn build(
    map: &SourceMap,
    account: Option<pmc::source::FileId>,
    ids: &[pmc::source::FileId],
) -> Vec<u8> {
    let analysis = analyze(map, account, ids);
    let errors: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.clone())
        .collect();
    assert!(
        errors.is_empty(),
        "the generated bundle has errors: {errors:?}"
    );
    pmc::codegen::generate(analysis.bundle.as_ref().expect("a checked bundle")).expect("codegen")
}

/// Compiles `.pm` files (with [`ACCOUNT_TOML`]) to `.pmb` bytes.
pub fn compile(files: &[(String, String)]) -> Vec<u8> {
    let (map, account, ids) = source_map(files);
    build(&map, account, &ids)
}

/// Compiles `.pm` files with `account_toml` as their `account.toml` to `.pmb` bytes.
pub fn compile_with_account(account_toml: &str, files: &[(String, String)]) -> Vec<u8> {
    let (map, account, ids) = source_map_with(account_toml, files);
    build(&map, account, &ids)
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// The same bundle written as a JSON-configured system would: the account, then every
/// message with its clauses and its condition as JSON Logic. Minified.
pub fn bundle_json(rules: &[Cond]) -> String {
    let mut out = String::from(
        "{\"account\":{\"brands\":[{\"name\":\"Acme\"}],\"channels\":[{\"name\":\"Acme iOS\",\"brand\":\"Acme\",\"platform\":\"ios\",\"conversation_control\":\"release\",\"schedules\":[\"Sales hours\"]}],\"schedules\":[{\"name\":\"Sales hours\",\"timezone\":\"Europe/Paris\",\"holidays\":[\"2026-12-25\",\"2027-01-01\"],\"hours\":{\"mon\":[\"09:00-12:00\",\"13:00-17:30\"],\"tue\":[\"09:00-17:30\"],\"wed\":[\"09:00-17:30\"],\"thu\":[\"09:00-17:30\"],\"fri\":[\"09:00-16:00\"]}}]},\"messages\":[",
    );
    for (i, rule) in rules.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            "{{\"name\":{},\"brand\":\"Acme\",\"channel\":\"Acme iOS\",\"say\":{},\"respond\":{{\"agent\":{{\"follow_up\":\"An agent will join you shortly.\",\"collect\":[\"name\",\"email\"]}}}},\"when\":{},\"after\":{{\"event\":\"screen_open\",\"seconds\":{}}}",
            json_str(&format!("Generated {i:05}")),
            json_str(&format!("Message {i}: can we help you with this page?")),
            rule.to_json_logic(),
            5 + i % 55
        ));
        if i.is_multiple_of(3) {
            out.push_str(",\"send\":{\"during_business_hours\":\"Sales hours\"}");
        }
        if i.is_multiple_of(4) {
            out.push_str(",\"tags\":[\"generated\",\"bench\"]");
        }
        out.push_str(match i % 3 {
            0 => ",\"frequency\":\"once_per_visit\"",
            1 => ",\"frequency\":\"once_per_device\"",
            _ => ",\"frequency\":\"every_time\"",
        });
        if i.is_multiple_of(5) {
            out.push_str(&format!(",\"priority\":{}", i % 20));
        }
        out.push('}');
    }
    out.push_str("]}");
    out
}

/// A context as the app sees it, before normalization.
#[derive(Clone, Copy, Debug)]
pub struct RawContext {
    /// A short name for reports.
    pub name: &'static str,
    /// The page URL, as given.
    pub url: &'static str,
    /// The page title, as given.
    pub title: &'static str,
    /// The device language tag, as given.
    pub language: &'static str,
    /// Whether the visit is a returning one.
    pub returning: bool,
}

/// The context where the pricing rule holds (every test runs).
pub const PASS: RawContext = RawContext {
    name: "holds",
    url: "https://Acme.com/Pricing/Team?ref=Plans",
    title: "Team Plans — Acme",
    language: "fr_FR",
    returning: true,
};

/// The context where the pricing rule fails at its first test.
pub const FAIL_EARLY: RawContext = RawContext {
    name: "fails_early",
    url: "https://acme.com/blog/post-42",
    title: "Acme Blog",
    language: "en-US",
    returning: false,
};

/// More contexts, for checking answers only.
pub const CHECK_ONLY: &[RawContext] = &[
    RawContext {
        name: "de_checkout",
        url: "https://acme.com/plans/checkout",
        title: "Checkout",
        language: "de",
        returning: true,
    },
    RawContext {
        name: "de_new",
        url: "https://acme.com/pricing",
        title: "Pricing",
        language: "de-AT",
        returning: false,
    },
    RawContext {
        name: "home",
        url: "HOME",
        title: "Home",
        language: "en",
        returning: true,
    },
    RawContext {
        name: "cart",
        url: "https://acme.com/cart",
        title: "Your cart",
        language: "es-ES",
        returning: true,
    },
    RawContext {
        name: "fra",
        url: "https://acme.com/pricing/enterprise",
        title: "Team plans — Acme",
        language: "fra",
        returning: true,
    },
    RawContext {
        name: "help",
        url: "https://acme.com/help/orders/returns",
        title: "Help: refund FAQ",
        language: "ja",
        returning: false,
    },
    RawContext {
        name: "settings",
        url: "settings",
        title: "My account",
        language: "nl-BE",
        returning: false,
    },
    RawContext {
        name: "sale",
        url: "https://acme.com/product/42?promo=SALE",
        title: "Sale! Team",
        language: "it",
        returning: true,
    },
];

/// RFC 4647 basic filtering of a normalized language by a tag, as the VM does it.
#[inline]
pub fn lang_is(language: &str, tag: &str) -> bool {
    match language.strip_prefix(tag) {
        Some(rest) => rest.is_empty() || rest.starts_with('-'),
        None => false,
    }
}

/// Replaces `buf` with `s` lower-cased, reusing `buf`: an ASCII fast path, then the general
/// one (what a careful hand-written native context builder does; the final-sigma rule is
/// ignored here, since the benchmark contexts have no `Σ`).
#[inline]
pub fn fold_into(buf: &mut String, s: &str) {
    buf.clear();
    if s.is_ascii() {
        buf.push_str(s);
        buf.make_ascii_lowercase();
    } else {
        buf.extend(s.chars().flat_map(char::to_lowercase));
    }
}

/// The native baseline's context: normalized strings in reused buffers.
#[derive(Clone, Debug, Default)]
pub struct NativeContext {
    /// Lower-cased URL.
    pub url: String,
    /// Lower-cased title.
    pub title: String,
    /// Lower-cased language, `_` read as `-`.
    pub language: String,
    /// Returning visit.
    pub returning: bool,
}

impl NativeContext {
    /// Fills the buffers from a raw context (no allocation once the buffers are large enough).
    #[inline]
    pub fn set(&mut self, raw: &RawContext) {
        fold_into(&mut self.url, raw.url);
        fold_into(&mut self.title, raw.title);
        self.language.clear();
        self.language.extend(
            raw.language
                .chars()
                .flat_map(char::to_lowercase)
                .map(|c| if c == '_' { '-' } else { c }),
        );
        self.returning = raw.returning;
    }
}

/// A global allocator that counts allocations (and reallocations), for allocations per
/// evaluation. Install with `#[global_allocator] static A: CountingAlloc = CountingAlloc::new();`.
pub struct CountingAlloc {
    count: AtomicU64,
}

impl CountingAlloc {
    /// A counter at zero.
    pub const fn new() -> CountingAlloc {
        CountingAlloc {
            count: AtomicU64::new(0),
        }
    }
    /// Allocations so far.
    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }
}

impl Default for CountingAlloc {
    fn default() -> Self {
        CountingAlloc::new()
    }
}

// SAFETY: every call is forwarded unchanged to the system allocator; only a counter is added.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.count.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        self.count.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        self.count.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// The median estimate (ns) criterion saved for `group/function`, when there is one.
pub fn criterion_median_ns(group: &str, function: &str) -> Option<f64> {
    let path = criterion_dir()
        .join(group)
        .join(function)
        .join("new")
        .join("estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["median"]["point_estimate"].as_f64()
}

/// Where criterion writes (`$CARGO_TARGET_DIR/criterion`, else `target/criterion` beside the
/// running benchmark executable).
pub fn criterion_dir() -> std::path::PathBuf {
    if let Some(dir) = std::env::var_os("CRITERION_HOME") {
        return dir.into();
    }
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return std::path::PathBuf::from(dir).join("criterion");
    }
    let exe = std::env::current_exe().expect("the benchmark's path");
    // target/release/deps/NAME → target
    exe.ancestors()
        .nth(3)
        .map_or_else(|| "target".into(), std::path::Path::to_path_buf)
        .join("criterion")
}
