// The JavaScript binding in Node: every runtime scenario of tests/scenarios gives exactly the
// deliveries of `pmc simulate --format json`; message content, errors, device state, handles
// and the `.wasm` size budget. Run by run.sh (after build.sh and `cargo build -p pmc`).

import assert from "node:assert/strict";
import { statSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";

import { runScenario } from "./scenario.mjs";
import { buildScenarioBundle, readScenario, scenarioNames, simulate, wasmDir } from "./support.mjs";

const require = createRequire(import.meta.url);
const vm = require(join(wasmDir, "pkg/node/pm_vm.js"));
const { Bundle, Engine, Context } = vm;

const scenarioBundle = buildScenarioBundle();

/** The `.wasm` budget of BENCHMARKS.md ("WebAssembly"), in bytes. */
const WASM_BUDGET = 300_000;

test("every scenario gives the deliveries of pmc simulate", () => {
  const bundle = Bundle.load(scenarioBundle.bytes);
  const failures = [];
  let deliveries = 0;
  for (const name of scenarioNames()) {
    const want = simulate(scenarioBundle.path, name);
    const got = runScenario(vm, bundle, readScenario(name));
    deliveries += want.length;
    try {
      assert.deepEqual(got, want);
    } catch {
      failures.push(`${name}: got ${JSON.stringify(got)}, pmc simulate gives ${JSON.stringify(want)}`);
    }
  }
  bundle.free();
  assert.deepEqual(failures, []);
  assert.ok(deliveries > 50, `the scenarios deliver (${deliveries} deliveries)`);
});

test("message content is SPEC §6's JSON as a plain object", () => {
  const bundle = Bundle.load(scenarioBundle.bytes);
  const count = bundle.messageCount();
  assert.ok(count > 20);
  const types = new Set();
  for (let i = 0; i < count; i++) {
    const message = bundle.message(i);
    assert.deepEqual(message, JSON.parse(bundle.messageJson(i)));
    assert.deepEqual(Object.keys(message), ["name", "brand", "channel", "say", "tags", "priority", "respond"]);
    assert.equal(bundle.messageIndex(message.name), i);
    types.add(message.respond.type);
    if (message.respond.type === "agent") {
      assert.deepEqual(Object.keys(message.respond), ["type", "follow_up", "collect"]);
    } else {
      assert.deepEqual(Object.keys(message.respond), ["type", "ai_agent", "answer", "generative"]);
    }
  }
  assert.deepEqual([...types].sort(), ["agent", "ai_agent"]);
  const once = bundle.message(bundle.messageIndex("Device Once"));
  assert.equal(once.say, "Once per device.");
  assert.equal(once.channel, "Shop iOS");
  assert.deepEqual(once.respond, { type: "agent", follow_up: "One moment.", collect: ["name", "email"] });
  assert.equal(bundle.messageIndex("No such message"), undefined);
  bundle.free();
});

test("errors are thrown Errors with the VM's message", () => {
  assert.throws(() => Bundle.load(new Uint8Array([0x50, 0x4d, 0x42, 0])), (e) => e instanceof Error && /\S/.test(e.message));
  assert.throws(() => Bundle.load(new Uint8Array(0)), Error);
  const corrupted = scenarioBundle.bytes.slice();
  corrupted[corrupted.length - 1] ^= 0xff;
  assert.throws(() => Bundle.load(corrupted), Error);
  assert.throws(() => Bundle.loadVerified(scenarioBundle.bytes, ["not hex"]), Error);
  const key = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
  assert.throws(() => Bundle.loadVerified(scenarioBundle.bytes, [key]), /signature|signed/i);

  const bundle = Bundle.load(scenarioBundle.bytes);
  assert.throws(() => new Engine(bundle, "Nope"), { message: 'the bundle has no channel named "Nope"' });
  assert.throws(() => bundle.message(bundle.messageCount()), /no message at index/);
  assert.throws(() => bundle.message(-1), /whole number from 0, not -1/);
  assert.throws(() => bundle.messageJson(0.5), /not a fraction/);
  const engine = new Engine(bundle, "Shop iOS");
  assert.throws(() => engine.appLaunch(1.5), /whole number of milliseconds.*not a fraction/);
  assert.throws(() => engine.screenOpen(Number.NaN, "/", ""), /not NaN/);
  assert.throws(() => engine.advanceTo(2 ** 60), /beyond 2\^53/);
  assert.throws(() => engine.messageOpened(0, -2), /whole number from 0/);
  assert.throws(() => engine.restoreState(new Uint8Array([1, 2, 3, 4, 5])), /device state/);
  // A message index that is not displayed, even out of range, changes nothing.
  engine.messageDismissed(0, 4_000_000_000);
  engine.free();
  bundle.free();
});

test("device state survives save and restore: once_per_device is not shown again", () => {
  const bundle = Bundle.load(scenarioBundle.bytes);
  const start = Date.parse("2026-11-23T09:00:00Z");
  const onceShown = (state) => {
    const engine = new Engine(bundle, "Shop iOS");
    engine.setLanguage("en");
    if (state) engine.restoreState(state);
    engine.appLaunch(start);
    engine.screenOpen(start + 1000, "https://shop.example/device-once", "Once");
    assert.equal(engine.nextDeadline(), start + 1000);
    engine.advanceTo(start + 2000);
    const deliveries = engine.takeDeliveries();
    const saved = engine.saveState();
    engine.free();
    return { shown: deliveries.some((d) => bundle.message(d.message).name === "Device Once"), deliveries, saved };
  };
  const first = onceShown();
  assert.equal(first.shown, true);
  assert.deepEqual(first.deliveries, [{ time: start + 1000, message: bundle.messageIndex("Device Once") }]);
  assert.ok(first.saved instanceof Uint8Array);
  assert.equal(onceShown(first.saved).shown, false, "restored state remembers the delivery");
  assert.equal(onceShown().shown, true, "a new device sees it");
  bundle.free();
});

test("handles: free() releases; use after free and a second free throw, never touching freed memory", () => {
  const bundle = Bundle.load(scenarioBundle.bytes);
  const engine = new Engine(bundle, "Shop iOS");
  const instant = bundle.messageIndex("Instant");
  bundle.free();
  // The engine keeps its own reference to the bundle.
  engine.appLaunch(0);
  engine.screenOpen(0, "https://shop.example/instant", "");
  engine.advanceTo(0);
  assert.deepEqual(engine.takeDeliveries(), [{ time: 0, message: instant }]);
  engine.free();
  assert.throws(() => engine.free(), { name: "Error", message: "null pointer passed to rust" });
  assert.throws(() => engine.appQuit(0), { name: "Error", message: "null pointer passed to rust" });
  assert.throws(() => bundle.messageCount(), Error);
  assert.equal(typeof Symbol.dispose, "symbol");
  for (const Class of [Bundle, Engine, Context]) {
    assert.equal(typeof Class.prototype[Symbol.dispose], "function", `${Class.name}[Symbol.dispose]`);
  }
  const context = new Context();
  context[Symbol.dispose]();
  assert.throws(() => context.setUrl("/"), Error);
});

test("100,000 engine and context create/free cycles do not grow the module's memory", async () => {
  // The web build, instantiated by hand, gives access to the module's memory.
  const web = await import(join(wasmDir, "pkg/web/pm_vm.js"));
  const { memory } = web.initSync({ module: readFileSync(join(wasmDir, "pkg/web/pm_vm_bg.wasm")) });
  const bundle = web.Bundle.load(scenarioBundle.bytes);
  const cycle = () => {
    const engine = new web.Engine(bundle, "Shop iOS");
    engine.appLaunch(0);
    engine.screenOpen(0, "https://shop.example/instant", "Instant");
    engine.advanceTo(0);
    if (engine.takeDeliveries().length !== 1) throw new Error("the instant message is delivered");
    engine.free();
    const context = new web.Context();
    context.setUrl("https://shop.example/pricing");
    bundle.eval(0, context);
    context.free();
  };
  for (let i = 0; i < 1000; i++) cycle();
  const before = memory.buffer.byteLength;
  for (let i = 0; i < 100_000; i++) cycle();
  assert.equal(memory.buffer.byteLength, before);
  bundle.free();
});

test("the .wasm is within its size budget", () => {
  const wasm = join(wasmDir, "pkg/node/pm_vm_bg.wasm");
  const bytes = statSync(wasm).size;
  const gzipped = gzipSync(readFileSync(wasm), { level: 9 }).length;
  console.log(`pm_vm_bg.wasm: ${bytes} bytes (${gzipped} gzipped); budget ${WASM_BUDGET}`);
  assert.ok(bytes <= WASM_BUDGET, `${bytes} bytes is over the budget of ${WASM_BUDGET}`);
});
