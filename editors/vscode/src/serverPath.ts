// Finding the `pm-lsp` executable. Kept free of the `vscode` module so that it can be tested
// under plain Node (there is no VS Code to run extension-host tests against here).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The name of the language server's executable (without `.exe`). */
export const SERVER_NAME = 'pm-lsp';

/** Where the server was found, or why it was not. */
export type ServerLookup =
  | { readonly kind: 'found'; readonly path: string }
  | { readonly kind: 'missing'; readonly configured: string | undefined; readonly tried: readonly string[] };

export interface LookupEnvironment {
  /** The `PATH` variable (`Path` on Windows). */
  readonly pathVariable: string | undefined;
  /** `PATHEXT` on Windows; ignored elsewhere. */
  readonly pathExt: string | undefined;
  readonly platform: NodeJS.Platform;
  /** Folders a relative `pm.server.path` is resolved against, first match wins. */
  readonly workspaceFolders: readonly string[];
  readonly homeDir: string;
}

/** The lookup environment of the current process. */
export function processEnvironment(workspaceFolders: readonly string[]): LookupEnvironment {
  return {
    pathVariable: process.env['PATH'] ?? process.env['Path'],
    pathExt: process.env['PATHEXT'],
    platform: process.platform,
    workspaceFolders,
    homeDir: os.homedir(),
  };
}

/** True when `file` is a regular file this process may execute. */
export function isExecutable(file: string, platform: NodeJS.Platform = process.platform): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (platform !== 'win32') {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

function executableNames(base: string, env: LookupEnvironment): string[] {
  if (env.platform !== 'win32') {
    return [base];
  }
  const extensions = (env.pathExt ?? '.COM;.EXE;.BAT;.CMD')
    .split(';')
    .map((ext) => ext.trim())
    .filter((ext) => ext.length > 0);
  if (path.extname(base) !== '') {
    return [base];
  }
  return [base, ...extensions.map((ext) => base + ext.toLowerCase())];
}

/**
 * Finds the server: `configured` (the `pm.server.path` setting) when it is non-empty — absolute,
 * `~/…`, or relative to a workspace folder — otherwise `pm-lsp` on `PATH`. A configured path that
 * does not point at an executable is reported as missing; it never falls back to `PATH`, so a
 * typo in the setting is not hidden by some other `pm-lsp`.
 */
export function findServer(configured: string | undefined, env: LookupEnvironment): ServerLookup {
  const setting = configured?.trim() ?? '';
  const tried: string[] = [];
  if (setting !== '') {
    let expanded = setting;
    if (expanded === '~' || expanded.startsWith('~/') || expanded.startsWith('~\\')) {
      expanded = path.join(env.homeDir, expanded.slice(1));
    }
    const candidates = path.isAbsolute(expanded)
      ? [expanded]
      : env.workspaceFolders.length > 0
        ? env.workspaceFolders.map((folder) => path.resolve(folder, expanded))
        : [path.resolve(expanded)];
    for (const candidate of candidates) {
      for (const name of executableNames(candidate, env)) {
        tried.push(name);
        if (isExecutable(name, env.platform)) {
          return { kind: 'found', path: name };
        }
      }
    }
    return { kind: 'missing', configured: setting, tried };
  }
  const separator = env.platform === 'win32' ? ';' : ':';
  const folders = (env.pathVariable ?? '').split(separator).filter((folder) => folder.length > 0);
  for (const folder of folders) {
    for (const name of executableNames(path.join(folder, SERVER_NAME), env)) {
      tried.push(name);
      if (isExecutable(name, env.platform)) {
        return { kind: 'found', path: name };
      }
    }
  }
  return { kind: 'missing', configured: undefined, tried };
}

/** The error shown when the server cannot be found: what is wrong and how to fix it. */
export function missingServerMessage(lookup: Extract<ServerLookup, { kind: 'missing' }>): string {
  const install = 'Install it with `cargo install --path lsp` from the repository root';
  if (lookup.configured !== undefined) {
    return (
      `PM: the language server was not found at "${lookup.configured}" (the pm.server.path setting). ` +
      `${install}, then set pm.server.path to the installed ${SERVER_NAME} binary, or clear the setting to use ${SERVER_NAME} from PATH.`
    );
  }
  return (
    `PM: the language server ${SERVER_NAME} was not found on PATH. ` +
    `${install} (it goes to ~/.cargo/bin, which must be on PATH), or set pm.server.path to the ${SERVER_NAME} binary.`
  );
}
