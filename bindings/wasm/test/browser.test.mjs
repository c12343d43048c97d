// The JavaScript binding in headless Chromium (Debian's `chromium`, driven by playwright-core):
// a page served from localhost loads the web build (`pkg/web`), fetches the scenario bundle
// and every scenario file, and runs them with the same driver as the Node test; each must
// give exactly the deliveries of `pmc simulate --format json`.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { test } from "node:test";

import { buildScenarioBundle, requireTool, scenarioNames, scenariosDir, simulate, wasmDir } from "./support.mjs";

/** The Chromium binary on PATH, or undefined. */
function findChromium() {
  for (const name of ["chromium", "chromium-browser"]) {
    try {
      return execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim() || undefined;
    } catch {
      // Not this name.
    }
  }
  return undefined;
}

async function loadPlaywright() {
  try {
    return (await import("playwright-core")).chromium;
  } catch {
    return undefined;
  }
}

const TYPES = { ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json", ".wasm": "application/wasm", ".pmb": "application/octet-stream" };

/** A static server on 127.0.0.1: /pkg and /test from bindings/wasm, /scenarios, /bundle.pmb. */
function serve(bundlePath) {
  const mounts = [
    ["/pkg/", join(wasmDir, "pkg")],
    ["/test/", join(wasmDir, "test")],
    ["/scenarios/", scenariosDir],
  ];
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
    let file;
    if (path === "/bundle.pmb") file = bundlePath;
    else if (path === "/") file = null;
    else {
      for (const [prefix, dir] of mounts) {
        const candidate = normalize(join(dir, path.slice(prefix.length)));
        if (path.startsWith(prefix) && candidate.startsWith(dir + sep)) file = candidate;
      }
    }
    try {
      if (file === null) {
        response.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>pm-vm</title>");
        return;
      }
      const body = await readFile(file);
      response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

test("every scenario in headless Chromium gives the deliveries of pmc simulate", async (t) => {
  const executablePath = findChromium();
  const chromium = await loadPlaywright();
  if (!requireTool(t, !executablePath && "chromium is not on PATH (apt-get install chromium)")) return;
  if (!requireTool(t, !chromium && "playwright-core is not installed (npm ci in bindings/wasm/test)")) return;

  const scenarioBundle = buildScenarioBundle();
  const names = scenarioNames();
  const server = await serve(scenarioBundle.path);
  const browser = await chromium.launch({
    executablePath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    const result = await page.evaluate(async (names) => {
      const vm = await import("/pkg/web/pm_vm.js");
      await vm.default();
      const { runScenario } = await import("/test/scenario.mjs");
      const bytes = new Uint8Array(await (await fetch("/bundle.pmb")).arrayBuffer());
      const bundle = vm.Bundle.load(bytes);
      const deliveries = {};
      for (const name of names) {
        const scenario = await (await fetch(`/scenarios/${name}.json`)).json();
        deliveries[name] = runScenario(vm, bundle, scenario);
      }
      const content = bundle.message(0);
      const json = JSON.parse(bundle.messageJson(0));
      let thrown;
      try {
        new vm.Engine(bundle, "Nope");
      } catch (e) {
        thrown = { isError: e instanceof Error, message: e.message };
      }
      bundle.free();
      return { deliveries, content, json, thrown, userAgent: navigator.userAgent };
    }, names);
    assert.match(result.userAgent, /HeadlessChrome|Chrome/);
    const failures = [];
    for (const name of names) {
      const want = simulate(scenarioBundle.path, name);
      try {
        assert.deepEqual(result.deliveries[name], want);
      } catch {
        failures.push(`${name}: got ${JSON.stringify(result.deliveries[name])}, pmc simulate gives ${JSON.stringify(want)}`);
      }
    }
    assert.deepEqual(failures, []);
    assert.equal(Object.keys(result.deliveries).length, names.length);
    assert.deepEqual(result.content, result.json);
    assert.deepEqual(result.thrown, { isError: true, message: 'the bundle has no channel named "Nope"' });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.close();
  }
});
