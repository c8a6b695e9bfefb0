#!/usr/bin/env node
// The test entry point behind `npm test`: unit, integration, the emulators' own rules
// (test/emulators/**/*.test.ts), e2e and the Electron smoke test,
// through Node's test runner with tsx. On Linux it re-runs itself inside a private D-Bus session
// with an unlocked gnome-keyring, so keychain tests hit a real Secret Service.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const suites = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ['unit', 'integration', 'emulators', 'e2e', 'electron'];

if (process.platform === 'linux' && !process.env.VIGIL_TEST_KEYRING) {
  const which = spawnSync('sh', ['-c', 'command -v dbus-run-session && command -v gnome-keyring-daemon'], {
    encoding: 'utf8',
  });
  if (which.status !== 0) {
    console.error(
      'Tests need dbus-run-session and gnome-keyring-daemon (Debian: apt-get install dbus gnome-keyring libsecret-tools).',
    );
    process.exit(1);
  }
  const r = spawnSync(
    'dbus-run-session',
    ['--', 'bash', path.join(root, 'test/with-keyring.sh'), process.execPath, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
      cwd: root,
    },
  );
  process.exit(r.status ?? 1);
}

function collect(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? collect(path.join(dir, e.name)) : e.name.endsWith('.test.ts') ? [path.join(dir, e.name)] : [],
    );
}

const files = suites.flatMap((s) => collect(path.join(root, 'test', s))).sort();
if (files.length === 0) {
  console.error(`No test files found for: ${suites.join(', ')}`);
  process.exit(1);
}
// Unit tests and the emulators' own rules share nothing (ephemeral ports, no browser, no keyring):
// two files at a time (70 → 50 s here). E2E and keychain tests share one browser and one keyring:
// the rest run one file at a time. A file whose test failed before its clean-up can leave a server
// open and would hold the whole run for ever: each file ends when its tests have
// (--test-force-exit), each test within 10 minutes.
const alone = (f) => !/[\\/]test[\\/](unit|emulators)[\\/]/.test(f);
const phases = [
  { files: files.filter((f) => !alone(f)), concurrency: 2 },
  { files: files.filter(alone), concurrency: 1 },
].filter((p) => p.files.length);
let status = 0;
for (const phase of phases) {
  const r = spawnSync(
    process.execPath,
    [
      ...['--import', 'tsx', '--test', `--test-concurrency=${phase.concurrency}`, '--test-reporter=spec'],
      ...['--test-force-exit', '--test-timeout=600000'],
      ...phase.files,
    ],
    {
      stdio: 'inherit',
      cwd: root,
      env: { ...process.env, VIGIL_LOG_LEVEL: process.env.VIGIL_LOG_LEVEL ?? 'warn' },
    },
  );
  status ||= r.status ?? 1;
}
process.exit(status);
