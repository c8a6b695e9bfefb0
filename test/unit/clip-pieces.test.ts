import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { ExportJob } from '../../preload/contract';
import { EventBus } from '../../main/events';
import { cleanInterrupted } from '../../main/media/clip-files';
import { TencentIvcPlatform } from '../../main/platforms/tencent-ivc';
import { downloadPieces } from '../../main/platforms/tencent-ivc/map';
import { clipPiecePath, ExportService } from '../../main/services/export';
import type { AccountsService } from '../../main/services/accounts';
import { tempDir } from '../helpers/core';

// Tencent IVC's E38 downloads at most 30 minutes within one UTC+8 day: longer clips are cut into
// such pieces (and joined in export.ts); a piece a crash left is cleaned like a part.

/** 00:00 on 22 November 2026 in Beijing (UTC+8), Unix seconds. */
const midnight = Date.UTC(2026, 10, 21, 16) / 1000;
const noon = midnight + 12 * 3600;

test('45 minutes: a 30-minute piece, then the 15 minutes left', () => {
  assert.deepEqual(downloadPieces(noon, noon + 2700), [
    [noon, noon + 1800],
    [noon + 1800, noon + 2700],
  ]);
});

test('across a UTC+8 midnight: cut there, each piece within its own day', () => {
  assert.deepEqual(downloadPieces(midnight - 600, midnight + 600), [
    [midnight - 600, midnight],
    [midnight, midnight + 600],
  ]);
  // 50 minutes ending 20 minutes after midnight: 30 before it, the last 20 after.
  assert.deepEqual(downloadPieces(midnight - 1800, midnight + 1200), [
    [midnight - 1800, midnight],
    [midnight, midnight + 1200],
  ]);
});

test('ending exactly at 00:00 UTC+8, or exactly 30 minutes long: one piece', () => {
  assert.deepEqual(downloadPieces(midnight - 600, midnight), [[midnight - 600, midnight]]);
  assert.deepEqual(downloadPieces(midnight - 1800, midnight), [[midnight - 1800, midnight]]);
  assert.deepEqual(downloadPieces(noon, noon + 1800), [[noon, noon + 1800]]);
  assert.deepEqual(downloadPieces(noon, noon), []);
});

test('the Tencent adapter offers those pieces in ms for a clip export', () => {
  const ivc = new TencentIvcPlatform(
    { platform: 'tencent-ivc', endpoint: 'http://127.0.0.1:9', appId: '1250000000', secretId: 'AKIDtest' },
    'secret',
  );
  assert.deepEqual(ivc.clipPieces(noon * 1000, (noon + 2700) * 1000), [
    [noon * 1000, (noon + 1800) * 1000],
    [(noon + 1800) * 1000, (noon + 2700) * 1000],
  ]);
});

test('a piece file an interrupted export left is removed at the next start', () => {
  const dir = tempDir();
  const part = path.join(dir, `Gate_dev1-0_20261122_120000-124500.mp4.${process.pid}.part`);
  const piece = clipPiecePath(part, 1, 'mp4');
  assert.equal(path.dirname(piece), dir, 'beside the part');
  fs.writeFileSync(piece, 'half a piece');
  cleanInterrupted(dir);
  assert.deepEqual(fs.readdirSync(dir), []);
});

test('pieces without ffmpeg to join them: the export fails saying why, before any download is asked', async () => {
  let asked = 0;
  const platform = {
    clipPieces: (startMs: number, endMs: number) => [
      [startMs, startMs + 1800_000],
      [startMs + 1800_000, endMs],
    ],
    clipDownload: async () => {
      asked++;
      return { url: 'http://127.0.0.1:9/clip.mp4', ext: 'mp4' as const };
    },
  };
  const accounts = { platform: async () => platform, scope: async () => undefined } as unknown as AccountsService;
  const events = new EventBus();
  const exports = new ExportService(accounts, events, tempDir(), { ffmpeg: () => null, retryDelaysMs: [] });
  const done = new Promise<ExportJob>((resolve) =>
    events.subscribe((event, payload) => {
      const job = payload as ExportJob;
      if (event === 'main:export' && job.state === 'failed') resolve(job);
    }),
  );
  exports.start({
    accountId: 'acc_0000000000000001',
    channelId: 'ch:dev1:0',
    name: 'Gate',
    kind: 'cloud',
    startMs: noon * 1000,
    endMs: (noon + 2700) * 1000,
  });
  const job = await done;
  assert.match(job.message ?? '', /2 pieces.*ffmpeg/);
  assert.equal(asked, 0);
});
