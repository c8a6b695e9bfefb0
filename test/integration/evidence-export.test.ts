import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Core } from '../../main/core';
import { parseManifest } from '../../main/evidence/manifest';
import { fingerprint } from '../../main/evidence/signing';
import { KeyringVault } from '../../main/vault/vault';
import type { EvidenceJob } from '../../preload/contract';
import { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import { IvcEmulator } from '../emulators/tencent-ivc/emulator';
import { ffmpegPath } from '../emulators/media/ffmpeg';
import { platformMedia } from '../emulators/media/platform-media';
import { MediaSimulator } from '../emulators/media/simulator';
import { ivcAccount, ivmAccount } from '../helpers/accounts';
import { addAccount, makeCore, MemoryVault, readAllFiles, tempDir } from '../helpers/core';
import { runVerifier } from '../helpers/evidence';
import { probeSeconds } from '../helpers/probe';

// Signed evidence from an emulator's recording through the real path: the contract, the core,
// the clip export queue (IVM's HLS recording remuxed by ffmpeg through the relay), the key in the
// real OS keychain; then the verifier as a receiver runs it, on the folder and on the zip's copy.

let sim: MediaSimulator;
let ivm: IvmEmulator;
let ivc: IvcEmulator;
let ivcAccountId: string;
let core: Core;
let dataDir: string;
let accountId: string;
const exportDir = tempDir();
const service = `vigil-test-evidence-${randomBytes(4).toString('hex')}`;
const channelId = 'ch:21A0123456SMY02:0';

before(async () => {
  sim = await MediaSimulator.start({
    channels: [{ id: 'e1', name: 'Evidence 1' }],
    recordingsPerChannel: 2,
    recordingMinutes: 1,
    recordingEveryMinutes: 5,
  });
  ivm = await new IvmEmulator({ media: platformMedia(sim) }).start();
  ivc = await new IvcEmulator({ media: platformMedia(sim) }).start();
  ({ core, dataDir } = makeCore({ vault: new KeyringVault(service), exportDir }));
  accountId = await addAccount(core, '总部 IVM', ivmAccount(ivm));
  ivcAccountId = await addAccount(core, '腾讯 IVC', ivcAccount(ivc));
});
after(async () => {
  await core?.dispose();
  await ivm?.stop();
  await ivc?.stop();
  await sim?.stop();
});

async function keyOf(c: Core): Promise<{ fingerprint: string; publicKeyPem: string }> {
  const r = await c.call('evidence:key', {});
  assert.ok(r.ok, JSON.stringify(r));
  return r.result as { fingerprint: string; publicKeyPem: string };
}

function ended(id: string): Promise<EvidenceJob> {
  return new Promise((resolve) => {
    const off = core.events.subscribe((event, payload) => {
      const job = payload as EvidenceJob;
      if (event === 'main:evidence' && job.id === id && job.state !== 'running') {
        off();
        resolve(job);
      }
    });
  });
}

async function exportEvidence(req: Record<string, unknown>): Promise<EvidenceJob> {
  const r = await core.call('evidence:start', req);
  assert.ok(r.ok, JSON.stringify(r));
  return ended((r.result as EvidenceJob).id);
}

test('an IVM recording exported as signed evidence: clips, note, manifest, signature, key, verifier page, zip; verify-evidence passes, tampering fails', async () => {
  const media = ivm.devices.get('21A0123456SMY02')!.channels[0]!.media;
  const rec = sim.recordings(media)[1]!;
  const startMs = Math.ceil(rec.start / 1000) * 1000 + 5_000;
  // A Tencent IVC camera too: its own clip download, whose API answers carry request ids.
  const tree = await core.call('tree:load', { accountId: ivcAccountId });
  assert.ok(tree.ok);
  const gate = (tree.result as { nodes: Array<{ kind: string; id: string; name: string }> }).nodes.find(
    (n) => n.kind === 'channel' && n.name.startsWith('大门球机'),
  )!;
  const platform = await core.accounts.platform(ivcAccountId);
  const cloud = (await platform.recordings!(gate.id, Date.now() - 3600_000, Date.now())).find(
    (s) => s.kind === 'cloud' && s.endMs - s.startMs >= 20_000,
  )!;
  const ivcStart = Math.ceil(cloud.startMs / 1000) * 1000 + 2_000;
  const job = await exportEvidence({
    case: 'CASE 2026/118',
    note: '东门 夜间闯入',
    zip: true,
    items: [
      {
        accountId,
        channelId,
        name: '大厅',
        kind: 'cloud',
        startMs,
        endMs: startMs + 15_000,
        note: '第一次出现',
        snapshotMs: startMs + 3_000,
      },
      { accountId, channelId, name: '大厅', startMs: startMs + 20_000, endMs: startMs + 30_000 },
      { accountId: ivcAccountId, channelId: gate.id, name: gate.name, startMs: ivcStart, endMs: ivcStart + 10_000 },
    ],
  });
  assert.equal(job.state, 'done', job.message ?? '');
  assert.equal(job.message, null);
  const folder = job.folder!;
  assert.equal(path.dirname(folder), path.join(exportDir, 'evidence'));
  assert.match(path.basename(folder), /^CASE 2026_118_\d{8}_\d{6}$/);
  const m = parseManifest(fs.readFileSync(path.join(folder, 'manifest.json')));
  assert.equal(m.files.length, 5);
  const [first, snapshot, note, second, tencent] = m.files;
  // The snapshot: a JPEG from the clip, at its moment (start = end), the clip's camera.
  assert.equal(snapshot!.name, first!.name.replace(/\.mp4$/, '.snapshot.jpg'));
  assert.equal(new Date(snapshot!.start).getTime(), startMs + 3_000);
  assert.equal(snapshot!.end, snapshot!.start);
  assert.deepEqual(snapshot!.camera, first!.camera);
  assert.deepEqual(
    fs.readFileSync(path.join(job.folder!, snapshot!.name)).subarray(0, 3),
    Buffer.from([0xff, 0xd8, 0xff]),
  );
  // Clips are named as a plain export names them.
  assert.match(first!.name, /^大厅_21A0123456SMY02-0_\d{8}_\d{6}-\d{6}\.mp4$/);
  assert.equal(note!.name, first!.name.replace(/\.mp4$/, '.note.txt'));
  assert.match(second!.name, /^大厅_21A0123456SMY02-0_\d{8}_\d{6}-\d{6}\.mp4$/);
  assert.deepEqual(first!.camera, { account: '总部 IVM', platform: 'huawei-ivm', channelId, name: '大厅' });
  assert.equal(first!.source, 'cloud');
  assert.equal(second!.source, 'cloud', 'a cloud recording is preferred where the range starts');
  assert.match(first!.host, /^127\.0\.0\.1:\d+$/, 'the host the recording came from');
  assert.doesNotMatch(first!.host, /[/?]/);
  // IVM documents no request id on its recording and playback replies; Tencent answers one per call.
  assert.ok(Array.isArray(first!.requestIds));
  assert.deepEqual(tencent!.camera, {
    account: '腾讯 IVC',
    platform: 'tencent-ivc',
    channelId: gate.id,
    name: gate.name,
  });
  assert.ok(tencent!.requestIds.length >= 1, `request ids: ${JSON.stringify(tencent!.requestIds)}`);
  assert.ok(
    tencent!.requestIds.every((id) => /^\S{8,128}$/.test(id)),
    JSON.stringify(tencent!.requestIds),
  );
  assert.doesNotMatch(tencent!.host, /[/?]/);
  assert.equal(new Date(first!.start).getTime(), startMs);
  assert.match(m.created, /[+-]\d\d:\d\d$/);
  const { duration } = probeSeconds(path.join(folder, first!.name));
  assert.ok(Math.abs((duration ?? 0) - 15) <= 2, `clip plays ${duration} s`);
  assert.deepEqual(
    fs.readdirSync(folder).filter((f) => f.endsWith('.part')),
    [],
  );
  assert.match(
    fs.readFileSync(path.join(folder, 'verify.html'), 'utf8'),
    /crypto\.subtle\.verify\(\{ name: 'Ed25519' \}/,
  );
  assert.equal(fingerprint(fs.readFileSync(path.join(folder, 'public-key.pem'), 'utf8')), job.fingerprint);

  // The key: in the OS keychain (a new vault on the same service reads the same one), never on disk.
  const key = await core.call('evidence:key', {});
  assert.ok(key.ok);
  assert.equal((key.result as { fingerprint: string }).fingerprint, job.fingerprint);
  const again = makeCore({ vault: new KeyringVault(service), exportDir: tempDir() }).core;
  assert.equal((await keyOf(again)).fingerprint, job.fingerprint);
  await again.dispose();
  for (const dir of [dataDir, exportDir])
    assert.ok(!readAllFiles(dir).includes('PRIVATE KEY'), `no private key in ${dir}`);

  let r = runVerifier([folder], true);
  assert.equal(r.code, 0, r.out);

  // The zip holds the same folder: unpacked, it verifies too.
  const unpacked = tempDir();
  const unzip = spawnSync('unzip', ['-q', job.zip!, '-d', unpacked], { encoding: 'utf8' });
  if (unzip.status === 0) assert.equal(runVerifier([path.join(unpacked, path.basename(folder))]).code, 0);

  // One byte of a clip → that clip is named; one character of the manifest → the signature fails.
  const clip = path.join(folder, second!.name);
  const bytes = fs.readFileSync(clip);
  bytes[Math.floor(bytes.length / 2)] = bytes[Math.floor(bytes.length / 2)]! ^ 0xff;
  fs.writeFileSync(clip, bytes);
  r = runVerifier([folder]);
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, new RegExp(`MISMATCH +${second!.name.replace(/[.()]/g, '\\$&')}`));
  assert.doesNotMatch(r.out, new RegExp(`MISMATCH +${first!.name.replace(/[.()]/g, '\\$&')}`));
  const manifest = path.join(folder, 'manifest.json');
  fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace('夜间闯入', '夜间闯人'));
  r = runVerifier([folder]);
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /manifest signature invalid/);

  // A second installation's key does not verify this evidence.
  const other = makeCore({ vault: new MemoryVault(), exportDir: tempDir() }).core;
  const pem = path.join(tempDir(), 'other.pem');
  fs.writeFileSync(pem, (await keyOf(other)).publicKeyPem);
  await other.dispose();
  r = runVerifier([path.join(unpacked, path.basename(folder)), '--key', pem]);
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /manifest signature invalid/);
});

test('the watermark burns operator, seat and time into a re-encoded clip that still verifies', async () => {
  const media = ivm.devices.get('21A0123456SMY02')!.channels[0]!.media;
  const rec = sim.recordings(media)[1]!;
  const startMs = Math.ceil(rec.start / 1000) * 1000 + 5_000;
  const item = { accountId, channelId, name: '大厅', kind: 'cloud', startMs, endMs: startMs + 8_000 };
  const plain = await exportEvidence({ case: 'plain', items: [item] });
  const marked = await exportEvidence({ case: 'marked', watermark: true, items: [item] });
  assert.equal(marked.state, 'done', marked.message ?? '');
  const clipOf = (j: EvidenceJob) => path.join(j.folder!, j.items[0]!.file!);
  assert.equal(runVerifier([marked.folder!]).code, 0);
  const { duration } = probeSeconds(clipOf(marked));
  assert.ok(Math.abs((duration ?? 0) - 8) <= 2, `clip plays ${duration} s`);
  // The bottom-right corner (where the text is) differs from the unmarked clip's; the top-left does not much.
  const crop = (file: string, where: string) =>
    spawnSync(
      ffmpegPath(),
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-ss',
        '2',
        '-i',
        file,
        '-frames:v',
        '1',
        '-vf',
        `crop=${where},format=gray`,
        '-f',
        'rawvideo',
        '-',
      ],
      { maxBuffer: 1 << 24 },
    ).stdout;
  const diff = (where: string) => {
    const a = crop(clipOf(plain), where);
    const b = crop(clipOf(marked), where);
    assert.equal(a.length, b.length);
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
    return sum / a.length;
  };
  const corner = diff('iw/3:ih/6:iw*2/3:ih*5/6');
  const topLeft = diff('iw/3:ih/6:0:0');
  assert.ok(corner > topLeft + 10, `text in the corner: mean difference ${corner.toFixed(1)} vs ${topLeft.toFixed(1)}`);
});
