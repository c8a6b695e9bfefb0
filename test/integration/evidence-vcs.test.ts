import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Core } from '../../main/core';
import { parseManifest } from '../../main/evidence/manifest';
import type { EvidenceJob, ExportJob } from '../../preload/contract';
import { VcsEmulator } from '../emulators/aliyun-vcs/emulator';
import { platformMedia } from '../emulators/media/platform-media';
import { MediaSimulator } from '../emulators/media/simulator';
import { vcsAccount } from '../helpers/accounts';
import { addAccount, makeCore, MemoryVault, tempDir } from '../helpers/core';
import { runVerifier } from '../helpers/evidence';
import { probeSeconds } from '../helpers/probe';

// Clips and signed evidence from Alibaba VCS, which lists no recordings (§4.2): through the core,
// the range's GetDeviceVideoUrl HLS playlist (read through the relay) says by its dates where each
// recording starts and ends; the clip is cut from its recording, and where the range runs past
// the recording's end it is cut there and says so. verify-evidence accepts the folder and names
// a tampered clip.

let sim: MediaSimulator;
let vcs: VcsEmulator;
let core: Core;
let accountId: string;
let channelId: string;
const exportDir = tempDir();

before(async () => {
  sim = await MediaSimulator.start({
    channels: [{ id: 'v1', name: 'VCS 1' }],
    recordingsPerChannel: 2,
    recordingMinutes: 1,
    recordingEveryMinutes: 5,
  });
  vcs = await new VcsEmulator({ warmupMs: 100, media: platformMedia(sim) }).start();
  ({ core } = makeCore({ vault: new MemoryVault(), exportDir }));
  accountId = await addAccount(core, '阿里 VCS', vcsAccount(vcs));
  const platform = await core.accounts.platform(accountId);
  assert.equal(platform.recordings, undefined, 'VCS lists no recordings');
  channelId = (await platform.tree()).find((n) => n.kind === 'channel' && n.name === '南门')!.id;
});
after(async () => {
  await core?.dispose();
  await vcs?.stop();
  await sim?.stop();
});

function ended<T extends { id: string; state: string }>(event: string, id: string): Promise<T> {
  return new Promise((resolve) => {
    const off = core.events.subscribe((name, payload) => {
      const job = payload as T;
      if (name === event && job.id === id && !['queued', 'running'].includes(job.state)) {
        off();
        resolve(job);
      }
    });
  });
}

test('a VCS range is exported from its recording; past the recording’s end it is cut there and says so', async () => {
  const rec = sim.recordings('v1')[0]!;
  const startMs = Math.ceil(rec.start / 1000) * 1000 + 10_000;
  const ask = async (endMs: number) => {
    const r = await core.call('export:start', { accountId, channelId, name: '南门', kind: 'cloud', startMs, endMs });
    assert.ok(r.ok, JSON.stringify(r));
    return ended<ExportJob>('main:export', (r.result as ExportJob).id);
  };
  const inside = await ask(startMs + 20_000);
  assert.equal(inside.state, 'done', inside.message ?? '');
  assert.equal(inside.message, null);
  assert.ok(Math.abs((probeSeconds(inside.file!).duration ?? 0) - 20) <= 2, 'a 20-s clip');

  // Two minutes asked from 10 s into a one-minute recording: cut where the playlist's dates end it.
  const past = await ask(startMs + 120_000);
  assert.equal(past.state, 'done', past.message ?? '');
  assert.match(past.message ?? '', /Cut at the end of the recording/);
  const seconds = probeSeconds(past.file!).duration ?? 0;
  const left = (rec.end - startMs) / 1000;
  assert.ok(Math.abs(seconds - left) <= 2.5, `${seconds} s, the ${left} s left of the recording`);

  // A range where nothing was recorded fails in words, naming no address.
  const r = await core.call('export:start', {
    accountId,
    channelId,
    name: 'gap',
    kind: 'cloud',
    startMs: rec.end + 60_000,
    endMs: rec.end + 90_000,
  });
  assert.ok(r.ok);
  const gap = await ended<ExportJob>('main:export', (r.result as ExportJob).id);
  assert.equal(gap.state, 'failed');
  assert.doesNotMatch(gap.message ?? '', /https?:|auth_key/);
});

test('signed evidence from VCS: the manifest names the camera and range, verify-evidence passes, a tampered clip is named', async () => {
  const rec = sim.recordings('v1')[1]!;
  const startMs = Math.ceil(rec.start / 1000) * 1000 + 5_000;
  const r = await core.call('evidence:start', {
    case: 'CASE-VCS 南门',
    note: '南门 夜间',
    items: [{ accountId, channelId, name: '南门', startMs, endMs: startMs + 12_000, note: '有人经过' }],
  });
  assert.ok(r.ok, JSON.stringify(r));
  const job = await ended<EvidenceJob>('main:evidence', (r.result as EvidenceJob).id);
  assert.equal(job.state, 'done', job.message ?? '');
  const folder = job.folder!;
  const m = parseManifest(fs.readFileSync(path.join(folder, 'manifest.json')));
  const clip = m.files.find((f) => f.name.endsWith('.mp4'))!;
  assert.deepEqual(clip.camera, { account: '阿里 VCS', platform: 'aliyun-vcs', channelId, name: '南门' });
  assert.equal(clip.source, 'cloud');
  assert.equal(new Date(clip.start).getTime(), startMs);
  assert.equal(new Date(clip.end).getTime(), startMs + 12_000);
  assert.match(clip.host, /^127\.0\.0\.1:\d+$/);
  assert.ok(clip.requestIds.length >= 1, 'VCS answers a RequestId per call');
  assert.ok(Math.abs((probeSeconds(path.join(folder, clip.name)).duration ?? 0) - 12) <= 2);

  let v = runVerifier([folder]);
  assert.equal(v.code, 0, v.out);
  const file = path.join(folder, clip.name);
  const bytes = fs.readFileSync(file);
  bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0x01;
  fs.writeFileSync(file, bytes);
  v = runVerifier([folder]);
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, new RegExp(`MISMATCH +${clip.name.replace(/[.()]/g, '\\$&')}`));
});
