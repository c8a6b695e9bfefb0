import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TranscodeAnswer, TranscodeRequest } from '../../preload/contract';
import {
  ASK_AGAIN_MS,
  HEVC_FROM_PLATFORM,
  PaneTranscode,
  type TranscodeLink,
  type TranscodeStatus,
} from '../../renderer/media/session/transcode';
import type { PlaySource } from '../../renderer/media/session/types';

// PaneTranscode on its own, over a fake link to main's transcoder: which connects go through it,
// the job feeding a connection (stopped when it unloads), refusals, take-over and the wait for room.
// The pure rules it applies are in transcode-choice.test.ts; PaneSession's tests drive it whole.

const H265: PlaySource = { protocol: 'flv', url: 'http://127.0.0.1:1/relay/1.flv', live: true, codec: 'h265' };
const refusal = { ok: false as const, needCores: 0.4, budgetCores: 1, usedCores: 1, holders: [] };

function harness(o: { answers?: TranscodeAnswer[]; room?: number; audio?: boolean; decodesH265?: boolean } = {}) {
  const requests: TranscodeRequest[] = [];
  const stopped: string[] = [];
  const statuses: Array<TranscodeStatus | null> = [];
  let n = 0;
  const link: TranscodeLink = {
    request: async (req) => {
      requests.push(req);
      n++;
      return (
        o.answers?.shift() ?? {
          ok: true,
          id: `t${n}`,
          url: `http://127.0.0.1:1/transcode/t${n}.flv`,
          costCores: 0.4,
          budgetCores: 1,
          usedCores: 0.4,
        }
      );
    },
    stop: (id) => stopped.push(id),
    room: async () => o.room ?? 0,
    pane: () => ({ width: 480, height: 270, audio: !!o.audio, label: 'Gate' }),
  };
  const transcode = new PaneTranscode(
    link,
    (s) => statuses.push(s),
    () => !!o.decodesH265,
  );
  return { transcode, requests, stopped, statuses };
}
const current = () => true;

test('the platform’s H.265 goes through the transcoder: a job sized to the pane feeds the connection, stopped when it unloads', async () => {
  const h = harness();
  assert.equal(h.transcode.choose('h265'), true);
  const got = await h.transcode.start(H265, current);
  assert.ok(got && 'source' in got);
  assert.equal(got.source.url, 'http://127.0.0.1:1/transcode/t1.flv');
  assert.equal(got.source.hasAudio, false, 'asked without sound');
  assert.deepEqual(
    { url: h.requests[0]!.url, width: h.requests[0]!.width, height: h.requests[0]!.height },
    { url: H265.url, width: 480, height: 270 },
  );
  assert.deepEqual(h.statuses, [{ id: 't1', codec: HEVC_FROM_PLATFORM, costCores: 0.4 }]);
  assert.equal(h.transcode.running, true);
  assert.equal(h.transcode.silent, true, 'made without sound: turning sound on makes it again');
  h.transcode.unload();
  assert.deepEqual(h.stopped, ['t1']);
  assert.deepEqual(h.statuses.at(-1), null, 'the badge goes');
  assert.equal(h.transcode.running, false);
  h.transcode.destroy();
  assert.deepEqual(h.stopped, ['t1'], 'nothing left to stop');
});

test('H.264, or H.265 the runtime decodes, plays natively; the decoder’s own refusal of H.265 sends later connects through the transcoder', () => {
  assert.equal(harness({ decodesH265: true }).transcode.choose('h265'), false);
  const h = harness();
  assert.equal(h.transcode.choose(undefined), false);
  assert.equal(h.transcode.refusedByDecoder('avc1.640028'), false, 'not H.265: nothing to transcode');
  assert.equal(h.transcode.refusedByDecoder('hvc1.1.6.L93.B0'), true);
  assert.equal(h.transcode.wanted, true);
  assert.equal(h.transcode.refusedByDecoder('hvc1.1.6.L93.B0'), false, 'already transcoding');
  assert.equal(h.transcode.choose(undefined), true, 'the refusal holds for a platform that names no codec');
  assert.equal(h.transcode.choose('h264'), false, 'until a fresh source says H.264');
});

test('a job that ends before its first picture lifts a refusal where the platform names no codec', async () => {
  const h = harness();
  h.transcode.choose(undefined);
  h.transcode.refusedByDecoder('hvc1.1.6.L93.B0');
  h.transcode.choose(undefined);
  await h.transcode.start({ ...H265, codec: undefined }, current);
  h.transcode.failed(false);
  h.transcode.unload();
  assert.equal(h.transcode.choose(undefined), false, 'the stream itself is tried again');
});

test('a job granted after its connect went is stopped at once and feeds nothing', async () => {
  const h = harness();
  h.transcode.choose('h265');
  assert.equal(await h.transcode.start(H265, () => false), null);
  assert.deepEqual(h.stopped, ['t1']);
  assert.equal(h.transcode.running, false);
  assert.deepEqual(h.statuses, []);
});

test('refused by the budget: the refusal names the codec; it waits for room, or asks the platform again in time; a take-over goes at once', async () => {
  const h = harness({ answers: [refusal, refusal] });
  h.transcode.choose('h265');
  h.transcode.asking();
  const got = await h.transcode.start(H265, current);
  assert.ok(got && 'refusal' in got);
  assert.deepEqual(got.refusal, {
    codec: HEVC_FROM_PLATFORM,
    needCores: 0.4,
    budgetCores: 1,
    usedCores: 1,
    holders: [],
  });
  assert.equal(h.transcode.running, false);
  assert.equal(h.transcode.waitsForRoom, true);
  assert.equal(await h.transcode.fits(), false, 'no room, asked just now');
  // Its word came from the platform: asked again after ASK_AGAIN_MS (the stream may be H.264 now).
  const now = performance.now.bind(performance);
  Object.defineProperty(performance, 'now', { value: () => now() + ASK_AGAIN_MS, configurable: true });
  try {
    assert.equal(await h.transcode.fits(), true);
  } finally {
    Object.defineProperty(performance, 'now', { value: now, configurable: true });
  }
  // The operator takes another pane's transcode: no wait, and main is told whose to replace.
  assert.equal(h.transcode.take('t9'), true);
  assert.equal(h.transcode.waitsForRoom, false);
  h.transcode.choose('h265');
  await h.transcode.start(H265, current);
  assert.equal(h.requests[1]!.replace, 't9');
  assert.equal(h.transcode.waitsForRoom, true, 'refused again');
  const roomy = harness({ answers: [refusal], room: 1 });
  roomy.transcode.choose('h265');
  await roomy.transcode.start(H265, current);
  assert.equal(await roomy.transcode.fits(), true, 'room again: connect');
  assert.equal(harness().transcode.take('t9'), false, 'a pane that does not transcode takes nothing over');
});

test('with the pane’s sound on, the job carries sound and is not made again', async () => {
  const h = harness({ audio: true });
  h.transcode.choose('h265');
  const got = await h.transcode.start(H265, current);
  assert.ok(got && 'source' in got);
  assert.equal(got.source.hasAudio, undefined, 'the transcode’s metadata says');
  assert.equal(h.requests[0]!.audio, true);
  assert.equal(h.transcode.silent, false);
});
