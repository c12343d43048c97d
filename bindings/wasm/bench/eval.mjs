// The pricing-rule evaluation of benches/benches/eval.rs (case (a)) through the JavaScript
// binding, in Node: what one call costs when it crosses the JS → WebAssembly boundary, against
// the same evaluation looped inside the module (no crossing). Run by bench/run.sh, which
// builds the module with the `bench` feature and compiles bench/pricing with pmc.
//
// Usage: node eval.mjs BENCH_PKG_DIR PRICING.pmb
// Prints medians over SAMPLES samples of CALLS calls each, after a warm-up.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

const [pkgDir, bundlePath] = process.argv.slice(2);
if (!pkgDir || !bundlePath) throw new Error("usage: node eval.mjs BENCH_PKG_DIR PRICING.pmb");
const vm = createRequire(import.meta.url)(join(resolve(pkgDir), "pm_vm.js"));
if (typeof vm.Bundle.prototype.evalRepeat !== "function") throw new Error(`${pkgDir} is not a --bench build`);

const SAMPLES = 31;
const CALLS = 200_000;

// The contexts of benches/src/lib.rs.
const HOLDS = { url: "https://Acme.com/Pricing/Team?ref=Plans", title: "Team Plans — Acme", language: "fr_FR", returning: true };
const FAILS_EARLY = { url: "https://acme.com/blog/post-42", title: "Acme Blog", language: "en-US", returning: false };

const bundle = vm.Bundle.load(new Uint8Array(readFileSync(bundlePath)));

function context(raw) {
  const c = new vm.Context();
  c.setUrl(raw.url);
  c.setTitle(raw.title);
  c.setLanguage(raw.language);
  c.setReturning(raw.returning);
  return c;
}

/** Median nanoseconds per call of `run(calls)` (which makes `calls` evaluations, returns the trues). */
function measure(run, expectTrue) {
  for (let i = 0; i < 5; i++) run(CALLS);
  const samples = [];
  for (let s = 0; s < SAMPLES; s++) {
    const t0 = process.hrtime.bigint();
    const trues = run(CALLS);
    const t1 = process.hrtime.bigint();
    if (trues !== (expectTrue ? CALLS : 0)) throw new Error(`wrong answers: ${trues} of ${CALLS} true`);
    samples.push(Number(t1 - t0) / CALLS);
  }
  samples.sort((a, b) => a - b);
  return samples[SAMPLES >> 1];
}

const rows = [];
for (const [name, raw, holds] of [["holds", HOLDS, true], ["fails_early", FAILS_EARLY, false]]) {
  const ctx = context(raw);
  const js = measure((n) => {
    let trues = 0;
    for (let i = 0; i < n; i++) if (bundle.eval(0, ctx)) trues++;
    return trues;
  }, holds);
  const inModule = measure((n) => bundle.evalRepeat(0, ctx, n), holds);
  const build = measure((n) => {
    let trues = 0;
    for (let i = 0; i < n; i++) {
      ctx.setUrl(raw.url);
      ctx.setTitle(raw.title);
      ctx.setLanguage(raw.language);
      ctx.setReturning(raw.returning);
      if (bundle.eval(0, ctx)) trues++;
    }
    return trues;
  }, holds);
  rows.push({ name, js, inModule, build });
  ctx.free();
}
bundle.free();

console.log(`node ${process.version}; ${SAMPLES} samples x ${CALLS} calls, median ns per call`);
console.log("| context | eval from JS (1 crossing) | eval looped in the module | crossing cost | build+eval from JS (5 crossings) |");
console.log("|---|---|---|---|---|");
for (const r of rows) {
  console.log(`| ${r.name} | ${r.js.toFixed(1)} | ${r.inModule.toFixed(1)} | ${(r.js - r.inModule).toFixed(1)} | ${r.build.toFixed(1)} |`);
}
