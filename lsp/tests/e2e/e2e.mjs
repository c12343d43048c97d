// End-to-end test of pm-lsp through vscode-languageserver-protocol, the client library VS Code
// itself uses: start the real binary, speak LSP over its stdio, check each feature's answer.
//
// Usage: node e2e.mjs PATH/TO/pm-lsp REPO_ROOT

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  PublishDiagnosticsNotification,
  CompletionRequest,
  HoverRequest,
  DefinitionRequest,
  RenameRequest,
  DocumentFormattingRequest,
  CodeActionRequest,
  DocumentSymbolRequest,
  SemanticTokensRequest,
  ShutdownRequest,
  ExitNotification,
} = require('vscode-languageserver-protocol/node');

const [binary, repo] = process.argv.slice(2);
const acme = join(repo, 'examples', 'acme');
const uriOf = (path) => pathToFileURL(path).href;

const server = spawn(binary, [], { stdio: ['pipe', 'pipe', 'inherit'] });
const exited = new Promise((resolve) => server.on('exit', (code) => resolve(code)));
const connection = createProtocolConnection(
  new StreamMessageReader(server.stdout),
  new StreamMessageWriter(server.stdin),
);

// The latest diagnostics of each URI, and waiters for the next ones.
const diagnostics = new Map();
const waiters = [];
connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
  diagnostics.set(params.uri, params.diagnostics);
  for (const waiter of waiters.splice(0)) waiter();
});
async function diagnosticsOf(uri, accept = () => true) {
  const deadline = Date.now() + 20000;
  while (!(diagnostics.has(uri) && accept(diagnostics.get(uri)))) {
    assert.ok(Date.now() < deadline, `no acceptable diagnostics for ${uri}`);
    await new Promise((resolve) => {
      waiters.push(resolve);
      setTimeout(resolve, 200);
    });
  }
  return diagnostics.get(uri);
}
connection.listen();

let passed = 0;
async function check(name, body) {
  await body();
  passed += 1;
  console.log(`ok - ${name}`);
}

function open(path, text) {
  connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri: uriOf(path), languageId: 'pm', version: 1, text },
  });
  return uriOf(path);
}

/** The position of the first `needle` in `text` (plus `shift` characters), in UTF-16 units. */
function positionOf(text, needle, shift = 0) {
  const index = text.indexOf(needle);
  assert.ok(index >= 0, `${needle} not found`);
  const before = text.slice(0, index + shift);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

const init = await connection.sendRequest(InitializeRequest.type, {
  processId: process.pid,
  rootUri: uriOf(acme),
  capabilities: {},
  workspaceFolders: null,
});
connection.sendNotification(InitializedNotification.type, {});

await check('initialize announces the features', async () => {
  const caps = init.capabilities;
  assert.equal(caps.textDocumentSync.change, 2, 'incremental sync');
  for (const feature of ['completionProvider', 'hoverProvider', 'definitionProvider', 'renameProvider',
    'documentFormattingProvider', 'codeActionProvider', 'semanticTokensProvider', 'inlayHintProvider']) {
    assert.ok(caps[feature], feature);
  }
});

const pricingPath = join(acme, 'pricing.pm');
const pricing = readFileSync(pricingPath, 'utf8');
const conditionsPath = join(acme, 'conditions.pm');
const pricingUri = open(pricingPath, pricing);
const conditionsUri = open(conditionsPath, readFileSync(conditionsPath, 'utf8'));

await check('the example files have no errors', async () => {
  const list = await diagnosticsOf(pricingUri);
  assert.deepEqual(list.filter((d) => d.severity === 1), []);
});

// A file with errors, not saved, that joins the acme bundle; its second line has emoji before
// the error, so UTF-16 columns differ from bytes and characters.
const brokenPath = join(acme, 'e2e-broken.pm');
const broken = [
  'message "Broken" {',
  '    brand "Acme"',
  '    channel "Acme iOS"',
  '    say "👋👋 hello" when visitor.pgae_url contains "x" after screen_open',
  '    respond agent { follow_up "ok" }',
  '    frequency once_per_visit',
  '}',
  '',
].join('\n');
const brokenUri = open(brokenPath, broken);

let fieldError;
await check('diagnostics at the right UTF-16 ranges', async () => {
  const list = await diagnosticsOf(brokenUri, (l) => l.some((d) => d.code === 'E0302'));
  fieldError = list.find((d) => d.code === 'E0302');
  const start = positionOf(broken, 'pgae_url');
  assert.deepEqual(fieldError.range, {
    start,
    end: { line: start.line, character: start.character + 'pgae_url'.length },
  });
  assert.equal(start.character, 34, 'two emoji are four UTF-16 units (bytes would give 38)');
  assert.equal(fieldError.source, 'pmc');
  assert.match(fieldError.message, /pgae_url/);
});

await check('a code action fixes the misspelt field', async () => {
  const actions = await connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: brokenUri },
    range: fieldError.range,
    context: { diagnostics: [fieldError] },
  });
  const fix = actions.find((a) => a.title.includes('page_url'));
  assert.ok(fix, JSON.stringify(actions));
  assert.equal(fix.kind, 'quickfix');
  assert.deepEqual(fix.edit.changes[brokenUri], [{ range: fieldError.range, newText: 'page_url' }]);
});

const scratch = [
  'message "Scratch" {',
  '    brand "Acme Travel"',
  '    channel ""',
  '    when visitor.',
  '}',
  'condition e2e_language = device.language ',
  'message "Scratch two" {',
  '    brand "Acme"',
  '    channel ""',
  '}',
  '',
].join('\n');
const scratchUri = open(join(acme, 'e2e-scratch.pm'), scratch);
const labelsAt = async (position) => {
  const answer = await connection.sendRequest(CompletionRequest.type, {
    textDocument: { uri: scratchUri },
    position,
  });
  return (Array.isArray(answer) ? answer : answer.items).map((item) => item.label);
};

await check('completion after `visitor.` lists exactly the three visitor fields', async () => {
  assert.deepEqual(await labelsAt(positionOf(scratch, 'visitor.', 'visitor.'.length)),
    ['page_url', 'page_title', 'visit_history']);
});

await check('completion after `device.language ` lists `is` and `is not` only', async () => {
  assert.deepEqual(await labelsAt(positionOf(scratch, 'device.language ', 'device.language '.length)),
    ['is', 'is not']);
});

await check('completion inside `channel "` lists only channels of the message brand', async () => {
  const travel = positionOf(scratch, 'channel ""', 'channel "'.length);
  assert.deepEqual(await labelsAt(travel), ['Acme Travel App']);
  const second = scratch.indexOf('channel ""', scratch.indexOf('Scratch two'));
  const before = scratch.slice(0, second + 'channel "'.length);
  const acmePosition = { line: before.split('\n').length - 1, character: '    channel "'.length };
  assert.deepEqual(await labelsAt(acmePosition), ['Acme iOS', 'Acme Android']);
});

await check('hover explains a named condition and a channel', async () => {
  const condition = await connection.sendRequest(HoverRequest.type, {
    textDocument: { uri: pricingUri },
    position: positionOf(pricing, 'pricing_pages', 2),
  });
  assert.match(condition.contents.value, /condition pricing_pages = visitor\.page_url contains/);
  const channel = await connection.sendRequest(HoverRequest.type, {
    textDocument: { uri: pricingUri },
    position: positionOf(pricing, 'Acme iOS', 2),
  });
  assert.match(channel.contents.value, /ios channel of brand `Acme`/);
});

await check('go to definition leads into account.toml', async () => {
  const answer = await connection.sendRequest(DefinitionRequest.type, {
    textDocument: { uri: pricingUri },
    position: positionOf(pricing, 'Acme iOS', 2),
  });
  const [location] = answer;
  assert.equal(location.uri, uriOf(join(acme, 'account.toml')));
  const account = readFileSync(join(acme, 'account.toml'), 'utf8');
  assert.deepEqual(location.range.start, positionOf(account, '"Acme iOS"'));
});

await check('rename a named condition across files', async () => {
  const edit = await connection.sendRequest(RenameRequest.type, {
    textDocument: { uri: pricingUri },
    position: positionOf(pricing, 'pricing_pages', 1),
    newName: 'pricing_screens',
  });
  assert.equal(edit.changes[pricingUri].length, 2);
  assert.equal(edit.changes[conditionsUri].length, 1);
  for (const edits of Object.values(edit.changes)) {
    for (const e of edits) assert.equal(e.newText, 'pricing_screens');
  }
  await assert.rejects(connection.sendRequest(RenameRequest.type, {
    textDocument: { uri: pricingUri },
    position: positionOf(pricing, 'pricing_pages', 1),
    newName: 'Not Valid',
  }));
});

await check('formatting gives the layout of pmc fmt', async () => {
  const messyUri = open(join(acme, 'e2e-messy.pm'), 'condition   e2e_x=visitor.page_url is "a"');
  const edits = await connection.sendRequest(DocumentFormattingRequest.type, {
    textDocument: { uri: messyUri },
    options: { tabSize: 4, insertSpaces: true },
  });
  assert.equal(edits.length, 1);
  assert.equal(edits[0].newText, 'condition e2e_x = visitor.page_url is "a"\n');
  const clean = await connection.sendRequest(DocumentFormattingRequest.type, {
    textDocument: { uri: pricingUri },
    options: { tabSize: 4, insertSpaces: true },
  });
  assert.deepEqual(clean, [], 'the example is already formatted');
});

await check('outline and semantic tokens', async () => {
  const symbols = await connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: pricingUri } });
  assert.deepEqual(symbols.map((s) => s.name), ['Pricing help', 'Pricing FAQ bot', 'Enterprise plans']);
  const tokens = await connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri: pricingUri } });
  assert.equal(tokens.data.length % 5, 0);
  assert.ok(tokens.data.length > 100);
});

await connection.sendRequest(ShutdownRequest.type);
connection.sendNotification(ExitNotification.type);
const code = await exited;
assert.equal(code, 0, 'pm-lsp exits with 0 after shutdown and exit');
console.log(`${passed} checks passed`);
connection.dispose();
