// Unit tests of how the extension starts the server (src/launch.ts).
//   node --import tsx --test test/unit/*.test.ts

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { parseLogLine, serverExecutable } from '../../src/launch';

test('the server starts as exactly `newsmark lsp`, with no transport that adds arguments', () => {
  const env = { PATH: '/usr/bin' };
  const executable = serverExecutable('/opt/newsmark', env);
  assert.equal(executable.command, '/opt/newsmark');
  assert.deepEqual(executable.args, ['lsp']);
  // vscode-languageclient appends `--stdio` when `transport` is
  // TransportKind.stdio; unset, it spawns the command as given, over stdio.
  assert.equal(executable.transport, undefined);
  assert.deepEqual(Object.keys(executable).sort(), ['args', 'command', 'options']);
  assert.equal(executable.options?.env, env);
});

test('each call gets its own argument list', () => {
  const first = serverExecutable('newsmark', {});
  first.args?.push('--stdio');
  assert.deepEqual(serverExecutable('newsmark', {}).args, ['lsp']);
});

test('server log lines keep their level', () => {
  assert.deepEqual(
    parseLogLine('2026-12-02T21:52:33.123456Z  INFO newsmark_lsp::server: initialize: 3 files'),
    { level: 'info', message: 'newsmark_lsp::server: initialize: 3 files' },
  );
  assert.deepEqual(parseLogLine('2026-12-02T21:52:33.1Z DEBUG newsmark_lsp::actor: watched file key=a.nmk'), {
    level: 'debug',
    message: 'newsmark_lsp::actor: watched file key=a.nmk',
  });
  assert.equal(parseLogLine('2026-12-02T21:52:33.1Z  WARN x: y').level, 'warn');
  assert.equal(parseLogLine('2026-12-02T21:52:33.1Z ERROR x: y').level, 'error');
  assert.equal(parseLogLine('2026-12-02T21:52:33.1Z TRACE x: y').level, 'trace');
});

test('anything else on stderr is an error', () => {
  assert.deepEqual(parseLogLine("thread 'main' panicked at src/main.rs:1:1:"), {
    level: 'error',
    message: "thread 'main' panicked at src/main.rs:1:1:",
  });
  assert.equal(parseLogLine('').level, 'error');
  // An INFO word in the middle of a line is not a level.
  assert.equal(parseLogLine('error: unexpected argument INFO found').level, 'error');
});
