import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Core } from '../../main/core';
import type { WebHost } from '../../main/host/web';
import { closePagesAfterEach } from '../helpers/browser';
import { MemoryVault } from '../helpers/core';
import { waitAllDecoding } from '../helpers/media';
import { startStack, type Stack } from '../helpers/stack';

// Issue 24: a camera the platform switches from H.265 to H.264 while its pane plays through main's
// transcoder plays natively from the pane's next (re)connect, without the channel tree being loaded
// again. Alibaba VCS names the codec in a device's EncodeFormat (§3.2.4); main used to answer the
// one from the last tree load, so the pane went on asking for a transcode of a stream that was
// H.264 now (which main's HEVC demuxer refuses), for as long as the tree was not reloaded.
// Tencent IVC names no codec: the pane learns H.265 from its decoder's refusal, which held for the
// pane's life, so such a camera switched to H.264 went to the transcoder (and failed) for ever.

let stack: Stack;
let browser: Browser;
let host: WebHost;
let core: Core;

before(async () => {
  stack = await startStack({
    media: {
      channels: [
        { id: 'h1', name: 'HEVC 1', codec: 'h265' },
        { id: 'c1', name: 'Cam 1' },
      ],
      prepareRecordings: false,
    },
    vcs: { media: true, account: 'VCS' },
    ivc: { media: true, account: 'IVC' },
    core: { vault: new MemoryVault() },
  });
  ({ browser, host, core } = stack);
});
closePagesAfterEach(() => browser);
after(() => stack?.stop());

test('a VCS camera switched from H.265 to H.264 while transcoded plays natively at its next connect, the budget freed', async () => {
  const device = [...stack.vcs!.devices.values()].find((d) => d.DeviceName === '南门')!;
  device.media = 'h1';
  device.attrs.EncodeFormat = '13';
  const { page, transcode } = await playTranscoded('vcs', '南门');

  // The platform switches the camera to H.264 (its EncodeFormat and what it streams); the tree is
  // not loaded again. The pane's next connect — here its transcode ends, as when the camera's
  // stream restarts on the switch — asks for a play URL, and with it the codec.
  device.media = 'c1';
  device.attrs.EncodeFormat = '6';
  core.transcoder.stop(transcode.id);
  await playsNatively(page);
});

test('an IVC camera (no codec field) switched from H.265 to H.264 while transcoded plays natively once its transcode ends unpictured', async () => {
  const channel = [...stack.ivc!.devices.values()].flatMap((d) => d.channels).find((c) => c.Name === '大门球机')!;
  channel.media = 'h1';
  // IVC names no codec: the pane learns H.265 from its decoder's refusal, then transcodes.
  const { page, transcode } = await playTranscoded('ivc', '大门球机');
  channel.media = 'c1';
  // The transcode ends; the next one gets the H.264 stream, which main's HEVC demuxer refuses (it
  // ends without a picture). Before, the decoder's refusal held for the pane's life and every
  // reconnect went to the transcoder again; now the pane tries the stream itself.
  core.transcoder.stop(transcode.id);
  await playsNatively(page);
});

/** Plays a platform's channel named `name` in pane 0 of a new wall and waits for its transcode. */
async function playTranscoded(platform: 'vcs' | 'ivc', name: string) {
  const tree = await core.call('tree:load', { accountId: stack.accounts[platform]! });
  assert.ok(tree.ok, JSON.stringify(tree));
  const node = (tree.result as { nodes: Array<{ id: string; kind: string; name: string }> }).nodes.find(
    (n) => n.kind === 'channel' && n.name === name,
  )!;
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.goto(host.url);
  await page.getByTestId('wall-page').waitFor();
  await page.locator('[data-testid="device-tree"] input').first().fill(name);
  const channel = page.locator(`[data-testid="node-channel"][data-node-id="${node.id}"]`).first();
  await channel.waitFor();
  await page.getByTestId('wall-pane-0').click();
  await channel.dblclick();
  await waitAllDecoding(page, [0], 60_000);
  await page.getByTestId('pane-0').getByTestId('pane-transcode').waitFor();
  const [transcode] = core.transcoder.list().transcodes;
  assert.ok(transcode, 'the H.265 camera is transcoded');
  return { page, transcode };
}

/** Pane 0 plays again, natively: no badge, nothing transcoded (the budget is free). */
async function playsNatively(page: Page): Promise<void> {
  const pane = page.getByTestId('pane-0');
  const native = async () =>
    (await pane.getAttribute('data-state')) === 'playing' && (await pane.getByTestId('pane-transcode').count()) === 0;
  for (const until = Date.now() + 30_000; Date.now() < until && !(await native()); ) await page.waitForTimeout(250);
  await waitAllDecoding(page, [0], 30_000).catch(async (e: Error) => {
    throw new Error(`${e.message}\n${await pane.innerText()}\n${JSON.stringify(core.transcoder.list())}`);
  });
  assert.equal(core.transcoder.list().transcodes.length, 0, 'nothing transcoded: the budget is free');
  assert.equal(await pane.getByTestId('pane-transcode').count(), 0, 'no H.265 badge');
  await page.context().close();
}
