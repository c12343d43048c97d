// Diagnostics latency of pm-lsp through vscode-languageserver-protocol, the client library VS
// Code uses: open one file of a bundle, then send full-document edits that alternate between a
// valid text and one with an error, and time each didChange until the publishDiagnostics of
// that version arrives. Also counts the notifications the server publishes for other
// documents (it should publish only those whose diagnostics changed) and any publish of an
// older version after a newer one.
//
// Usage: node latency.mjs PATH/TO/pm-lsp FILE EDITS [LABEL]
// (FILE is a .pm file of a bundle on disk whose text checks clean; the benchmark
// `cargo bench -p pm-benches --bench lsp_vscode` writes one and runs this script.)
// Prints one line of JSON with the figures.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  InitializeRequest,
  InitializedNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  ExitNotification,
} = require('vscode-languageserver-protocol/node');

const [binary, file, editsArg, label = 'idle'] = process.argv.slice(2);
const edits = Number(editsArg);
assert.ok(binary && file && edits > 0, 'usage: node latency.mjs PM_LSP FILE EDITS [LABEL]');
const WARMUP = 20;

const valid = readFileSync(file, 'utf8');
// The invalid text misspells the first field name, as a typo would: one error (E0302).
const field = valid.indexOf('visitor.page_url');
assert.ok(field >= 0, 'the file reads visitor.page_url');
const invalid = `${valid.slice(0, field)}visitor.page_urx${valid.slice(field + 'visitor.page_url'.length)}`;
const uri = pathToFileURL(file).href;

const server = spawn(binary, [], { stdio: ['pipe', 'pipe', 'ignore'] });
const exited = new Promise((resolve) => server.on('exit', (code) => resolve(code)));
const connection = createProtocolConnection(
  new StreamMessageReader(server.stdout),
  new StreamMessageWriter(server.stdin),
);

let waiting = null; // { version, resolve }
let otherPublishes = 0;
let stalePublishes = 0;
let newestVersion = 0;
connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
  if (params.uri !== uri) {
    otherPublishes += 1;
    return;
  }
  if (params.version !== undefined && params.version !== null) {
    if (params.version < newestVersion) stalePublishes += 1;
    newestVersion = Math.max(newestVersion, params.version);
  }
  if (waiting && params.version === waiting.version) {
    const { resolve } = waiting;
    waiting = null;
    resolve(params.diagnostics);
  }
});
connection.listen();

function diagnosticsOf(version) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no diagnostics for version ${version}`)), 30000);
    waiting = {
      version,
      resolve: (list) => {
        clearTimeout(timer);
        resolve(list);
      },
    };
  });
}

await connection.sendRequest(InitializeRequest.type, {
  processId: process.pid,
  rootUri: null,
  capabilities: {},
  workspaceFolders: null,
});
connection.sendNotification(InitializedNotification.type, {});

let version = 1;
let pending = diagnosticsOf(version);
connection.sendNotification(DidOpenTextDocumentNotification.type, {
  textDocument: { uri, languageId: 'pm', version, text: valid },
});
const opened = await pending;
assert.deepEqual(opened.filter((d) => d.severity === 1), [], 'the file checks clean');
// Publishes for other documents are counted from the end of the warm-up: the first check
// after the open also sends the other files' diagnostics once.
let othersBefore = 0;

const times = [];
for (let k = 0; k < WARMUP + edits; k += 1) {
  version += 1;
  const broken = k % 2 === 0;
  pending = diagnosticsOf(version);
  const start = performance.now();
  connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version },
    contentChanges: [{ text: broken ? invalid : valid }],
  });
  const list = await pending;
  const elapsed = performance.now() - start;
  assert.equal(list.some((d) => d.severity === 1 && d.code === 'E0302'), broken, `edit ${k}`);
  if (k >= WARMUP) times.push(elapsed);
  if (k === WARMUP - 1) othersBefore = otherPublishes;
}

await connection.sendRequest(ShutdownRequest.type);
connection.sendNotification(ExitNotification.type);
const code = await exited;
assert.equal(code, 0, 'the server exits cleanly');
connection.dispose();

times.sort((a, b) => a - b);
const at = (p) => times[Math.min(times.length, Math.max(1, Math.ceil(times.length * p))) - 1];
const round = (ms) => Math.round(ms * 1000) / 1000;
console.log(JSON.stringify({
  label,
  edits,
  bytes: Buffer.byteLength(valid),
  p50_ms: round(at(0.5)),
  p99_ms: round(at(0.99)),
  max_ms: round(times[times.length - 1]),
  other_documents_published_during_edits: otherPublishes - othersBefore,
  stale_publishes: stalePublishes,
}));
