import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { AppError } from '../../main/errors';
import { fetchImage } from '../../main/platforms/aliyun-vcs/images';
import { IvmClient, type IvmConfig } from '../../main/platforms/huawei-ivm/client';

// Pictures a platform names by URL are read into main's memory: an answer that never ends (a
// hostile host, or anyone on the path of IVM's plain-http picture URLs, §10.2.2) must be cut at
// the size a picture can have, not buffered until the timeout.

let server: http.Server;
let base = '';
let sent = 0;

before(async () => {
  server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'image/jpeg' });
    const chunk = Buffer.alloc(256 * 1024, 0xff);
    const pump = () => {
      while (!res.destroyed && res.write(chunk)) sent += chunk.length;
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

test('IVM: a picture URL answering without end is refused at the cap, not read for 15 s', async () => {
  const config = {
    platform: 'huawei-ivm',
    endpoint: 'https://api-ivm.invalid',
    userId: 'u',
    ak: 'ak',
  } as unknown as IvmConfig;
  const client = new IvmClient(config, 'sk-not-used');
  sent = 0;
  const from = Date.now();
  await assert.rejects(client.download(`${base}/alarm.jpg`, 'alarm picture'), (e: unknown) => {
    assert.ok(e instanceof AppError, String(e));
    assert.match(e.message, /larger than/);
    return true;
  });
  assert.ok(Date.now() - from < 5_000, `settled after ${Date.now() - from} ms`);
  assert.ok(sent < 128 * 1024 * 1024, `${sent} bytes were sent before it stopped`);
});

test('Alibaba: an image answering without end is null at its 2 MB, not read for 8 s', async () => {
  sent = 0;
  const from = Date.now();
  assert.equal(await fetchImage(fetch, `${base}/crop.jpg`), null);
  assert.ok(Date.now() - from < 4_000, `settled after ${Date.now() - from} ms`);
  assert.ok(sent < 128 * 1024 * 1024, `${sent} bytes were sent before it stopped`);
});
