import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ASK_AGAIN_MS,
  HEVC_FROM_PLATFORM,
  refusalAfterFailedTranscode,
  refusedRetry,
  transcodeChoice,
  type DecoderRefusal,
} from '../../renderer/media/session/transcode';
import { refusedVideoCodec } from '../../renderer/media/engines/codecs';
import type { PlaySource } from '../../renderer/media/session/types';

// Review F7 (issue 24): a platform's "H.265" sent a pane to main's transcoder for the session's
// life; after the operator switched the sub stream to H.264 every reconnect still went there, the
// transcoder's FLV demuxer refused H.264, and the pane looped. PaneSession (which needs a DOM and
// mpegts.js) decides each connect with transcodeChoice; these tests drive it as PaneSession does:
// one choice per source the provider answers, the decoder's refusal recorded with what the
// platform said of that source, and a transcode requested only when the choice names a codec.

type Said = PlaySource['codec'];

/**
 * A pane's connects over a fake provider's answers; `refuses` marks connects whose decoder refused
 * H.265, `unpictured` connects whose transcode ended before its first picture (PaneSession.fail).
 */
function connects(answers: Said[], o: { decodes?: boolean; refuses?: number[]; unpictured?: number[] } = {}) {
  let refused: DecoderRefusal | null = null;
  const requested: Array<{ connect: number; codec: string }> = [];
  const link = { request: (connect: number, codec: string) => requested.push({ connect, codec }) }; // fake TranscodeLink
  answers.forEach((said, i) => {
    const choice = transcodeChoice(refused, said, o.decodes ?? false);
    refused = choice.refused;
    if (choice.codec) {
      link.request(i, choice.codec);
      if (o.unpictured?.includes(i)) refused = refusalAfterFailedTranscode(refused, false);
    } else if (o.refuses?.includes(i)) refused = { codec: 'hev1.1.6.L93.B0', said }; // native try refused
  });
  return requested;
}

test('the platform says H.265, then H.264 after the operator switched the stream: the second connect plays natively', () => {
  assert.deepEqual(connects(['h265', 'h264']), [{ connect: 0, codec: HEVC_FROM_PLATFORM }]);
  // Each connect keeps the platform's word: back to H.265 goes back to the transcoder.
  assert.deepEqual(
    connects(['h265', 'h264', 'h264', 'h265']).map((r) => r.connect),
    [0, 3],
  );
});

test('a runtime that decodes H.265 transcodes nothing the platform calls H.265', () => {
  assert.deepEqual(connects(['h265', 'h265'], { decodes: true }), []);
});

test('a decoder refusal holds across reconnects, until a fresh source says H.264', () => {
  // Nothing said (a platform without codec fields): refused once, transcoded from then on.
  assert.deepEqual(
    connects([undefined, undefined, undefined], { refuses: [0] }).map((r) => r.connect),
    [1, 2],
  );
  // Switched to H.264 (the platform says so now): native again, and the refusal is gone.
  assert.deepEqual(
    connects([undefined, undefined, 'h264', undefined], { refuses: [0] }).map((r) => r.connect),
    [1],
  );
});

test('a platform that names no codec: a transcode ending before its first picture lets the next connect try the stream itself', () => {
  // The camera was switched to H.264 (main's HEVC demuxer refuses it, the transcode ends at once):
  // before, every later connect went to the transcoder again (1, 2, 3); now connect 2 plays natively.
  assert.deepEqual(
    connects([undefined, undefined, undefined, undefined], { refuses: [0], unpictured: [1] }).map((r) => r.connect),
    [1],
  );
  // Still H.265: the native try is refused again at once, and the transcoder takes it back.
  assert.deepEqual(
    connects([undefined, undefined, undefined, undefined], { refuses: [0, 2], unpictured: [1] }).map((r) => r.connect),
    [1, 3],
  );
  // A transcode that showed pictures and then failed (a network drop) keeps the refusal.
  assert.ok(refusalAfterFailedTranscode({ codec: 'hev1.1.6.L93.B0', said: undefined }, true));
  // Refused where the platform said H.264 (a wrong codec field): kept, no native ↔ transcoder loop.
  assert.ok(refusalAfterFailedTranscode({ codec: 'hev1.1.6.L93.B0', said: 'h264' }, false));
});

test('a refusal of a stream the platform called H.264 holds (no native ↔ transcoder loop on a wrong codec field)', () => {
  assert.deepEqual(
    connects(['h264', 'h264', 'h264'], { refuses: [0] }).map((r) => r.connect),
    [1, 2],
  );
});

test('nothing said and nothing refused: native', () => {
  assert.deepEqual(connects([undefined, 'h264']), []);
});

// Review F17: a pane the budget refused waited for room only, without asking the platform again,
// so it never learnt that the operator had switched its stream to H.264 (the remedy the pane's
// own hint suggests). refusedRetry is what PaneSession asks before each retry (every 3 s).
test('a refused pane asks the platform again now and then, and so plays natively once the stream became H.264', () => {
  const need = { roomCores: 0, needCores: 0.15 };
  // Sent to the transcoder by the platform's word: asked again after ASK_AGAIN_MS, not before.
  assert.equal(refusedRetry({ refused: null, ...need, sinceAskedMs: 3000 }), false);
  assert.equal(refusedRetry({ refused: null, ...need, sinceAskedMs: ASK_AGAIN_MS }), true);
  // The fresh source says H.264 now: that connect transcodes nothing.
  assert.equal(transcodeChoice(null, 'h264', false).codec, null);
  // A decoder refusal of a stream the platform named: asking may tell that it changed.
  const named = { codec: 'hev1.1.6.L93.B0', said: 'h265' as const };
  assert.equal(refusedRetry({ refused: named, ...need, sinceAskedMs: ASK_AGAIN_MS }), true);
  // A platform that names no codec: only room in the budget brings the pane back.
  const unnamed = { codec: 'hev1.1.6.L93.B0', said: undefined };
  assert.equal(refusedRetry({ refused: unnamed, ...need, sinceAskedMs: 10 * ASK_AGAIN_MS }), false);
  assert.equal(refusedRetry({ refused: unnamed, roomCores: 0.15, needCores: 0.15, sinceAskedMs: 0 }), true);
});

// An H.265 camera with sound: mpegts.js reports the stream's media info only once the sound's
// config came too, so the first word of the refusal is MediaSource's addSourceBuffer error. It
// names the codec; before, the pane read it as a plain error and reconnected for ever instead of
// going to the transcoder (found when the simulator's H.265 cameras got sound).
test("MediaSource's refusal of a video type names the codec the pane then transcodes", () => {
  const chromium =
    "Failed to execute 'addSourceBuffer' on 'MediaSource': The type provided ('video/mp4;codecs=hvc1.1.6.L93.B0') is unsupported.";
  assert.equal(refusedVideoCodec(chromium), 'hvc1.1.6.L93.B0');
  assert.equal(
    refusedVideoCodec('The type provided (\'video/mp4; codecs="hev1.1.6.L120.90"\') is not supported'),
    'hev1.1.6.L120.90',
  );
  assert.equal(
    refusedVideoCodec("Failed to execute 'appendBuffer' on 'SourceBuffer': This SourceBuffer has been removed"),
    null,
  );
  assert.equal(
    refusedVideoCodec("The type provided ('audio/mp4;codecs=mp4a.40.2') is unsupported."),
    null,
    'audio is not the picture',
  );
});
