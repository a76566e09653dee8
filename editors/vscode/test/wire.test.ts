// Wire test: starts the real server (`newsmark lsp`) and talks to it with
// vscode-languageserver-protocol, the protocol library VS Code's client uses.
// The expectations come from tests/fixtures/workspace/README.md.
//
//   NEWSMARK_BIN=/path/to/newsmark node --import tsx --test test/wire.test.ts
//
// NEWSMARK_BIN defaults to target/debug/newsmark at the repository root. A
// missing binary FAILS the test: it is never skipped.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';

import {
  createProtocolConnection,
  DefinitionRequest,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  type Diagnostic,
  type Hover,
  type Location,
  type LocationLink,
  MarkupKind,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  type PublishDiagnosticsParams,
  type Range,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

const repo = path.resolve(__dirname, '..', '..', '..');
const workspace = path.join(repo, 'tests', 'fixtures', 'workspace');
const serverBin = process.env.NEWSMARK_BIN
  ? path.resolve(process.env.NEWSMARK_BIN)
  : path.join(repo, 'target', 'debug', process.platform === 'win32' ? 'newsmark.exe' : 'newsmark');
const TIMEOUT_MS = Number(process.env.NEWSMARK_WIRE_TIMEOUT_MS ?? 15000);

const uriOf = (relative: string) => pathToFileURL(path.join(workspace, relative)).toString();
const textOf = (relative: string) => fs.readFileSync(path.join(workspace, relative), 'utf8');

const ARTICLE = 'articles/lavrov-visit.nmk';
const HANGUL = 'articles/choe-hangul.nmk';
const CRLF = 'articles/tass-crlf.nmk';

function range(sl: number, sc: number, el: number, ec: number): Range {
  return { start: { line: sl, character: sc }, end: { line: el, character: ec } };
}

const show = (r: Range) => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

let server: ChildProcess | undefined;
let connection: ProtocolConnection | undefined;
let stderr = '';
/** Rejects when the server process exits before the test is done with it. */
let died: Promise<never> = new Promise<never>(() => undefined);
let shuttingDown = false;
const published = new Map<string, Diagnostic[]>();
const waiters: Array<() => void> = [];

function conn(): ProtocolConnection {
  assert.ok(connection, 'the server connection is up');
  return connection;
}

/** Waits until `check` passes on the latest diagnostics of `uri` (servers may publish more than once). */
async function diagnosticsFor(uri: string, check: (d: Diagnostic[]) => void): Promise<Diagnostic[]> {
  const deadline = Date.now() + TIMEOUT_MS;
  let lastError: unknown = new Error(`no publishDiagnostics for ${uri}`);
  for (;;) {
    const current = published.get(uri);
    if (current) {
      try {
        check(current);
        return current;
      } catch (error) {
        lastError = error;
      }
    }
    if (server && (server.exitCode !== null || server.signalCode !== null)) {
      throw new Error(`the server exited while waiting for diagnostics of ${uri}\n--- server stderr ---\n${stderr}`);
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      const got = current ? JSON.stringify(current, null, 1) : 'nothing';
      throw new Error(`diagnostics for ${uri} never matched within ${TIMEOUT_MS} ms; last got ${got}\n${String(lastError)}`);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.min(left, 250));
      waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

function openDocument(relative: string): void {
  void conn().sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri: uriOf(relative), languageId: 'newsmark', version: 1, text: textOf(relative) },
  });
}

function only(diagnostics: Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((d) => d.code === code);
}

function locations(result: Location | Location[] | LocationLink[] | null): Location[] {
  if (!result) return [];
  const list = Array.isArray(result) ? result : [result];
  return list.map((item) =>
    'targetUri' in item ? { uri: item.targetUri, range: item.targetSelectionRange ?? item.targetRange } : item,
  );
}

describe('newsmark lsp over stdio', () => {
  before(async () => {
    assert.ok(
      fs.existsSync(serverBin),
      `server binary not found: ${serverBin}\n` +
        'Build it (cargo build -p newsmark) or point NEWSMARK_BIN at it. This test fails, it does not skip.',
    );
    server = spawn(serverBin, ['lsp'], { cwd: workspace, stdio: ['pipe', 'pipe', 'pipe'] });
    server.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    died = new Promise<never>((_, reject) => {
      server!.once('exit', (code, signal) => {
        if (!shuttingDown) reject(new Error(`the server exited early (code ${code}, signal ${signal})\n--- server stderr ---\n${stderr}`));
      });
      server!.once('error', (error) => reject(new Error(`the server did not start: ${String(error)}`)));
    });
    died.catch(() => undefined);
    connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    connection.onNotification(PublishDiagnosticsNotification.type, (params: PublishDiagnosticsParams) => {
      published.set(params.uri, params.diagnostics);
      waiters.splice(0).forEach((wake) => wake());
    });
    connection.listen();

    const result = await withTimeout(
      connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        clientInfo: { name: 'newsmark-wire-test' },
        rootUri: pathToFileURL(workspace).toString(),
        workspaceFolders: [{ uri: pathToFileURL(workspace).toString(), name: 'workspace' }],
        capabilities: {
          general: { positionEncodings: ['utf-16'] },
          textDocument: {
            synchronization: { dynamicRegistration: false },
            publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true },
            hover: { contentFormat: [MarkupKind.Markdown, MarkupKind.PlainText] },
            definition: { linkSupport: false },
            completion: { completionItem: { snippetSupport: false } },
          },
          workspace: { workspaceFolders: true, configuration: false },
        },
      }),
      'initialize',
    );
    assert.ok(result.capabilities, 'initialize returns capabilities');
    const encoding = result.capabilities.positionEncoding;
    assert.ok(encoding === undefined || encoding === 'utf-16', `position encoding is UTF-16 (got ${encoding})`);
    await connection.sendNotification(InitializedNotification.type, {});
    openDocument(ARTICLE);
  });

  after(async () => {
    if (stderr.trim()) console.error(`--- server stderr ---\n${stderr.trimEnd()}`);
    if (!connection || !server) return;
    const exited = new Promise<number | null>((resolve) => {
      if (server!.exitCode !== null) resolve(server!.exitCode);
      else server!.once('exit', (code) => resolve(code));
    });
    try {
      await withTimeout(connection.sendRequest(ShutdownRequest.type), 'shutdown');
      shuttingDown = true;
      await connection.sendNotification(ExitNotification.type);
      const code = await withTimeout(exited, 'exit');
      assert.equal(code, 0, 'the server exits with 0 after shutdown + exit');
    } finally {
      connection.dispose();
      if (server.exitCode === null) server.kill();
    }
  });

  test('publishes unsourced-claim (warning) and undefined-entity (error) at the documented ranges', async () => {
    const diagnostics = await diagnosticsFor(uriOf(ARTICLE), (d) => {
      assert.ok(only(d, 'unsourced-claim').length > 0, 'an unsourced-claim diagnostic');
      assert.ok(only(d, 'undefined-entity').length > 0, 'an undefined-entity diagnostic');
    });

    const unsourced = only(diagnostics, 'unsourced-claim');
    assert.equal(unsourced.length, 1, `one unsourced-claim (line 19 is silenced by %% ignore): ${JSON.stringify(unsourced)}`);
    assert.equal(unsourced[0].severity, 2, 'unsourced-claim is a Warning');
    assert.deepEqual(unsourced[0].range, range(13, 20, 13, 59), `unsourced-claim covers the claim, got ${show(unsourced[0].range)}`);

    const undefinedEntity = only(diagnostics, 'undefined-entity');
    assert.equal(undefinedEntity.length, 1, JSON.stringify(undefinedEntity));
    assert.equal(undefinedEntity[0].severity, 1, 'undefined-entity is an Error');
    const r = undefinedEntity[0].range;
    const whole = show(r) === show(range(15, 17, 15, 20));
    const idOnly = show(r) === show(range(15, 18, 15, 20));
    assert.ok(whole || idOnly, `undefined-entity covers @us at 15:17-15:20 (or us at 15:18-15:20), got ${show(r)}`);
    const message = undefinedEntity[0].message;
    assert.match(typeof message === 'string' ? message : message.value, /\bus\b/, 'the message names the id');

    const others = diagnostics.filter((d) => (d.severity ?? 1) <= 2 && d.code !== 'unsourced-claim' && d.code !== 'undefined-entity');
    assert.deepEqual(others, [], 'no other errors or warnings in the article');
  });

  test('positions are UTF-16 after Hangul and emoji', async () => {
    openDocument(HANGUL);
    const diagnostics = await diagnosticsFor(uriOf(HANGUL), (d) => assert.ok(only(d, 'unsourced-claim').length > 0));
    const unsourced = only(diagnostics, 'unsourced-claim');
    assert.equal(unsourced.length, 1, 'the direct quote is sourced; only the second claim is unsourced');
    assert.deepEqual(unsourced[0].range, range(9, 3, 9, 21), `got ${show(unsourced[0].range)}`);
  });

  test('positions survive CRLF line endings', async () => {
    openDocument(CRLF);
    const diagnostics = await diagnosticsFor(uriOf(CRLF), (d) => assert.ok(only(d, 'unsourced-claim').length > 0));
    const unsourced = only(diagnostics, 'unsourced-claim');
    assert.equal(unsourced.length, 1);
    assert.deepEqual(unsourced[0].range, range(4, 28, 5, 10), `got ${show(unsourced[0].range)}`);
  });

  test('hover on a mention shows the entity display name as Markdown', async () => {
    const hover = (await withTimeout(
      conn().sendRequest(HoverRequest.type, { textDocument: { uri: uriOf(ARTICLE) }, position: { line: 10, character: 24 } }),
      'hover',
    )) as Hover | null;
    assert.ok(hover, 'hover returns a result on [The foreign minister]@lavrov');
    const contents = hover.contents;
    if (typeof contents !== 'object' || Array.isArray(contents) || !('kind' in contents)) {
      assert.fail(`hover contents are MarkupContent, got ${JSON.stringify(contents)}`);
    }
    assert.equal(contents.kind, MarkupKind.Markdown);
    assert.ok(contents.value.includes('Sergey Lavrov'), `hover names Sergey Lavrov: ${contents.value}`);
  });

  test('definition of a mention is the definition in the registry file', async () => {
    const result = await withTimeout(
      conn().sendRequest(DefinitionRequest.type, { textDocument: { uri: uriOf(ARTICLE) }, position: { line: 10, character: 24 } }),
      'definition',
    );
    const found = locations(result);
    assert.equal(found.length, 1, `one definition: ${JSON.stringify(result)}`);
    assert.equal(found[0].uri, uriOf('entities/people.nmk'));
    assert.equal(found[0].range.start.line, 2, `the definition is on line 3 (0-based 2), got ${show(found[0].range)}`);
  });
});

async function withTimeout<T>(promise: PromiseLike<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${TIMEOUT_MS} ms\n--- server stderr ---\n${stderr}`)), TIMEOUT_MS);
  });
  try {
    return await Promise.race([promise, timeout, died]);
  } catch (error) {
    // Give the process a moment to exit and flush stderr: an EPIPE alone says little.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exit = server?.exitCode !== null && server?.exitCode !== undefined ? ` (server exited with ${server.exitCode})` : '';
    throw new Error(`${what} failed${exit}: ${error instanceof Error ? error.message : String(error)}\n--- server stderr ---\n${stderr}`);
  } finally {
    clearTimeout(timer);
  }
}
