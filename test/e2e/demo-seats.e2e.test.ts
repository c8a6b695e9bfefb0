import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, afterEach, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { closePagesAfterEach, launchChromium } from '../helpers/browser';
import { tempDir } from '../helpers/core';
import { mosquittoBinary } from '../helpers/mosquitto';

// `npm run demo -- --seats 3`: three seats (browser hosts, each its own data folder) on one
// broker — mosquitto where installed, else Aedes in the demo's process — with their URLs printed;
// each seat's page lists the three seats online. (dist/ must be built, as `npm run demo` does first.)

let browser: Browser;
const demos: ChildProcess[] = [];

before(async () => {
  browser = await launchChromium();
});
closePagesAfterEach(() => browser);
async function stopDemos(): Promise<void> {
  for (const d of demos) if (d.exitCode === null && d.pid) process.kill(-d.pid, 'SIGTERM');
  await Promise.all(demos.map((d) => (d.exitCode === null ? new Promise((r) => d.once('exit', r)) : null)));
  demos.length = 0;
}
afterEach(stopDemos);
after(async () => {
  await browser?.close();
  await stopDemos();
});

/** Starts the demo with three seats; resolves with each seat's URL and everything it logged. */
async function startDemo(env: Record<string, string>): Promise<{ urls: Map<string, string>; log: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/emulators/demo.ts', '--web', '--port', '0', '--seats', '3'],
    {
      // Secrets in memory: the test needs no keychain (the keychain paths are demo.e2e's).
      env: { ...process.env, VIGIL_DATA_DIR: tempDir(), VIGIL_DEMO_KEYRING: 'memory', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  demos.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const urls = await new Promise<Map<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no seat URLs in 90 s:\n${out}`)), 90_000);
    const check = () => {
      const found = new Map([...out.matchAll(/Vigil demo seat ([A-Z]): (\S+)/g)].map((m) => [m[1]!, m[2]!]));
      if (found.size === 3) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`demo exited (${code}):\n${out}`)));
  });
  return { urls, log: out };
}

async function seesThreeSeats(url: string): Promise<void> {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 850 } })).newPage();
  await page.goto(url);
  await page.getByRole('menuitem', { name: /Alarms|告警/ }).click();
  await page.locator('[data-testid="broker-status"][data-state="online"]').waitFor({ timeout: 30_000 });
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid="seat"][data-online="true"]').length === 3,
    null,
    { timeout: 30_000 },
  );
}

test(
  'demo --seats 3 on mosquitto: three URLs, three seats present on each',
  { skip: mosquittoBinary() ? false : 'mosquitto is not installed' },
  async () => {
    const demo = await startDemo({});
    assert.match(demo.log, /control room: mosquitto on mqtt:\/\/127\.0\.0\.1:\d+/);
    assert.deepEqual([...demo.urls.keys()].sort(), ['A', 'B', 'C']);
    assert.equal(new Set(demo.urls.values()).size, 3, 'three hosts');
    for (const url of demo.urls.values()) await seesThreeSeats(url);
  },
);

test('demo --seats 3 without mosquitto: an in-process broker (Aedes) carries the seats', async () => {
  const demo = await startDemo({ VIGIL_DEMO_BROKER: 'aedes' });
  assert.match(demo.log, /in-process broker \(Aedes\)/);
  for (const url of demo.urls.values()) await seesThreeSeats(url);
});
