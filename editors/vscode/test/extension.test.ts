// The bundled extension (what the .vsix ships), activated against a stand-in for the `vscode`
// module: VS Code itself cannot be run here, so this checks what activation does when the
// server is missing — the command is registered and the user is told how to install pm-lsp.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';

import { EXTENSION_ROOT } from './tokenize';

interface FakeVscode {
  readonly errors: string[];
  readonly commands: Map<string, (...args: unknown[]) => unknown>;
  readonly executed: unknown[][];
  /** The document selectors of registered completion providers, and the providers. */
  readonly completions: { selector: unknown; provider: { provideCompletionItems: (...args: unknown[]) => unknown } }[];
  settings: Record<string, unknown>;
  errorChoice: string | undefined;
  readonly module: Record<string, unknown>;
}

/**
 * The `vscode` classes the bundle subclasses when it loads (vscode-languageclient extends
 * CompletionItem, CodeAction, …): found in the bundle itself, so a client update cannot
 * silently break the stand-in.
 */
function classesExtendedBy(bundle: string): string[] {
  const bindings = new Set([...bundle.matchAll(/\b(?:var|let|const)\s+(\w+)\s*=\s*(?:__\w+\()?require\("vscode"\)/g)].map((m) => m[1]));
  const names = new Set<string>();
  for (const match of bundle.matchAll(/\bextends\s+(\w+)\.([A-Z]\w*)/g)) {
    if (bindings.has(match[1]) && match[2] !== undefined) {
      names.add(match[2]);
    }
  }
  return [...names].sort();
}

function fakeVscode(bundle: string): FakeVscode {
  const fake: FakeVscode = {
    errors: [],
    commands: new Map(),
    executed: [],
    completions: [],
    settings: {},
    errorChoice: undefined,
    module: {},
  };
  const disposable = { dispose: () => undefined };
  const channel = {
    name: 'fake',
    logLevel: 0,
    onDidChangeLogLevel: () => disposable,
    append: () => undefined,
    appendLine: () => undefined,
    replace: () => undefined,
    clear: () => undefined,
    show: () => undefined,
    hide: () => undefined,
    dispose: () => undefined,
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  };
  for (const name of classesExtendedBy(bundle)) {
    fake.module[name] = class {};
  }
  Object.assign(fake.module, {
    window: {
      createOutputChannel: () => channel,
      showErrorMessage: async (message: string) => {
        fake.errors.push(message);
        return fake.errorChoice;
      },
    },
    commands: {
      registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
        fake.commands.set(id, handler);
        return disposable;
      },
      executeCommand: async (...args: unknown[]) => {
        fake.executed.push(args);
        return undefined;
      },
    },
    languages: {
      registerCompletionItemProvider: (selector: unknown, provider: FakeVscode['completions'][number]['provider']) => {
        fake.completions.push({ selector, provider });
        return disposable;
      },
    },
    workspace: {
      workspaceFolders: undefined,
      getConfiguration: (section: string) => ({
        get: (key: string, fallback: unknown) => fake.settings[`${section}.${key}`] ?? fallback,
      }),
      onDidChangeConfiguration: () => disposable,
      createFileSystemWatcher: () => ({ ...disposable, onDidCreate: () => disposable, onDidChange: () => disposable, onDidDelete: () => disposable }),
    },
  });
  return fake;
}

interface ExtensionModule {
  activate(context: { subscriptions: { dispose(): unknown }[] }): void;
  deactivate(): Thenable<void> | undefined;
}

const manifest = JSON.parse(fs.readFileSync(path.join(EXTENSION_ROOT, 'package.json'), 'utf8')) as {
  main: string;
  contributes: { commands: { command: string }[] };
};
const main = require.resolve(path.join(EXTENSION_ROOT, manifest.main));
const bundle = fs.readFileSync(main, 'utf8');

/** Loads the bundle afresh with `require('vscode')` answered by `fake`. */
function loadBundle(fake: FakeVscode): ExtensionModule {
  delete require.cache[main];
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = loader._load;
  loader._load = (request: string, ...rest: unknown[]) => (request === 'vscode' ? fake.module : original(request, ...rest));
  try {
    return require(main) as ExtensionModule;
  } finally {
    loader._load = original;
  }
}

async function settle(fake: FakeVscode, errors: number): Promise<void> {
  for (let i = 0; i < 100 && fake.errors.length < errors; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the bundled extension without pm-lsp', () => {
  const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-ext-'));
  const savedPath = process.env['PATH'];
  after(() => {
    process.env['PATH'] = savedPath;
    fs.rmSync(emptyDir, { recursive: true, force: true });
  });

  it('registers every contributed command and explains how to install the server', async () => {
    process.env['PATH'] = emptyDir;
    const fake = fakeVscode(bundle);
    const extension = loadBundle(fake);
    const context = { subscriptions: [] as { dispose(): unknown }[] };
    extension.activate(context);
    await settle(fake, 1);

    for (const { command } of manifest.contributes.commands) {
      assert.ok(fake.commands.has(command), `${command} is contributed but not registered`);
    }
    // Names in rule tests and scenario files are completed; without a server, with nothing.
    assert.deepEqual(
      fake.completions.map((c) => c.selector),
      [[{ language: 'json', pattern: '**/*.pmtest.json' }, { language: 'json', pattern: '**/*.scenario.json' }]],
    );
    const text = '{ "expect": { "delivered": [""] } }';
    const document = {
      getText: () => text,
      offsetAt: () => text.indexOf('""') + 1,
      uri: { scheme: 'file', fsPath: path.join(emptyDir, 'a.pmtest.json') },
    };
    assert.equal(await fake.completions[0]?.provider.provideCompletionItems(document, {}), undefined);
    assert.equal(fake.errors.length, 1);
    assert.match(fake.errors[0] ?? '', /pm-lsp was not found on PATH/);
    assert.match(fake.errors[0] ?? '', /cargo install --path lsp/);
    assert.match(fake.errors[0] ?? '', /pm\.server\.path/);
    await extension.deactivate();
    context.subscriptions.forEach((s) => s.dispose());
  });

  it('names a wrong pm.server.path, opens the setting on request, and retries on restart', async () => {
    const fake = fakeVscode(bundle);
    const wrong = path.join(emptyDir, 'no-such-pm-lsp');
    fake.settings['pm.server.path'] = wrong;
    fake.errorChoice = 'Open Settings';
    const extension = loadBundle(fake);
    extension.activate({ subscriptions: [] });
    await settle(fake, 1);
    assert.equal(fake.errors.length, 1);
    assert.ok(fake.errors[0]?.includes(`"${wrong}"`), fake.errors[0]);
    assert.deepEqual(fake.executed, [['workbench.action.openSettings', 'pm.server.path']]);

    fake.errorChoice = undefined;
    await fake.commands.get('pm.restartServer')?.();
    await settle(fake, 2);
    assert.equal(fake.errors.length, 2, 'the restart command looks for the server again');
    await extension.deactivate();
  });
});
