import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { EventBus } from '../../main/events';
import type { AccountsService } from '../../main/services/accounts';
import { ExportService } from '../../main/services/export';
import type { ExportJob } from '../../preload/contract';
import { ffmpegPath } from '../emulators/media/ffmpeg';
import { MediaSimulator } from '../emulators/media/simulator';
import { tempDir } from '../helpers/core';

// Issue 24: an H.265 recording exports as MP4 without re-encoding, its sample entry tagged
// `hvc1` (what QuickTime, Safari and Windows' player open), and the job says so; H.264 is
// unchanged (avc1, no note).

let sim: MediaSimulator;

before(async () => {
  sim = await MediaSimulator.start({
    channels: [
      { id: 'hevc', name: 'HEVC', codec: 'h265' },
      { id: 'avc', name: 'AVC' },
    ],
    recordingsPerChannel: 1,
    recordingMinutes: 0.1,
    prepareRecordings: false,
  });
  for (const id of ['hevc', 'avc']) await sim.prepareRecording(id, sim.recordings(id)[0]!.start);
});
after(() => sim.stop());

async function exportClip(channel: string): Promise<ExportJob> {
  const rec = sim.recordings(channel)[0]!;
  const platform = {
    recordings: async () => [{ kind: 'cloud', startMs: rec.start, endMs: rec.end }],
    playbackSource: async () => ({ url: rec.url }),
  };
  const events = new EventBus();
  const exports = new ExportService(
    { platform: async () => platform, scope: async () => undefined } as unknown as AccountsService,
    events,
    tempDir(),
    {
      ffmpeg: ffmpegPath,
    },
  );
  const id = exports.start({
    accountId: 'acc_0000000000000001',
    channelId: channel,
    name: channel,
    kind: 'cloud',
    startMs: rec.start + 1000,
    endMs: rec.start + 5000,
  }).id;
  return new Promise((resolve) => {
    const off = events.subscribe((event, payload) => {
      const job = payload as ExportJob;
      if (event === 'main:export' && job.id === id && ['done', 'failed', 'cancelled'].includes(job.state)) {
        off();
        resolve(job);
      }
    });
  });
}

async function streamLine(file: string): Promise<string> {
  const child = spawn(ffmpegPath(), ['-hide_banner', '-i', file]);
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise((r) => child.on('close', r));
  return /Video: [^\n]*/.exec(err)?.[0] ?? '';
}

test('an H.265 recording is copied into MP4 as hvc1, and the job says so', async () => {
  const job = await exportClip('hevc');
  assert.equal(job.state, 'done', job.message ?? '');
  assert.match(job.message ?? '', /H\.265 copied without re-encoding \(MP4, hvc1\)/);
  assert.match(job.file!, /\.mp4$/);
  assert.match(await streamLine(job.file!), /^Video: hevc \(Main\) \(hvc1 \/ 0x31637668\)/);
  assert.ok(fs.readFileSync(job.file!).includes(Buffer.from('hvc1')));
});

test('an H.264 recording is unchanged: avc1, no note', async () => {
  const job = await exportClip('avc');
  assert.equal(job.state, 'done', job.message ?? '');
  assert.equal(job.message, null);
  assert.match(await streamLine(job.file!), /^Video: h264 [^\n]*\(avc1/);
});
