// Rule tests and scenario files in the editor: the shipped JSON Schemas run through VS Code's
// own JSON language service (`vscode-json-languageservice`, what VS Code uses for
// `jsonValidation`) on the repository's examples, and the completion of message and channel
// names (src/ruleTests.ts).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { getLanguageService, type JSONDocument, TextDocument } from 'vscode-json-languageservice';

import { bundleRoot, fromLsp, literal, nameSlot, namesOf, SYMBOL_KIND } from '../src/ruleTests';
import { EXTENSION_ROOT, REPO_ROOT } from './tokenize';

interface Manifest {
  contributes: { jsonValidation: { fileMatch: string; url: string }[] };
}
const manifest = JSON.parse(fs.readFileSync(path.join(EXTENSION_ROOT, 'package.json'), 'utf8')) as Manifest;

/** VS Code's JSON language service, configured from package.json's `jsonValidation`. */
function jsonService() {
  const service = getLanguageService({
    schemaRequestService: (uri) => Promise.resolve(fs.readFileSync(fileURLToPath(uri), 'utf8')),
    workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).toString() },
  });
  service.configure({
    validate: true,
    allowComments: false,
    schemas: manifest.contributes.jsonValidation.map((v) => ({
      uri: pathToFileURL(path.join(EXTENSION_ROOT, v.url)).toString(),
      fileMatch: [v.fileMatch],
    })),
  });
  return service;
}

function open(file: string, text = fs.readFileSync(file, 'utf8')): [TextDocument, string] {
  return [TextDocument.create(pathToFileURL(file).toString(), 'json', 1, text), text];
}

async function problems(file: string, text?: string): Promise<string[]> {
  const service = jsonService();
  const [document] = open(file, text);
  const json: JSONDocument = service.parseJSONDocument(document);
  const diagnostics = await service.doValidation(document, json);
  return diagnostics.map((d) => `${d.range.start.line + 1}: ${d.message}`);
}

function files(dir: string, suffix: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(suffix))
    .map((f) => path.join(dir, f))
    .sort();
}

describe('the JSON Schemas', () => {
  it('are the repository\'s schemas, byte for byte, where package.json points', () => {
    assert.deepEqual(
      manifest.contributes.jsonValidation.map((v) => [v.fileMatch, v.url]),
      [
        ['*.pmtest.json', './schemas/pmtest.schema.json'],
        ['*.scenario.json', './schemas/scenario.schema.json'],
      ],
    );
    for (const name of ['pmtest.schema.json', 'scenario.schema.json']) {
      const shipped = path.join(EXTENSION_ROOT, 'schemas', name);
      assert.ok(fs.existsSync(shipped), `${shipped} is missing: run \`npm run compile\``);
      assert.ok(
        fs.readFileSync(shipped).equals(fs.readFileSync(path.join(REPO_ROOT, 'schemas', name))),
        `schemas/${name} differs from the repository's: run \`npm run compile\``,
      );
    }
  });

  it('accept every rule test of the examples and every passing test of pmc test\'s own suite', async () => {
    const tests = [
      ...files(path.join(REPO_ROOT, 'examples', 'acme'), '.pmtest.json'),
      ...files(path.join(REPO_ROOT, 'tests', 'ruletest', 'bundle', 'passing'), '.pmtest.json'),
    ];
    assert.ok(tests.length >= 10, `only ${tests.length} rule tests found`);
    for (const file of tests) {
      assert.deepEqual(await problems(file), [], file);
    }
  });

  it('accept every scenario of tests/scenarios, read as a scenario file', async () => {
    const scenarios = fs
      .readdirSync(path.join(REPO_ROOT, 'tests', 'scenarios'))
      .filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json'));
    assert.ok(scenarios.length >= 30);
    for (const name of scenarios) {
      const text = fs.readFileSync(path.join(REPO_ROOT, 'tests', 'scenarios', name), 'utf8');
      const file = path.join(REPO_ROOT, 'tests', 'scenarios', name.replace(/\.json$/, '.scenario.json'));
      assert.deepEqual(await problems(file, text), [], name);
    }
  });

  it('point at what pmc test refuses', async () => {
    const file = path.join(REPO_ROOT, 'tests', 'ruletest', 'bundle', 'failing', 'x.pmtest.json');
    const base = { name: 'n', channel: 'C', device: { language: 'fr' }, start: '2026-11-23T09:00:00Z' };
    const cases: [string, unknown][] = [
      ['no expect', { ...base, events: [] }],
      ['empty expect', { ...base, events: [], expect: {} }],
      ['a typo in an event type', { ...base, events: [{ t: 0, type: 'app_lunch' }], expect: { delivered: [] } }],
      ['a key of another event', { ...base, events: [{ t: 0, type: 'app_quit', url: 'x' }], expect: { delivered: [] } }],
      ['a negative time', { ...base, events: [{ t: -1, type: 'app_quit' }], expect: { delivered: [] } }],
      ['a missing message', { ...base, events: [{ t: 0, type: 'message_opened' }], expect: { delivered: [] } }],
      ['an unknown expectation', { ...base, events: [], expect: { delivers: [] } }],
    ];
    for (const [what, value] of cases) {
      assert.notDeepEqual(await problems(file, JSON.stringify(value, null, 2)), [], what);
    }
  });

  it('complete the event types with their descriptions, and the expectation keys', async () => {
    const service = jsonService();
    const file = path.join(REPO_ROOT, 'examples', 'acme', 'tests', 'new.pmtest.json');
    const text = '{ "events": [ { "t": 0, "type": "" } ], "expect": {  } }';
    const [document] = open(file, text);
    const json = service.parseJSONDocument(document);
    const typeAt = document.positionAt(text.indexOf('""') + 1);
    const types = await service.doComplete(document, typeAt, json);
    const labels = (types?.items ?? []).map((i) => i.label.replace(/"/g, ''));
    for (const type of ['app_launch', 'screen_open', 'message_opened', 'message_dismissed', 'conversation_started', 'conversation_ended', 'set_ai_resolutions', 'app_quit']) {
      assert.ok(labels.includes(type), `${type} not among ${labels.join(', ')}`);
    }
    const screenOpen = types?.items.find((i) => i.label.includes('screen_open'));
    assert.match(JSON.stringify(screenOpen?.documentation ?? ''), /screen/);
    const expectAt = document.positionAt(text.indexOf('{  }') + 2);
    const keys = (await service.doComplete(document, expectAt, json))?.items.map((i) => i.label) ?? [];
    assert.deepEqual([...keys].sort(), ['delivered', 'deliveries', 'not_delivered']);
  });
});

describe('completion of names', () => {
  const text = JSON.stringify(
    {
      channel: 'Acme iOS',
      events: [{ t: 45, type: 'message_dismissed', message: 'Pricing help' }],
      expect: { deliveries: [{ t: 31, message: 'Pri' }], delivered: ['Welcome'], not_delivered: [''] },
    },
    null,
    2,
  );
  const at = (needle: string, delta = 1) => text.indexOf(needle) + delta;

  it('knows where a message or channel name goes, and the string already there', () => {
    assert.deepEqual(nameSlot(text, at('"Acme iOS"')), {
      kind: 'channel',
      literal: { start: text.indexOf('"Acme iOS"'), end: text.indexOf('"Acme iOS"') + 10 },
    });
    assert.equal(nameSlot(text, at('"Pricing help"'))?.kind, 'message');
    assert.equal(nameSlot(text, at('"Pri"', 3))?.kind, 'message');
    assert.equal(nameSlot(text, at('"Welcome"'))?.kind, 'message');
    assert.equal(nameSlot(text, at('""'))?.kind, 'message');
  });

  it('offers nothing in keys and other values', () => {
    assert.equal(nameSlot(text, at('"channel"')), undefined);
    assert.equal(nameSlot(text, at('"message_dismissed"')), undefined);
    assert.equal(nameSlot(text, at('"expect"')), undefined);
    assert.equal(nameSlot('{ "name": "x" }', 11), undefined);
  });

  it('takes the names of the bundle from workspace symbols', () => {
    const root = path.join(REPO_ROOT, 'examples', 'acme');
    const uri = (file: string) => pathToFileURL(path.join(file)).toString();
    const answer = [
      { name: 'Pricing help', kind: SYMBOL_KIND.message, location: { uri: uri(path.join(root, 'pricing.pm')) } },
      { name: 'Aide en français', kind: SYMBOL_KIND.message, location: { uri: uri(path.join(root, 'support', 'languages.pm')) } },
      { name: 'Pricing help', kind: SYMBOL_KIND.message, location: { uri: uri(path.join(root, 'pricing.pm')) } },
      { name: 'Acme iOS', kind: SYMBOL_KIND.channel, location: { uri: uri(path.join(root, 'account.toml')) } },
      { name: 'Elsewhere', kind: SYMBOL_KIND.message, location: { uri: uri(path.join(REPO_ROOT, 'other', 'a.pm')) } },
      { name: 'pricing_pages', kind: 12, location: { uri: uri(path.join(root, 'conditions.pm')) } },
      { name: 'Remote', kind: SYMBOL_KIND.message, location: { uri: 'untitled:x' } },
      'not a symbol',
    ];
    const symbols = fromLsp(answer);
    assert.deepEqual(namesOf(symbols, 'message', root), ['Aide en français', 'Pricing help']);
    assert.deepEqual(namesOf(symbols, 'channel', root), ['Acme iOS']);
    assert.deepEqual(fromLsp(null), []);
  });

  it('finds the bundle upwards and quotes names as JSON', () => {
    const acme = path.join(REPO_ROOT, 'examples', 'acme');
    const isFile = (file: string) => fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
    assert.equal(bundleRoot(path.join(acme, 'tests', 'ios-welcome.pmtest.json'), isFile), acme);
    assert.equal(bundleRoot(path.join(path.parse(REPO_ROOT).root, 'x.pmtest.json'), () => false), undefined);
    assert.equal(literal('Say "hi"'), '"Say \\"hi\\""');
  });
});
