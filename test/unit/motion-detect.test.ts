import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  frameScore,
  gridFilter,
  mergeMoments,
  motionGrid,
  MotionTracker,
  rectFromDrag,
  regionProblem,
  scoreMoments,
  thresholds,
  type MotionMoment,
} from '../../main/media/motion/detect';
import { LONG_GOP_MS, modeFor, scanArgs, showinfoTimes } from '../../main/media/motion/scan';
import { splitJpegs } from '../../main/media/motion/moment-thumbnails';
import { motionScript } from '../emulators/media/motion-cameras';

// Motion search's pure parts: regions, the grid, thresholds, moments from scores, and scoring.

test('regions: refused in words when empty, too many, outside the picture or too small; a drag in any direction is one rectangle', () => {
  assert.equal(regionProblem([]), 'Draw at least one region');
  assert.match(regionProblem(Array.from({ length: 9 }, () => ({ x: 0, y: 0, w: 0.5, h: 0.5 })))!, /At most 8/);
  assert.match(regionProblem([{ x: 0.8, y: 0, w: 0.5, h: 0.5 }])!, /outside/);
  assert.match(regionProblem([{ x: 0.1, y: 0.1, w: 0.001, h: 0.5 }])!, /too small/);
  assert.match(regionProblem([{ x: Number.NaN, y: 0, w: 0.5, h: 0.5 }])!, /not a number/);
  assert.equal(regionProblem([{ x: 0, y: 0, w: 1, h: 1 }]), null);
  assert.deepEqual(rectFromDrag({ x: 0.75, y: 0.5 }, { x: 0.25, y: 1.2 }), { x: 0.25, y: 0.5, w: 0.5, h: 0.5 });
});

test('the grid covers the regions’ bounding box with even sizes; each region owns only its own cells', () => {
  const grid = motionGrid([
    { x: 0, y: 0, w: 0.25, h: 0.25 },
    { x: 0.75, y: 0.75, w: 0.25, h: 0.25 },
  ]);
  assert.deepEqual(grid.box, { x: 0, y: 0, w: 1, h: 1 });
  assert.equal(grid.cols % 2, 0);
  assert.equal(grid.rows % 2, 0);
  const [a, b] = grid.cells;
  assert.ok(a!.length > 0 && b!.length > 0);
  // Opposite corners: no cell in both, and far fewer than the whole grid.
  assert.equal([...a!].filter((i) => b!.includes(i)).length, 0);
  assert.ok(a!.length < (grid.cols * grid.rows) / 8);
  assert.match(
    gridFilter(grid),
    /^crop=w=iw\*1\.00000:h=ih\*1\.00000:x=iw\*0\.00000:y=ih\*0\.00000,scale=\d+:\d+:flags=area,format=gray$/,
  );
});

test('sensitivity: higher finds smaller changes; out-of-range values are clamped', () => {
  const low = thresholds(1);
  const mid = thresholds(50);
  const high = thresholds(100);
  assert.ok(low.area > mid.area && mid.area > high.area);
  assert.ok(low.pixel > mid.pixel && mid.pixel > high.pixel);
  assert.deepEqual(thresholds(500), high);
  assert.deepEqual(thresholds(-3), low);
  assert.ok(Math.abs(mid.area - 0.02) < 1e-9);
});

test('a frame scores the largest share of changed cells of any region; changes outside the regions do not count', () => {
  const grid = motionGrid([{ x: 0, y: 0, w: 0.5, h: 1 }]);
  const full = motionGrid([{ x: 0, y: 0, w: 1, h: 1 }]);
  // Same box on a full-picture grid: region = left half of it.
  const half = { ...full, cells: [full.cells[0]!.filter((i) => i % full.cols < full.cols / 2)] };
  const size = full.cols * full.rows;
  const prev = new Uint8Array(size).fill(80);
  const next = new Uint8Array(size).fill(80);
  for (let i = 0; i < size; i++) if (i % full.cols >= full.cols / 2) next[i] = 250; // right half changes
  assert.equal(frameScore(half, prev, next, 20), 0);
  assert.equal(frameScore(full, prev, next, 20), 0.5);
  assert.ok(grid.cells[0]!.length > 0);
});

test('moments: start at the last still picture, end at the last moving one; short lulls merge, gaps in the recording are not motion', () => {
  const out: MotionMoment[] = [];
  const t = new MotionTracker({ on: 0.01, mergeGapMs: 2500, maxStepMs: 5000 }, (m) => out.push(m));
  const scores: Array<[number, number | null]> = [
    [0, null],
    [1000, 0],
    [2000, 0.05], // starts: began after 1000
    [3000, 0.006], // above off (0.005): goes on
    [4000, 0],
    [5000, 0.03], // lull of 2 s < merge gap: same moment
    [6000, 0],
    [7000, 0],
    [8000, 0], // 3 s quiet: closed at 5000
    [9000, 0.2],
    [30000, 0.9], // 21 s jump: not compared
    [31000, 0],
  ];
  const open: Array<number | null> = [];
  for (const [ms, s] of scores) {
    t.push(ms, s);
    open.push(t.openFirstMs);
  }
  // The open moment's first picture, while it is open (its thumbnail is kept that long).
  assert.deepEqual(open.slice(0, 9), [null, null, 2000, 2000, 2000, 2000, 2000, 2000, null]);
  t.finish();
  assert.equal(t.openFirstMs, null);
  assert.deepEqual(
    out.map((m) => [m.startMs, m.endMs, m.firstMs]),
    [
      [1000, 5000, 2000],
      [8000, 9000, 9000],
    ],
  );
  assert.equal(out[0]!.peak, 0.05);
});

test('moments of several recordings merge where they touch; scoring counts overlaps within the slack', () => {
  const m = (a: number, b: number) => ({ startMs: a, endMs: b, firstMs: a, peak: 0.1 });
  assert.deepEqual(
    mergeMoments([m(10, 20), m(0, 5), m(20, 30)]).map((x) => [x.startMs, x.endMs]),
    [
      [0, 5],
      [10, 30],
    ],
  );
  const truth = [
    { startMs: 10_000, endMs: 15_000 },
    { startMs: 40_000, endMs: 45_000 },
  ];
  assert.deepEqual(scoreMoments(truth, [m(9_000, 16_000), m(80_000, 81_000)]), {
    events_true: 2,
    events_found: 2,
    recall: 0.5,
    precision: 0.5,
  });
  assert.deepEqual(scoreMoments([], []), { events_true: 0, events_found: 0, recall: 1, precision: 1 });
});

test('ffmpeg showinfo lines give each picture’s time in order', () => {
  const text =
    '[Parsed_showinfo_3 @ 0x1] n:   0 pts:      0 pts_time:0       pos: 564 fmt:gray\n' +
    '[Parsed_showinfo_3 @ 0x1] n:   1 pts:  90000 pts_time:1.04    pos: 16732 fmt:gray\n' +
    '[hls @ 0x2] Opening seg00001.ts for reading\n';
  assert.deepEqual(showinfoTimes(text), [0, 1.04]);
});

test('key frames a second apart are enough; two gaps in a row over 2.5 s (a 10-s GOP) ask for every picture, two a second', () => {
  assert.equal(modeFor([0, 1000]), null, 'not known after two pictures');
  assert.equal(modeFor([0, 1000, 2000]), 'keys');
  assert.equal(
    modeFor([0, 10_000, 10_500]),
    'keys',
    'one long gap (a recording starting late in a GOP) is not a camera’s GOP',
  );
  assert.equal(modeFor([0, 10_000, 20_000]), 'sampled');
  assert.equal(modeFor([0, LONG_GOP_MS, 2 * LONG_GOP_MS]), 'keys');
  const grid = motionGrid([{ x: 0.5, y: 0.5, w: 0.5, h: 0.5 }]);
  const keys = scanArgs({ url: 'http://127.0.0.1:1/r.m3u8', grid, thumbnails: true }, 'keys');
  const sampled = scanArgs({ url: 'http://127.0.0.1:1/r.m3u8', grid, thumbnails: true }, 'sampled');
  assert.deepEqual(keys.slice(keys.indexOf('-skip_frame'), keys.indexOf('-skip_frame') + 2), ['-skip_frame', 'nokey']);
  assert.ok(!sampled.includes('-skip_frame'), 'every picture decoded');
  const graph = sampled[sampled.indexOf('-filter_complex') + 1]!;
  assert.match(graph, /^\[0:v\]select='isnan\(prev_selected_t\)\+gte\(t-prev_selected_t,0\.5\)',showinfo,split/);
  assert.doesNotMatch(keys[keys.indexOf('-filter_complex') + 1]!, /select=/);
});

test('the simulator’s motion script is seeded and deterministic; events never overlap and stay inside the recording', () => {
  const a = motionScript('m1', 1_700_000_000_000, 3600, 7);
  assert.deepEqual(a, motionScript('m1', 1_700_000_000_000, 3600, 7));
  assert.notDeepEqual(a.events, motionScript('m1', 1_700_000_000_000, 3600, 8).events);
  assert.ok(a.events.length > 50);
  for (const list of [a.events, a.distractors])
    for (const [i, e] of list.entries()) {
      assert.ok(e.startS >= 3 && e.endS <= 3597 && e.endS > e.startS);
      if (i) assert.ok(e.startS > list[i - 1]!.endS + 5);
    }
});

test('an MJPEG stream splits into whole pictures by structure; a table byte pair FF D9 does not end one, a cut tail waits', () => {
  const seg = (marker: number, body: number[]) => [0xff, marker, 0, body.length + 2, ...body];
  const jpeg = (fill: number) =>
    Buffer.from([
      0xff,
      0xd8,
      ...seg(0xdb, [0x00, 0xff, 0xd9, 0x10]), // a quantisation table holding FF D9
      ...seg(0xda, [1, 2, 3]),
      0x11,
      0xff,
      0x00,
      0x22,
      0xff,
      0xd3,
      fill, // entropy data: a stuffed FF, a restart
      0xff,
      0xd9,
    ]);
  const two = Buffer.concat([jpeg(1), jpeg(2)]);
  const { pictures, rest } = splitJpegs(Buffer.concat([two, jpeg(3).subarray(0, 9)]));
  assert.equal(pictures.length, 2);
  assert.deepEqual(pictures[0], jpeg(1));
  assert.deepEqual(pictures[1], jpeg(2));
  assert.deepEqual(rest, jpeg(3).subarray(0, 9));
  assert.throws(() => splitJpegs(Buffer.from([0, 1, 2, 3, 4])), /not MJPEG/);
});
