// Copies the TextMate grammar, whose source of truth is grammar/pm.tmLanguage.json at the root
// of the repository, into syntaxes/ where package.json's grammar contribution points.
// Run by `npm run compile`; test/drift.test.ts checks the copy is byte-for-byte the source.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const source = path.resolve(__dirname, '..', '..', '..', 'grammar', 'pm.tmLanguage.json');
const target = path.resolve(__dirname, '..', 'syntaxes', 'pm.tmLanguage.json');

if (!fs.existsSync(source)) {
  console.error(`copy-grammar: ${source} not found; build the extension from inside the repository`);
  process.exit(1);
}
const text = fs.readFileSync(source);
JSON.parse(text.toString('utf8')); // fail here, not at load time in the editor, on a broken grammar
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, text);
console.log(`copy-grammar: ${path.relative(process.cwd(), source)} -> ${path.relative(process.cwd(), target)}`);
