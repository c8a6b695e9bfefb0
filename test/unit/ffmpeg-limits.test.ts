import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { AppError } from '../../main/errors';
import { findFfmpeg } from '../../main/media/ffmpeg';
import { clipLimits, FFMPEG_LIMITS, remuxArgs, remuxToMp4, runFfmpeg } from '../../main/media/remux';
import { tempDir } from '../helpers/core';

// Every ffmpeg run of clip export has a wall time and an output size it cannot pass: ffmpeg parses
// what a platform sent, and a stream that trickles or floods must neither hold a job for ever nor
// fill the disk.

const ffmpeg = findFfmpeg();
const read = () => ({ signal: new AbortController().signal, idleMs: 5_000, onProgress: () => undefined });

test('the clip limits grow with the clip: minutes of wall time and 64 Mbit/s of output at most', () => {
  assert.deepEqual(clipLimits(0), { wallMs: FFMPEG_LIMITS.baseMs, maxBytes: FFMPEG_LIMITS.baseBytes });
  const hour = clipLimits(3600);
  assert.equal(hour.wallMs, FFMPEG_LIMITS.baseMs + 3600 * FFMPEG_LIMITS.perSecondMs);
  assert.equal(hour.maxBytes, FFMPEG_LIMITS.baseBytes + 3600 * 8_000_000);
  assert.deepEqual(clipLimits(-5), clipLimits(0), 'never below the base');
});

test('the remux reports its size (-progress) and ffmpeg caps its output too (-fs, an output option, after -i)', () => {
  const args = remuxArgs('http://127.0.0.1:1/hls/t/index.m3u8', 0, 30, '/tmp/x.part', 20_000);
  const at = args.indexOf('-fs');
  assert.ok(at > args.indexOf('-i'), 'after the input: it limits the output');
  assert.ok(Number(args[at + 1]) > clipLimits(30).maxBytes, 'above the limit main watches: the last stop');
  assert.ok(Number(args[at + 1]) <= clipLimits(30).maxBytes * 2);
  assert.equal(args[args.indexOf('-progress') + 1], 'pipe:1');
});

test('an ffmpeg that runs past its wall time is killed and the job fails saying so', async (t) => {
  if (process.platform === 'win32') return t.skip('a shell script stands in for ffmpeg');
  const dir = tempDir();
  const stuck = path.join(dir, 'ffmpeg');
  fs.writeFileSync(stuck, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
  const t0 = Date.now();
  await assert.rejects(
    runFfmpeg(stuck, [], new AbortController().signal, { wallMs: 300 }),
    (e: unknown) => e instanceof AppError && /took longer than 0 s to write and was stopped/.test(e.message),
  );
  assert.ok(Date.now() - t0 < 5_000, `stopped after ${Date.now() - t0} ms`);
});

test('a recording larger than its size limit stops at the limit and the clip fails instead of passing for whole', async (t) => {
  if (!ffmpeg) return t.skip('no ffmpeg here');
  const dir = tempDir();
  const source = path.join(dir, 'source.ts');
  // 6 s of noise at 2 Mbit/s: ~1.6 MB in frames of ~10 KB, far above the lowered limit below.
  const noise = 'nullsrc=s=320x240:r=25:d=6,geq=random(1)*255:128:128';
  const made = spawnSync(ffmpeg, [
    ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', noise],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '2M', '-maxrate', '2M', '-bufsize', '1M'],
    ...['-f', 'mpegts', '-y', source],
  ]);
  assert.equal(made.status, 0, String(made.stderr));
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'video/mp2t' });
    fs.createReadStream(source).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/clip.ts`;
  const saved = { ...FFMPEG_LIMITS };
  Object.assign(FFMPEG_LIMITS, { baseBytes: 100_000, bytesPerSecond: 20_000 });
  const part = path.join(dir, 'clip.mp4.part');
  try {
    const maxBytes = clipLimits(6).maxBytes;
    await assert.rejects(
      remuxToMp4(ffmpeg, url, 0, 6, part, read()),
      (e: unknown) => e instanceof AppError && e.code === 'PLATFORM_ERROR' && /clip was stopped at/.test(e.message),
    );
    const written = fs.statSync(part).size;
    assert.ok(written < maxBytes * 2, `${written} bytes written for a ${maxBytes}-byte limit`);
    Object.assign(FFMPEG_LIMITS, saved);
    // The same clip within the usual limits is whole.
    await remuxToMp4(ffmpeg, url, 0, 6, part, read());
    assert.ok(fs.statSync(part).size > 500_000, `${fs.statSync(part).size} bytes`);
  } finally {
    Object.assign(FFMPEG_LIMITS, saved);
    server.close();
  }
});
