import assert from 'node:assert/strict';
import { test } from 'node:test';
import { correctAudioFlag } from '../../renderer/media/engines/flv-audio-flag';

// An FLV head built the way the spec of the format lays it out: 9-byte header, PreviousTagSize0,
// then one tag (11-byte tag header + data). AMF0 values: 0x00 number, 0x01 boolean, 0x02 string,
// 0x08 ECMA array of (16-bit length, name, value), ended by 00 00 09.
const amfString = (s: string) => [s.length >> 8, s.length & 0xff, ...Buffer.from(s)];
const amfNumber = (n: number) => {
  const b = Buffer.alloc(9);
  b[0] = 0x00;
  b.writeDoubleBE(n, 1);
  return [...b];
};
function metadata(fields: Record<string, number | boolean>, name = 'onMetaData'): number[] {
  const entries = Object.entries(fields).flatMap(([k, v]) => [
    ...amfString(k),
    ...(typeof v === 'boolean' ? [0x01, v ? 1 : 0] : amfNumber(v)),
  ]);
  return [0x02, ...amfString(name), 0x08, 0, 0, 0, Object.keys(fields).length, ...entries, 0, 0, 9];
}
function flv(flags: number, tagType: number, data: number[]): Uint8Array {
  const header = [0x46, 0x4c, 0x56, 1, flags, 0, 0, 0, 9, 0, 0, 0, 0];
  const tag = [tagType, (data.length >> 16) & 0xff, (data.length >> 8) & 0xff, data.length & 0xff, 0, 0, 0, 0, 0, 0, 0];
  return Uint8Array.from([...header, ...tag, ...data, 0, 0, 0, 11 + data.length]);
}
const VIDEO_ONLY = { duration: 0, width: 640, height: 360, videocodecid: 7, framerate: 25 };
const WITH_AUDIO = { ...VIDEO_ONLY, audiocodecid: 10, audiosamplerate: 44100, stereo: true };

test('a header claiming audio over metadata without it gets its audio flag cleared; nothing else changes', () => {
  const head = flv(0x05, 18, metadata(VIDEO_ONLY));
  const r = correctAudioFlag(head);
  assert.notEqual(r, 'more');
  if (r === 'more') return;
  assert.equal(r.hasAudio, false);
  assert.equal(r.bytes[4], 0x01, 'video flag kept, audio flag cleared');
  assert.deepEqual([...r.bytes.subarray(5)], [...head.subarray(5)]);
  assert.equal(head[4], 0x05, 'the input is not modified');
});

test('metadata naming audio, or saying hasAudio, is believed', () => {
  const withAudio = correctAudioFlag(flv(0x05, 18, metadata(WITH_AUDIO)));
  assert.ok(withAudio !== 'more' && withAudio.hasAudio === true && withAudio.bytes[4] === 0x05);
  const said = correctAudioFlag(flv(0x05, 18, metadata({ ...VIDEO_ONLY, hasAudio: true })));
  assert.ok(said !== 'more' && said.hasAudio === true);
  const saidNo = correctAudioFlag(flv(0x05, 18, metadata({ ...WITH_AUDIO, hasAudio: false })));
  assert.ok(saidNo !== 'more' && saidNo.hasAudio === false && saidNo.bytes[4] === 0x01, 'hasAudio outranks the fields');
  // RTMP relays may keep "@setDataFrame" before onMetaData: the fields are still read.
  const relayed = correctAudioFlag(flv(0x05, 18, [0x02, ...amfString('@setDataFrame'), ...metadata(VIDEO_ONLY)]));
  assert.ok(relayed !== 'more' && relayed.hasAudio === false);
});

test('a header without the audio flag needs no metadata; undecidable streams pass through untouched', () => {
  const noFlag = correctAudioFlag(Uint8Array.from([0x46, 0x4c, 0x56, 1, 0x01, 0, 0, 0, 9]));
  assert.ok(noFlag !== 'more' && noFlag.hasAudio === false);
  const videoFirst = flv(0x05, 9, [0x17, 0, 0, 0, 0]);
  assert.deepEqual(correctAudioFlag(videoFirst), { bytes: videoFirst, hasAudio: undefined });
  const notFlv = Uint8Array.from(Buffer.from('<html>not a stream</html>'));
  assert.deepEqual(correctAudioFlag(notFlv), { bytes: notFlv, hasAudio: undefined });
});

test('bytes arriving a few at a time: "more" until the first tag is complete, then the answer', () => {
  const head = flv(0x05, 18, metadata(VIDEO_ONLY));
  const tagEnd = 13 + 11 + (head.length - 13 - 11 - 4);
  for (const n of [0, 5, 9, 13, 20, tagEnd - 1])
    assert.equal(correctAudioFlag(head.subarray(0, n)), 'more', `${n} bytes`);
  const done = correctAudioFlag(head.subarray(0, tagEnd));
  assert.ok(done !== 'more' && done.hasAudio === false);
  // A first tag that claims to be huge is not waited for forever.
  const huge = flv(0x05, 18, [0x02]);
  huge.set([0x7f, 0xff, 0xff], 14);
  const big = new Uint8Array(70 * 1024);
  big.set(huge);
  assert.deepEqual(correctAudioFlag(big), { bytes: big, hasAudio: undefined });
});
