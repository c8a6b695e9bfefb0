import assert from 'node:assert/strict';

// A scripted live FLV stream laid out as the format's spec has it: 9-byte header, PreviousTagSize0,
// then tags (11-byte header: type, 24-bit size, 24-bit timestamp + 8-bit extension, stream id 0;
// data; 32-bit PreviousTagSize). Video data starts with frameType<<4 | codecId (7 = AVC) and the
// AVC packet type (0 sequence header, 1 NALU). 25 fps, a key frame every 25 frames (1-s GOP).

export type Kind = 'script' | 'config' | 'key' | 'inter' | 'audio';
export interface Tag {
  kind: Kind;
  ts: number;
  /** frame number in the source stream, carried in the payload so the output can be traced */
  n: number;
}

export function tagBytes(t: Tag): number[] {
  const payload = [t.n >> 8, t.n & 0xff, 0xab];
  let type = 9;
  let data: number[];
  if (t.kind === 'script') [type, data] = [18, [0x02, 0, 1, 0x41, ...payload]];
  else if (t.kind === 'audio') [type, data] = [8, [0xaf, 0x01, ...payload]];
  else if (t.kind === 'config') data = [0x17, 0x00, 0, 0, 0, ...payload];
  else data = [t.kind === 'key' ? 0x17 : 0x27, 0x01, 0, 0, 0, ...payload];
  const size = data.length;
  const ts = t.ts;
  const header = [type, size >> 16, (size >> 8) & 0xff, size & 0xff, (ts >> 16) & 0xff, (ts >> 8) & 0xff, ts & 0xff];
  return [...header, (ts >>> 24) & 0xff, 0, 0, 0, ...data, 0, 0, 0, 11 + size];
}

export const HEADER = [0x46, 0x4c, 0x56, 1, 0x01, 0, 0, 0, 9, 0, 0, 0, 0];

export function stream(
  seconds: number,
  o: { audio?: boolean; startTs?: number } = {},
): { bytes: Uint8Array; tags: Tag[] } {
  const start = o.startTs ?? 0;
  const tags: Tag[] = [
    { kind: 'script', ts: 0, n: 0 },
    { kind: 'config', ts: start, n: 0 },
  ];
  for (let f = 0; f < seconds * 25; f++) {
    tags.push({ kind: f % 25 === 0 ? 'key' : 'inter', ts: start + f * 40, n: f });
    if (o.audio && f % 2 === 0) tags.push({ kind: 'audio', ts: start + f * 40, n: f });
  }
  return { bytes: Uint8Array.from([...HEADER, ...tags.flatMap(tagBytes)]), tags };
}

/** Reads an FLV byte stream back into tags (and checks its framing: header, sizes, PreviousTagSize). */
export function parse(bytes: Uint8Array): Tag[] {
  assert.deepEqual([...bytes.subarray(0, 13)], HEADER, 'the header passes first, unchanged');
  const out: Tag[] = [];
  let p = 13;
  while (p < bytes.length) {
    const size = (bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!;
    const ts = ((bytes[p + 7]! << 24) | (bytes[p + 4]! << 16) | (bytes[p + 5]! << 8) | bytes[p + 6]!) >>> 0;
    const d = bytes.subarray(p + 11, p + 11 + size);
    const prev = bytes.subarray(p + 11 + size, p + 15 + size);
    assert.equal((prev[0]! << 24) | (prev[1]! << 16) | (prev[2]! << 8) | prev[3]!, 11 + size, 'PreviousTagSize intact');
    const type = bytes[p]!;
    const kind: Kind =
      type === 18 ? 'script' : type === 8 ? 'audio' : d[1] === 0 ? 'config' : d[0]! >> 4 === 1 ? 'key' : 'inter';
    const payload = type === 9 ? d.subarray(5) : d.subarray(type === 8 ? 2 : 4);
    out.push({ kind, ts, n: (payload[0]! << 8) | payload[1]! });
    p += 15 + size;
  }
  assert.equal(p, bytes.length, 'only whole tags');
  return out;
}

export const frames = (tags: Tag[]) => tags.filter((t) => t.kind === 'key' || t.kind === 'inter');

/**
 * What a 4-second stream (`stream(4)`) cut to key frames must read as, whichever filter cut it:
 * metadata and sequence header first, each key frame and the frame after it, one frame interval apart.
 */
export function assertKeyRateCut(out: Uint8Array, chunk: number): void {
  const tags = parse(out);
  assert.deepEqual(
    tags.slice(0, 2).map((t) => t.kind),
    ['script', 'config'],
    'metadata and sequence header pass',
  );
  const f = frames(tags);
  assert.deepEqual(
    f.map((t) => t.n),
    [0, 1, 25, 26, 50, 51, 75, 76],
    `chunks of ${chunk}`,
  );
  assert.deepEqual(
    f.map((t) => t.ts),
    [0, 40, 80, 120, 160, 200, 240, 280],
    'each passed frame one frame interval after the last',
  );
}

/**
 * What a 4-second stream (`stream(4)`) must read as, whichever filter cut it, when its pane was
 * held unseen ('none') from frame 30 and seen again at frame 60 at `back`: nothing in between,
 * then from the next key frame (75) every frame or the key frame and the one after it; time
 * closed up over the hold.
 */
export function assertHeldThenBack(out: Uint8Array, back: 'full' | 'key'): void {
  const f = frames(parse(out));
  const after = back === 'full' ? Array.from({ length: 25 }, (_, i) => 75 + i) : [75, 76];
  assert.deepEqual(
    f.map((t) => t.n),
    [...Array.from({ length: 30 }, (_, i) => i), ...after],
    `held, then back at ${back}`,
  );
  for (let i = 1; i < f.length; i++) assert.equal(f[i]!.ts - f[i - 1]!.ts, 40, `gap-free at ${i}`);
}
