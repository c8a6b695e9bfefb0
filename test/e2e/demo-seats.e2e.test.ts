import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { closePagesAfterEach, launchChromium } from '../helpers/browser';
import { tempDir } from '../helpers/core';
import { startDemo, stopDemos } from '../helpers/demo';
import { mosquittoBinary } from '../helpers/mosquitto';

// `npm run demo -- --seats 3`: three seats (browser hosts, each its own data folder) on one
// broker — mosquitto where installed, else Aedes in the demo's process — with their URLs printed;
// each seat's page lists the three seats online. (dist/ must be built, as `npm run demo` does first.)

let browser: Browser;

before(async () => {
  browser = await launchChromium();
});
closePagesAfterEach(() => browser);
afterEach(stopDemos);
after(async () => {
  await browser?.close();
  await stopDemos();
});

/** Starts the demo with three seats; resolves with each seat's URL and everything it logged. */
async function startSeats(env: Record<string, string>): Promise<{ urls: Map<string, string>; log: string }> {
  // Secrets in memory: the test needs no keychain (the keychain paths are demo.e2e's).
  const demo = await startDemo(
    ['--seats', '3'],
    { ...process.env, VIGIL_DATA_DIR: tempDir(), VIGIL_DEMO_KEYRING: 'memory', ...env },
    (log) => {
      const found = new Map([...log.matchAll(/Vigil demo seat ([A-Z]): (\S+)/g)].map((m) => [m[1]!, m[2]!]));
      return found.size === 3 ? found : null;
    },
  );
  return { urls: demo.value, log: demo.log() };
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
    const demo = await startSeats({});
    assert.match(demo.log, /control room: mosquitto on mqtt:\/\/127\.0\.0\.1:\d+/);
    assert.deepEqual([...demo.urls.keys()].sort(), ['A', 'B', 'C']);
    assert.equal(new Set(demo.urls.values()).size, 3, 'three hosts');
    for (const url of demo.urls.values()) await seesThreeSeats(url);
  },
);

test('demo --seats 3 without mosquitto: an in-process broker (Aedes) carries the seats', async () => {
  const demo = await startSeats({ VIGIL_DEMO_BROKER: 'aedes' });
  assert.match(demo.log, /in-process broker \(Aedes\)/);
  for (const url of demo.urls.values()) await seesThreeSeats(url);
});
