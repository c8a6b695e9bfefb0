import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeCore, MemoryVault } from '../helpers/core';

// The stream-test page's typed addresses reach the network only through media:relay.
test('a typed stream address is relayed in developer mode only, loopback only, and a refusal says why', async () => {
  const plain = makeCore({ vault: new MemoryVault() }).core;
  const dev = makeCore({ vault: new MemoryVault(), relayLoopbackUrls: true }).core;
  try {
    const refused = await plain.call('media:relay', { url: 'http://127.0.0.1:8000/live/cam.flv' });
    assert.equal(refused.ok, false);
    assert.match(JSON.stringify(refused), /developer mode only/);

    const relayed = await dev.call('media:relay', { url: 'http://127.0.0.1:8000/live/cam.flv' });
    assert.ok(relayed.ok, JSON.stringify(relayed));
    assert.match((relayed.result as { url: string }).url, /^http:\/\/127\.0\.0\.1:\d+\/relay\//);

    const hls = await dev.call('media:relay', { url: 'http://127.0.0.1:8000/hls/cam/index.m3u8' });
    assert.ok(hls.ok, JSON.stringify(hls));
    assert.match((hls.result as { url: string }).url, /\/hls\//, 'a playlist is relayed as HLS');

    const away = await dev.call('media:relay', { url: 'https://example.com/live/cam.flv' });
    assert.equal(away.ok, false, 'developer mode relays this machine’s addresses only');
  } finally {
    await plain.dispose();
    await dev.dispose();
  }
});
