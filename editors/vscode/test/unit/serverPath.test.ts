// Unit tests of server discovery (src/serverPath.ts), without VS Code:
//   node --import tsx --test test/unit/*.test.ts

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';

import {
  bundledServerPath,
  ENV_VAR,
  expandHome,
  findServer,
  INSTALL_HINT,
  notFoundMessage,
  searchPath,
  ServerNotFoundError,
  SETTING,
  unusableReason,
} from '../../src/serverPath';

let root: string;

function executable(...parts: string[]): string {
  const p = path.join(root, ...parts);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, '#!/bin/sh\nexit 0\n');
  fs.chmodSync(p, 0o755);
  return p;
}

/** Everything present: setting, variable, bundled binary, PATH. */
function fullSetup() {
  const setting = executable('setting', 'newsmark');
  const fromEnv = executable('env', 'newsmark');
  const extension = path.join(root, 'extension');
  const bundled = executable('extension', 'bundled', 'newsmark');
  const onPath = executable('bin', 'newsmark');
  const env = { [ENV_VAR]: fromEnv, PATH: [path.join(root, 'empty'), path.dirname(onPath)].join(':') };
  return { setting, fromEnv, extension, bundled, onPath, env };
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'newsmark-serverpath-'));
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('discovery order', { skip: process.platform === 'win32' && 'POSIX permissions' }, () => {
  test('1. the setting wins over everything', () => {
    const s = fullSetup();
    const found = findServer({ settingPath: s.setting, env: s.env, extensionPath: s.extension, platform: 'linux' });
    assert.deepEqual([found.source, found.path], ['setting', s.setting]);
    assert.deepEqual(found.skipped, []);
  });

  test('2. then NEWSMARK_SERVER_PATH', () => {
    const s = fullSetup();
    for (const settingPath of [undefined, null, '', '   ']) {
      const found = findServer({ settingPath, env: s.env, extensionPath: s.extension, platform: 'linux' });
      assert.deepEqual([found.source, found.path], ['env', s.fromEnv]);
    }
  });

  test('3. then the bundled binary', () => {
    const s = fullSetup();
    const found = findServer({ env: { PATH: s.env.PATH }, extensionPath: s.extension, platform: 'linux' });
    assert.deepEqual([found.source, found.path], ['bundled', s.bundled]);
  });

  test('4. then newsmark on PATH', () => {
    const s = fullSetup();
    fs.rmSync(s.bundled);
    const found = findServer({ env: { PATH: s.env.PATH }, extensionPath: s.extension, platform: 'linux' });
    assert.deepEqual([found.source, found.path], ['path', s.onPath]);
    assert.deepEqual(found.skipped, [], 'a missing bundled binary is normal, not a warning');
  });

  test('a setting that points nowhere is skipped with a warning', () => {
    const s = fullSetup();
    const missing = path.join(root, 'nope', 'newsmark');
    const found = findServer({ settingPath: missing, env: s.env, extensionPath: s.extension, platform: 'linux' });
    assert.equal(found.source, 'env');
    assert.equal(found.skipped.length, 1);
    assert.equal(found.skipped[0].source, 'setting');
    assert.match(found.skipped[0].reason, /does not exist/);
  });

  test('a directory or a non-executable file is not a server', () => {
    const s = fullSetup();
    const plain = path.join(root, 'plain');
    fs.writeFileSync(plain, 'not a program');
    fs.chmodSync(plain, 0o644);
    let found = findServer({ settingPath: plain, env: s.env, extensionPath: s.extension, platform: 'linux' });
    assert.equal(found.source, 'env');
    assert.match(found.skipped[0].reason, /not executable/);
    found = findServer({ settingPath: root, env: s.env, extensionPath: s.extension, platform: 'linux' });
    assert.equal(found.source, 'env');
    assert.match(found.skipped[0].reason, /not a file/);
  });

  test('~ in the setting is the home directory', () => {
    const s = fullSetup();
    const home = path.join(root, 'home');
    const inHome = executable('home', '.cargo', 'bin', 'newsmark');
    const found = findServer({
      settingPath: '~/.cargo/bin/newsmark',
      env: {},
      extensionPath: s.extension,
      platform: 'linux',
      homedir: home,
    });
    assert.deepEqual([found.source, found.path], ['setting', inHome]);
  });

  test('a relative setting is resolved against the workspace folder', () => {
    const s = fullSetup();
    const inWorkspace = executable('ws', 'target', 'debug', 'newsmark');
    const found = findServer({
      settingPath: 'target/debug/newsmark',
      env: {},
      extensionPath: s.extension,
      workspaceFolder: path.join(root, 'ws'),
      platform: 'linux',
    });
    assert.deepEqual([found.source, found.path], ['setting', inWorkspace]);
  });

  test('PATH entries are searched in order and non-executables skipped', () => {
    const first = path.join(root, 'a');
    fs.mkdirSync(first);
    fs.writeFileSync(path.join(first, 'newsmark'), '');
    fs.chmodSync(path.join(first, 'newsmark'), 0o644);
    const second = executable('b', 'newsmark');
    executable('c', 'newsmark');
    const env = { PATH: ['', first, path.dirname(second), path.join(root, 'c')].join(':') };
    assert.equal(searchPath(env, 'linux'), second);
    assert.equal(searchPath({ PATH: first }, 'linux'), undefined);
    assert.equal(searchPath({}, 'linux'), undefined);
  });
});

describe('when nothing is found', () => {
  test('the error names all four options, in order, and how to fix it', () => {
    const extension = path.join(root, 'extension');
    assert.throws(
      () => findServer({ settingPath: '', env: { PATH: path.join(root, 'empty') }, extensionPath: extension, platform: 'linux' }),
      (error: unknown) => {
        assert.ok(error instanceof ServerNotFoundError);
        const message = error.message;
        const order = [SETTING, ENV_VAR, 'bundled with the extension', '`newsmark` on PATH'].map((needle) => {
          const at = message.indexOf(needle);
          assert.ok(at >= 0, `message names ${needle}:\n${message}`);
          return at;
        });
        assert.deepEqual([...order].sort((a, b) => a - b), order, 'options appear in discovery order');
        assert.ok(message.includes(INSTALL_HINT), 'message says how to install the server');
        assert.ok(message.includes(bundledServerPath(extension, 'linux')), 'message shows the bundled path it looked at');
        assert.deepEqual(
          error.attempts.map((a) => a.source),
          ['setting', 'env', 'bundled', 'path'],
        );
        return true;
      },
    );
  });

  test('a set but broken setting is reported with its path', () => {
    const missing = path.join(root, 'missing', 'newsmark');
    const message = notFoundMessage([
      { source: 'setting', path: missing, reason: `${missing} does not exist` },
      { source: 'env', reason: 'not set' },
      { source: 'bundled', path: '/x/bundled/newsmark', reason: '/x/bundled/newsmark does not exist' },
      { source: 'path', reason: 'not found' },
    ]);
    assert.match(message, /1\. the `newsmark\.server\.path` setting: .*missing.*does not exist/);
    assert.match(message, /2\. the NEWSMARK_SERVER_PATH environment variable: not set/);
    assert.match(message, /4\. `newsmark` on PATH: not found/);
  });
});

describe('helpers', () => {
  test('expandHome', () => {
    assert.equal(expandHome('~', '/home/u'), '/home/u');
    assert.equal(expandHome('~/bin/newsmark', '/home/u'), path.join('/home/u', 'bin/newsmark'));
    assert.equal(expandHome('/opt/~/newsmark', '/home/u'), '/opt/~/newsmark');
    assert.equal(expandHome('~other/newsmark', '/home/u'), '~other/newsmark');
  });

  test('the bundled binary is newsmark, or newsmark.exe on Windows', () => {
    assert.equal(bundledServerPath('/ext', 'linux'), path.join('/ext', 'bundled', 'newsmark'));
    assert.equal(bundledServerPath('/ext', 'darwin'), path.join('/ext', 'bundled', 'newsmark'));
    assert.equal(bundledServerPath('/ext', 'win32'), path.join('/ext', 'bundled', 'newsmark.exe'));
  });

  test('on Windows existence is enough', () => {
    const plain = path.join(root, 'newsmark.exe');
    fs.writeFileSync(plain, '');
    fs.chmodSync(plain, 0o644);
    assert.equal(unusableReason(plain, 'win32'), undefined);
  });
});
