import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { SoundInfo } from '../../common/flv-sound';
import { ffmpegPath } from '../emulators/media/ffmpeg';

// mpegts.js reads `self` and `navigator` when it loads: Node has neither before version 21.
const g = globalThis as Record<string, unknown>;
g.self ??= globalThis;
g.navigator ??= { userAgent: 'node' };
const { vigilFlvLoader } = await import('../../renderer/media/engines/flv-loader');

/**
 * The loader the live panes use, over HTTP, on a camera's FLV as ffmpeg writes it (H.264 and an
 * 8-kHz A-law tone): what reaches mpegts.js has FLAC sound, the header still promising audio, and
 * the loader says what the camera sent. What ffmpeg makes of the handed-on bytes is not asked:
 * the 2018 ffmpeg reads no Enhanced-RTMP FLV (the e2e plays them in Chromium).
 */
test('the live FLV loader hands mpegts.js FLAC in place of G.711 and says so', async (t) => {
  const made = spawnSync(ffmpegPath(), [
    ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=s=160x90:r=25'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=8000', '-t', '2'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
    ...['-c:a', 'pcm_alaw', '-ar', '8000', '-ac', '1', '-f', 'flv', 'pipe:1'],
  ]);
  if (made.error) return t.skip('no ffmpeg');
  const body = made.stdout;
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'video/x-flv' });
    let at = 0;
    const timer = setInterval(() => {
      res.write(body.subarray(at, (at += 4096)));
      if (at >= body.length) {
        clearInterval(timer);
        res.end();
      }
    }, 2);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/live.flv`;
  const heard: SoundInfo[] = [];
  const said: Array<[boolean | undefined, number | undefined]> = [];
  const Loader = vigilFlvLoader((audio, codecId) => said.push([audio, codecId]), { sound: (i) => heard.push(i) });
  const loader = new (Loader as unknown as new () => {
    open(source: { url: string }): void;
    onDataArrival: (data: ArrayBuffer, start: number, received: number) => void;
    onComplete: () => void;
    destroy(): void;
  })();
  const parts: Buffer[] = [];
  let done = false;
  loader.onDataArrival = (data) => parts.push(Buffer.from(data));
  loader.onComplete = () => (done = true);
  loader.open({ url });
  try {
    for (let i = 0; i < 200 && !done; i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(done, 'the stream was read to its end');
    const out = Buffer.concat(parts);
    assert.deepEqual(said, [[true, 7]], 'the metadata names G.711 A-law: audio, and the flag kept');
    assert.deepEqual(
      heard.map((h) => h.codec),
      ['G.711 A-law'],
    );
    const formats = new Map<number, number>();
    let at = 13;
    while (at + 11 <= out.length) {
      const size = out.readUIntBE(at + 1, 3);
      if (out[at] === 8) formats.set(out[at + 11]!, (formats.get(out[at + 11]!) ?? 0) + 1);
      at += 15 + size;
    }
    assert.equal(at, out.length, 'every tag whole');
    assert.equal(formats.get(0x90), 1, 'one FLAC sequence start');
    assert.ok((formats.get(0x91) ?? 0) >= 10, `${formats.get(0x91)} FLAC frames (2 s of sound)`);
    assert.equal(formats.get(0x72), undefined, 'no G.711 tag left');
  } finally {
    loader.destroy();
    server.close();
  }
});
