import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { WebHost } from '../../main/host/web';
import type { VcsEmulator } from '../emulators/aliyun-vcs/emulator';
import { REC_SEGMENT_S } from '../emulators/media/simulator';
import { closePagesAfterEach } from '../helpers/browser';
import { MemoryVault } from '../helpers/core';
import { startStack, type Stack } from '../helpers/stack';

// Target search against the Alibaba VCS emulator: attribute search shows a gallery of crops that
// main fetched; an image query shows similarities; a bad attribute filter is refused in place; a
// hit names its camera and opens its recording.

let vcs: VcsEmulator;
let browser: Browser;
let host: WebHost;

let stack: Stack;
before(async () => {
  stack = await startStack({ vcs: {}, core: { vault: new MemoryVault() } });
  ({ host, browser } = stack);
  vcs = stack.vcs!;
});
closePagesAfterEach(() => browser);
after(() => stack?.stop());

test('search by attributes and by image shows crops fetched by main, with similarities', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await page.goto(host.url);
  await page.getByRole('menuitem', { name: /Target search|目标搜索/ }).click();
  await page.getByTestId('search-page').waitFor();
  // The first project is chosen once the account's scopes arrive; then Search is enabled.
  await page.waitForFunction(
    () => document.querySelector('[data-testid="search-run"]')?.hasAttribute('disabled') === false,
  );
  await page.getByTestId('search-attributes').fill('GenderCode=2');
  await page.getByTestId('search-run').click();
  await page.getByTestId('search-hit').first().waitFor({ timeout: 15_000 });
  const hits = await page.getByTestId('search-hit').count();
  assert.ok(hits > 0);
  // Every crop is a data: URL that decoded as an image (main fetched it; no platform URL in the page).
  const crops = await page.$$eval('[data-testid="search-hit"] img', (imgs) =>
    imgs.map((i) => ({
      src: (i as HTMLImageElement).src.slice(0, 22),
      ok: (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0,
    })),
  );
  assert.ok(
    crops.length === hits && crops.every((c) => c.src === 'data:image/jpeg;base64' && c.ok),
    JSON.stringify(crops),
  );
  assert.ok((await page.content()).indexOf(vcs.baseUrl) === -1, 'no platform URL reaches the page');
  assert.match((await page.getByTestId('search-hit').first().textContent()) ?? '', /GenderCode=2/);

  await page.getByTestId('search-attributes').fill('GenderCode');
  assert.equal(await page.getByTestId('search-run').isDisabled(), true);
  await page.getByTestId('search-attributes').fill('');
  await page.getByTestId('search-image-input').setInputFiles({
    name: 'q.jpg',
    mimeType: 'image/jpeg',
    buffer: Buffer.from(
      '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
      'base64',
    ),
  });
  await page.getByTestId('search-run').click();
  await page.getByTestId('search-similarity').first().waitFor({ timeout: 15_000 });
  const values = (await page.getByTestId('search-similarity').allTextContents()).map((s) =>
    Number(/(\d+)%/.exec(s)?.[1]),
  );
  assert.ok(values.length > 0 && values.every((v) => v >= 80), JSON.stringify(values));
  assert.deepEqual(
    [...values].sort((a, b) => b - a),
    values,
    'best matches first',
  );

  // A hit names its camera as the device tree does (not its 20-digit ID) and opens its recording
  // from 10 s before the moment on the playback page.
  const hit = page.getByTestId('search-hit').first();
  const camera = await hit.getByTestId('search-hit-camera').innerText();
  assert.ok(camera && !/^\d{20}$/.test(camera), `named "${camera}"`);
  const [, date, time] = /(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)/.exec(await hit.innerText())!;
  const at = new Date(`${date}T${time}`).getTime();
  await hit.getByTestId('search-hit-playback').click();
  await page.getByTestId('playback-page').waitFor();
  assert.match(await page.getByTestId('track-label-0').innerText(), new RegExp(`^1 · ${camera}`));
  const cursor = Number(await page.getByTestId('playback-cursor').getAttribute('data-ms'));
  // 10 s before the hit, less up to a GOP (the recordings' key frames are REC_SEGMENT_S apart): playback
  // shows from the key frame at or before the time asked.
  assert.ok(
    cursor >= at - 10_000 - REC_SEGMENT_S * 1000 && cursor < at + 20_000,
    `cursor ${cursor - at} ms from the hit`,
  );
});
