import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Core } from '../../main/core';
import { isJpeg } from '../../main/media/thumbnails/args';
import { ThumbnailService } from '../../main/services/thumbnails';
import type { RecordingSegment, ThumbnailAnswer, ThumbnailRequest } from '../../preload/contract';
import { VcsEmulator } from '../emulators/aliyun-vcs/emulator';
import { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import { platformMedia } from '../emulators/media/platform-media';
import { MediaSimulator } from '../emulators/media/simulator';
import { IvcEmulator } from '../emulators/tencent-ivc/emulator';
import { ivcAccount, ivmAccount, vcsAccount } from '../helpers/accounts';
import { addAccount, makeCore, MemoryVault, tempDir } from '../helpers/core';

// Timeline thumbnails made from the emulators' real recordings through the contract: Huawei IVM
// (cloud and device HLS), Tencent IVC (cloud HLS, device FLV) and Alibaba VCS (HLS, no listing).

let sim: MediaSimulator;
let ivm: IvmEmulator;
let ivc: IvcEmulator;
let vcs: VcsEmulator;
let core: Core;
let dataDir: string;
const accounts: Record<string, string> = {};

before(async () => {
  sim = await MediaSimulator.start({
    channels: [{ id: 't1', name: 'Thumb 1' }],
    recordingsPerChannel: 2,
    recordingMinutes: 1,
    recordingEveryMinutes: 5,
    sharedSubEncoder: true,
  });
  for (const r of sim.recordings('t1')) await sim.prepareRecording('t1', r.start);
  ivm = await new IvmEmulator({ media: platformMedia(sim) }).start();
  ivc = await new IvcEmulator({ media: platformMedia(sim) }).start();
  vcs = await new VcsEmulator({ warmupMs: 100, media: platformMedia(sim) }).start();
  ({ core, dataDir } = makeCore({ vault: new MemoryVault() }));
  accounts.ivm = await addAccount(core, 'IVM', ivmAccount(ivm));
  accounts.ivc = await addAccount(core, 'IVC', ivcAccount(ivc));
  accounts.vcs = await addAccount(core, 'VCS', vcsAccount(vcs));
});
after(async () => {
  await core?.dispose();
  await ivm?.stop();
  await ivc?.stop();
  await vcs?.stop();
  await sim?.stop();
});

/** A channel of the account with recordings of `kind` (listed), or the first channel (unlisted). */
async function channelWith(account: string, kind: 'cloud' | 'device') {
  const platform = await core.accounts.platform(account);
  const recs = sim.recordings('t1');
  const from = recs[0]!.start - 60_000;
  const to = recs[recs.length - 1]!.end + 60_000;
  for (const node of await platform.tree()) {
    if (node.kind !== 'channel') continue;
    if (!platform.recordings) return { channelId: node.id, segment: null };
    const segs = (await platform.recordings(node.id, from, to)).filter((s) => s.kind === kind);
    if (segs.length) return { channelId: node.id, segment: segs[0]! };
  }
  throw new Error(`no channel with ${kind} recordings on ${account}`);
}

async function thumb(req: Omit<ThumbnailRequest, 'requester' | 'purpose' | 'bucketMs'> & Partial<ThumbnailRequest>) {
  const r = await core.call('thumbnails:get', { requester: 'test', purpose: 'hover', bucketMs: 5000, ...req });
  assert.ok(r.ok, JSON.stringify(r));
  return r.result as ThumbnailAnswer;
}

const jpegOf = (a: ThumbnailAnswer) => {
  assert.equal(a.state, 'ok', JSON.stringify(a).slice(0, 300));
  const bytes = Buffer.from((a as { image: string }).image.replace(/^data:image\/jpeg;base64,/, ''), 'base64');
  assert.ok(isJpeg(bytes), 'a whole JPEG');
  return bytes;
};

const cases: Array<[string, 'ivm' | 'ivc' | 'vcs', 'cloud' | 'device']> = [
  ['Huawei IVM cloud', 'ivm', 'cloud'],
  ['Huawei IVM device', 'ivm', 'device'],
  ['Tencent IVC cloud', 'ivc', 'cloud'],
  ['Tencent IVC device (FLV)', 'ivc', 'device'],
  ['Alibaba VCS (no listing)', 'vcs', 'cloud'],
];

for (const [name, platform, kind] of cases)
  test(`${name}: a picture from the recording, then the same from the disk cache`, async () => {
    const { channelId, segment } = await channelWith(accounts[platform]!, kind);
    const rec: RecordingSegment | null = segment;
    const atMs = (rec ? rec.startMs : sim.recordings('t1')[0]!.start) + 20_000;
    const req = {
      accountId: accounts[platform]!,
      channelId,
      kind,
      atMs,
      ...(rec ? { recording: { startMs: rec.startMs, endMs: rec.endMs } } : {}),
    };
    const t0 = performance.now();
    const cold = await thumb(req);
    const coldMs = performance.now() - t0;
    const first = jpegOf(cold);
    assert.equal((cold as { cached: boolean }).cached, false);
    const t1 = performance.now();
    const warm = await thumb(req);
    const warmMs = performance.now() - t1;
    assert.deepEqual(jpegOf(warm), first);
    assert.equal((warm as { cached: boolean }).cached, true);
    assert.ok(warmMs < coldMs, `cached (${warmMs.toFixed(0)} ms) faster than made (${coldMs.toFixed(0)} ms)`);
  });

test('the cache is named by hashes, never by a play URL, and stays within its bound', async () => {
  const dir = path.join(dataDir, 'cache', 'thumbnails');
  const files = fs.readdirSync(dir);
  assert.ok(files.length >= 5, files.join());
  for (const f of files) assert.match(f, /^[0-9a-f]{40}\.jpg$/);
  const info = await core.call('thumbnails:cache', {});
  assert.ok(info.ok);
  const { entries, bytes, limitBytes } = info.result as { entries: number; bytes: number; limitBytes: number };
  assert.equal(entries, files.length);
  assert.equal(limitBytes, 200 * 1024 * 1024);
  assert.ok(bytes > 0 && bytes <= limitBytes);
});

test('a moment with no recording is a clear "no picture", not an error; a bad bucket is refused', async () => {
  const { channelId, segment } = await channelWith(accounts.ivm!, 'cloud');
  const none = await thumb({
    accountId: accounts.ivm!,
    channelId,
    kind: 'cloud',
    atMs: segment!.endMs + 120_000,
    recording: { startMs: segment!.endMs + 100_000, endMs: segment!.endMs + 200_000 },
  });
  assert.equal(none.state, 'none');
  assert.ok((none as { reason: string }).reason.length > 0);
  assert.doesNotMatch((none as { reason: string }).reason, /token|https?:/i);
  const bad = await core.call('thumbnails:get', {
    accountId: accounts.ivm!,
    channelId,
    kind: 'cloud',
    atMs: segment!.startMs,
    bucketMs: 1234,
    purpose: 'hover',
    requester: 'test',
  });
  assert.equal(bad.ok, false);
});

test('a newer hover supersedes an older one still waiting', async () => {
  const { channelId, segment } = await channelWith(accounts.ivm!, 'cloud');
  const base = { accountId: accounts.ivm!, channelId, kind: 'cloud' as const, bucketMs: 1000, requester: 'sweep' };
  const recording = { startMs: segment!.startMs, endMs: segment!.endMs };
  // Eight hovers in a row over times not cached yet: the last is answered with a picture, the
  // ones still waiting when it came give way.
  const answers = await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      thumb({ ...base, atMs: segment!.startMs + 31_000 + i * 1000, recording, purpose: 'hover' }),
    ),
  );
  assert.equal(answers[answers.length - 1]!.state, 'ok');
  assert.ok(
    answers.some((a) => a.state === 'superseded'),
    answers.map((a) => a.state).join(),
  );
});

test('the disk cache keeps within a small bound (least recently used go), and a new service finds what is there', async () => {
  const dir = path.join(tempDir(), 'thumbs');
  let bound = 1e9;
  const make = () => new ThumbnailService(core.accounts, { dir, maxBytes: () => bound, relay: core.relay });
  const { channelId, segment } = await channelWith(accounts.ivc!, 'cloud');
  const req = (s: number): ThumbnailRequest => ({
    accountId: accounts.ivc!,
    channelId,
    kind: 'cloud',
    atMs: segment!.startMs + s * 1000,
    bucketMs: 5000,
    recording: { startMs: segment!.startMs, endMs: segment!.endMs },
    purpose: 'strip',
    requester: 'bound',
  });
  const first = make();
  assert.equal((await first.get(req(5))).state, 'ok');
  // Room for about two and a half pictures of this recording.
  bound = Math.round(fs.statSync(path.join(dir, fs.readdirSync(dir)[0]!)).size * 2.5);
  for (const s of [15, 25, 35, 45, 55]) assert.equal((await first.get(req(s))).state, 'ok');
  const sizes = () => fs.readdirSync(dir).map((f) => fs.statSync(path.join(dir, f)).size);
  await new Promise((r) => setTimeout(r, 200)); // evicted files are removed in the background
  const total = sizes().reduce((a, b) => a + b, 0);
  assert.ok(total <= bound, `${total} bytes on disk, bound ${bound}`);
  assert.ok(sizes().length >= 1 && sizes().length < 6, `${sizes().length} pictures kept`);
  assert.equal((await first.cacheInfo()).bytes, total);
  first.close();
  // The newest is still there for a new service (a restart): served from disk.
  const second = make();
  const again = await second.get(req(55));
  assert.equal(again.state, 'ok');
  assert.equal((again as { cached: boolean }).cached, true);
  assert.equal((await second.clear()).entries, 0);
  assert.deepEqual(fs.readdirSync(dir), []);
  second.close();
});
