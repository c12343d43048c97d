// Completion of message and channel names in rule tests (`*.pmtest.json`) and scenario files
// (`*.scenario.json`), without VS Code: where in the JSON a name is expected, which names the
// bundle has (from the language server's workspace symbols), and the edit that inserts one.
//
// VS Code's JSON language service validates these files and completes their keys and event
// types from the shipped JSON Schemas (`schemas/`, declared in package.json's
// `jsonValidation`). Message and channel names differ per bundle, so they cannot be in a
// static schema: extension.ts asks pm-lsp for the bundle's symbols and offers them here.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import { getLocation, type JSONPath } from 'jsonc-parser';

/** What kind of name the cursor is in front of, if any. */
export type NameKind = 'message' | 'channel';

/** Where a name goes: its kind, and the string literal already there (`[start, end)`, quotes included). */
export interface NameSlot {
  kind: NameKind;
  literal: { start: number; end: number } | undefined;
}

/** Whether `a` matches `pattern`, where a `'*'` entry of the pattern matches any array index. */
function matches(a: JSONPath, pattern: readonly (string | '*')[]): boolean {
  return (
    a.length === pattern.length &&
    pattern.every((step, i) => (step === '*' ? typeof a[i] === 'number' : a[i] === step))
  );
}

/** The paths whose values are message names, and the one that is a channel name. */
const MESSAGE_PATHS: readonly (readonly (string | '*')[])[] = [
  ['expect', 'delivered', '*'],
  ['expect', 'not_delivered', '*'],
  ['expect', 'deliveries', '*', 'message'],
  ['events', '*', 'message'],
];
const CHANNEL_PATH = ['channel'];

/** The name slot at `offset` of the JSON `text`: a value (not a key) at one of the paths above. */
export function nameSlot(text: string, offset: number): NameSlot | undefined {
  const location = getLocation(text, offset);
  if (location.isAtPropertyKey) {
    return undefined;
  }
  const kind: NameKind | undefined = MESSAGE_PATHS.some((p) => matches(location.path, p))
    ? 'message'
    : matches(location.path, CHANNEL_PATH)
      ? 'channel'
      : undefined;
  if (kind === undefined) {
    return undefined;
  }
  const node = location.previousNode;
  const literal =
    node !== undefined && node.type === 'string' && node.offset <= offset && offset <= node.offset + node.length
      ? { start: node.offset, end: node.offset + node.length }
      : undefined;
  return { kind, literal };
}

/** A workspace symbol as pm-lsp sends it (LSP `SymbolInformation`), reduced to what is used. */
export interface BundleSymbol {
  name: string;
  /** LSP `SymbolKind`: 24 (`Event`) for messages, 11 (`Interface`) for channels. */
  kind: number;
  /** The file the symbol is in. */
  file: string;
}

/** LSP symbol kinds of pm-lsp's messages and channels (`lsp/src/to_proto.rs`). */
export const SYMBOL_KIND: Record<NameKind, number> = { message: 24, channel: 11 };

/**
 * The `workspace/symbol` answer (`SymbolInformation[]` or `WorkspaceSymbol[]`) as
 * [`BundleSymbol`]s; entries that are not symbols in a `file:` URI are left out.
 */
export function fromLsp(answer: unknown): BundleSymbol[] {
  if (!Array.isArray(answer)) {
    return [];
  }
  const symbols: BundleSymbol[] = [];
  for (const entry of answer as unknown[]) {
    const symbol = entry as { name?: unknown; kind?: unknown; location?: { uri?: unknown } };
    const uri = symbol.location?.uri;
    if (typeof symbol.name !== 'string' || typeof symbol.kind !== 'number' || typeof uri !== 'string') {
      continue;
    }
    if (!uri.startsWith('file:')) {
      continue;
    }
    symbols.push({ name: symbol.name, kind: symbol.kind, file: fileURLToPath(uri) });
  }
  return symbols;
}

/** The names of `kind` among `symbols` that belong to the bundle at `root`, sorted, each once. */
export function namesOf(symbols: readonly BundleSymbol[], kind: NameKind, root: string): string[] {
  const inside = (file: string) => {
    const relative = path.relative(root, file);
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  };
  const names = symbols.filter((s) => s.kind === SYMBOL_KIND[kind] && inside(s.file)).map((s) => s.name);
  return [...new Set(names)].sort((a, b) => a.localeCompare(b));
}

/** The bundle root of `file`: the nearest directory at or above it holding `account.toml`. */
export function bundleRoot(file: string, isFile: (candidate: string) => boolean): string | undefined {
  let dir = path.dirname(file);
  for (;;) {
    if (isFile(path.join(dir, 'account.toml'))) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      return undefined;
    }
    dir = parent;
  }
}

/** The JSON string literal of `name`, quotes included. */
export function literal(name: string): string {
  return JSON.stringify(name);
}
