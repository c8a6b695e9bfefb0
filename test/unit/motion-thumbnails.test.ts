import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { motionGrid, thresholds, type MotionMoment } from '../../main/media/motion/detect';
import { scanRecording } from '../../main/media/motion/scan';
import { MomentThumbnails, splitJpegs } from '../../main/media/motion/moment-thumbnails';
import { tempDir } from '../helpers/core';

// A moment's thumbnail is its first moving picture's JPEG, whichever of ffmpeg's two pipes (grids,
// JPEGs) Node happens to read first.

/** A minimal JPEG whose one entropy byte tells it apart. */
const jpeg = (n: number) => Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x03, 0x01, n, 0xff, 0xd9]);
const moment = (firstMs: number): MotionMoment => ({
  startMs: firstMs - 1000,
  endMs: firstMs + 2000,
  firstMs,
  peak: 0.3,
});

function collect() {
  const sent: Array<MotionMoment & { thumbnail: string | null }> = [];
  let open: number | null = null;
  const thumbs = new MomentThumbnails(
    (m) => sent.push(m),
    () => open,
  );
  return { thumbs, sent, setOpen: (ms: number | null) => (open = ms) };
}
const dataUrl = (n: number) => `data:image/jpeg;base64,${jpeg(n).toString('base64')}`;

test('a JPEG that ends exactly where the bytes read end is a whole picture', () => {
  assert.deepEqual(splitJpegs(jpeg(7)).pictures, [jpeg(7)]);
  assert.equal(splitJpegs(jpeg(7)).rest.length, 0);
  const cut = splitJpegs(jpeg(7).subarray(0, 9));
  assert.deepEqual([cut.pictures.length, cut.rest.length], [0, 9]);
});

test('a moment that closes before its JPEG arrived waits for it; the moments behind it keep their order', () => {
  const { thumbs, sent } = collect();
  for (const ms of [1000, 2000, 3000]) thumbs.picture(ms);
  thumbs.data(jpeg(1));
  thumbs.moment(moment(2000));
  thumbs.moment(moment(1000));
  assert.equal(sent.length, 0);
  thumbs.data(jpeg(2));
  assert.deepEqual(
    sent.map((m) => [m.firstMs, m.thumbnail]),
    [
      [2000, dataUrl(2)],
      [1000, dataUrl(1)],
    ],
  );
});

test('JPEGs read before their grids are paired with the right pictures, not dropped', () => {
  const { thumbs, sent } = collect();
  thumbs.data(Buffer.concat([jpeg(1), jpeg(2), jpeg(3)]));
  for (const ms of [1000, 2000, 3000]) thumbs.picture(ms);
  thumbs.moment(moment(3000));
  thumbs.moment(moment(2000));
  assert.deepEqual(
    sent.map((m) => m.thumbnail),
    [dataUrl(3), dataUrl(2)],
  );
});

test('the open moment’s first JPEG is kept however many pictures follow; others only the last few', () => {
  const { thumbs, sent, setOpen } = collect();
  setOpen(1000);
  for (let i = 1; i <= 60; i++) {
    thumbs.picture(i * 1000);
    thumbs.data(jpeg(i));
  }
  setOpen(null);
  thumbs.moment(moment(1000));
  thumbs.moment(moment(2000));
  thumbs.finish();
  assert.deepEqual(
    sent.map((m) => m.thumbnail),
    [dataUrl(1), null],
  );
});

test('a broken thumbnail stream costs the thumbnails, never the moments; finish lets the waiting go', () => {
  const { thumbs, sent } = collect();
  thumbs.picture(1000);
  thumbs.moment(moment(1000));
  thumbs.data(Buffer.from([1, 2, 3, 4, 5]));
  thumbs.moment(moment(5000));
  assert.deepEqual(
    sent.map((m) => [m.firstMs, m.thumbnail]),
    [
      [1000, null],
      [5000, null],
    ],
  );
  const other = collect();
  other.thumbs.picture(1000);
  other.thumbs.moment(moment(1000));
  other.thumbs.finish();
  assert.deepEqual(
    other.sent.map((m) => m.thumbnail),
    [null],
  );
});

test('scanRecording: a stand-in ffmpeg that writes its JPEGs after all its grids still gives every moment its picture', async () => {
  // The grid is 2×2 over the whole picture; pictures 3–5 differ from the rest (one moment, first at
  // picture 3). The stand-in writes every grid and time at once and the JPEGs 300 ms later: the
  // moment closes before its JPEG is read.
  const grid = motionGrid([{ x: 0, y: 0, w: 1, h: 1 }]);
  const cells = grid.cols * grid.rows;
  const dir = tempDir('vigil-scan-');
  const fake = path.join(dir, 'ffmpeg');
  writeFileSync(
    fake,
    `#!${process.execPath}
const fs = require('node:fs');
const cells = ${cells};
const moving = (n) => n >= 3 && n <= 5;
for (let n = 0; n < 12; n++) {
  process.stderr.write('[Parsed_showinfo_1 @ 0x1] n:' + n + ' pts:' + n + ' pts_time:' + n + ' pos:0\\n');
  process.stdout.write(Buffer.alloc(cells, moving(n) ? (n % 2 ? 250 : 5) : 128));
}
const jpeg = (n) => Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x03, 0x01, n, 0xff, 0xd9]);
setTimeout(() => {
  for (let n = 0; n < 12; n++) fs.writeSync(3, jpeg(n));
}, 300);
`,
  );
  chmodSync(fake, 0o755);
  const found: Array<MotionMoment & { thumbnail?: string | null }> = [];
  const compared = await scanRecording({
    ffmpeg: fake,
    url: 'file:///nothing',
    originMs: 0,
    fromMs: 0,
    toMs: 60_000,
    grid,
    thresholds: thresholds(50),
    signal: new AbortController().signal,
    onMoment: (m) => found.push(m),
    thumbnails: true,
  });
  assert.equal(compared, 12);
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.equal(found[0]!.firstMs, 3000);
  assert.equal(found[0]!.thumbnail, dataUrl(3));
});
