// The grammar the extension ships must be the repository's grammar, byte for byte.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';

import { REPO_ROOT, SHIPPED_GRAMMAR, SOURCE_GRAMMAR } from './tokenize';

it('syntaxes/pm.tmLanguage.json is a copy of grammar/pm.tmLanguage.json', () => {
  assert.ok(fs.existsSync(SOURCE_GRAMMAR), `${SOURCE_GRAMMAR} is missing`);
  assert.ok(fs.existsSync(SHIPPED_GRAMMAR), `${SHIPPED_GRAMMAR} is missing: run \`npm run compile\``);
  const source = fs.readFileSync(SOURCE_GRAMMAR);
  const shipped = fs.readFileSync(SHIPPED_GRAMMAR);
  assert.ok(
    source.equals(shipped),
    `${path.relative(REPO_ROOT, SHIPPED_GRAMMAR)} differs from ${path.relative(REPO_ROOT, SOURCE_GRAMMAR)}: ` +
      'edit the grammar in grammar/ and run `npm run compile` (or `cargo xtask bless`) to copy it',
  );
});

it('the grammar is JSON with the source.pm scope', () => {
  const grammar = JSON.parse(fs.readFileSync(SOURCE_GRAMMAR, 'utf8')) as { scopeName?: unknown; patterns?: unknown };
  assert.equal(grammar.scopeName, 'source.pm');
  assert.ok(Array.isArray(grammar.patterns) && grammar.patterns.length > 0);
});
