// Copies the JSON Schemas of scenario and rule-test files, whose source of truth is schemas/ at
// the root of the repository, into schemas/ where package.json's `jsonValidation` points.
// Run by `npm run compile`; test/ruleTests.test.ts checks the copies are byte-for-byte the sources.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const sourceDir = path.resolve(__dirname, '..', '..', '..', 'schemas');
const targetDir = path.resolve(__dirname, '..', 'schemas');

for (const name of ['scenario.schema.json', 'pmtest.schema.json']) {
  const source = path.join(sourceDir, name);
  if (!fs.existsSync(source)) {
    console.error(`copy-schemas: ${source} not found; build the extension from inside the repository`);
    process.exit(1);
  }
  const text = fs.readFileSync(source);
  JSON.parse(text.toString('utf8')); // fail here, not in the editor, on a broken schema
  fs.mkdirSync(targetDir, { recursive: true });
  fs.writeFileSync(path.join(targetDir, name), text);
  console.log(`copy-schemas: ${path.relative(process.cwd(), source)} -> ${path.relative(process.cwd(), path.join(targetDir, name))}`);
}
