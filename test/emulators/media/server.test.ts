import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { playlistWhole, StaticMediaServer } from './static-server';

const live = [
  '#EXTM3U',
  '#EXT-X-VERSION:6',
  '#EXT-X-TARGETDURATION:1',
  '#EXT-X-MEDIA-SEQUENCE:7',
  '#EXTINF:1.000000,',
  'index7.ts',
  '#EXTINF:1.000000,',
  'index8.ts',
  '',
].join('\n');

test('a playlist is whole when it starts with the header and ends with a segment URI or the end tag', () => {
  assert.equal(playlistWhole(live), true);
  assert.equal(playlistWhole(`${live}#EXT-X-ENDLIST\n`), true);
  assert.equal(playlistWhole(''), false);
  assert.equal(playlistWhole(live.slice(0, live.indexOf('index8.ts'))), false, 'cut after an #EXTINF line');
  assert.equal(playlistWhole(live.slice(0, -3)), false, 'cut mid-line');
  assert.equal(playlistWhole('#EXT-X-VERSION:6\nindex7.ts\n'), false, 'no header');
});

test('the media server never sends a live playlist half-written, even while the writer rewrites it in place', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-static-'));
  const file = path.join(root, 'index.m3u8');
  fs.writeFileSync(file, live);
  const server = new StaticMediaServer(root);
  await server.listen();
  // The writer truncates and rewrites in two steps, the way this ffmpeg build writes playlists,
  // with the file empty or half-written about a third of the time.
  let writing = true;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const writer = (async () => {
    while (writing) {
      const fd = fs.openSync(file, 'w');
      fs.writeSync(fd, live.slice(0, 40));
      await sleep(3);
      fs.writeSync(fd, live.slice(40));
      fs.closeSync(fd);
      await sleep(6);
    }
  })();
  try {
    for (let i = 0; i < 300; i++) {
      const res = await fetch(`http://127.0.0.1:${server.port}/index.m3u8`, { signal: AbortSignal.timeout(2000) });
      assert.equal(res.status, 200);
      assert.equal(await res.text(), live);
    }
  } finally {
    writing = false;
    await writer;
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the media server answers byte ranges, 404 for what is missing and 403 outside its folder', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-static-'));
  fs.writeFileSync(path.join(root, 'seg.ts'), Buffer.from('0123456789'));
  const server = new StaticMediaServer(root);
  await server.listen();
  const url = (p: string) => `http://127.0.0.1:${server.port}${p}`;
  try {
    const part = await fetch(url('/seg.ts'), { headers: { Range: 'bytes=2-5' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), 'bytes 2-5/10');
    assert.equal(await part.text(), '2345');
    const tail = await fetch(url('/seg.ts'), { headers: { Range: 'bytes=-3' } });
    assert.equal(await tail.text(), '789');
    assert.equal((await fetch(url('/seg.ts'), { headers: { Range: 'bytes=20-' } })).status, 416);
    assert.equal((await fetch(url('/missing.ts'))).status, 404);
    assert.equal((await fetch(url('/..%2fetc%2fpasswd'))).status, 403);
    const whole = await fetch(url('/seg.ts'));
    assert.equal(whole.headers.get('content-type'), 'video/mp2t');
    assert.equal(whole.headers.get('access-control-allow-origin'), '*');
    assert.equal(await whole.text(), '0123456789');
  } finally {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
