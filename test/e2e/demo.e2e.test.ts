import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, afterEach, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { closePagesAfterEach, launchChromium } from '../helpers/browser';
import { tempDir } from '../helpers/core';

// `npm run demo` on a machine without a Secret Service (no D-Bus session here): it still opens its
// wall — in a private keyring session where gnome-keyring is installed, else with its own emulator
// secrets in memory and a banner saying so. (dist/ must be built, as `npm run demo` does first.)

let browser: Browser;
const demos: ChildProcess[] = [];

before(async () => {
  browser = await launchChromium();
});
closePagesAfterEach(() => browser);
/** Each demo leads its own process group (its private D-Bus session, encoders, server): ends it all. */
async function stopDemos(): Promise<void> {
  for (const d of demos) if (d.exitCode === null && d.pid) process.kill(-d.pid, 'SIGTERM');
  await Promise.all(demos.map((d) => (d.exitCode === null ? new Promise((r) => d.once('exit', r)) : null)));
  demos.length = 0;
}
// One demo at a time: a finished test's demo (its encoders preparing recordings) would starve the
// next one's wall on a 2-core machine (seen in a full run: the second wall never played in 60 s).
afterEach(async () => {
  await stopDemos();
});
after(async () => {
  await browser?.close();
  await stopDemos();
});

/** Starts the demo without a D-Bus session; resolves with its URL and everything it logged. */
async function startDemo(extraEnv: Record<string, string>): Promise<{ url: string; log: () => string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, VIGIL_DATA_DIR: tempDir(), ...extraEnv };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  delete env.VIGIL_TEST_KEYRING;
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/emulators/demo.ts', '--web', '--port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  demos.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL in 90 s:\n${out}`)), 90_000);
    const check = () => {
      const m = /Vigil demo: (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`demo exited (${code}):\n${out}`)));
  });
  return { url, log: () => out };
}

async function wallPlays(url: string) {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 850 } })).newPage();
  await page.goto(url);
  await page.getByTestId('wall-page').waitFor();
  await page.locator('[data-testid="pane-0"][data-state="playing"]').waitFor({ timeout: 60_000 });
  return page;
}

test('no Secret Service, gnome-keyring installed: the demo runs in a private keyring session and its wall plays', async () => {
  const demo = await startDemo({});
  assert.match(demo.log(), /private keyring session/);
  const page = await wallPlays(demo.url);
  assert.equal(await page.getByTestId('notice').count(), 0, 'secrets are in a keychain: no banner');
});

test('no keychain at all: the demo holds its own secrets in memory for the run, says so in a banner, and its wall plays', async () => {
  const demo = await startDemo({ VIGIL_DEMO_KEYRING: 'memory' });
  const page = await wallPlays(demo.url);
  const banner = page.getByTestId('notice');
  await banner.waitFor();
  assert.match(await banner.innerText(), /in memory|内存/);
});
