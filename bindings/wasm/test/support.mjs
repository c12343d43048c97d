// What the Node and browser tests share: the repository's paths, `pmc` (the reference the
// binding must agree with), the scenario bundle it compiles, and the rule that a missing
// tool fails the test when `CI` is set instead of skipping it.

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const here = dirname(fileURLToPath(import.meta.url));
export const wasmDir = resolve(here, "..");
export const root = resolve(wasmDir, "../..");
export const scenariosDir = join(root, "tests/scenarios");

/** Fails (under CI) or skips (elsewhere) test context `t` when `why` is a reason. */
export function requireTool(t, why) {
  if (!why) return true;
  if (process.env.CI) throw new Error(`${why} (CI is set, so this fails instead of skipping)`);
  t.skip(why);
  return false;
}

/** The `pmc` binary: $PMC, or the debug build in the cargo target directory. */
export function pmcPath() {
  const target = process.env.CARGO_TARGET_DIR ?? join(root, "target");
  const path = process.env.PMC ?? join(target, "debug", "pmc");
  if (!existsSync(path)) {
    throw new Error(`pmc not found at ${path}: run \`cargo build -p pmc\` or set PMC (bindings/wasm/test/run.sh does both)`);
  }
  return path;
}

/** The scenario files' names (without `.json`), sorted; never empty. */
export function scenarioNames() {
  const names = readdirSync(scenariosDir)
    .filter((f) => f.endsWith(".json") && !f.endsWith(".expected.json"))
    .map((f) => f.slice(0, -".json".length))
    .sort();
  if (names.length < 50) throw new Error(`only ${names.length} scenarios in ${scenariosDir}`);
  return names;
}

/** Compiles tests/scenarios/bundle with `pmc build`; returns the `.pmb` path and bytes. */
export function buildScenarioBundle() {
  const out = join(mkdtempSync(join(tmpdir(), "pm-vm-wasm-")), "scenarios.pmb");
  execFileSync(pmcPath(), ["build", join(scenariosDir, "bundle"), "-o", out], { stdio: ["ignore", "ignore", "pipe"] });
  return { path: out, bytes: new Uint8Array(readFileSync(out)) };
}

/** `pmc simulate BUNDLE --scenario NAME.json --format json`: its deliveries as `{ t, message }`. */
export function simulate(bundlePath, name) {
  const out = execFileSync(
    pmcPath(),
    ["simulate", bundlePath, "--scenario", join(scenariosDir, `${name}.json`), "--format", "json"],
    { encoding: "utf8" },
  );
  return JSON.parse(out).deliveries.map(({ t, message }) => ({ t, message }));
}

/** The parsed scenario file `NAME.json`. */
export function readScenario(name) {
  return JSON.parse(readFileSync(join(scenariosDir, `${name}.json`), "utf8"));
}
