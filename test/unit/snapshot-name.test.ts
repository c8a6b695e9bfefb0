import assert from 'node:assert/strict';
import { test } from 'node:test';
import { snapshotName } from '../../renderer/media/view/snapshot';

// Snapshot names come from the platform's channel names, as export names do (export-name.test.ts).
const at = new Date(2026, 10, 22, 9, 5, 7);

test('a snapshot is named after its channel and local time, characters file systems refuse replaced', () => {
  assert.equal(snapshotName('大门球机', at, 'png'), '大门球机_20261122_090507.png');
  assert.equal(snapshotName('a/b:c*?"<>| d', at, 'png'), 'a_b_c_d_20261122_090507.png');
  assert.equal(snapshotName('gate', at, 'jpg', '_camera'), 'gate_20261122_090507_camera.jpg');
});

test('bidi controls are stripped from a snapshot name; C0, DEL and C1 controls replaced', () => {
  // "gate", U+202E, "4pm.exe" would show as "gateexe.png": the override makes the file look like another.
  const controls = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c';
  assert.equal(snapshotName(`gate\u202e4pm.exe${controls}`, at, 'png'), 'gate4pm.exe_20261122_090507.png');
  assert.equal(snapshotName('x\u0001\u007f\u0085\u009fy', at, 'png'), 'x_y_20261122_090507.png');
  // Arabic and Hebrew names are kept as they are (the space, as every space, becomes `_`).
  assert.equal(snapshotName('بوابة שער', at, 'png'), 'بوابة_שער_20261122_090507.png');
});

test('a long channel name is cut to whole characters so the file name stays within 255 bytes', () => {
  const name = snapshotName('大门'.repeat(100), at, 'png', '_camera');
  assert.ok(new TextEncoder().encode(name).length <= 255, `${name.length} characters`);
  assert.match(name, /^(大门)+_20261122_090507_camera\.png$/);
  assert.equal(new TextEncoder().encode(name.split('_')[0]).length, 120);
});
