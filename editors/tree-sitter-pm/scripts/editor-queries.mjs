#!/usr/bin/env node
// Derives the Helix and Zed copies of the queries from queries/*.scm (nvim-treesitter's capture
// names) by renaming captures to each editor's names. `--check` writes nothing and fails when a
// copy is out of date; CI runs it (ci.sh). Every capture of the source queries must have a
// name in each editor's table below, so a new capture forces a decision.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const grammarDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = join(grammarDir, '..', '..');

// Helix's scopes (https://docs.helix-editor.com/themes.html#scopes).
const helix = {
  'boolean': 'constant.builtin.boolean',
  'comment': 'comment',
  'constant.builtin': 'constant.builtin',
  'function': 'function',
  'keyword': 'keyword',
  'keyword.conditional': 'keyword.control.conditional',
  'keyword.operator': 'keyword.operator',
  'number': 'constant.numeric',
  'operator': 'operator',
  'punctuation.bracket': 'punctuation.bracket',
  'punctuation.delimiter': 'punctuation.delimiter',
  'string': 'string',
  'string.escape': 'constant.character.escape',
  'variable.builtin': 'variable.builtin',
  'variable.member': 'variable.other.member',
  'local.scope': 'local.scope',
  'local.definition': 'local.definition',
  'local.reference': 'local.reference',
};

// The highlight names of Zed's themes.
const zed = {
  'boolean': 'boolean',
  'comment': 'comment',
  'constant.builtin': 'constant',
  'function': 'function',
  'keyword': 'keyword',
  'keyword.conditional': 'keyword',
  'keyword.operator': 'keyword',
  'number': 'number',
  'operator': 'operator',
  'punctuation.bracket': 'punctuation.bracket',
  'punctuation.delimiter': 'punctuation.delimiter',
  'string': 'string',
  'string.escape': 'string.escape',
  'variable.builtin': 'variable.special',
  'variable.member': 'property',
};

const outputs = [
  { source: 'highlights.scm', target: 'helix/queries/highlights.scm', names: helix },
  { source: 'locals.scm', target: 'helix/queries/locals.scm', names: helix },
  { source: 'highlights.scm', target: '../zed/languages/pm/highlights.scm', names: zed },
];

/** The query `text` with every capture renamed through `names`. */
function rename(text, names, source) {
  return text.replace(/@([A-Za-z_][A-Za-z0-9_.-]*)/g, (_, capture) => {
    const renamed = names[capture];
    if (renamed === undefined) {
      throw new Error(`queries/${source}: capture @${capture} has no name in this editor's table`);
    }
    return `@${renamed}`;
  });
}

const check = process.argv.includes('--check');
let stale = 0;
for (const { source, target, names } of outputs) {
  const text = readFileSync(join(grammarDir, 'queries', source), 'utf8');
  const header =
    `; Generated from editors/tree-sitter-pm/queries/${source} by ` +
    'editors/tree-sitter-pm/scripts/editor-queries.mjs: edit the source, then run `cargo xtask bless`.\n\n';
  const wanted = header + rename(text, names, source);
  const path = join(grammarDir, target);
  const shown = relative(repoDir, path);
  let current = null;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // A missing copy is out of date.
  }
  if (current === wanted) {
    continue;
  }
  if (check) {
    console.error(`${shown} is out of date: run cargo xtask bless`);
    stale += 1;
  } else {
    writeFileSync(path, wanted);
    console.log(`wrote ${shown}`);
  }
}
process.exit(stale === 0 ? 0 : 1);
