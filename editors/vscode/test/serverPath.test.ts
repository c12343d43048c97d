// Finding pm-lsp: the setting, PATH, and what the user is told when it is missing.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';

import { findServer, missingServerMessage, type LookupEnvironment } from '../src/serverPath';

const posix = process.platform !== 'win32';
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-server-path-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

function folder(name: string): string {
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function file(dir: string, name: string, mode: number): string {
  const full = path.join(dir, name);
  fs.writeFileSync(full, '#!/bin/sh\n');
  fs.chmodSync(full, mode);
  return full;
}

function env(overrides: Partial<LookupEnvironment>): LookupEnvironment {
  return { pathVariable: '', pathExt: undefined, platform: process.platform, workspaceFolders: [], homeDir: scratch, ...overrides };
}

describe('findServer', { skip: !posix && 'the fixtures use POSIX permissions' }, () => {
  const empty = folder('empty');
  const notExecutable = folder('not-executable');
  file(notExecutable, 'pm-lsp', 0o644);
  const bin = folder('bin');
  const server = file(bin, 'pm-lsp', 0o755);
  const workspace = folder('workspace');
  const local = file(folder('workspace/target/release'), 'pm-lsp', 0o755);

  it('finds pm-lsp on PATH, skipping folders where it is missing or not executable', () => {
    const pathVariable = [empty, notExecutable, path.join(scratch, 'nonexistent'), bin].join(path.delimiter);
    assert.deepEqual(findServer('', env({ pathVariable })), { kind: 'found', path: server });
    assert.deepEqual(findServer(undefined, env({ pathVariable })), { kind: 'found', path: server });
  });

  it('reports a missing server with the places it looked', () => {
    const lookup = findServer('  ', env({ pathVariable: [empty, notExecutable].join(path.delimiter) }));
    assert.equal(lookup.kind, 'missing');
    assert.ok(lookup.kind === 'missing');
    assert.equal(lookup.configured, undefined);
    assert.deepEqual(lookup.tried, [path.join(empty, 'pm-lsp'), path.join(notExecutable, 'pm-lsp')]);
  });

  it('uses pm.server.path when set: absolute, ~/…, or relative to a workspace folder', () => {
    assert.deepEqual(findServer(server, env({})), { kind: 'found', path: server });
    assert.deepEqual(findServer('~/bin/pm-lsp', env({})), { kind: 'found', path: server });
    assert.deepEqual(
      findServer('target/release/pm-lsp', env({ workspaceFolders: [empty, workspace] })),
      { kind: 'found', path: local },
    );
  });

  it('never falls back to PATH when pm.server.path is wrong', () => {
    const wrong = path.join(scratch, 'nowhere', 'pm-lsp');
    const lookup = findServer(wrong, env({ pathVariable: bin }));
    assert.deepEqual(lookup, { kind: 'missing', configured: wrong, tried: [wrong] });
    assert.equal(findServer(bin, env({ pathVariable: bin })).kind, 'missing', 'a folder is not an executable');
  });
});

describe('findServer on Windows', () => {
  it('tries the PATHEXT extensions', () => {
    const lookup = findServer('', env({ platform: 'win32', pathVariable: 'C:\\nowhere', pathExt: '.EXE;.CMD' }));
    assert.ok(lookup.kind === 'missing');
    assert.deepEqual(lookup.tried.map((t) => path.basename(t)), ['pm-lsp', 'pm-lsp.exe', 'pm-lsp.cmd']);
  });
});

describe('missingServerMessage', () => {
  it('says how to install the server and how to point the setting at it', () => {
    const onPath = missingServerMessage({ kind: 'missing', configured: undefined, tried: [] });
    assert.match(onPath, /not found on PATH/);
    assert.match(onPath, /cargo install --path lsp/);
    assert.match(onPath, /pm\.server\.path/);
    const configured = missingServerMessage({ kind: 'missing', configured: '/opt/pm-lsp', tried: ['/opt/pm-lsp'] });
    assert.match(configured, /"\/opt\/pm-lsp"/);
    assert.match(configured, /cargo install --path lsp/);
    assert.match(configured, /pm\.server\.path/);
  });
});
