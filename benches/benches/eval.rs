//! Condition evaluation: the VM against a native Rust closure (plain and with prepared
//! `memmem` finders) and, with `--features peers`, cel 0.15, datalogic-rs 5.4 and rhai 1.27 —
//! the same rules on the same contexts, answers checked against the native closure first.
//!
//! Run: `cargo bench -p pm-benches --features peers --bench eval`
//! Instruction counts: `PM_BENCH_PROFILE=<engine>/<rule>/<context>/<mode> PM_BENCH_ITERS=N`
//! runs one loop and exits (for `valgrind --tool=callgrind`), see `BENCHMARKS.md`.

use std::hint::black_box;

use criterion::Criterion;
use memchr::memmem::Finder;
use pm_benches::{
    BUNDLE_MESSAGES, CHECK_ONLY, CountingAlloc, FAIL_EARLY, NativeContext, PASS, RawContext,
    lang_is,
};
use pm_vm::Bundle;
use pm_vm::testkit::{context, set_context};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc::new();

#[allow(
    unused_parens,
    unused_variables,
    clippy::nonminimal_bool,
    clippy::needless_borrow,
    clippy::let_unit_value,
    clippy::unnecessary_operation,
    reason = "generated code"
)]
mod generated {
    use super::{Finder, lang_is};
    include!(concat!(env!("OUT_DIR"), "/native.rs"));
}

const N: usize = BUNDLE_MESSAGES;

/// The pricing rule, hand-written.
#[inline]
fn pricing_native(u: &str, t: &str, l: &str, r: bool) -> bool {
    (u.contains("pricing") || u.contains("plans"))
        && (lang_is(l, "fr") || lang_is(l, "de"))
        && r
        && !t.contains("checkout")
}

/// The prefix rule (`c`): prefix and suffix tests only.
const PREFIX_PM: &str = "visitor.page_url starts_with [\"https://acme.com/pricing\", \"https://acme.com/plans\"] and visitor.page_title not ends_with \"checkout\"";

/// The prefix rule, hand-written on the lower-cased URL and title.
#[inline]
fn prefix_native(u: &str, t: &str) -> bool {
    (u.starts_with("https://acme.com/pricing") || u.starts_with("https://acme.com/plans"))
        && !t.ends_with("checkout")
}

/// The prefix rule (`c`) against native Rust: the VM's prefix and suffix tests cost what
/// `str::starts_with` and `str::ends_with` cost, plus the walk of the decision graph.
fn prefix_scenario(c: &mut Criterion, report: &mut Vec<Row>) {
    let bytes = pm_benches::compile(&[("prefix.pm".into(), pm_benches::message_pm(0, PREFIX_PM))]);
    let vm = Bundle::load(&bytes).expect("the compiled bundle loads");
    for raw in [PASS, FAIL_EARLY]
        .into_iter()
        .chain(CHECK_ONLY.iter().copied())
    {
        let n = native_ctx(&raw);
        assert_eq!(
            vm.eval(0, &vm_context(&raw)),
            prefix_native(&n.url, &n.title),
            "{}",
            raw.name
        );
    }
    for raw in [PASS, FAIL_EARLY] {
        let group_name = format!("c_prefix_eval_{}", raw.name);
        let mut group = c.benchmark_group(&group_name);
        let native = native_ctx(&raw);
        let ctx = vm_context(&raw);
        let mut routines: Vec<Routine<'_>> = vec![
            (
                "native",
                Box::new(|_| usize::from(prefix_native(black_box(&native.url), &native.title))),
            ),
            ("vm", Box::new(|_| usize::from(vm.eval(0, black_box(&ctx))))),
        ];
        let mut allocs = Vec::new();
        for (name, f) in &mut routines {
            let expected = f(&raw);
            group.bench_function(*name, |b| b.iter(|| f(black_box(&raw))));
            allocs.push((*name, allocs_per(2_000, || assert_eq!(f(&raw), expected))));
        }
        group.finish();
        report.push(Row {
            group: group_name,
            allocs,
        });
    }
}

/// The pricing rule with its needles prepared.
struct PricingFinders {
    pricing: Finder<'static>,
    plans: Finder<'static>,
    checkout: Finder<'static>,
}

impl PricingFinders {
    fn new() -> PricingFinders {
        PricingFinders {
            pricing: Finder::new("pricing"),
            plans: Finder::new("plans"),
            checkout: Finder::new("checkout"),
        }
    }
    #[inline]
    fn eval(&self, u: &str, t: &str, l: &str, r: bool) -> bool {
        (self.pricing.find(u.as_bytes()).is_some() || self.plans.find(u.as_bytes()).is_some())
            && (lang_is(l, "fr") || lang_is(l, "de"))
            && r
            && self.checkout.find(t.as_bytes()).is_none()
    }
}

/// The VM's context for a raw one.
fn vm_context(raw: &RawContext) -> pm_vm::Context {
    context(raw.url, raw.title, raw.language, raw.returning)
}

/// Refills a VM context from a raw one (the context-building half of a screen change).
#[inline]
fn set_vm_context(ctx: &mut pm_vm::Context, raw: &RawContext) {
    set_context(ctx, raw.url, raw.title, raw.language, raw.returning);
}

fn native_ctx(raw: &RawContext) -> NativeContext {
    let mut c = NativeContext::default();
    c.set(raw);
    c
}

/// Every engine, loaded with one rule set (`rules`), able to evaluate rule `i`.
struct Engines {
    rules: Vec<pm_benches::Cond>,
    vm: Bundle,
    finders: Vec<Finder<'static>>,
    pricing_finders: PricingFinders,
    #[cfg(feature = "peers")]
    peers: peers::Peers,
}

impl Engines {
    fn new(rules: Vec<pm_benches::Cond>, pm_files: &[(String, String)]) -> Engines {
        let bytes = pm_benches::compile(pm_files);
        let vm = Bundle::load(&bytes).expect("the compiled bundle loads");
        assert_eq!(vm.messages().len(), rules.len());
        Engines {
            #[cfg(feature = "peers")]
            peers: peers::Peers::new(&rules),
            rules,
            vm,
            finders: generated::NEEDLES.iter().map(|n| Finder::new(*n)).collect(),
            pricing_finders: PricingFinders::new(),
        }
    }
}

/// The native answer for rule `i` of the 140-message bundle (or the pricing rule when the
/// set has one rule).
fn native_answer(single: bool, i: usize, c: &NativeContext) -> bool {
    let (u, t, l, r) = (&*c.url, &*c.title, &*c.language, c.returning);
    if single {
        return pricing_native(u, t, l, r);
    }
    let mut out = [false; N];
    generated::screen(u, t, l, r, &mut out);
    out[i]
}

fn check_answers(e: &Engines, single: bool) {
    let contexts: Vec<RawContext> = [PASS, FAIL_EARLY]
        .into_iter()
        .chain(CHECK_ONLY.iter().copied())
        .collect();
    let mut trues = 0;
    for raw in &contexts {
        let n = native_ctx(raw);
        let v = vm_context(raw);
        assert_eq!(v.url(), n.url, "{}", raw.name);
        assert_eq!(v.title(), n.title, "{}", raw.name);
        assert_eq!(v.language(), n.language, "{}", raw.name);
        let mut screen = [false; N];
        let mut prepared = [false; N];
        generated::screen(&n.url, &n.title, &n.language, n.returning, &mut screen);
        generated::screen_prepared(
            &n.url,
            &n.title,
            &n.language,
            n.returning,
            &e.finders,
            &mut prepared,
        );
        let mut evaluation = e.vm.evaluation(&v);
        for i in 0..e.rules.len() {
            let want = native_answer(single, i, &n);
            trues += usize::from(want);
            let ctx = format!("rule {i} on context {}", raw.name);
            if single {
                assert_eq!(
                    e.pricing_finders
                        .eval(&n.url, &n.title, &n.language, n.returning),
                    want,
                    "prepared {ctx}"
                );
            } else {
                assert_eq!(prepared[i], want, "prepared {ctx}");
                assert_eq!(screen[i], want, "screen {ctx}");
            }
            assert_eq!(e.vm.eval(i, &v), want, "vm {ctx}");
            assert_eq!(evaluation.eval(i), want, "vm evaluation {ctx}");
            #[cfg(feature = "peers")]
            e.peers.check(i, raw, want, &ctx);
        }
    }
    if single {
        assert!(pricing_native(
            &native_ctx(&PASS).url,
            &native_ctx(&PASS).title,
            &native_ctx(&PASS).language,
            true
        ));
    }
    assert!(trues > 0, "some rule holds somewhere");
    println!(
        "answers checked: {} rules x {} contexts, every engine agrees with the native closure ({trues} true)",
        e.rules.len(),
        contexts.len()
    );
}

/// Allocations per call of `f`, over `n` calls after a warm-up.
fn allocs_per(n: u64, mut f: impl FnMut()) -> f64 {
    for _ in 0..16 {
        f();
    }
    let before = ALLOC.count();
    for _ in 0..n {
        f();
    }
    (ALLOC.count() - before) as f64 / n as f64
}

/// One benchmarked routine: the engine name, and a closure taking the raw context.
type Routine<'a> = (&'static str, Box<dyn FnMut(&RawContext) -> usize + 'a>);

/// The routines of one scenario (`single`: the pricing rule, else the 140-rule screen) in one
/// mode (`build`: the context is built from the raw strings inside the timed routine).
fn routines<'a>(e: &'a Engines, single: bool, build: bool, raw: &RawContext) -> Vec<Routine<'a>> {
    let pre_native = native_ctx(raw);
    let pre_vm = vm_context(raw);
    let mut out: Vec<Routine<'a>> = Vec::new();
    // Native.
    {
        let mut c = pre_native.clone();
        out.push((
            "native",
            Box::new(move |raw| {
                if build {
                    c.set(raw);
                }
                let (u, t, l, r) = (&*c.url, &*c.title, &*c.language, c.returning);
                if single {
                    usize::from(pricing_native(black_box(u), t, l, r))
                } else {
                    let mut o = [false; N];
                    generated::screen(black_box(u), t, l, r, &mut o);
                    o.iter().filter(|b| **b).count()
                }
            }),
        ));
    }
    {
        let mut c = pre_native.clone();
        out.push((
            "native_prepared",
            Box::new(move |raw| {
                if build {
                    c.set(raw);
                }
                let (u, t, l, r) = (&*c.url, &*c.title, &*c.language, c.returning);
                if single {
                    usize::from(e.pricing_finders.eval(black_box(u), t, l, r))
                } else {
                    let mut o = [false; N];
                    generated::screen_prepared(black_box(u), t, l, r, &e.finders, &mut o);
                    o.iter().filter(|b| **b).count()
                }
            }),
        ));
    }
    {
        let mut c = pre_vm.clone();
        out.push((
            "vm",
            Box::new(move |raw| {
                if build {
                    set_vm_context(&mut c, raw);
                }
                let c = black_box(&c);
                (0..e.rules.len()).filter(|&i| e.vm.eval(i, c)).count()
            }),
        ));
    }
    if !single {
        // What the runtime does at a screen change: one `Evaluation` for all messages, so
        // tests shared between messages run once.
        let mut c = pre_vm.clone();
        out.push((
            "vm_screen",
            Box::new(move |raw| {
                if build {
                    set_vm_context(&mut c, raw);
                }
                let mut evaluation = e.vm.evaluation(black_box(&c));
                (0..e.rules.len()).filter(|&i| evaluation.eval(i)).count()
            }),
        ));
    }
    #[cfg(feature = "peers")]
    e.peers.routines(&mut out, single, build, raw);
    out
}

fn scenario(c: &mut Criterion, e: &Engines, label: &str, single: bool, report: &mut Vec<Row>) {
    for raw in [PASS, FAIL_EARLY] {
        for build in [false, true] {
            let mode = if build { "build_eval" } else { "eval" };
            let group_name = format!("{label}_{mode}_{}", raw.name);
            let mut group = c.benchmark_group(&group_name);
            let mut allocs = Vec::new();
            for (name, mut f) in routines(e, single, build, &raw) {
                let expected = f(&raw);
                group.bench_function(name, |b| b.iter(|| f(black_box(&raw))));
                let a = allocs_per(2_000, || {
                    assert_eq!(f(&raw), expected);
                });
                allocs.push((name, a));
            }
            group.finish();
            report.push(Row {
                group: group_name,
                allocs,
            });
        }
    }
}

struct Row {
    group: String,
    allocs: Vec<(&'static str, f64)>,
}

fn print_report(rows: &[Row]) {
    println!("\n== summary: median ns (machine-dependent), ratios, allocations per evaluation ==");
    for row in rows {
        let median = |name: &str| pm_benches::criterion_median_ns(&row.group, name);
        let native = median("native");
        let vm = median("vm");
        println!("{}", row.group);
        println!(
            "  {:<16} {:>10} {:>10} {:>10} {:>8}",
            "engine", "median ns", "÷ native", "÷ vm", "allocs"
        );
        for (name, allocs) in &row.allocs {
            let m = median(name);
            let fmt = |x: Option<f64>| x.map_or_else(|| "-".into(), |v| format!("{v:.2}"));
            println!(
                "  {:<16} {:>10} {:>10} {:>10} {:>8}",
                name,
                m.map_or_else(|| "-".into(), |v| format!("{v:.1}")),
                fmt(m.zip(native).map(|(a, b)| a / b)),
                fmt(m.zip(vm).map(|(a, b)| a / b)),
                format!("{allocs:.2}")
            );
        }
    }
}

/// `PM_BENCH_PROFILE=<engine>/<a|b>/<holds|fails_early>/<eval|build_eval>`: run one routine
/// `PM_BENCH_ITERS` times (default 1,000,000) and exit, for callgrind.
fn profile(spec: &str, pricing: &Engines, screen: &Engines) {
    let parts: Vec<&str> = spec.split('/').collect();
    let [engine, rule, context, mode] = parts[..] else {
        panic!("PM_BENCH_PROFILE=<engine>/<a|b>/<holds|fails_early>/<eval|build_eval>");
    };
    let iters: u64 = std::env::var("PM_BENCH_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let raw = if context == "holds" { PASS } else { FAIL_EARLY };
    let (e, single) = if rule == "a" {
        (pricing, true)
    } else {
        (screen, false)
    };
    let mut list = routines(e, single, mode == "build_eval", &raw);
    let (_, f) = list
        .iter_mut()
        .find(|(name, _)| *name == engine)
        .expect("a known engine");
    let mut total = 0;
    for _ in 0..iters {
        total += f(black_box(&raw));
    }
    println!("{spec}: {iters} iterations, {total} true");
}

fn main() {
    let pricing = Engines::new(
        vec![pm_benches::pricing_rule()],
        &pm_benches::pricing_bundle(),
    );
    let screen = Engines::new(pm_benches::generated_rules(N), &pm_benches::bundle_140());
    if let Ok(spec) = std::env::var("PM_BENCH_PROFILE") {
        profile(&spec, &pricing, &screen);
        return;
    }
    check_answers(&pricing, true);
    check_answers(&screen, false);
    let mut c = Criterion::default()
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2))
        .sample_size(50)
        .configure_from_args();
    let mut rows = Vec::new();
    scenario(&mut c, &pricing, "a_pricing", true, &mut rows);
    scenario(&mut c, &screen, "b_screen140", false, &mut rows);
    prefix_scenario(&mut c, &mut rows);
    c.final_summary();
    print_report(&rows);
}

#[cfg(feature = "peers")]
mod peers {
    //! The peer engines behind the `peers` feature.

    use std::hint::black_box;
    use std::sync::Arc;

    use datalogic_rs::bumpalo::Bump;
    use datalogic_rs::{DataValue, Engine as Datalogic, Logic};

    use super::{RawContext, Routine, native_ctx};
    use pm_benches::{Cond, NativeContext};

    pub struct Peers {
        cel_env: Arc<cel::Env>,
        cel: Vec<cel::Program>,
        datalogic: Datalogic,
        logic: Vec<Logic>,
        rhai: rhai::Engine,
        rhai_ast: Vec<rhai::AST>,
    }

    fn cel_context(env: &Arc<cel::Env>, c: &NativeContext) -> cel::Context<'static, 'static> {
        let mut ctx = cel::Context::with_env(Arc::clone(env));
        ctx.add_variable_from_value("url", c.url.clone());
        ctx.add_variable_from_value("title", c.title.clone());
        ctx.add_variable_from_value("lang", c.language.clone());
        ctx.add_variable_from_value("returning", c.returning);
        ctx
    }

    fn rhai_scope(scope: &mut rhai::Scope<'static>, c: &NativeContext) {
        scope.clear();
        scope.push("url", c.url.clone());
        scope.push("title", c.title.clone());
        scope.push("lang", c.language.clone());
        scope.push("returning", c.returning);
    }

    fn datalogic_eval(
        engine: &Datalogic,
        logic: &Logic,
        c: &NativeContext,
        arena: &mut Bump,
    ) -> bool {
        let fields = [
            ("url", DataValue::String(&c.url)),
            ("title", DataValue::String(&c.title)),
            ("lang", DataValue::String(&c.language)),
            ("returning", DataValue::Bool(c.returning)),
        ];
        let b = {
            let v = engine
                .evaluate(logic, DataValue::Object(&fields), &*arena)
                .expect("datalogic evaluates");
            v.as_bool().expect("a boolean")
        };
        arena.reset();
        b
    }

    impl Peers {
        pub fn new(rules: &[Cond]) -> Peers {
            let cel_env = Arc::new(cel::Env::stdlib());
            let cel = rules
                .iter()
                .map(|r| cel_env.compile(&r.to_cel()).expect("CEL compiles"))
                .collect();
            let datalogic = Datalogic::new();
            let logic = rules
                .iter()
                .map(|r| {
                    datalogic
                        .compile(r.to_json_logic().as_str())
                        .expect("JSON Logic compiles")
                })
                .collect();
            let rhai = rhai::Engine::new();
            let rhai_ast = rules
                .iter()
                .map(|r| rhai.compile_expression(r.to_rhai()).expect("Rhai compiles"))
                .collect();
            Peers {
                cel_env,
                cel,
                datalogic,
                logic,
                rhai,
                rhai_ast,
            }
        }

        pub fn check(&self, i: usize, raw: &RawContext, want: bool, what: &str) {
            let c = native_ctx(raw);
            let ctx = cel_context(&self.cel_env, &c);
            assert_eq!(
                self.cel[i].execute(&ctx).expect("CEL evaluates"),
                cel::Value::Bool(want),
                "cel {what}"
            );
            let mut arena = Bump::new();
            assert_eq!(
                datalogic_eval(&self.datalogic, &self.logic[i], &c, &mut arena),
                want,
                "datalogic {what}"
            );
            let mut scope = rhai::Scope::new();
            rhai_scope(&mut scope, &c);
            assert_eq!(
                self.rhai
                    .eval_ast_with_scope::<bool>(&mut scope, &self.rhai_ast[i])
                    .expect("Rhai evaluates"),
                want,
                "rhai {what}"
            );
        }

        pub fn routines<'a>(
            &'a self,
            out: &mut Vec<Routine<'a>>,
            _single: bool,
            build: bool,
            raw: &RawContext,
        ) {
            let pre = native_ctx(raw);
            {
                let mut c = pre.clone();
                let mut ctx = cel_context(&self.cel_env, &c);
                out.push((
                    "cel",
                    Box::new(move |raw| {
                        if build {
                            c.set(raw);
                            ctx = cel_context(&self.cel_env, &c);
                        }
                        let ctx = black_box(&ctx);
                        self.cel
                            .iter()
                            .filter(|p| matches!(p.execute(ctx), Ok(cel::Value::Bool(true))))
                            .count()
                    }),
                ));
            }
            {
                let mut c = pre.clone();
                let mut arena = Bump::new();
                out.push((
                    "datalogic",
                    Box::new(move |raw| {
                        if build {
                            c.set(raw);
                        }
                        let c = black_box(&c);
                        self.logic
                            .iter()
                            .filter(|l| datalogic_eval(&self.datalogic, l, c, &mut arena))
                            .count()
                    }),
                ));
            }
            {
                let mut c = pre.clone();
                let mut scope = rhai::Scope::new();
                rhai_scope(&mut scope, &c);
                out.push((
                    "rhai",
                    Box::new(move |raw| {
                        if build {
                            c.set(raw);
                            rhai_scope(&mut scope, &c);
                        }
                        self.rhai_ast
                            .iter()
                            .filter(|a| {
                                matches!(
                                    self.rhai
                                        .eval_ast_with_scope::<bool>(black_box(&mut scope), a),
                                    Ok(true)
                                )
                            })
                            .count()
                    }),
                ));
            }
        }
    }
}
