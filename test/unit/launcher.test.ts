import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { findElectronBinary } from '../../main/launcher';
import { tempDir } from '../helpers/core';

const exe = process.platform === 'win32' ? 'electron.exe' : 'electron';

test('no path.txt and no override: no binary', () => {
  assert.equal(findElectronBinary(tempDir(), {}), null);
});

test('path.txt naming a binary that exists is used; one naming a missing binary is not', () => {
  const root = tempDir();
  const pkg = path.join(root, 'node_modules', 'electron');
  fs.mkdirSync(path.join(pkg, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(pkg, 'path.txt'), exe);
  assert.equal(findElectronBinary(root, {}), null);
  fs.writeFileSync(path.join(pkg, 'dist', exe), '');
  assert.equal(findElectronBinary(root, {}), path.join(pkg, 'dist', exe));
});

test('ELECTRON_OVERRIDE_DIST_PATH wins when its binary exists', () => {
  const dist = tempDir();
  assert.equal(findElectronBinary(tempDir(), { ELECTRON_OVERRIDE_DIST_PATH: dist }), null);
  if (process.platform === 'linux') {
    fs.writeFileSync(path.join(dist, 'electron'), '');
    assert.equal(findElectronBinary(tempDir(), { ELECTRON_OVERRIDE_DIST_PATH: dist }), path.join(dist, 'electron'));
  }
});

test('the launcher never imports electron: its bundle has no require/import of it', () => {
  const bundle = path.resolve('dist/main/launcher.mjs');
  if (!fs.existsSync(bundle)) return assert.fail('run npm run build first');
  const text = fs.readFileSync(bundle, 'utf8');
  assert.doesNotMatch(text, /from ["']electron["']|require\(["']electron["']\)|import\(["']electron["']\)/);
});

test(
  'npm start without a binary says so in one line and starts the browser host',
  { skip: !fs.existsSync('dist/main/launcher.mjs') },
  async () => {
    const r = spawnSync(
      process.execPath,
      [
        '-e',
        `
    const { spawn } = require('node:child_process');
    const p = spawn(process.execPath, ['dist/main/launcher.mjs', '--port', '0'], { env: { ...process.env, VIGIL_DATA_DIR: ${JSON.stringify(tempDir())}, ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent' } });
    let out = '', err = '';
    p.stdout.on('data', d => { out += d; if (/http:\\/\\/127/.test(out)) { p.kill(); } });
    p.stderr.on('data', d => err += d);
    p.on('exit', () => { console.log(JSON.stringify({ out, err })); });
    setTimeout(() => p.kill(), 15000).unref();
  `,
      ],
      { encoding: 'utf8' },
    );
    const { out, err } = JSON.parse(r.stdout.trim());
    assert.match(err, /Electron binary not available.*starting the browser host instead/);
    assert.match(out, /^Vigil browser host: http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+\n$/);
  },
);
