// The VS Code client for `pm-lsp`: starts the language server over stdio and restarts it on
// demand. Everything the extension offers besides highlighting comes from the server.

import * as fs from 'node:fs';

import * as vscode from 'vscode';
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
  WorkspaceSymbolRequest,
} from 'vscode-languageclient/node';

import { bundleRoot, fromLsp, literal, nameSlot, namesOf } from './ruleTests';
import { findServer, missingServerMessage, processEnvironment, SERVER_NAME } from './serverPath';

/** Rule tests and scenario files: VS Code validates them with the schemas of `jsonValidation`. */
const RULE_TEST_FILES: vscode.DocumentSelector = [
  { language: 'json', pattern: '**/*.pmtest.json' },
  { language: 'json', pattern: '**/*.scenario.json' },
];

/** The client id; `vscode-languageclient` reads the `pm.trace.server` setting through it. */
const CLIENT_ID = 'pm';
const CLIENT_NAME = 'PM Language Server';

let client: LanguageClient | undefined;
let outputChannel: vscode.LogOutputChannel | undefined;
let traceChannel: vscode.LogOutputChannel | undefined;
/** Serialises starts and stops, so that a restart during a start does not leave two servers. */
let pending: Promise<void> = Promise.resolve();

export function activate(context: vscode.ExtensionContext): void {
  outputChannel = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  traceChannel = vscode.window.createOutputChannel(`${CLIENT_NAME} Trace`, { log: true });
  context.subscriptions.push(outputChannel, traceChannel);

  context.subscriptions.push(
    vscode.commands.registerCommand('pm.restartServer', () => enqueue(restart)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('pm.server.path')) {
        void enqueue(restart);
      }
    }),
    { dispose: () => void stopClient() },
    vscode.languages.registerCompletionItemProvider(RULE_TEST_FILES, { provideCompletionItems: completeNames }, '"'),
  );

  void enqueue(startClient);
}

export function deactivate(): Thenable<void> | undefined {
  return stopClient();
}

function enqueue(step: () => Promise<void>): Promise<void> {
  pending = pending.then(step, step);
  return pending;
}

async function restart(): Promise<void> {
  await stopClient();
  await startClient();
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running === undefined) {
    return;
  }
  try {
    await running.dispose();
  } catch (error) {
    outputChannel?.warn(`Stopping ${SERVER_NAME} failed: ${describe(error)}`);
  }
}

async function startClient(): Promise<void> {
  const configured = vscode.workspace.getConfiguration('pm').get<string>('server.path', '');
  const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
  const lookup = findServer(configured, processEnvironment(folders));
  if (lookup.kind === 'missing') {
    const message = missingServerMessage(lookup);
    outputChannel?.error(message);
    outputChannel?.info(`Looked for: ${lookup.tried.length > 0 ? lookup.tried.join(', ') : '(PATH is empty)'}`);
    void showMissingServer(message);
    return;
  }

  outputChannel?.info(`Starting ${lookup.path}`);
  const executable = { command: lookup.path, args: [], transport: TransportKind.stdio };
  const serverOptions: ServerOptions = { run: executable, debug: executable };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'pm' }, { pattern: '**/account.toml' }],
    synchronize: {
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/account.toml'),
        vscode.workspace.createFileSystemWatcher('**/*.pm'),
      ],
    },
    ...(outputChannel !== undefined ? { outputChannel } : {}),
    ...(traceChannel !== undefined ? { traceOutputChannel: traceChannel } : {}),
  };

  const started = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  client = started;
  try {
    await started.start();
  } catch (error) {
    const message = `PM: ${SERVER_NAME} (${lookup.path}) failed to start: ${describe(error)}`;
    outputChannel?.error(message);
    void vscode.window.showErrorMessage(message, 'Show Output').then((choice) => {
      if (choice === 'Show Output') {
        outputChannel?.show(true);
      }
    });
  }
}

async function showMissingServer(message: string): Promise<void> {
  const openSettings = 'Open Settings';
  const retry = 'Retry';
  const choice = await vscode.window.showErrorMessage(message, openSettings, retry);
  if (choice === openSettings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'pm.server.path');
  } else if (choice === retry) {
    await enqueue(restart);
  }
}

/** Message names (in `expect` and message events) and channel names, from pm-lsp's symbols. */
async function completeNames(
  document: vscode.TextDocument,
  position: vscode.Position,
): Promise<vscode.CompletionItem[] | undefined> {
  const slot = nameSlot(document.getText(), document.offsetAt(position));
  const running = client;
  if (slot === undefined || running === undefined || document.uri.scheme !== 'file') {
    return undefined;
  }
  const root = bundleRoot(document.uri.fsPath, (file) => fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false);
  if (root === undefined) {
    return undefined;
  }
  // pm-lsp analyses the bundles of open documents: open one `.pm` file of this bundle (in the
  // background, no editor is shown) so that its symbols are known.
  const [source] = await vscode.workspace.findFiles(new vscode.RelativePattern(root, '**/*.pm'), null, 1);
  if (source !== undefined) {
    await vscode.workspace.openTextDocument(source);
  }
  const answer: unknown = await running.sendRequest(WorkspaceSymbolRequest.type, { query: '' });
  const range =
    slot.literal === undefined
      ? undefined
      : new vscode.Range(document.positionAt(slot.literal.start), document.positionAt(slot.literal.end));
  return namesOf(fromLsp(answer), slot.kind, root).map((name) => {
    const item = new vscode.CompletionItem(
      name,
      slot.kind === 'message' ? vscode.CompletionItemKind.Event : vscode.CompletionItemKind.Interface,
    );
    item.insertText = literal(name);
    item.filterText = literal(name);
    item.detail = slot.kind === 'message' ? 'message of the bundle' : 'channel of account.toml';
    if (range !== undefined) {
      item.range = range;
    }
    return item;
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
