import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { passThrough, streamHeaders } from './pass-through';

const listen = async (handler: http.RequestListener) => {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
};

/** A stream the test reads: when each of its events came, ms after `t0`. */
const read = (url: string, t0: number) =>
  new Promise<{ bytes: number; endedAt: number; how: string }>((resolve) => {
    let bytes = 0;
    http
      .get(url, (res) => {
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => resolve({ bytes, endedAt: Date.now() - t0, how: 'end' }));
        res.on('error', () => resolve({ bytes, endedAt: Date.now() - t0, how: 'cut' }));
      })
      .on('error', () => resolve({ bytes, endedAt: Date.now() - t0, how: 'refused' }));
  });

test(
  'a media server gone mid-stream cuts the client too (a restart is seen at once, not after a stall)',
  { timeout: 5000 },
  async () => {
    // The "simulator": sends part of a stream, then its process dies (the socket is destroyed).
    const origin = await listen((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'video/x-flv' });
      res.write(Buffer.alloc(1000));
      setTimeout(() => res.socket?.destroy(), 300);
    });
    const node = await listen((_req, res) => passThrough(origin.url, res, streamHeaders));
    try {
      const t0 = Date.now();
      const got = await read(node.url, t0);
      assert.equal(got.bytes, 1000);
      assert.equal(got.how, 'cut', 'an unfinished answer is cut, not ended as if whole');
      assert.ok(got.endedAt < 1300, `seen ${got.endedAt} ms after the start (the origin died at 300 ms)`);
    } finally {
      node.server.close();
      origin.server.close();
    }
  },
);

test('a client that leaves stops the fetch from the media server; an unreachable one gets the node’s answer', async () => {
  let upstreamClosed = false;
  const origin = await listen((req, res) => {
    res.writeHead(200, { 'Content-Type': 'video/x-flv' });
    res.write(Buffer.alloc(10));
    req.socket.on('close', () => (upstreamClosed = true));
  });
  const node = await listen((req, res) =>
    req.url === '/gone'
      ? passThrough('http://127.0.0.1:1/', res, streamHeaders, () => res.writeHead(502).end())
      : passThrough(origin.url, res, streamHeaders),
  );
  try {
    await new Promise<void>((resolve) =>
      http.get(node.url, (res) => res.once('data', () => (res.destroy(), resolve()))),
    );
    for (let i = 0; i < 40 && !upstreamClosed; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(upstreamClosed, true);
    const status = await new Promise<number>((resolve) =>
      http.get(`${node.url}gone`, (res) => (res.resume(), resolve(res.statusCode ?? 0))),
    );
    assert.equal(status, 502);
  } finally {
    node.server.closeAllConnections();
    node.server.close();
    origin.server.closeAllConnections();
    origin.server.close();
  }
});
