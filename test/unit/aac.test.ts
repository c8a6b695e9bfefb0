import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adtsHeader, audioSpecificConfig, flvAacBody, parseAudioSpecificConfig, splitAdts } from '../../main/media/aac';
import { FlvHevcDemuxer, flvHeader, flvTag } from '../../main/media/flv-hevc';
import { HevcTsMuxer } from '../../main/media/hevc-ts';

// AAC between FLV (AudioSpecificConfig once, raw frames) and MPEG-TS (ADTS per frame), ISO/IEC
// 14496-3: AAC-LC at 44.1 kHz stereo is the config 0x12 0x10 and ADTS headers beginning FF F1 50 80.

const LC_44K_STEREO = { objectType: 2, rateIndex: 4, channels: 2 };

test('AudioSpecificConfig: AAC-LC 44.1 kHz stereo is 12 10, both ways', () => {
  assert.deepEqual([...audioSpecificConfig(LC_44K_STEREO)], [0x12, 0x10]);
  assert.deepEqual(parseAudioSpecificConfig(Uint8Array.from([0x12, 0x10])), LC_44K_STEREO);
  // 48 kHz mono (index 3, one channel): 11 88
  assert.deepEqual(parseAudioSpecificConfig(Uint8Array.from([0x11, 0x88])), {
    objectType: 2,
    rateIndex: 3,
    channels: 1,
  });
});

test('a config ADTS cannot carry is refused with why (explicit rate, short)', () => {
  assert.throws(() => parseAudioSpecificConfig(Uint8Array.from([0x17, 0x80])), /rate index 15/);
  assert.throws(() => parseAudioSpecificConfig(Uint8Array.from([0x12])), /too short/);
});

test('ADTS header: FF F1 50 80, then the 13-bit frame length including the 7 header bytes', () => {
  const h = adtsHeader(LC_44K_STEREO, 100);
  assert.deepEqual([...h.subarray(0, 4)], [0xff, 0xf1, 0x50, 0x80]);
  const len = ((h[3]! & 3) << 11) | (h[4]! << 3) | (h[5]! >> 5);
  assert.equal(len, 107);
  assert.equal(h[6]! & 3, 0, 'one raw data block');
  assert.throws(() => adtsHeader(LC_44K_STEREO, 9000), /does not fit ADTS/);
});

test('splitAdts: frames across chunks, garbage before a sync word skipped', () => {
  const frame = (n: number) => [...adtsHeader(LC_44K_STEREO, n), ...new Array<number>(n).fill(n)];
  const bytes = Uint8Array.from([0x00, 0x12, ...frame(10), ...frame(20), ...frame(30)]);
  const first = splitAdts(bytes.subarray(0, 40));
  assert.deepEqual(
    first.frames.map((f) => f.raw.length),
    [10],
  );
  const rest = splitAdts(Uint8Array.from([...first.rest, ...bytes.subarray(40)]));
  assert.deepEqual(
    rest.frames.map((f) => [f.raw.length, f.raw[0]]),
    [
      [20, 20],
      [30, 30],
    ],
  );
  assert.deepEqual(rest.frames[0]!.config, LC_44K_STEREO);
  assert.equal(rest.rest.length, 0);
});

test('FLV AAC tags → ADTS frames for MPEG-TS, kept only when asked; other audio is named, not carried', () => {
  const cfg = flvTag(8, 0, flvAacBody('header', audioSpecificConfig(LC_44K_STEREO)));
  const raw = Uint8Array.from([1, 2, 3, 4, 5]);
  const frame = flvTag(8, 23, flvAacBody('frame', raw));
  const stream = Uint8Array.from([...flvHeader(true), ...cfg, ...frame]);
  const demux = new FlvHevcDemuxer({ audio: true });
  assert.deepEqual(demux.push(stream), [], 'no pictures');
  assert.ok(demux.hasAac);
  const [a] = demux.takeAudio();
  assert.equal(a!.timestampMs, 23);
  assert.ok(a && 'adts' in a);
  assert.deepEqual([...a.adts], [...adtsHeader(LC_44K_STEREO, 5), 1, 2, 3, 4, 5]);
  assert.deepEqual(demux.takeAudio(), [], 'taken once');
  // Without { audio: true } nothing is kept; G.711 (sound format 7) is named and skipped.
  const quiet = new FlvHevcDemuxer();
  quiet.push(stream);
  assert.deepEqual(quiet.takeAudio(), []);
  const g711 = new FlvHevcDemuxer({ audio: true });
  g711.push(Uint8Array.from([...flvHeader(true), ...flvTag(8, 0, Uint8Array.from([0x72, 9, 9]))]));
  assert.equal(g711.audioCodec, 7);
  assert.ok(!g711.hasAac);
  // What main waits for sound on (transcoder): no AAC can come from G.711 or a video-only header.
  assert.ok(g711.noAac);
  assert.ok(!demux.noAac, 'AAC came');
  const videoOnly = new FlvHevcDemuxer({ audio: true });
  videoOnly.push(flvHeader(false));
  assert.ok(videoOnly.noAac);
  const promised = new FlvHevcDemuxer({ audio: true });
  promised.push(flvHeader(true));
  assert.ok(!promised.noAac, 'the header promises sound: it may come');
  // A config ADTS cannot carry: the sound is left out, the stream goes on.
  const odd = new FlvHevcDemuxer({ audio: true });
  odd.push(Uint8Array.from([...flvHeader(true), ...flvTag(8, 0, flvAacBody('header', Uint8Array.from([0x17, 0x80])))]));
  assert.ok(!odd.hasAac);
});

test('MPEG-TS with sound: the PMT lists ADTS AAC (0x0f) on its own PID, each frame a PES with its PTS', () => {
  const ts = new HevcTsMuxer({ audio: true });
  const adts = Uint8Array.from([...adtsHeader(LC_44K_STEREO, 4), 9, 9, 9, 9]);
  const first = ts.pushAudio(adts, 1000); // first: the program's clock starts here (TS_START_MS = 1 s)
  const pic = ts.push(Uint8Array.from([0, 0, 0, 1, 0x26, 0x01, 0xaf]), 1040, 0, true);
  // Sound before any picture: PAT and PMT first (a reader drops packets of a PID no PMT named yet).
  assert.equal(first.length, 3 * 188);
  const pidOf = (packet: Uint8Array) => ((packet[1]! & 0x1f) << 8) | packet[2]!;
  assert.deepEqual([pidOf(first), pidOf(first.subarray(188))], [0, 0x1000]);
  assert.equal(ts.pushAudio(adts, 1060).length, 188, 'then the frames alone');
  const audio = first.subarray(376);
  const pid = pidOf(audio);
  assert.equal(pid, 0x101);
  // PES: start code, stream id 0xC0, then PTS only ('10' flags) = 1 s on the 90-kHz clock.
  const pesAt = 4 + 1 + audio[4]!;
  assert.deepEqual([...audio.subarray(pesAt, pesAt + 4)], [0, 0, 1, 0xc0]);
  assert.equal(audio[pesAt + 7], 0x80);
  const p = audio.subarray(pesAt + 9, pesAt + 14);
  const pts = ((p[0]! >> 1) & 7) * 2 ** 30 + ((p[1]! << 7) | (p[2]! >> 1)) * 2 ** 15 + ((p[3]! << 7) | (p[4]! >> 1));
  assert.equal(pts, 90_000);
  // The picture's packets: PAT, PMT naming both streams, then the video PES.
  const pmt = pic.subarray(188, 376);
  const section = pmt.subarray(5);
  assert.equal(section[2], 13 + 10, 'section length for two streams');
  assert.deepEqual([...section.subarray(12, 15)], [0x24, 0xe1, 0x00]);
  assert.deepEqual([...section.subarray(17, 20)], [0x0f, 0xe1, 0x01]);
  assert.throws(() => new HevcTsMuxer().pushAudio(adts, 0), /no audio stream/);
});
