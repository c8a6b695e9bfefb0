import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteGather, FlvTagReader, TAG_HEADER, TAG_VIDEO, tagType, type FlvTagHandler } from '../../common/flv-tags';
import { HEADER, parse, stream, tagBytes } from '../helpers/flv-tags';

// One pure tag reader walks FLV for the page's rate filter, the sound rewriter and main's relay
// cut: whatever the chunking, each tag is decided once from the bytes its handler asked for.

/** Pushes `bytes` through `reader` in chunks of `chunk`, each a fresh copy; joins what came out. */
function through(reader: FlvTagReader, bytes: Uint8Array, chunk: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += chunk) parts.push(reader.push(bytes.slice(i, i + chunk)));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

/** Passes every tag, recording the head each was decided from. */
function recorder(headSize: FlvTagHandler['headSize']) {
  const heads: number[][] = [];
  const handler: FlvTagHandler = {
    headSize,
    tag(head, out) {
      heads.push([...head]);
      out.add(head);
      return true;
    },
  };
  return { heads, reader: new FlvTagReader(handler) };
}

test('every byte passes in order, and each tag is decided once from the head asked for, at any chunking', () => {
  const { bytes, tags } = stream(2, { audio: true });
  for (const chunk of [1, 3, 11, 13, 64, 4096]) {
    const { heads, reader } = recorder(() => TAG_HEADER + 2);
    assert.deepEqual(through(reader, bytes, chunk), bytes, `chunks of ${chunk}`);
    assert.equal(heads.length, tags.length);
    heads.forEach((h, i) => assert.deepEqual(h, tagBytes(tags[i]!).slice(0, TAG_HEADER + 2), `tag ${i}`));
  }
});

test('a handler may ask for whole tags (clamped to the tag) or only the header', () => {
  const { bytes, tags } = stream(1);
  const whole = recorder(() => Number.MAX_SAFE_INTEGER);
  through(whole.reader, bytes, 7);
  whole.heads.forEach((h, i) => assert.deepEqual(h, tagBytes(tags[i]!)));
  const header = recorder(() => 0);
  through(header.reader, bytes, 7);
  header.heads.forEach((h) => assert.equal(h.length, TAG_HEADER));
});

test('a tag the handler refuses is skipped to its end, the rest of the stream unharmed', () => {
  const { bytes, tags } = stream(1);
  for (const chunk of [1, 5, 100, bytes.length]) {
    const reader = new FlvTagReader({
      headSize: () => TAG_HEADER + 1,
      tag: (head, out) => {
        const inter = tagType(head, 0) === TAG_VIDEO && head[TAG_HEADER] === 0x27;
        if (!inter) out.add(head);
        return !inter;
      },
    });
    const out = parse(through(reader, bytes, chunk));
    assert.deepEqual(
      out,
      tags.filter((t) => t.kind !== 'inter'),
      `chunks of ${chunk}`,
    );
  }
});

test('bytes that are not FLV pass untouched, and a new connection starts over', () => {
  const { heads, reader } = recorder(() => TAG_HEADER);
  const junk = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.deepEqual(through(reader, junk, 5), junk);
  assert.equal(reader.plain, true);
  reader.reset();
  const { bytes } = stream(1);
  assert.deepEqual(through(reader, bytes, 50), bytes);
  assert.equal(reader.plain, false);
  assert.ok(heads.length > 0);
});

test('a chunk that passes whole comes back as itself (no copy); a head split over chunks outlives its chunk', () => {
  const { bytes } = stream(1);
  const { reader } = recorder(() => TAG_HEADER + 2);
  const first = bytes.slice(0, HEADER.length);
  assert.equal(reader.push(first), first, 'the header alone');
  const rest = bytes.slice(HEADER.length);
  assert.equal(reader.push(rest), rest, 'whole tags, one view of the chunk');

  // A tag head cut after 5 bytes, in a Node Buffer (whose slice is a view) the caller then reuses.
  const again = recorder(() => TAG_HEADER + 2).reader;
  again.push(bytes.slice(0, HEADER.length));
  const buffer = Buffer.from(bytes.subarray(HEADER.length, HEADER.length + 5));
  const out1 = again.push(buffer);
  buffer.fill(0xee);
  const out2 = again.push(bytes.slice(HEADER.length + 5));
  const joined = new Uint8Array(out1.length + out2.length);
  joined.set(out1);
  joined.set(out2, out1.length);
  assert.deepEqual(joined, bytes.subarray(HEADER.length));
});

test('ByteGather joins neighbouring views of the chunk and copies only to join others', () => {
  const chunk = Uint8Array.from([1, 2, 3, 4, 5, 6]);
  const g = new ByteGather(chunk);
  g.add(chunk.subarray(0, 2));
  g.add(chunk.subarray(2, 6));
  assert.equal(g.bytes(), chunk);
  const h = new ByteGather(chunk);
  h.add(chunk.subarray(1, 3));
  h.add(Uint8Array.from([9]));
  h.add(chunk.subarray(5));
  assert.deepEqual([...h.bytes()], [2, 3, 9, 6]);
  assert.equal(new ByteGather().bytes().length, 0);
});
