import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { findFfmpeg } from '../../main/media/ffmpeg';
import { isPrivateAddress } from '../../main/media/hls-playlist';
import { MediaRelay } from '../../main/media/relay';
import { remuxArgs, remuxToMp4, videoCodecOf } from '../../main/media/remux';
import { tempDir } from '../helpers/core';

// Clip export's ffmpeg reads only what the relay serves (loopback http, AES-128 keys through
// `crypto`): its protocol whitelist refuses file:, concat:, subfile and bare paths even if an
// address ever got past the service's http(s) check, and the local reads (the clip asked its
// codec) take files only.

const ffmpeg = findFfmpeg();
const read = () => ({ signal: new AbortController().signal, idleMs: 5_000, onProgress: () => undefined });

/** A short local video at `file` (H.264, which MP4 takes copied from MPEG-TS). */
function localVideo(file: string, extra: string[] = []): void {
  const made = spawnSync(ffmpeg!, [
    ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=5:duration=4'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', ...extra, '-y', file],
  ]);
  assert.equal(made.status, 0, String(made.stderr));
}

test('the remux input is limited to http, tcp and crypto (an input option, before -i)', () => {
  const args = remuxArgs('http://127.0.0.1:1/hls/t/index.m3u8', 1.5, 4, '/tmp/x.part', 20_000);
  const at = args.indexOf('-protocol_whitelist');
  assert.ok(at >= 0, 'a whitelist is given');
  assert.equal(args[at + 1], 'http,tcp,crypto');
  assert.ok(at < args.indexOf('-i'), 'an input option');
  assert.equal(args[args.indexOf('-i') + 1], 'http://127.0.0.1:1/hls/t/index.m3u8');
});

test('ffmpeg refuses a local file, concat: or subfile as the remux input: nothing is copied into a clip', async (t) => {
  if (!ffmpeg) return t.skip('no ffmpeg here');
  const local = path.join(tempDir(), 'private.mp4');
  localVideo(local);
  const dir = tempDir();
  const inputs = [
    `file://${local}`,
    `file:${local}`,
    local,
    `concat:${local}|${local}`,
    `subfile,,start,0,end,0,,:${local}`,
  ];
  for (const [i, url] of inputs.entries()) {
    const part = path.join(dir, `clip${i}.part`);
    await assert.rejects(remuxToMp4(ffmpeg, url, 0, 2, part, read()), /ffmpeg could not write the clip/, url);
    assert.ok(!fs.existsSync(part) || fs.statSync(part).size === 0, `${url}: nothing written`);
  }
});

test('the clip asked its codec is read as a file only (concat: of it is not read)', async (t) => {
  if (!ffmpeg) return t.skip('no ffmpeg here');
  const local = path.join(tempDir(), 'clip.mp4');
  localVideo(local);
  assert.equal(await videoCodecOf(ffmpeg, local, read()), 'h264');
  assert.equal(await videoCodecOf(ffmpeg, `concat:${local}|${local}`, read()), null);
});

test('an AES-128 HLS recording through the relay still exports (its segments are read through crypto)', async (t) => {
  if (!ffmpeg) return t.skip('no ffmpeg here');
  const hls = tempDir();
  const key = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
  fs.writeFileSync(path.join(hls, 'k.key'), key);
  const server = http.createServer((req, res) => {
    const name = path.basename(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(hls, name);
    if (!fs.existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, name.endsWith('.m3u8') ? { 'content-type': 'application/vnd.apple.mpegurl' } : {});
    res.end(fs.readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // 127.0.0.1 stands for a public platform here.
  const relay = new MediaRelay({ isPrivate: (h) => h !== '127.0.0.1' && isPrivateAddress(h) });
  t.after(() => {
    relay.close();
    server.closeAllConnections();
    server.close();
  });
  fs.writeFileSync(path.join(hls, 'key-info'), `${base}/k.key\n${path.join(hls, 'k.key')}\n`);
  localVideo(path.join(hls, 'vod.m3u8'), [
    ...['-f', 'hls', '-hls_time', '2', '-hls_playlist_type', 'vod'],
    ...['-hls_key_info_file', path.join(hls, 'key-info')],
  ]);
  assert.match(fs.readFileSync(path.join(hls, 'vod.m3u8'), 'utf8'), /#EXT-X-KEY:METHOD=AES-128/);
  relay.issue(`${base}/vod.m3u8`);
  const url = await relay.open(`${base}/vod.m3u8`, 'hls');
  const part = path.join(tempDir(), 'clip.part');
  await remuxToMp4(ffmpeg, url, 0, 3, part, read());
  assert.ok(fs.statSync(part).size > 1000, 'the clip was written');
  assert.equal(await videoCodecOf(ffmpeg, part, read()), 'h264');
});
