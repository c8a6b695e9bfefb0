import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { closePagesAfterEach } from '../helpers/browser';
import { tempDir } from '../helpers/core';
import { png } from '../helpers/images';
import { startStack, type Stack } from '../helpers/stack';

// The geographic map: Alibaba VCS cameras with a longitude and latitude, over tiles from a tile
// server the operator names (here a local https one with a certificate of its own). Nothing is
// asked of it before its address is set; after, tiles load (the page's CSP lets exactly its
// origin in) and each placed camera's marker sits where Web Mercator puts it on those tiles; a
// click with Pop-up on plays the camera in the pop-up player, which decodes real video.

let stack: Stack;
let tiles: https.Server;
let tileOrigin: string;
const requested: string[] = [];

/** A tile server on loopback: every /z/x/y.png is a 256-px PNG; what was asked is kept. */
async function startTileServer(): Promise<void> {
  const dir = tempDir('vigil-tiles-');
  const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=vigil-test-tiles',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  const tile = png(256, 256);
  tiles = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) => {
    requested.push(req.url ?? '');
    if (!/^\/\d+\/\d+\/\d+\.png$/.test(req.url ?? '')) return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': tile.length });
    res.end(tile);
  });
  await new Promise<void>((ok) => tiles.listen(0, '127.0.0.1', ok));
  tileOrigin = `https://127.0.0.1:${(tiles.address() as AddressInfo).port}`;
}

before(async () => {
  await startTileServer();
  stack = await startStack({
    media: { channels: [{ id: 'v1', name: 'VCS 1' }], sharedSubEncoder: true },
    vcs: { media: true },
  });
});
closePagesAfterEach(() => stack?.browser);
after(async () => {
  await stack?.stop();
  tiles?.close();
});

/** Web Mercator: where (lat, lng) falls in the world's pixels at zoom `z` (256-px tiles). */
function worldPixel(lat: number, lng: number, z: number): { x: number; y: number } {
  const size = 256 * 2 ** z;
  const s = Math.sin((lat * Math.PI) / 180);
  return { x: ((lng + 180) / 360) * size, y: (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * size };
}

test('geographic map: no tile before an address is set; after, tiles load and VCS cameras sit where they are', async () => {
  const { core, host, browser } = stack as Required<Stack>;
  // The test's tile server has a certificate of its own: the context accepts it as a site's CA would be.
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto(host.url);
  const openMaps = async () => {
    await page.getByRole('menuitem', { name: /\bMaps$|电子地图/ }).click();
    await page.getByTestId('maps-page').waitFor();
  };
  await openMaps();
  await page.getByTestId('maps-view-geo').click();
  await page.getByTestId('maps-geo').waitFor();
  await page.waitForTimeout(1000);
  assert.deepEqual(requested, [], 'no tile is asked for before an address is set');
  assert.equal(await page.locator('.leaflet-container').count(), 0, 'no map library loaded');

  // The address is set in Map settings: the page reloads with a CSP naming the tile origin.
  await page.getByTestId('maps-settings').click();
  await page.getByTestId('maps-tile-url').fill(`${tileOrigin}/{z}/{x}/{y}.png`);
  const reloaded = page.waitForEvent('load');
  await page.getByTestId('maps-settings-ok').click();
  await reloaded;
  const csp = (await page.request.get(host.url)).headers()['content-security-policy'] ?? '';
  assert.match(csp, new RegExp(`img-src 'self' data: blob: ${tileOrigin.replace(/[.]/g, '\\.')}(;|$)`));
  assert.equal(core.maps.get().prefs.tileUrl, `${tileOrigin}/{z}/{x}/{y}.png`);

  await openMaps();
  await page.locator('[data-testid="node-account"]').first().waitFor();
  await page.getByTestId('maps-view-geo').click();
  await page.getByTestId('geo-map').waitFor();
  // The three placed campus cameras (南门 and 北门 online, 仓库 offline): markers in their colours.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="geo-pin"]').length === 3, null, {
    timeout: 20_000,
  });
  await page.waitForFunction(() => document.querySelectorAll('img.leaflet-tile-loaded').length > 0);
  await page.waitForTimeout(800); // the fit's zoom animation settles
  assert.ok(
    requested.some((u) => /^\/\d+\/\d+\/\d+\.png$/.test(u)),
    'tiles came from the address set',
  );

  const nodes = (await core.call('tree:load', { accountId: stack.accounts.vcs! })) as {
    ok: true;
    result: { nodes: Array<{ id: string; name: string; status: string; geo?: { lat: number; lng: number } }> };
  };
  const placed = nodes.result.nodes.filter((n) => n.geo);
  assert.deepEqual(placed.map((n) => n.name).sort(), ['仓库', '北门 (SAPI)', '南门'].sort());
  const seen = await page.evaluate(() => {
    const pins = [...document.querySelectorAll<SVGElement>('[data-testid="geo-pin"]')].map((el) => {
      const r = el.getBoundingClientRect();
      return {
        channel: el.getAttribute('data-channel-id')!,
        status: el.getAttribute('data-status')!,
        fill: el.getAttribute('fill'),
        x: r.left + r.width / 2,
        y: r.top + r.height / 2,
      };
    });
    const tilesShown = [...document.querySelectorAll<HTMLImageElement>('img.leaflet-tile-loaded')]
      .map((img) => {
        const r = img.getBoundingClientRect();
        const [z, x, y] = new URL(img.src).pathname.slice(1).replace('.png', '').split('/').map(Number);
        return { z: z!, x: x!, y: y!, left: r.left, top: r.top, scale: r.width / 256 };
      })
      // Tiles of the level shown (a level being zoomed away from is scaled): the ones to measure on.
      .filter((tl) => Math.abs(tl.scale - 1) < 0.01);
    return { pins, tilesShown };
  });
  for (const n of placed) {
    const pin = seen.pins.find((p) => p.channel === n.id)!;
    assert.ok(pin, `a marker for ${n.name}`);
    assert.equal(pin.status, n.status);
    assert.equal(pin.fill, n.status === 'online' ? '#52c41a' : '#8c8c8c');
    // Where the tiles say this camera is: the tile under it, and the offset inside it.
    const z = seen.tilesShown[0]!.z;
    const w = worldPixel(n.geo!.lat, n.geo!.lng, z);
    const t = seen.tilesShown.find((tl) => tl.x === Math.floor(w.x / 256) && tl.y === Math.floor(w.y / 256))!;
    assert.ok(t, `the tile under ${n.name} is shown`);
    const want = { x: t.left + (w.x - t.x * 256) * t.scale, y: t.top + (w.y - t.y * 256) * t.scale };
    assert.ok(
      Math.abs(pin.x - want.x) < 2 && Math.abs(pin.y - want.y) < 2,
      `${n.name} at ${pin.x},${pin.y}; the tiles put it at ${want.x},${want.y}`,
    );
  }

  // Pop-up on: a click on 南门's marker plays it in the pop-up player, which decodes; Esc closes it.
  await page.getByTestId('maps-pop-out').click();
  const south = placed.find((n) => n.name === '南门')!;
  await page.locator(`[data-testid="geo-pin"][data-channel-id="${south.id}"]`).click();
  await page.getByTestId('map-popup-pane').waitFor();
  await page.waitForFunction(
    () =>
      (document.querySelector<HTMLVideoElement>('[data-testid="map-popup-pane"] video')?.getVideoPlaybackQuality()
        .totalVideoFrames ?? 0) > 10,
    null,
    { timeout: 45_000 },
  );
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('[data-testid="map-popup-pane"]'));
  await context.close();
});
