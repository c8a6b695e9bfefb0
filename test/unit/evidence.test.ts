import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { EventBus } from '../../main/events';
import { EVIDENCE_KEY_ENTRY, EvidenceKey } from '../../main/evidence/key';
import {
  EVIDENCE_FORMAT,
  isoWithOffset,
  manifestBytes,
  parseManifest,
  safeRelativeName,
  type Manifest,
} from '../../main/evidence/manifest';
import { EvidenceService, noteName, operatorOf, stamp } from '../../main/evidence/service';
import { fingerprint, newSigningKey, publicPemOf, signBytes, verifyBytes } from '../../main/evidence/signing';
import { hashFile, report, UnreadableEvidence, verifyFolder } from '../../main/evidence/verify';
import { SHA256_JS, verifyPage } from '../../main/evidence/verify-html';
import { crc32, writeZip } from '../../main/evidence/zip';
import { exchange } from '../../main/platforms/http';
import type { AccountsService } from '../../main/services/accounts';
import { ExportService } from '../../main/services/export';
import type { EvidenceJob } from '../../preload/contract';
import { MemoryVault, tempDir } from '../helpers/core';
import { runVerifier } from '../helpers/evidence';

// Signed evidence: the manifest's exact form, Ed25519 signing and checking, the verifier's
// findings and exit codes, the store-only ZIP against unzip and Python, the key's life in the
// keychain, and the export itself over a stand-in platform (a clip that fails is named, the
// rest is signed).

const camera = { account: '总部 IVM', platform: 'huawei-ivm', channelId: 'ch:dev1:0', name: '大门球机' };

/** A signed folder made by hand from `files` (name → content), as the service writes one. */
function signedFolder(files: Record<string, string | Buffer>, key = newSigningKey()): { dir: string; key: typeof key } {
  const dir = tempDir('vigil-evidence-');
  const listed = Object.entries(files).map(([name, content]) => {
    fs.writeFileSync(path.join(dir, name), content);
    const buf = Buffer.from(content);
    return {
      name,
      bytes: buf.length,
      sha256: createHash('sha256').update(buf).digest('hex'),
      camera,
      start: isoWithOffset(Date.UTC(2026, 10, 22, 1, 0, 0), 480),
      end: isoWithOffset(Date.UTC(2026, 10, 22, 1, 0, 30), 480),
      source: 'cloud' as const,
      host: 'ivm.example.com:443',
      requestIds: ['req-1'],
    };
  });
  const bytes = manifestBytes({
    format: EVIDENCE_FORMAT,
    created: isoWithOffset(Date.UTC(2026, 10, 22, 2, 0, 0), 480),
    case: 'CASE-17',
    note: 'gate incident',
    operator: { seat: 'seat-1', user: '张三' },
    files: listed,
  });
  fs.writeFileSync(path.join(dir, 'manifest.json'), bytes);
  fs.writeFileSync(path.join(dir, 'manifest.sig'), `${signBytes(bytes, key.privatePem)}\n`);
  fs.writeFileSync(path.join(dir, 'public-key.pem'), key.publicPem);
  return { dir, key };
}

test('times are ISO-8601 with the offset spelled out (+00:00, never Z)', () => {
  const t = Date.UTC(2026, 10, 22, 1, 2, 3, 45);
  assert.equal(isoWithOffset(t, 480), '2026-11-22T09:02:03.045+08:00');
  assert.equal(isoWithOffset(t, 0), '2026-11-22T01:02:03.045+00:00');
  assert.equal(isoWithOffset(t, -330), '2026-11-21T19:32:03.045-05:30');
  assert.equal(new Date(isoWithOffset(t, -330)).getTime(), t);
  assert.match(isoWithOffset(t), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
});

test('the manifest is written in the documented key order and reads back', () => {
  const m: Manifest = {
    // keys given out of order: the bytes follow the format's order regardless
    files: [
      {
        requestIds: ['a', 'b'],
        host: 'h:1',
        source: 'device',
        end: '2026-11-22T09:00:30.000+08:00',
        start: '2026-11-22T09:00:00.000+08:00',
        camera: { name: 'n', channelId: 'c', platform: 'p', account: 'a' },
        sha256: 'a'.repeat(64),
        bytes: 3,
        name: 'x.mp4',
      },
    ],
    operator: { user: 'u', seat: 's' },
    note: '',
    case: 'c',
    created: '2026-11-22T09:00:00.000+08:00',
    format: EVIDENCE_FORMAT,
  };
  const text = manifestBytes(m).toString('utf8');
  assert.ok(text.endsWith('}\n'));
  const keys = [...text.matchAll(/"(\w+)":/g)].map((k) => k[1]);
  assert.deepEqual(keys, [
    'format',
    'created',
    'case',
    'note',
    'operator',
    'seat',
    'user',
    'files',
    'name',
    'bytes',
    'sha256',
    'camera',
    'account',
    'platform',
    'channelId',
    'name',
    'start',
    'end',
    'source',
    'host',
    'requestIds',
  ]);
  assert.deepEqual(parseManifest(manifestBytes(m)), JSON.parse(text));
});

test('a manifest that does not fit the format is refused, naming the field', () => {
  const good = JSON.parse(
    manifestBytes({
      format: EVIDENCE_FORMAT,
      created: '2026-11-22T09:00:00.000+08:00',
      case: 'c',
      note: '',
      operator: { seat: 's', user: 'u' },
      files: [],
    }).toString(),
  ) as Record<string, unknown>;
  const bad = (patch: Record<string, unknown>) => Buffer.from(JSON.stringify({ ...good, ...patch }));
  assert.throws(() => parseManifest(bad({ format: 'vigil-evidence/2' })), /format/);
  assert.throws(() => parseManifest(bad({ created: '22/11/2026' })), /created/);
  const file = {
    name: '../etc/passwd',
    bytes: 1,
    sha256: 'a'.repeat(64),
    camera,
    start: good.created,
    end: good.created,
    source: 'cloud',
    host: 'h',
    requestIds: [],
  };
  assert.throws(() => parseManifest(bad({ files: [file] })), /files\[0\]\.name/);
  assert.throws(() => parseManifest(bad({ files: [{ ...file, name: 'a.mp4', sha256: 'A'.repeat(64) }] })), /sha256/);
  assert.throws(() => parseManifest(bad({ files: [{ ...file, name: 'a.mp4', host: 'h/x?sig=1' }] })), /host/);
  assert.throws(() => parseManifest(Buffer.from('{')), /not UTF-8 JSON/);
  for (const n of ['/abs', 'a/../b', 'C:/x', 'a\\b', '', 'a//b']) assert.equal(safeRelativeName(n), false, n);
  for (const n of ['a.mp4', 'notes/a.txt']) assert.equal(safeRelativeName(n), true, n);
});

test('Ed25519: a signature holds for the exact bytes and its key only; the fingerprint is SHA-256 of the SPKI DER', () => {
  const a = newSigningKey();
  const b = newSigningKey();
  const bytes = Buffer.from('{"format":"vigil-evidence/1"}\n');
  const sig = signBytes(bytes, a.privatePem);
  assert.equal(Buffer.from(sig, 'base64').length, 64);
  assert.equal(verifyBytes(bytes, sig, a.publicPem), true);
  assert.equal(verifyBytes(Buffer.from('{"format":"vigil-evidence/2"}\n'), sig, a.publicPem), false);
  assert.equal(verifyBytes(bytes, sig, b.publicPem), false, "a second installation's key does not verify it");
  assert.equal(verifyBytes(bytes, 'not base64!', a.publicPem), false);
  assert.equal(verifyBytes(bytes, sig, 'not a pem'), false);
  assert.equal(publicPemOf(a.privatePem), a.publicPem);
  const der = createPublicKey(a.publicPem).export({ type: 'spki', format: 'der' });
  assert.equal(der.length, 44);
  assert.equal(fingerprint(a.publicPem), createHash('sha256').update(der).digest('hex'));
  assert.match(fingerprint(a.publicPem), /^[0-9a-f]{64}$/);
});

test('the verifier: all holds; one byte of a clip changed names that clip; one character of the manifest breaks the signature', async () => {
  const { dir } = signedFolder({ 'gate_20261122_090000-090030.mp4': Buffer.alloc(4096, 7), 'gate.note.txt': 'note' });
  let check = await verifyFolder(dir);
  assert.equal(check.ok, true);
  assert.equal(report(check).code, 0);

  const clip = path.join(dir, 'gate_20261122_090000-090030.mp4');
  const bytes = fs.readFileSync(clip);
  bytes[1000] = bytes[1000]! ^ 1;
  fs.writeFileSync(clip, bytes);
  check = await verifyFolder(dir);
  assert.equal(check.signatureValid, true);
  assert.deepEqual(
    check.files.map((f) => [f.name, f.status]),
    [
      ['gate_20261122_090000-090030.mp4', 'MISMATCH'],
      ['gate.note.txt', 'OK'],
    ],
  );
  assert.equal(report(check).code, 1);
  assert.ok(report(check).lines.some((l) => /^MISMATCH +gate_20261122_090000-090030\.mp4$/.test(l)));

  fs.rmSync(path.join(dir, 'gate.note.txt'));
  assert.equal((await verifyFolder(dir)).files[1]!.status, 'MISSING');

  const { dir: other } = signedFolder({ 'a.mp4': 'clip' });
  const manifest = path.join(other, 'manifest.json');
  fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace('gate incident', 'gate incidenT'));
  check = await verifyFolder(other);
  assert.equal(check.signatureValid, false);
  assert.ok(report(check).lines.includes('manifest signature invalid'));
  assert.equal(report(check).code, 1);
});

test("the verifier with --key: a second installation's key does not verify the first's evidence", async () => {
  const { dir, key } = signedFolder({ 'a.mp4': 'clip' });
  const second = newSigningKey();
  const check = await verifyFolder(dir, { keyPem: second.publicPem });
  assert.equal(check.signatureValid, false);
  assert.equal(check.keyFingerprint, fingerprint(second.publicPem));
  assert.equal(check.folderKeyFingerprint, fingerprint(key.publicPem));
  assert.equal((await verifyFolder(dir, { keyPem: key.publicPem })).ok, true);
  await assert.rejects(verifyFolder(path.join(dir, 'nope')), UnreadableEvidence);
  fs.rmSync(path.join(dir, 'manifest.sig'));
  await assert.rejects(verifyFolder(dir), UnreadableEvidence);
});

test('verify-evidence exits 0, 1 (naming the file, or "manifest signature invalid") and 2', () => {
  const { dir } = signedFolder({ 'a.mp4': 'clip', 'b.mp4': 'other clip' });
  let r = runVerifier([dir], true);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /manifest signature valid/);
  const pem = path.join(tempDir(), 'second.pem');
  fs.writeFileSync(pem, newSigningKey().publicPem);
  r = runVerifier([dir, '--key', pem]);
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /manifest signature invalid/);
  r = runVerifier([dir, '--key', path.join(dir, 'public-key.pem')]);
  assert.equal(r.code, 0, r.out);
  fs.appendFileSync(path.join(dir, 'b.mp4'), 'x');
  r = runVerifier([dir]);
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /MISMATCH +b\.mp4/);
  assert.doesNotMatch(r.out, /MISMATCH +a\.mp4/);
  r = runVerifier([path.join(dir, 'missing-folder')]);
  assert.equal(r.code, 2, r.out);
  r = runVerifier([dir, '--key', path.join(dir, 'no.pem')]);
  assert.equal(r.code, 2, r.out);
  r = runVerifier([]);
  assert.equal(r.code, 2, r.out);
});

const python = spawnSync('python3', ['-c', 'import zipfile'], { encoding: 'utf8' }).status === 0;
const unzip = spawnSync('unzip', ['-v'], { encoding: 'utf8' }).status === 0;

test('CRC-32 is the ZIP one', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  assert.equal(crc32(Buffer.from('56789'), crc32(Buffer.from('1234'))), 0xcbf43926);
  assert.equal(crc32(Buffer.alloc(0)), 0);
});

for (const zip64 of [false, true])
  test(`the store-only ZIP${zip64 ? ' (ZIP64 records)' : ''} is read whole by unzip -t and Python's zipfile`, async (t) => {
    if (!python && !unzip) return t.skip('neither unzip nor python3 here');
    const dir = tempDir();
    const files = {
      'clip.mp4': Buffer.from(Array.from({ length: 3_000_000 }, (_, i) => (i * 31) & 0xff)),
      '大门.note.txt': Buffer.from('笔记\n'),
      'empty.txt': Buffer.alloc(0),
    };
    for (const [n, b] of Object.entries(files)) fs.writeFileSync(path.join(dir, n), b);
    const out = path.join(tempDir(), 'case.zip');
    await writeZip(
      out,
      Object.keys(files).map((n) => ({ name: `case_1/${n}`, file: path.join(dir, n) })),
      { zip64 },
    );
    if (unzip) {
      const r = spawnSync('unzip', ['-t', out], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /No errors detected/);
    }
    if (python) {
      const script = [
        'import sys, zipfile, hashlib, json',
        'z = zipfile.ZipFile(sys.argv[1])',
        'assert z.testzip() is None',
        'print(json.dumps({i.filename: [i.file_size, i.compress_type, hashlib.sha256(z.read(i)).hexdigest()] for i in z.infolist()}))',
      ].join('\n');
      const r = spawnSync('python3', ['-c', script, out], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const got = JSON.parse(r.stdout) as Record<string, [number, number, string]>;
      for (const [n, b] of Object.entries(files))
        assert.deepEqual(got[`case_1/${n}`], [b.length, 0, createHash('sha256').update(b).digest('hex')], n);
    }
    await assert.rejects(writeZip(out, []), /EEXIST/, 'never over an existing file');
  });

test('the key: made on first use, kept only in the keychain, the same after a restart; a locked keychain is an error, a broken entry is not replaced', async () => {
  const vault = new MemoryVault();
  vault.failNext = new Error('The OS keychain could not read the secrets: locked');
  const key = new EvidenceKey(vault);
  await assert.rejects(key.info(), /locked/);
  assert.equal(vault.data.size, 0, 'no key made when the keychain cannot be read');
  const info = await key.info();
  assert.match(vault.data.get(EVIDENCE_KEY_ENTRY)!, /^-----BEGIN PRIVATE KEY-----/);
  assert.equal(info.fingerprint, fingerprint(info.publicKeyPem));
  assert.equal((await new EvidenceKey(vault).info()).fingerprint, info.fingerprint, 'the same key after a restart');
  const [x, y] = await Promise.all([new EvidenceKey(vault).sign(Buffer.from('m')), key.sign(Buffer.from('m'))]);
  assert.equal(x, y);
  vault.data.set(EVIDENCE_KEY_ENTRY, 'garbage');
  await assert.rejects(new EvidenceKey(vault).info(), /not an Ed25519 key/);
  assert.equal(vault.data.get(EVIDENCE_KEY_ENTRY), 'garbage');
});

// A stand-in platform: its API answers a request id, its clip download serves bytes (or 404).
let server: http.Server;
let base = '';
before(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api')
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ RequestId: `rid-${url.searchParams.get('ch')}` }));
    if (url.pathname === '/clip/bad') return void res.writeHead(404).end('gone');
    if (url.pathname === '/vod.m3u8')
      return void res
        .writeHead(200)
        .end('#EXTM3U\n#EXT-X-TARGETDURATION:5\n#EXTINF:5,\nseg0.ts\n#EXTINF:5,\nseg1.ts\n#EXT-X-ENDLIST\n');
    if (url.pathname === '/seg0.ts' || url.pathname === '/seg1.ts') return void res.writeHead(200).end(url.pathname);
    if (url.pathname.startsWith('/clip/'))
      return void res.writeHead(200).end(Buffer.alloc(10_000, url.pathname.length));
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise((r) => server.close(r)));

function evidenceService(root: string, vault = new MemoryVault()) {
  const platform = {
    clipDownload: async (channelId: string) => {
      await exchange('Fake', 'clip address', {
        method: 'GET',
        url: `${base}/api?ch=${channelId}`,
        headers: {},
        idempotent: true,
      });
      return { url: `${base}/clip/${channelId}?sig=SECRET`, ext: 'mp4' as const };
    },
    // The device recording stops 10 s into the range; the cloud one covers it all.
    recordings: async () => [
      { kind: 'device', startMs: t0 - 60_000, endMs: t0 + 10_000 },
      { kind: 'cloud', startMs: t0 - 60_000, endMs: t0 + 600_000 },
    ],
    playbackSource: async () => ({ url: `${base}/vod.m3u8?token=SECRET`, protocol: 'hls' }),
  };
  const accounts = {
    platform: async () => platform,
    scope: async () => undefined,
    records: () => [{ id: 'acc_0000000000000001', name: '总部', config: { platform: 'tencent-ivc' } }],
  } as unknown as AccountsService;
  const events = new EventBus();
  const exports = new ExportService(accounts, events, path.join(root, 'clips'), { ffmpeg: () => null });
  const evidence = new EvidenceService(accounts, exports, new EvidenceKey(vault), events, path.join(root, 'evidence'), {
    operator: () => ({ seat: 'seat-2', user: '李四' }),
    ffmpeg: () => null,
  });
  const ended = (id: string) =>
    new Promise<EvidenceJob>((resolve) => {
      const off = events.subscribe((event, payload) => {
        const job = payload as EvidenceJob;
        if (event === 'main:evidence' && job.id === id && job.state !== 'running') {
          off();
          resolve(job);
        }
      });
    });
  return { evidence, exports, ended };
}

const t0 = new Date(2026, 10, 22, 9, 0, 0).getTime();
const item = (channelId: string, note?: string) => ({
  accountId: 'acc_0000000000000001',
  channelId,
  name: `cam ${channelId}`,
  kind: 'cloud' as const,
  startMs: t0,
  endMs: t0 + 30_000,
  ...(note ? { note } : {}),
});

test('an evidence export: clips and notes hashed, signed last, zipped; a clip that fails is named and left out', async () => {
  const root = tempDir();
  const { evidence, ended } = evidenceService(root);
  const started = await evidence.start({
    case: 'CASE/17',
    note: '夜班',
    items: [item('good', '有人翻越'), item('bad'), item('two')],
    zip: true,
    watermark: false,
  });
  const job = await ended(started.id);
  assert.equal(job.state, 'done', job.message ?? '');
  assert.match(path.basename(job.folder!), /^CASE_17_\d{8}_\d{6}$/);
  assert.equal(path.dirname(job.folder!), path.join(root, 'evidence'));
  assert.match(job.message ?? '', /cam bad/);
  assert.deepEqual(
    job.items.map((i) => i.state),
    ['done', 'failed', 'done'],
  );
  const names = fs.readdirSync(job.folder!).sort();
  const clip = 'cam good_good_20261122_090000-090030.mp4';
  assert.deepEqual(
    names,
    [
      'cam good_good_20261122_090000-090030.note.txt',
      clip,
      'cam two_two_20261122_090000-090030.mp4',
      'manifest.json',
      'manifest.sig',
      'public-key.pem',
      'verify.html',
    ].sort(),
  );
  const m = parseManifest(fs.readFileSync(path.join(job.folder!, 'manifest.json')));
  assert.equal(m.case, 'CASE/17');
  assert.equal(m.note, '夜班');
  assert.deepEqual(m.operator, { seat: 'seat-2', user: '李四' });
  assert.deepEqual(
    m.files.map((f) => f.name),
    [clip, 'cam good_good_20261122_090000-090030.note.txt', 'cam two_two_20261122_090000-090030.mp4'],
  );
  const first = m.files[0]!;
  assert.deepEqual(first.camera, { account: '总部', platform: 'tencent-ivc', channelId: 'good', name: 'cam good' });
  assert.equal(first.host, base.replace('http://', ''), 'the host, never the signed address');
  assert.deepEqual(first.requestIds, ['rid-good']);
  assert.equal(first.source, 'cloud');
  assert.equal(new Date(first.start).getTime(), t0);
  assert.equal(new Date(first.end).getTime(), t0 + 30_000);
  assert.deepEqual(await hashFile(path.join(job.folder!, clip)), { bytes: first.bytes, sha256: first.sha256 });
  const note = m.files[1]!;
  assert.deepEqual(note.camera, first.camera);
  assert.deepEqual(note.requestIds, []);
  assert.match(fs.readFileSync(path.join(job.folder!, note.name), 'utf8'), /有人翻越/);
  assert.ok(!fs.readFileSync(path.join(job.folder!, 'manifest.json'), 'utf8').includes('SECRET'));
  assert.equal((await verifyFolder(job.folder!)).ok, true);
  assert.equal(job.fingerprint, (await evidence.keyInfo()).fingerprint);
  assert.equal(job.zip, `${job.folder}.zip`);
  if (unzip) {
    const r = spawnSync('unzip', ['-l', job.zip!], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.match(r.stdout, new RegExp(`${path.basename(job.folder!)}/manifest\\.sig`));
  }
  assert.equal(noteName('a.b.mp4'), 'a.b.note.txt');
});

test('an evidence export whose every clip fails leaves no folder; a cancelled one removes its folder', async () => {
  const root = tempDir();
  const { evidence, ended } = evidenceService(root);
  const job = await ended((await evidence.start({ case: 'x', items: [item('bad')] })).id);
  assert.equal(job.state, 'failed');
  assert.match(job.message ?? '', /No clip could be exported: cam bad/);
  assert.deepEqual(fs.readdirSync(path.join(root, 'evidence')), []);

  const started = await evidence.start({ case: 'y', items: [item('good'), item('two')] });
  const done = ended(started.id);
  evidence.cancel(started.id);
  assert.equal((await done).state, 'cancelled');
  await evidence.close();
  assert.deepEqual(fs.readdirSync(path.join(root, 'evidence')), []);
});

test('a locked keychain stops an evidence export before anything is fetched', async () => {
  const root = tempDir();
  const vault = new MemoryVault();
  vault.failNext = new Error('The OS keychain could not read the secrets: locked');
  const { evidence, exports } = evidenceService(root, vault);
  await assert.rejects(evidence.start({ case: 'z', items: [item('good')] }), /locked/);
  assert.deepEqual(exports.list().jobs, []);
  assert.equal(fs.existsSync(path.join(root, 'evidence')), false);
});

test('the folder stamp is local time; the operator falls back to the computer user when the control room names none', () => {
  assert.equal(stamp(new Date(2026, 0, 2, 3, 4, 5).getTime()), '20260102_030405');
  assert.deepEqual(operatorOf({ seat: 'seat-9', user: 'Wang' }), { seat: 'seat-9', user: 'Wang' });
  const fallback = operatorOf({ seat: 'seat-9', user: '' });
  assert.equal(fallback.seat, 'seat-9');
  assert.equal(fallback.user, os.userInfo().username);
});

test('a device recording that stops inside the range: the manifest says where the clip really ends, and the source', async () => {
  const { evidence, ended } = evidenceService(tempDir());
  const job = await ended((await evidence.start({ case: 'cut', items: [{ ...item('dev'), kind: 'device' }] })).id);
  assert.equal(job.state, 'done', job.message ?? '');
  const m = parseManifest(fs.readFileSync(path.join(job.folder!, 'manifest.json')));
  assert.equal(m.files[0]!.source, 'device');
  assert.equal(new Date(m.files[0]!.start).getTime(), t0);
  assert.equal(new Date(m.files[0]!.end).getTime(), t0 + 10_000);
  assert.match(job.items[0]!.message ?? '', /Cut at the end of the recording/);
  // Without a kind, cloud is taken where the range starts.
  const auto = await ended((await evidence.start({ case: 'auto', items: [{ ...item('good'), kind: undefined }] })).id);
  assert.equal(parseManifest(fs.readFileSync(path.join(auto.folder!, 'manifest.json'))).files[0]!.source, 'cloud');
});

test("verify.html's incremental SHA-256 (for files too large for one WebCrypto call) agrees with node:crypto", () => {
  type Sha = { update(d: Uint8Array): void; hex(): string };
  const Sha256 = new Function(`${SHA256_JS}; return Sha256;`)() as new () => Sha;
  const sha = (parts: Uint8Array[]) => {
    const s = new Sha256();
    for (const p of parts) s.update(p);
    return s.hex();
  };
  const node = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  assert.equal(sha([]), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(sha([Buffer.from('abc')]), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  for (const n of [55, 56, 63, 64, 65, 119, 120, 128]) {
    const b = randomBytes(n);
    assert.equal(sha([b]), node(b), `${n} bytes`);
  }
  const big = randomBytes(3_000_001);
  const parts: Uint8Array[] = [];
  for (let at = 0, step = 1; at < big.length; at += step, step = (step * 7 + 13) % 200_003)
    parts.push(big.subarray(at, at + step));
  assert.equal(sha(parts), node(big));
  // The page carries it, with nothing that reaches the network.
  const page = verifyPage();
  assert.ok(page.includes('Sha256.prototype.update'));
  assert.match(page, /Content-Security-Policy" content="default-src 'none'/);
  assert.doesNotMatch(page, /https?:\/\/|fetch\(|XMLHttpRequest|<link|src=/);
});
