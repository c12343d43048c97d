// Tokenizes .pm text with VS Code's own TextMate engine (vscode-textmate + vscode-oniguruma)
// and the grammar the extension ships (syntaxes/pm.tmLanguage.json).

import * as fs from 'node:fs';
import * as path from 'node:path';

import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

/** The extension's folder (tests run from out/test/). */
export const EXTENSION_ROOT = path.resolve(__dirname, '..', '..');
/** The repository's root. */
export const REPO_ROOT = path.resolve(EXTENSION_ROOT, '..', '..');
export const SHIPPED_GRAMMAR = path.join(EXTENSION_ROOT, 'syntaxes', 'pm.tmLanguage.json');
export const SOURCE_GRAMMAR = path.join(REPO_ROOT, 'grammar', 'pm.tmLanguage.json');

export interface Token {
  /** Zero-based line number. */
  readonly line: number;
  /** Zero-based column of the token's first UTF-16 code unit. */
  readonly column: number;
  readonly text: string;
  /** The scope stack, outermost (`source.pm`) first. */
  readonly scopes: readonly string[];
}

let grammarPromise: Promise<textmate.IGrammar> | undefined;

async function loadGrammar(): Promise<textmate.IGrammar> {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName: string) => {
      if (scopeName !== 'source.pm') {
        return null;
      }
      return textmate.parseRawGrammar(fs.readFileSync(SHIPPED_GRAMMAR, 'utf8'), SHIPPED_GRAMMAR);
    },
  });
  const grammar = await registry.loadGrammar('source.pm');
  if (grammar === null) {
    throw new Error(`could not load source.pm from ${SHIPPED_GRAMMAR}`);
  }
  return grammar;
}

/** The grammar, loaded once. */
export function grammar(): Promise<textmate.IGrammar> {
  grammarPromise ??= loadGrammar();
  return grammarPromise;
}

/** All tokens of `text`, line by line, as VS Code would produce them. */
export async function tokenize(text: string): Promise<Token[]> {
  const g = await grammar();
  const tokens: Token[] = [];
  let state = textmate.INITIAL;
  text.split(/\r?\n/).forEach((lineText, line) => {
    const result = g.tokenizeLine(lineText, state, 0);
    if (result.stoppedEarly) {
      throw new Error(`tokenizing stopped early on line ${line + 1}`);
    }
    for (const token of result.tokens) {
      const end = Math.min(token.endIndex, lineText.length);
      if (end > token.startIndex) {
        tokens.push({ line, column: token.startIndex, text: lineText.slice(token.startIndex, end), scopes: token.scopes });
      }
    }
    state = result.ruleStack;
  });
  return tokens;
}

/** Every `.pm` file under `dir`, recursively, sorted; none if `dir` does not exist. */
export function pmFilesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      found.push(...pmFilesUnder(full));
    } else if (entry.isFile() && entry.name.endsWith('.pm')) {
      found.push(full);
    }
  }
  return found.sort();
}
