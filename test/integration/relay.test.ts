import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { LANE_STREAMS, MediaRelay } from '../../main/media/relay';

// The relay over real loopback HTTP: an upstream that streams bytes until told to stop.
let upstream: http.Server;
let base = '';
const relay = new MediaRelay();

before(async () => {
  upstream = http.createServer((req, res) => {
    if (req.url === '/missing.flv') return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'video/x-flv' });
    res.write(Buffer.from('FLV\x01\x01\x00\x00\x00\x09', 'latin1'));
    if (req.url === '/short.flv') return res.end(Buffer.from('end'));
    const t = setInterval(() => res.write(Buffer.alloc(100, 7)), 20);
    res.on('close', () => clearInterval(t));
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
after(() => {
  relay.close();
  upstream.closeAllConnections();
  upstream.close();
});

test('streams are spread over loopback ports, at most 5 per port; bytes and CORS pass through', async () => {
  const urls = await Promise.all(Array.from({ length: 7 }, (_, i) => relay.open(`${base}/cam${i}.flv`)));
  const ports = urls.map((u) => new URL(u).port);
  assert.equal(LANE_STREAMS, 5);
  assert.equal(new Set(ports).size, 2);
  for (const p of new Set(ports)) assert.ok(ports.filter((x) => x === p).length <= LANE_STREAMS);
  assert.ok(urls.every((u) => /^http:\/\/127\.0\.0\.1:\d+\/relay\/[0-9a-f]{32}\.flv$/.test(u)), urls[0]);
  const res = await fetch(urls[0]!);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  const reader = res.body!.getReader();
  const first = await reader.read();
  assert.equal(Buffer.from(first.value!).subarray(0, 3).toString(), 'FLV');
  assert.equal(relay.active, 1);
  await reader.cancel();
  for (let i = 0; i < 50 && relay.active > 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(relay.active, 0, 'the stream ends when the player goes');
});

test('a ticket opens one stream: reused, unknown or on another port it is refused', async () => {
  const url = await relay.open(`${base}/short.flv`);
  const body = Buffer.from(await (await fetch(url)).arrayBuffer());
  assert.equal(body.subarray(-3).toString(), 'end', 'upstream end ends the response');
  assert.equal((await fetch(url)).status, 403, 'used');
  assert.equal((await fetch(url.replace(/[0-9a-f]{32}/, '0'.repeat(32)))).status, 403, 'unknown');
  const other = await relay.open(`${base}/cam.flv`);
  const otherPort = relay.lanePorts.find((p) => p !== Number(new URL(other).port));
  if (otherPort) assert.equal((await fetch(other.replace(/:\d+\//, `:${otherPort}/`))).status, 403, 'another lane');
});

test('upstream errors are 502 with the reason; bad addresses are refused before anything opens', async () => {
  const missing = await fetch(await relay.open(`${base}/missing.flv`));
  assert.equal(missing.status, 502);
  assert.match(await missing.text(), /upstream HTTP 404/);
  const down = await fetch(await relay.open('http://127.0.0.1:1/none.flv'));
  assert.equal(down.status, 502);
  await assert.rejects(relay.open('not a url'), /not a URL/);
  await assert.rejects(relay.open('rtsp://cam/1'), /Only http\(s\)/);
});
