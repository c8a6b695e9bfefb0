import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { downloadClip, joinHlsSegments, playlistSegments, type ReadOptions } from '../../main/media/clip-download';
import { isPrivateAddress } from '../../main/media/hls-playlist';
import { tempDir } from '../helpers/core';

// The clip reader under the export service: every request has a deadline and a status check, so
// a platform that never answers or answers an error fails with a clear message, never a hang or
// an error page saved as the clip.

let server: http.Server;
let base = '';
// Another host (another port is another host too): a redirect there must not be followed.
let other: http.Server;
let elsewhere = '';
const otherSeen: string[] = [];
const hung = new Set<http.ServerResponse>();
const served: string[] = [];

before(async () => {
  server = http.createServer((req, res) => {
    served.push(req.url ?? '');
    switch (req.url) {
      case '/never':
        return void hung.add(res);
      case '/error':
        return void res.writeHead(500).end('<html>internal error</html>');
      case '/vod.m3u8':
        return void res.writeHead(200).end('#EXTM3U\n#EXTINF:2,\nseg0.ts\n#EXTINF:2,\nmissing.ts\n#EXT-X-ENDLIST\n');
      case '/far.m3u8': {
        // A segment on another loopback address: private unless the test says otherwise.
        const port = (server.address() as AddressInfo).port;
        return void res.writeHead(200).end(`#EXTM3U\n#EXTINF:2,\nhttp://127.0.0.2:${port}/seg0.ts\n#EXT-X-ENDLIST\n`);
      }
      case '/seg0.ts':
        return void res.writeHead(200).end('seg0');
      case '/clip.mp4':
        return void res.writeHead(200).end('clip');
      case '/moved':
        return void res.writeHead(302, { Location: '/clip.mp4' }).end();
      case '/away':
        return void res.writeHead(302, { Location: `${elsewhere}/clip.mp4?sign=abc` }).end();
      case '/loop':
        return void res.writeHead(302, { Location: '/loop' }).end();
      default:
        return void res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  other = http.createServer((req, res) => {
    otherSeen.push(req.url ?? '');
    res.writeHead(200).end('from another host');
  });
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  elsewhere = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
});
after(async () => {
  for (const r of hung) r.destroy();
  for (const s of [server, other]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

const options = (): ReadOptions => ({
  signal: new AbortController().signal,
  connectMs: 300,
  idleMs: 300,
  onProgress: () => undefined,
});

test('a download that never answers fails within the deadline', async () => {
  const part = path.join(tempDir(), 'clip.part');
  const t0 = Date.now();
  await assert.rejects(downloadClip(`${base}/never`, part, options()), {
    message: "The platform's download did not answer within 0.3 s",
  });
  assert.ok(Date.now() - t0 < 5000);
});

test('a download answering 404 or 500 is an error, not a clip made of the error page', async () => {
  const dir = tempDir();
  await assert.rejects(downloadClip(`${base}/gone`, path.join(dir, 'a.part'), options()), {
    code: 'PLATFORM_ERROR',
    message: "The platform's download answered HTTP 404",
  });
  await assert.rejects(downloadClip(`${base}/error`, path.join(dir, 'b.part'), options()), {
    message: "The platform's download answered HTTP 500",
  });
  assert.deepEqual(fs.readdirSync(dir), [], 'nothing written');
});

test('a download follows redirects on its own host only, as the relay does (Tencent clipDownload)', async () => {
  const dir = tempDir();
  await downloadClip(`${base}/moved`, path.join(dir, 'a.part'), options());
  assert.equal(fs.readFileSync(path.join(dir, 'a.part'), 'utf8'), 'clip', 'the same host: followed');
  await assert.rejects(downloadClip(`${base}/away`, path.join(dir, 'b.part'), options()), {
    code: 'PLATFORM_ERROR',
    message: `The platform's download redirected to another host (${new URL(elsewhere).host})`,
  });
  assert.deepEqual(otherSeen, [], 'another host is never asked');
  await assert.rejects(downloadClip(`${base}/loop`, path.join(dir, 'c.part'), options()), {
    message: "The platform's download redirected too many times",
  });
  assert.deepEqual(fs.readdirSync(dir), ['a.part']);
});

test('a playlist segment answering 404 fails the join, naming the segment not its URL', async () => {
  const part = path.join(tempDir(), 'vod.part');
  await assert.rejects(joinHlsSegments(`${base}/vod.m3u8`, 0, 4, part, options()), {
    message: 'A recording segment answered HTTP 404',
  });
  await assert.rejects(joinHlsSegments(`${base}/never`, 0, 4, part, options()), {
    message: "The recording's playlist did not answer within 0.3 s",
  });
});

test('a public name that resolves to a private address is not read (DNS rebinding)', async () => {
  // "localhost" stands for a public platform's host name here; what it resolves to stays private.
  const isPrivate = (h: string) => h !== 'localhost' && isPrivateAddress(h);
  const port = new URL(base).port;
  const seen = served.length;
  const dir = tempDir();
  await assert.rejects(
    downloadClip(`http://localhost:${port}/clip.mp4`, path.join(dir, 'a.part'), { ...options(), isPrivate }),
    {
      code: 'PLATFORM_ERROR',
      message: "The platform's download names localhost, which resolves to 127.0.0.1, a private address: not read",
    },
  );
  assert.equal(served.length, seen, 'nothing was asked of this machine');
  // The same name, where it stands for an on-premises platform (private), is read.
  await downloadClip(`http://localhost:${port}/clip.mp4`, path.join(dir, 'b.part'), options());
  assert.equal(fs.readFileSync(path.join(dir, 'b.part'), 'utf8'), 'clip');
});

test("a public platform's playlist may not name a segment on a private address", async () => {
  // 127.0.0.1 stands for a public platform; 127.0.0.2 stays private (and is never connected to).
  const isPrivate = (h: string) => h !== '127.0.0.1' && isPrivateAddress(h);
  const seen = served.length;
  await assert.rejects(
    joinHlsSegments(`${base}/far.m3u8`, 0, 2, path.join(tempDir(), 'far.part'), { ...options(), isPrivate }),
    {
      code: 'PLATFORM_ERROR',
      message: 'A recording segment names 127.0.0.2, a private address: not read',
    },
  );
  assert.deepEqual(served.slice(seen), ['/far.m3u8'], 'the playlist was read, the segment never asked for');
});

test('a download address that is not a URL is a clear error that does not repeat it', async () => {
  await assert.rejects(downloadClip('not a url?sign=secret', path.join(tempDir(), 'u.part'), options()), {
    code: 'PLATFORM_ERROR',
    message: "The platform's download is not a URL",
  });
});

test('a download that is not http(s) is refused before anything is read', async () => {
  await assert.rejects(downloadClip('ftp://127.0.0.1/clip.mp4', path.join(tempDir(), 'f.part'), options()), {
    message: "The platform's download is not an http(s) address",
  });
});

test('playlist segments carry their times and resolve against the playlist URL', () => {
  assert.deepEqual(playlistSegments('#EXTM3U\n#EXTINF:2.5,\na.ts\n#EXTINF:2,\nhttp://o/b.ts\n', 'http://h/p/v.m3u8'), [
    { uri: 'http://h/p/a.ts', start: 0, end: 2.5 },
    { uri: 'http://o/b.ts', start: 2.5, end: 4.5 },
  ]);
});
