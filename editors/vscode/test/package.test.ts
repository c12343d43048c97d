// package.json and language-configuration.json: what VS Code reads before any code runs.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { EXTENSION_ROOT } from './tokenize';

interface Manifest {
  name: string;
  publisher: string;
  version: string;
  main: string;
  engines: { vscode: string };
  activationEvents: string[];
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  contributes: {
    languages: { id: string; extensions: string[]; configuration: string }[];
    grammars: { language: string; scopeName: string; path: string }[];
    commands: { command: string }[];
    configuration: { properties: Record<string, { type: string; default?: unknown; enum?: string[] }> };
  };
}

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(EXTENSION_ROOT, file), 'utf8')) as T;
const manifest = readJson<Manifest>('package.json');

/** `[major, minor, patch]` of a version such as `^1.91.0` or `1.91.0`. */
function version(text: string): [number, number, number] {
  const match = /^[\^~]?(\d+)\.(\d+)\.(\d+)/.exec(text);
  assert.ok(match !== null, `not a version: ${text}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function atLeast(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

describe('package.json', () => {
  it('declares the pm language for .pm files with an existing configuration', () => {
    assert.equal(manifest.name, 'pm-rules');
    assert.equal(manifest.publisher, 'pm');
    const [language] = manifest.contributes.languages;
    assert.ok(language !== undefined);
    assert.equal(language.id, 'pm');
    assert.deepEqual(language.extensions, ['.pm']);
    assert.ok(fs.existsSync(path.join(EXTENSION_ROOT, language.configuration)), language.configuration);
  });

  it('points its grammar at an existing file with the same language and scope', () => {
    const [grammar] = manifest.contributes.grammars;
    assert.ok(grammar !== undefined);
    assert.equal(grammar.language, manifest.contributes.languages[0]?.id);
    assert.equal(grammar.path, './syntaxes/pm.tmLanguage.json');
    const file = path.join(EXTENSION_ROOT, grammar.path);
    assert.ok(fs.existsSync(file), `${file} is missing: run \`npm run compile\``);
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { scopeName: string };
    assert.equal(parsed.scopeName, grammar.scopeName);
    assert.equal(grammar.scopeName, 'source.pm');
  });

  it('activates on pm files and on bundles', () => {
    assert.deepEqual([...manifest.activationEvents].sort(), ['onLanguage:pm', 'workspaceContains:**/account.toml']);
  });

  it('contributes the settings and the restart command', () => {
    const settings = manifest.contributes.configuration.properties;
    assert.equal(settings['pm.server.path']?.type, 'string');
    assert.equal(settings['pm.server.path']?.default, '');
    assert.deepEqual(settings['pm.trace.server']?.enum, ['off', 'messages', 'verbose']);
    assert.deepEqual(manifest.contributes.commands.map((c) => c.command), ['pm.restartServer']);
  });

  it('asks for a VS Code that its client library and its API types support', () => {
    const engine = version(manifest.engines.vscode);
    const types = manifest.devDependencies['@types/vscode'];
    assert.ok(types !== undefined);
    assert.ok(atLeast(engine, version(types)), `engines.vscode ${manifest.engines.vscode} is older than @types/vscode ${types}`);
    const client = readJson<{ engines: { vscode: string } }>('node_modules/vscode-languageclient/package.json');
    assert.ok(
      atLeast(engine, version(client.engines.vscode)),
      `engines.vscode ${manifest.engines.vscode} is older than vscode-languageclient needs (${client.engines.vscode})`,
    );
  });

  it('pins every dependency to an exact version (the lock file holds the rest)', () => {
    for (const [name, range] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
      assert.match(range, /^\d+\.\d+\.\d+$/, `${name}@${range}`);
    }
  });

  it('ships a self-contained bundle, since `npm run package` leaves node_modules out', () => {
    assert.match(manifest.scripts['package'] ?? '', /--no-dependencies/);
    const main = path.join(EXTENSION_ROOT, manifest.main);
    assert.ok(fs.existsSync(main), `${manifest.main} is missing: run \`npm run compile\``);
    const bundle = fs.readFileSync(main, 'utf8');
    const required = new Set([...bundle.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? ''));
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const outside = [...required].filter((m) => m !== 'vscode' && !builtins.has(m));
    assert.deepEqual(outside, [], 'the bundle requires modules that the .vsix would not contain');
    assert.ok(required.has('vscode'));
  });
});

describe('.vscodeignore', () => {
  it('keeps the bundle, the grammar and the language configuration in the package', () => {
    const ignore = fs.readFileSync(path.join(EXTENSION_ROOT, '.vscodeignore'), 'utf8');
    const patterns = ignore.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
    for (const kept of ['dist', 'syntaxes', 'language-configuration.json', 'package.json', 'README.md']) {
      assert.ok(!patterns.some((p) => p === kept || p.startsWith(`${kept}/`)), `${kept} is ignored`);
    }
    assert.ok(patterns.includes('node_modules/**'));
  });
});

describe('language-configuration.json', () => {
  interface LanguageConfiguration {
    comments: { lineComment: string };
    brackets: [string, string][];
    autoClosingPairs: { open: string; close: string }[];
    surroundingPairs: [string, string][];
    indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
    wordPattern: string;
  }
  const config = readJson<LanguageConfiguration>('language-configuration.json');

  it('has line comments, brackets and quote pairs', () => {
    assert.equal(config.comments.lineComment, '//');
    assert.deepEqual(config.brackets.map((b) => b.join('')).sort(), ['()', '[]', '{}']);
    assert.ok(config.autoClosingPairs.some((p) => p.open === '"' && p.close === '"'));
    assert.ok(config.surroundingPairs.some(([open, close]) => open === '"' && close === '"'));
  });

  it('indents after an opening brace and dedents at a closing one', () => {
    const increase = new RegExp(config.indentationRules.increaseIndentPattern);
    const decrease = new RegExp(config.indentationRules.decreaseIndentPattern);
    assert.ok(increase.test('message "Pricing help" {'));
    assert.ok(increase.test('    respond agent {'));
    assert.ok(!increase.test('    respond agent { collect none }'));
    assert.ok(!increase.test('// a comment {'));
    assert.ok(decrease.test('    }'));
    assert.ok(!decrease.test('    say "}"'));
  });

  it('takes whole identifiers and durations as words', () => {
    const word = new RegExp(config.wordPattern, 'g');
    assert.deepEqual('frequency once_per_visit'.match(word), ['frequency', 'once_per_visit']);
    assert.deepEqual('visitor.page_url'.match(word), ['visitor', 'page_url']);
    assert.deepEqual('after screen_open 1m30s'.match(word), ['after', 'screen_open', '1m30s']);
    assert.deepEqual('priority -10'.match(word), ['priority', '-10']);
  });
});
