import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  avcCodecString,
  KeyFrameDecoder,
  KeyFrameDecoders,
  type FromWorker,
  type ToWorker,
} from '../../renderer/media/key-frames/key-frame-decoder';

/** The AVC sequence header ffmpeg's libx264 writes for a 640×360 Main-profile stream (its FLV tag's payload). */
const AVCC = Uint8Array.from(
  Buffer.from('014d401effe10018674d401eeca05017fcb808800000030080000019078b16cb01000568ebe3cb20', 'hex'),
);

test('avcCodecString: avc1.PPCCLL from the record (profile, compatibility, level); not a record: null', () => {
  assert.equal(avcCodecString(AVCC), 'avc1.4d401e');
  assert.equal(avcCodecString(Uint8Array.from([1, 0x64, 0, 0x1f, 0xff, 0xe1, 0])), 'avc1.64001f');
  assert.equal(avcCodecString(Uint8Array.from([0, 0x64, 0, 0x1f, 0xff, 0xe1, 0])), null, 'version must be 1');
  assert.equal(avcCodecString(Uint8Array.from([1, 0x64])), null, 'too short');
});

/** The page's side against a stand-in worker: what is posted, and answers played back. */
const posted: Array<{ message: ToWorker; transfer: Transferable[] }> = [];
let answer: (m: FromWorker) => void = () => undefined;
let workerError: () => void = () => undefined;
class StandInWorker {
  onmessage: ((e: { data: FromWorker }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(url: URL) {
    assert.match(String(url), /key-frame\.worker\.ts$/);
    answer = (m) => this.onmessage?.({ data: m });
    workerError = () => this.onerror?.();
  }
  postMessage(message: ToWorker, transfer: Transferable[]) {
    posted.push({ message, transfer });
  }
}
(globalThis as Record<string, unknown>).Worker = StandInWorker;

/** The window's decoding (MediaWindow makes one per window; this file's tests share one, as a window's panes do). */
const decoders = new KeyFrameDecoders();
const keyFrameDecoderOf = (video: HTMLVideoElement) => decoders.of(video);
const keyFrameDecodingAvailable = () => decoders.available();
const closeKeyFrameDecoder = (video: HTMLVideoElement, d: KeyFrameDecoder) => decoders.close(video, d);
const setKeyFrameDecoder = (video: HTMLVideoElement, d: KeyFrameDecoder) => decoders.set(video, d);
const stopKeyFrameDecoding = (video: HTMLVideoElement) => decoders.stop(video);

function bitmap(label: string) {
  const b = { label, closed: false, close: () => (b.closed = true) };
  return b;
}

test('KeyFrameDecoder: key frames go to the worker only while pictures are wanted; the configuration first, once', () => {
  posted.length = 0;
  const d = new KeyFrameDecoder(decoders);
  d.configure(AVCC);
  d.decode(Uint8Array.from([0, 0, 0, 1, 0x65]), 0);
  assert.equal(posted.length, 0, 'nobody shows its pictures: nothing is copied or sent');
  d.show({ width: 200, height: 112 });
  d.decode(Uint8Array.from([0, 0, 0, 1, 0x65]), 1000);
  d.decode(Uint8Array.from([0, 0, 0, 1, 0x65]), 2000);
  assert.deepEqual(
    posted.map((p) => p.message.type),
    ['configure', 'decode', 'decode'],
  );
  const [configure, decode] = posted.map((p) => p.message);
  assert.equal(configure?.type === 'configure' && configure.codec, 'avc1.4d401e');
  assert.deepEqual(configure?.type === 'configure' && [...new Uint8Array(configure.description)], [...AVCC]);
  assert.deepEqual(decode?.type === 'decode' && [decode.timestamp, decode.box], [
    1_000_000,
    { width: 200, height: 112 },
  ]);
  assert.ok(
    posted.every((p) => p.message.type === 'close' || p.transfer.length === 1),
    'the copied bytes are transferred, not cloned again',
  );
  // The same configuration again (servers send it before every key frame): nothing new is sent.
  d.configure(AVCC.slice());
  d.decode(Uint8Array.from([0, 0, 0, 1, 0x65]), 2500);
  assert.deepEqual(
    posted.slice(-2).map((p) => p.message.type),
    ['decode', 'decode'],
  );
  posted.splice(-1);
  // A new configuration mid-stream (the camera's resolution changed) is sent before the next key frame.
  d.configure(Uint8Array.from([1, 0x64, 0, 0x1f, 0xff, 0xe1, 0]));
  d.decode(Uint8Array.from([0, 0, 0, 1, 0x65]), 3000);
  assert.deepEqual(
    posted.slice(-2).map((p) => (p.message.type === 'configure' ? p.message.codec : p.message.type)),
    ['avc1.64001f', 'decode'],
  );
  d.show(null);
  d.decode(Uint8Array.from([0, 0, 0, 1, 0x65]), 4000);
  assert.equal(posted.length, 5, 'no longer wanted: no longer sent');
  d.close();
  assert.deepEqual(posted.at(-1)?.message, { type: 'close', id: d.id });
});

test('KeyFrameDecoder: the newest picture is taken once; one not taken in time is closed; a failure hands the pane back to its video', () => {
  const video = {} as HTMLVideoElement;
  const d = new KeyFrameDecoder(decoders);
  setKeyFrameDecoder(video, d);
  assert.equal(
    keyFrameDecoderOf(video),
    null,
    'not before its configuration: a stream of another codec never brings one',
  );
  d.configure(AVCC);
  assert.equal(keyFrameDecoderOf(video), d);
  d.show({ width: 100, height: 56 });
  const [first, second] = [bitmap('1'), bitmap('2')];
  answer({ type: 'picture', id: d.id, bitmap: first as unknown as ImageBitmap });
  assert.equal(d.hasPicture, true);
  answer({ type: 'picture', id: d.id, bitmap: second as unknown as ImageBitmap });
  assert.equal(first.closed, true, 'replaced before it was shown: released');
  assert.equal(d.take(), second);
  assert.equal(d.take(), null, 'taken once');
  // Another decoder's answer does not reach this one.
  const other = new KeyFrameDecoder(decoders);
  answer({ type: 'picture', id: other.id, bitmap: bitmap('x') as unknown as ImageBitmap });
  assert.equal(d.hasPicture, false);
  other.close();

  answer({ type: 'picture', id: d.id, bitmap: bitmap('3') as unknown as ImageBitmap });
  answer({ type: 'failed', id: d.id, reason: 'the key-frame decoder refused avc1.4d401e: NotSupportedError' });
  assert.equal(d.failed, 'the key-frame decoder refused avc1.4d401e: NotSupportedError');
  assert.equal(d.hasPicture, false, 'its picture dropped');
  assert.equal(keyFrameDecoderOf(video), null, 'the pane makes its pictures from its video again');
  const before = posted.length;
  d.decode(Uint8Array.from([0, 0, 0, 1, 0x65]), 5000);
  assert.equal(posted.length, before, 'a failed decoder sends nothing more');
  const late = bitmap('late');
  d.close();
  answer({ type: 'picture', id: d.id, bitmap: late as unknown as ImageBitmap });
  assert.equal(late.closed, true, 'a picture for a closed decoder is released');
  closeKeyFrameDecoder(video, d);
  assert.equal(keyFrameDecoderOf(video), null);
});

test('KeyFrameDecoder: a stream that is not AVC fails at its configuration, before anything is sent', () => {
  const d = new KeyFrameDecoder(decoders);
  const before = posted.length;
  d.configure(Uint8Array.from([0, 1, 2]));
  d.show({ width: 10, height: 10 });
  d.decode(Uint8Array.from([1]), 0);
  assert.equal(d.failed, 'not an AVC configuration');
  assert.equal(posted.length, before);
  d.close();
});

// (Last: a failed worker stays failed for the window.)
test('a decoder given nothing to decode (and making no picture) for 3 s and 1.5 key-frame intervals is silent: the video makes the pictures meanwhile', (t) => {
  let clock = 10_000;
  t.mock.method(performance, 'now', () => clock);
  const video = {} as HTMLVideoElement;
  const d = new KeyFrameDecoder(decoders);
  setKeyFrameDecoder(video, d);
  d.configure(AVCC);
  assert.equal(keyFrameDecoderOf(video), d, 'ready; its pictures not wanted yet: not silent');
  clock += 60_000;
  assert.equal(keyFrameDecoderOf(video), d, 'nothing is asked of it while no pane shows its pictures');
  d.show({ width: 200, height: 112 });
  clock += 2900;
  assert.equal(keyFrameDecoderOf(video), d, 'a key frame may still come');
  clock += 200;
  assert.equal(d.silent, true);
  assert.equal(
    keyFrameDecoderOf(video),
    null,
    'none in 3 s (a stream whose key frames the player cannot read): the video makes them',
  );
  d.decode(Uint8Array.from([0, 0, 0, 1, 0x65]), 0);
  assert.equal(keyFrameDecoderOf(video), d, 'a key frame sent: its picture is coming');
  for (let i = 0; i < 6; i++) {
    clock += 1000;
    d.decode(Uint8Array.from([0, 0, 0, 1, 0x65]), i * 1000);
  }
  assert.equal(d.silent, false, 'no picture for 6 s, but a key frame a second sent: a busy worker, not silent');
  d.answer({ type: 'picture', id: d.id, bitmap: bitmap('p') as never });
  // Key frames 4 s apart (a camera with a long GOP): silent only after 3 s + 1.5 × 4 s without one.
  for (let i = 1; i <= 2; i++) {
    clock += 4000;
    d.decode(Uint8Array.from([0, 0, 0, 1, 0x65]), i * 4000);
  }
  clock += 8900;
  assert.equal(d.silent, false);
  clock += 200;
  assert.equal(d.silent, true);
  stopKeyFrameDecoding(video);
  assert.equal(d.silent, false, 'not wanted: not silent');
  closeKeyFrameDecoder(video, d);
});

test('the worker fails (it could not load): every decoder hands its pane back to its video, and so does every later one', () => {
  const g = globalThis as Record<string, unknown>;
  g.VideoDecoder ??= class {};
  g.createImageBitmap ??= () => undefined;
  assert.equal(keyFrameDecodingAvailable(), true);
  const video = {} as HTMLVideoElement;
  const d = new KeyFrameDecoder(decoders);
  d.configure(AVCC);
  d.show({ width: 100, height: 56 });
  d.decode(Uint8Array.from([0, 0, 0, 1, 0x65]), 0); // (the worker exists by now)
  setKeyFrameDecoder(video, d);
  assert.equal(keyFrameDecoderOf(video), d);
  workerError();
  assert.equal(d.failed, 'the key-frame decoder worker failed');
  assert.equal(keyFrameDecoderOf(video), null);
  assert.equal(keyFrameDecodingAvailable(), false, 'players make no more decoders');
  const later = new KeyFrameDecoder(decoders);
  later.configure(AVCC);
  assert.equal(later.failed, 'the key-frame decoder worker failed');
  assert.equal(later.ready, false);
});
