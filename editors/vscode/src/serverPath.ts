// Finds the `newsmark` executable that the extension starts as `newsmark lsp`.
//
// This module must not import `vscode`: the unit tests in test/unit run it
// under plain Node. extension.ts passes in everything it needs to know.
//
// Order, first usable candidate wins:
//   1. the `newsmark.server.path` setting (`~` expanded; relative paths are
//      resolved against the first workspace folder)
//   2. the NEWSMARK_SERVER_PATH environment variable
//   3. the binary bundled in the extension: bundled/newsmark(.exe)
//   4. `newsmark` on PATH
// A candidate that is set but unusable (missing, a directory, not executable)
// is skipped with a warning; when no candidate is usable, ServerNotFoundError
// lists what was tried and how to fix it.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const SETTING = 'newsmark.server.path';
export const ENV_VAR = 'NEWSMARK_SERVER_PATH';
export const INSTALL_HINT = 'cargo install --path server';

export type ServerSource = 'setting' | 'env' | 'bundled' | 'path';

export interface DiscoveryOptions {
  /** Value of the `newsmark.server.path` setting; empty or undefined when unset. */
  settingPath?: string | null;
  /** Environment to read NEWSMARK_SERVER_PATH, PATH and PATHEXT from. */
  env?: NodeJS.ProcessEnv;
  /** Root folder of the installed extension (holds `bundled/`). */
  extensionPath: string;
  /** First workspace folder, for a relative setting. */
  workspaceFolder?: string;
  platform?: NodeJS.Platform;
  homedir?: string;
}

export interface Attempt {
  source: ServerSource;
  /** The candidate path, when there was one. */
  path?: string;
  /** Why it was not used. */
  reason: string;
}

export interface FoundServer {
  path: string;
  source: ServerSource;
  /** Candidates earlier in the order that were set but unusable. */
  skipped: Attempt[];
}

export class ServerNotFoundError extends Error {
  constructor(readonly attempts: Attempt[]) {
    super(notFoundMessage(attempts));
    this.name = 'ServerNotFoundError';
  }
}

export function describeSource(source: ServerSource): string {
  switch (source) {
    case 'setting':
      return `the \`${SETTING}\` setting`;
    case 'env':
      return `the ${ENV_VAR} environment variable`;
    case 'bundled':
      return 'the server bundled with the extension';
    case 'path':
      return '`newsmark` on PATH';
  }
}

/** `~` and `~/x` become the home directory and a path below it. */
export function expandHome(p: string, homedir: string = os.homedir()): string {
  if (p === '~') return homedir;
  if (p.startsWith('~/') || p.startsWith('~\\')) return path.join(homedir, p.slice(2));
  return p;
}

export function executableName(platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? 'newsmark.exe' : 'newsmark';
}

export function bundledServerPath(extensionPath: string, platform: NodeJS.Platform = process.platform): string {
  return path.join(extensionPath, 'bundled', executableName(platform));
}

/** Why `p` cannot be started, or undefined when it can. */
export function unusableReason(p: string, platform: NodeJS.Platform = process.platform): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    return `${p} does not exist`;
  }
  if (!stat.isFile()) return `${p} is not a file`;
  if (platform !== 'win32') {
    try {
      fs.accessSync(p, fs.constants.X_OK);
    } catch {
      return `${p} is not executable (chmod +x ${p})`;
    }
  }
  return undefined;
}

/** The first usable `newsmark` in the PATH of `env`, or undefined. */
export function searchPath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  const pathVar = env.PATH ?? env.Path ?? '';
  const delimiter = platform === 'win32' ? ';' : ':';
  const names =
    platform === 'win32'
      ? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean).map((ext) => `newsmark${ext.toLowerCase()}`)
      : ['newsmark'];
  for (const dir of pathVar.split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (unusableReason(candidate, platform) === undefined) return candidate;
    }
  }
  return undefined;
}

export function findServer(options: DiscoveryOptions): FoundServer {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const homedir = options.homedir ?? os.homedir();
  const attempts: Attempt[] = [];

  const explicit: Array<[ServerSource, string | undefined | null]> = [
    ['setting', options.settingPath],
    ['env', env[ENV_VAR]],
  ];
  for (const [source, raw] of explicit) {
    const value = raw?.trim();
    if (!value) {
      attempts.push({ source, reason: 'not set' });
      continue;
    }
    let candidate = expandHome(value, homedir);
    if (!path.isAbsolute(candidate) && options.workspaceFolder) {
      candidate = path.resolve(options.workspaceFolder, candidate);
    }
    const reason = unusableReason(candidate, platform);
    if (reason === undefined) return { path: candidate, source, skipped: setButUnusable(attempts) };
    attempts.push({ source, path: candidate, reason });
  }

  const bundled = bundledServerPath(options.extensionPath, platform);
  const bundledReason = unusableReason(bundled, platform);
  if (bundledReason === undefined) return { path: bundled, source: 'bundled', skipped: setButUnusable(attempts) };
  attempts.push({ source: 'bundled', path: bundled, reason: bundledReason });

  const onPath = searchPath(env, platform);
  if (onPath) return { path: onPath, source: 'path', skipped: setButUnusable(attempts) };
  attempts.push({ source: 'path', reason: 'not found' });

  throw new ServerNotFoundError(attempts);
}

/** Only a setting or variable that was set but unusable deserves a warning. */
function setButUnusable(attempts: Attempt[]): Attempt[] {
  return attempts.filter((a) => a.path !== undefined && (a.source === 'setting' || a.source === 'env'));
}

export function notFoundMessage(attempts: Attempt[]): string {
  const lines = [
    'Could not find the Newsmark language server (the `newsmark` executable). Tried, in order:',
    ...attempts.map((a, i) => `  ${i + 1}. ${describeSource(a.source)}: ${a.reason}`),
    'To fix it, do one of these:',
    `  - install the server so that \`newsmark\` is on PATH: \`${INSTALL_HINT}\` in a Newsmark checkout;`,
    `  - set the \`${SETTING}\` setting to the full path of the \`newsmark\` executable;`,
    `  - set the ${ENV_VAR} environment variable to that path before starting VS Code;`,
    '  - install a platform-specific build of the extension, which bundles the server.',
  ];
  return lines.join('\n');
}

/** One line for the log about a candidate that was set but not usable. */
export function skippedMessage(attempt: Attempt): string {
  return `Ignoring ${describeSource(attempt.source)}: ${attempt.reason}.`;
}
