import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  Assembly,
  MAP_CHUNK_BYTES,
  PublicationError,
  readChunk,
  readManifest,
  splitBlob,
} from '../../main/control-room/map-publication';

const message = (m: unknown) => JSON.stringify(m);

test('a plan cut into chunks is joined again in any order, and each message stays under 64 KB', () => {
  const bytes = randomBytes(5 * MAP_CHUNK_BYTES + 123);
  const { manifest, chunks } = splitBlob('plan', bytes, 7, 'image/png');
  assert.equal(manifest.chunks, 6);
  assert.equal(chunks.length, 6);
  for (const c of chunks) assert.ok(message(c).length < 52_000, 'a chunk and its envelope fit the broker’s 64 KB');
  const asm = new Assembly('plan');
  // Chunks before their manifest (retained messages come in any order), last one first.
  for (const c of [...chunks].reverse().slice(0, 5)) asm.addChunk(readChunk(message(c)));
  assert.equal(asm.complete(), null, 'no manifest yet');
  asm.setManifest(readManifest('plan', message(manifest)));
  assert.equal(asm.complete(), null, 'a chunk is missing');
  asm.addChunk(readChunk(message(chunks[0])));
  assert.deepEqual(asm.complete(), bytes);
});

test('a damaged chunk fails the hash: refused, and a good copy of that version then completes it', () => {
  const bytes = randomBytes(2 * MAP_CHUNK_BYTES);
  const { manifest, chunks } = splitBlob('doc', bytes, 3);
  const bad = Buffer.from(chunks[1]!.data, 'base64');
  bad[0]! ^= 1;
  const asm = new Assembly('doc');
  asm.setManifest(manifest);
  asm.addChunk(chunks[0]!);
  asm.addChunk({ ...chunks[1]!, data: bad.toString('base64') });
  assert.throws(() => asm.complete(), PublicationError);
  assert.equal(asm.complete(), null, 'the damaged version is forgotten');
  for (const c of chunks) asm.addChunk(c);
  assert.deepEqual(asm.complete(), bytes);
});

test('a newer version replaces an older; an older one changes nothing', () => {
  const v1 = splitBlob('doc', Buffer.from('one'), 1);
  const v2 = splitBlob('doc', Buffer.from('two!'), 2);
  const asm = new Assembly('doc');
  assert.equal(asm.setManifest(v2.manifest), true);
  asm.addChunk(v1.chunks[0]!); // older: dropped
  assert.equal(asm.complete(), null);
  assert.equal(asm.setManifest(v1.manifest), false);
  asm.addChunk(v2.chunks[0]!);
  assert.equal(asm.complete()!.toString(), 'two!');
  // Chunks of a version not announced yet wait for their manifest.
  const v3 = splitBlob('doc', Buffer.from('three'), 3);
  asm.addChunk(v3.chunks[0]!);
  assert.equal(asm.complete()!.toString(), 'two!');
  asm.setManifest(v3.manifest);
  assert.equal(asm.complete()!.toString(), 'three');
});

test('malformed and oversized announcements are refused in words', () => {
  const { manifest } = splitBlob('plan', Buffer.alloc(100, 1), 1, 'image/png');
  assert.throws(() => readManifest('plan', 'not json'), /not a valid plan manifest/);
  assert.throws(() => readManifest('doc', message(manifest)), /a plan manifest on a doc topic/);
  assert.throws(
    () => readManifest('plan', message({ ...manifest, bytes: 9 * 1024 * 1024, chunks: 256 })),
    /9437184 bytes announced \(at most 8388608/,
  );
  assert.throws(() => readManifest('plan', message({ ...manifest, chunks: 3 })), /3 chunks announced for 100 bytes/);
  assert.throws(() => readManifest('plan', message({ ...manifest, type: undefined })), /without its picture type/);
  assert.throws(() => readManifest('plan', message({ ...manifest, extra: 1 })), /not a valid/);
  assert.throws(() => readChunk(message({ v: 1, version: 1, n: -1, data: '' })), /not a valid chunk/);
  assert.throws(() => splitBlob('plan', Buffer.alloc(8 * 1024 * 1024 + 1), 1, 'image/png'), /cannot be published/);
  // A chunk that does not fit its announced place.
  const asm = new Assembly('plan');
  asm.setManifest(manifest);
  assert.throws(
    () => asm.addChunk({ v: 1, version: 1, n: 0, data: Buffer.alloc(50).toString('base64') }),
    /holds 50 bytes, not 100/,
  );
  assert.throws(() => asm.addChunk({ v: 1, version: 1, n: 1, data: '' }), /chunk 1 of a 1-chunk plan/);
});
