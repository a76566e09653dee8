// The Newsmark extension: starts `newsmark lsp` over stdio and connects it to
// VS Code with vscode-languageclient. Highlighting works without the server
// (syntaxes/newsmark.tmLanguage.json); the server adds diagnostics, hovers,
// navigation, completion and semantic tokens.

import * as readline from 'node:readline';

import * as vscode from 'vscode';
import {
  type ClientCapabilities,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  type ShowDocumentRequest,
  type StaticFeature,
} from 'vscode-languageclient/node';

import { CLIENT_COMMANDS, parseLogLine, serverExecutable } from './launch';
import { findServer, ServerNotFoundError, SETTING, skippedMessage, describeSource } from './serverPath';

const CLIENT_ID = 'newsmark';
const CLIENT_NAME = 'Newsmark Language Server';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let extensionPath: string;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionPath = context.extensionPath;
  output = vscode.window.createOutputChannel('Newsmark', { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('newsmark.restartServer', async () => {
      output.info('Restarting the server (command).');
      await restart();
    }),
    vscode.commands.registerCommand('newsmark.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('newsmark.openReportForArticle', openReport),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration(SETTING)) {
        output.info(`${SETTING} changed; restarting the server.`);
        await restart();
      }
    }),
    // In an untrusted workspace VS Code ignores the workspace value of
    // newsmark.server.path; once the folder is trusted it may point elsewhere.
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      output.info('Workspace trusted; restarting the server.');
      await restart();
    }),
  );
  await start();
}

// "Newsmark: open report for this article": the server writes the
// workspace's report (`newsmark report`) into .newsmark_cache/report and
// asks to show the article's page with `external`, which the language
// client hands to the system's browser (vscode.env.openExternal), or
// showReportPage tells where the page is when no browser here can open it.
async function openReport(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!client || !editor || editor.document.languageId !== 'newsmark') {
    void vscode.window.showInformationMessage('Open a Newsmark article (.nmk) to see its report.');
    return;
  }
  const uri = client.code2ProtocolConverter.asUri(editor.document.uri);
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Newsmark: writing the report' },
      () => client!.sendRequest('workspace/executeCommand', { command: 'newsmark.openReport', arguments: [uri] }),
    );
  } catch (error) {
    output.error(`The report failed: ${String(error)}`);
    void vscode.window.showErrorMessage(`Newsmark: the report failed: ${String(error)}`);
  }
}

/**
 * `window/showDocument` with `external` for a file: only a browser on the
 * machine the workspace is on can open it. In a browser (code-server,
 * VS Code for the Web) or in a remote window it would be handed a
 * `vscode-remote:` address it cannot load, and nothing would show; say
 * where the page is instead.
 */
const showReportPage: ShowDocumentRequest.MiddlewareSignature = (params, token, next) => {
  const local = vscode.env.uiKind === vscode.UIKind.Desktop && vscode.env.remoteName === undefined;
  const page = vscode.Uri.parse(params.uri);
  if (local || !params.external || page.scheme !== 'file') return next(params, token);
  const where = vscode.workspace.asRelativePath(page);
  output.info(`The report page ${where} is on the machine the workspace is on; this browser cannot open it.`);
  void vscode.window
    .showInformationMessage(
      `Newsmark: wrote the report. Its page for this article is ${where}, on the machine the workspace is on: ` +
        'open it in a browser there, or publish the report folder.',
      'Reveal in Explorer',
    )
    .then((choice) => {
      if (choice === 'Reveal in Explorer') void vscode.commands.executeCommand('revealInExplorer', page);
    });
  return { success: false };
};

export async function deactivate(): Promise<void> {
  await stop();
}

async function restart(): Promise<void> {
  await stop();
  await start();
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (!running) return;
  try {
    await running.stop();
  } catch (error) {
    output.warn(`Stopping the server failed: ${String(error)}`);
  }
  try {
    await running.dispose();
  } catch {
    // Already disposed.
  }
}

async function start(): Promise<void> {
  const settingPath = vscode.workspace.getConfiguration('newsmark').get<string>('server.path');
  let command: string;
  try {
    const found = findServer({
      settingPath,
      env: process.env,
      extensionPath,
      workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    });
    for (const skipped of found.skipped) {
      output.warn(skippedMessage(skipped));
      void vscode.window.showWarningMessage(`Newsmark: ${skippedMessage(skipped)} Using ${found.path}.`);
    }
    output.info(`Using ${found.path} (from ${describeSource(found.source)}).`);
    command = found.path;
  } catch (error) {
    if (error instanceof ServerNotFoundError) {
      output.error(error.message);
      void showNotFound();
      return;
    }
    throw error;
  }

  const run = serverExecutable(command, process.env);
  const serverOptions: ServerOptions = { run, debug: run };
  // No `synchronize` options: the server registers its own file watchers
  // (`**/*.nmk`, `**/newsmark.toml`) and its `newsmark` settings section,
  // and the client serves those registrations. Watching here as well would
  // send every change twice.
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'newsmark' },
      { scheme: 'untitled', language: 'newsmark' },
    ],
    // Hovers and completion documentation carry text from the workspace's
    // files, which may be someone else's: no command links, no HTML. These
    // are the client's defaults, written out so they stay so.
    markdown: { isTrusted: false, supportHtml: false },
    outputChannel: output,
    traceOutputChannel: output,
    // The server's stderr is its log, one line per event with its level.
    // (The client reads stdout as a log only for non-stdio transports.)
    stdioOptions: { stdout: pipeLog, stderr: pipeLog },
    middleware: {
      window: { showDocument: showReportPage },
      // A code lens runs `newsmark.showReferences` with [uri, position,
      // locations] in protocol form; VS Code's reference view needs them as
      // VS Code objects (docs/lsp.md, Commands).
      executeCommand: async (command, args, next) => {
        if (command !== 'newsmark.showReferences' || !client) return next(command, args);
        const convert = client.protocol2CodeConverter;
        const [uri, position, locations] = args as [string, Parameters<typeof convert.asPosition>[0], Parameters<typeof convert.asLocation>[0][]];
        return vscode.commands.executeCommand(
          'editor.action.showReferences',
          convert.asUri(uri),
          convert.asPosition(position),
          locations.map((location) => convert.asLocation(location)),
        );
      },
    },
  };

  // The client id `newsmark` makes it read `newsmark.trace.server`.
  const next = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  next.registerFeature(clientCommands);
  client = next;
  try {
    await next.start();
  } catch (error) {
    output.error(`The server did not start: ${String(error)}`);
    void vscode.window
      .showErrorMessage(`Newsmark: the language server (${command} lsp) did not start.`, 'Show Output')
      .then((choice) => {
        if (choice === 'Show Output') output.show(true);
      });
  }
}

/** Each line of the server's log at its own level in the Output channel. */
function pipeLog(input: NodeJS.ReadableStream): void {
  readline.createInterface({ input, crlfDelay: Infinity, terminal: false }).on('line', (line) => {
    const { level, message } = parseLogLine(line);
    output[level](message);
  });
}

/**
 * Tells the server which client-side commands VS Code runs, so that it
 * attaches them to code actions (`experimental.commands`, as rust-analyzer
 * does); other clients don't get commands they cannot run.
 */
const clientCommands: StaticFeature = {
  fillClientCapabilities(capabilities: ClientCapabilities): void {
    capabilities.experimental = { ...capabilities.experimental, commands: { commands: [...CLIENT_COMMANDS] } };
  },
  initialize(): void {},
  getState: () => ({ kind: 'static' }),
  clear(): void {},
};

async function showNotFound(): Promise<void> {
  const choice = await vscode.window.showErrorMessage(
    'Newsmark: the language server (`newsmark`) was not found. Install it with `cargo install --path server`, ' +
      `or set \`${SETTING}\`. Highlighting works without it.`,
    'Open Settings',
    'Show Output',
  );
  if (choice === 'Open Settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', SETTING);
  } else if (choice === 'Show Output') {
    output.show(true);
  }
}
