// A real VS Code for the end-to-end test: code-server (VS Code's own
// workbench, served over HTTP) with the packaged extension installed,
// driven in Debian's headless Chromium by playwright-core.
//
// Every wait is bounded; code-server runs in a process group of its own and
// the whole group is killed at the end, with the language server it started.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { type Browser, chromium, type Locator, type Page } from 'playwright-core';

export interface CodeServerOptions {
  /** The launcher written by scripts/install-code-server.sh. */
  launcher: string;
  vsix: string;
  /** The folder VS Code opens. */
  folder: string;
  /** Holds user data, extensions and config; made fresh by the caller. */
  home: string;
  /** Extra environment for code-server, its extension host and the server. */
  env?: NodeJS.ProcessEnv;
}

/** User settings: nothing that covers the editor or talks to the network. */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'editor.fontSize': 14,
  'editor.hover.delay': 100,
  'files.autoSave': 'off',
  'window.commandCenter': false,
};

export class CodeServer {
  /** Where the workbench is served, once code-server listens. */
  url = '';

  private constructor(
    private readonly process: ChildProcess,
    private readonly userData: string,
  ) {}

  static async start(options: CodeServerOptions): Promise<CodeServer> {
    const userData = path.join(options.home, 'user-data');
    const extensions = path.join(options.home, 'extensions');
    const config = path.join(options.home, 'config.yaml');
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));
    fs.writeFileSync(config, 'auth: none\n');
    const common = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];
    const env = { ...process.env, ...options.env };
    execFileSync(options.launcher, [...common, '--install-extension', options.vsix], {
      env,
      timeout: 60_000,
      stdio: 'inherit',
    });

    const child = spawn(
      options.launcher,
      [
        ...common,
        '--bind-addr',
        '127.0.0.1:0',
        '--auth',
        'none',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        // Every log at debug, the Newsmark channel's too, so the test can
        // read the server's debug lines (a channel drops lines below its
        // level, which is `info` unless set).
        '--log',
        'debug',
        options.folder,
      ],
      { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let log = '';
    child.stdout?.on('data', (chunk) => (log += chunk));
    child.stderr?.on('data', (chunk) => (log += chunk));
    const server = new CodeServer(child, userData);
    // Ctrl-C or CI's SIGTERM reach this process, not the detached group.
    const onSignal = (signal: NodeJS.Signals): void => {
      server.stop();
      process.kill(process.pid, signal);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      server.url = await waitFor(
        'code-server to listen',
        60_000,
        () => /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(log)?.[1],
      );
      return server;
    } catch (error) {
      server.stop();
      throw new Error(`${String(error)}\ncode-server's output:\n${log}`);
    }
  }

  /** The Newsmark output channel as VS Code writes it to disk. */
  extensionLog(): string {
    const logs = path.join(this.userData, 'logs');
    const found: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name === 'Newsmark.log') found.push(full);
      }
    };
    if (fs.existsSync(logs)) walk(logs);
    return found.map((file) => fs.readFileSync(file, 'utf8')).join('');
  }

  /**
   * Stops code-server and everything it started (its process group), even
   * when code-server itself has already exited.
   */
  stop(): void {
    const pid = this.process.pid;
    if (pid === undefined) return;
    const kill = (signal: NodeJS.Signals): void => {
      try {
        process.kill(-pid, signal);
      } catch {
        // The group is gone.
      }
    };
    kill('SIGTERM');
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && groupAlive(pid)) execFileSync('sleep', ['0.1']);
    kill('SIGKILL');
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    timeout: 60_000,
    // As root, in a sandbox-less container, on a machine with no network
    // beyond loopback: no sandbox, no GPU, no background connections.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Polls `probe` until it returns a value other than undefined or false. */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The VS Code workbench in a page, driven as a user would. */
export class Workbench {
  constructor(readonly page: Page) {}

  async open(url: string, folder: string): Promise<void> {
    await this.page.goto(`${url}/?folder=${encodeURIComponent(folder)}`, { timeout: 60_000 });
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.explorer-folders-view').waitFor({ timeout: 60_000 });
  }

  /** Runs a command from the palette by its title. */
  async command(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(`>${title}`);
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ timeout: 10_000 });
    await row.click();
  }

  /** Opens a file by its path relative to the folder (Quick Open). */
  async openFile(relative: string): Promise<void> {
    const name = path.basename(relative);
    if ((await this.activeTab()) === name) return;
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(relative);
    // Enter can land before the file results do; a click picks the row.
    // Until they are in, the rows still show the last list (recently
    // opened files), and the new results reuse those rows: a row that
    // showed the file can show `lavrov-pyongyang-ru.nmk` by the time it is
    // clicked. The file heads the list once its results are in (the query
    // is its whole path), so wait for that, then click the first row. The
    // rows are positioned, not ordered, in the DOM: the top one is the row
    // with index 0, and its name is its `.label-name` (the row's text runs
    // the name and the folder together: `lavrov-pyongyang.nmkarticles`).
    const first = this.page.locator('.quick-input-list .monaco-list-row[data-index="0"]');
    let label: string | null | undefined;
    await waitFor(`${name} at the top of Quick Open`, 20_000, async () => {
      label = (await first.locator('.label-name').first().textContent({ timeout: 1_000 }))?.trim();
      return label === name;
    }).catch((error) => {
      throw new Error(`${String(error)}; the top row is ${label ?? 'missing'}`);
    });
    await first.click({ timeout: 10_000 });
    await waitFor(`${relative} to be the active editor`, 10_000, async () => (await this.activeTab()) === name);
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: 10_000 });
  }

  /** The file name of the active editor tab, or '' when there is none. */
  async activeTab(): Promise<string> {
    const tab = this.page.locator('.tabs-container .tab.active');
    if ((await tab.count()) === 0) return '';
    return (await tab.first().getAttribute('data-resource-name')) ?? '';
  }

  /** Moves the cursor to a 1-based line and column (UTF-16 units). */
  async goTo(line: number, column: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await waitFor(`the cursor at ${line}:${column}`, 5_000, async () => {
      const [l, c] = await this.cursor();
      return l === line && c === column;
    });
  }

  /** The cursor's 1-based line and column, from the status bar. */
  async cursor(): Promise<[number, number]> {
    const text = await this.page.locator('[id="status.editor.selection"]').innerText();
    const match = /Ln (\d+), Col (\d+)/.exec(text);
    if (!match) throw new Error(`no cursor position in the status bar: ${text}`);
    return [Number(match[1]), Number(match[2])];
  }

  async languageMode(): Promise<string> {
    return (await this.page.locator('[id="status.editor.mode"]').innerText()).trim();
  }

  async showProblems(): Promise<void> {
    await this.command('View: Focus Problems');
    await this.page.locator('.markers-panel').waitFor({ timeout: 10_000 });
  }

  /**
   * The rows of the Problems panel: `file:line code` for each marker, with
   * the file as VS Code groups it (its name, then its folder).
   */
  async problems(): Promise<Problem[]> {
    const rows = await this.page.locator('.markers-panel .monaco-list-row').evaluateAll((elements) =>
      elements.map((element) => ({
        label: element.getAttribute('aria-label') ?? '',
        text: (element as unknown as { innerText: string }).innerText,
      })),
    );
    const problems: Problem[] = [];
    let file = '';
    for (const row of rows) {
      const group = /problems? in file (.+) of folder (.+)$/.exec(row.label);
      if (group) {
        file = `${group[2]}/${group[1]}`;
        continue;
      }
      // "message\nnewsmark\nunsourced-claim\n[Ln 28, Col 10]"
      const lines = row.text.split('\n').map((line) => line.trim());
      const at = /^\[Ln (\d+), Col (\d+)\]$/.exec(lines.at(-1) ?? '');
      const severity = /^(Error|Warning|Info)/.exec(row.label)?.[1] ?? '?';
      if (at && lines.length >= 3) problems.push({ file, line: Number(at[1]), code: lines.at(-2) ?? '', severity });
    }
    return problems;
  }

  /** The text of the hover widget once it shows `expected`. */
  async hoverText(expected: string): Promise<string> {
    const hover = this.page.locator('.monaco-hover:visible').filter({ hasText: expected }).first();
    await hover.waitFor({ timeout: 10_000 });
    return hover.innerText();
  }

  /** The number on the Problems panel's tab. */
  async problemCount(): Promise<number> {
    const badge = this.page.locator('.part.panel .composite-bar .badge-content').first();
    return Number((await badge.innerText()).trim());
  }

  /**
   * Opens the lightbulb's menu on the cursor's line and applies the action
   * titled `title`; `whileOpen` runs with the menu showing.
   */
  async quickFix(title: string, whileOpen?: () => Promise<void>): Promise<void> {
    const action = this.page.locator('.action-widget .monaco-list-row', { hasText: title }).first();
    const succeeds = (step: Promise<unknown>): Promise<boolean> => step.then(() => true, () => false);
    // On a loaded machine the menu can open from the lightbulb the cursor's
    // last line left, or close again when the code actions of the new
    // position come in: close a menu without `title` and ask again.
    await waitFor(`the quick fix "${title}" in the lightbulb's menu`, 30_000, async () => {
      if (!(await succeeds(this.lightbulb().click({ timeout: 5_000 })))) {
        // VS Code asks for code actions when the cursor moves; after an
        // undo the lightbulb may wait for the next move: nudge the cursor
        // (which also ends a selection).
        await this.page.keyboard.press('ArrowRight');
        await this.page.keyboard.press('ArrowLeft');
        return false;
      }
      if (await succeeds(action.waitFor({ timeout: 5_000 }))) return true;
      await this.page.keyboard.press('Escape');
      return false;
    });
    await whileOpen?.();
    await action.click();
  }

  /** Whether the tab of `name` shows unsaved changes. */
  async isDirty(name: string): Promise<boolean> {
    return (await this.page.locator(`.tabs-container .tab.dirty[data-resource-name="${name}"]`).count()) > 0;
  }

  /**
   * The lightbulb of the cursor's line: in the gutter when the line has room
   * there (`codicon-gutter-lightbulb…`), else in the text.
   */
  lightbulb(): Locator {
    return this.page
      .locator('.glyph-margin-widgets .codicon[class*="gutter-lightbulb"], .lightBulbWidget:visible')
      .first();
  }

  /**
   * The semantic token under the cursor at a 1-based line and column, as
   * *Developer: Inspect Editor Tokens and Scopes* shows it: its type and
   * modifiers, or no type when the server sent no token there.
   */
  async semanticToken(line: number, column: number): Promise<{ type?: string; modifiers: string[] }> {
    // A fresh inspector each time: it asks for the tokens when it opens.
    await this.closeInspector();
    await this.goTo(line, column);
    await this.command('Developer: Inspect Editor Tokens and Scopes');
    const widget = this.page.locator('.token-inspect-widget');
    // It says "Loading..." until both the TextMate and the semantic tokens
    // of the position are in.
    await widget.locator('.tiw-metadata-table').first().waitFor({ timeout: 10_000 });
    const rows = await widget.locator('tr').evaluateAll((elements) =>
      elements.map((element) => {
        const cells = element.querySelectorAll('td');
        return [cells[0]?.textContent ?? '', cells[1]?.textContent ?? ''];
      }),
    );
    const value = (key: string): string | undefined => rows.find(([k]) => k === key)?.[1];
    const type = value('semantic token type');
    return { type, modifiers: type ? (value('modifiers') ?? '').split(' ').filter(Boolean) : [] };
  }

  /** Closes the token inspector (Escape in the editor). */
  async closeInspector(): Promise<void> {
    const widget = this.page.locator('.token-inspect-widget');
    if ((await widget.count()) === 0) return;
    await this.page.keyboard.press('Escape');
    await widget.waitFor({ state: 'detached', timeout: 5_000 });
  }

  hover(): Locator {
    return this.page.locator('.monaco-hover:visible').first();
  }

  /** A PNG of the whole window, or of `part` of it. */
  async screenshot(folder: string, name: string, part?: Locator): Promise<string> {
    const file = path.join(folder, name);
    // Transitions finished: a notification that is fading in shows in full.
    await (part ?? this.page).screenshot({ path: file, animations: 'disabled' });
    return file;
  }
}

export interface Problem {
  /** `folder/name.nmk`, as the Problems panel groups it. */
  file: string;
  line: number;
  code: string;
  /** Error, Warning or Info. */
  severity: string;
}
