import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  copyName,
  isValid,
  movePoint,
  nameProblem,
  pointProblems,
  serverProblems,
} from '../../renderer/model/cruise-draft';

const limits = { minDwell: 30, maxDwell: 3600, minSpeed: 0, maxSpeed: 10 }; // Huawei IVM §15.0
const presets = new Set([1, 2, 3]);
const p = (presetIndex: number, dwellSeconds = 30, speed = 5) => ({ presetIndex, dwellSeconds, speed });

test('points are checked against the documented dwell and speed ranges and the camera’s presets', () => {
  assert.deepEqual(
    pointProblems([p(1, 30, 0), p(3, 3600, 10)], limits, presets),
    [{}, {}],
    'both ends of each range are allowed',
  );
  const bad = pointProblems([p(1, 29), p(2, 3601, 11), p(9, 45, -1), p(1, 30.5)], limits, presets);
  assert.deepEqual(Object.keys(bad[0]!), ['dwellSeconds']);
  assert.deepEqual(Object.keys(bad[1]!).sort(), ['dwellSeconds', 'speed']);
  assert.deepEqual(Object.keys(bad[2]!).sort(), ['presetIndex', 'speed']);
  assert.deepEqual(Object.keys(bad[3]!), ['dwellSeconds'], 'whole seconds only');
  assert.equal(isValid({ name: 'Gate', points: [p(1), p(2)] }, limits, presets), true);
  assert.equal(isValid({ name: 'Gate', points: [] }, limits, presets), false, 'a track needs a point');
  assert.equal(isValid({ name: '<b>', points: [p(1)] }, limits, presets), false);
});

test('names follow the documented character set and length', () => {
  assert.equal(nameProblem('大门 巡航_1.a-b'), null);
  assert.equal(nameProblem('x'.repeat(128)), null);
  assert.ok(nameProblem('x'.repeat(129)));
  assert.ok(nameProblem('a/b'));
  assert.ok(nameProblem('   '));
});

test('reorder, copy names and server field errors', () => {
  assert.deepEqual(
    movePoint([p(1), p(2), p(3)], 0, 2).map((x) => x.presetIndex),
    [2, 3, 1],
  );
  assert.deepEqual(
    movePoint([p(1), p(2)], 1, 5).map((x) => x.presetIndex),
    [1, 2],
    'out of range is a no-op',
  );
  assert.equal(copyName('Gate', ['Gate', 'Gate (2)']), 'Gate (3)');
  assert.equal(copyName('Gate (2)', ['Gate', 'Gate (2)']), 'Gate (3)');
  assert.equal(copyName('x'.repeat(128), []).length, 128);
  assert.deepEqual(
    serverProblems({ 'points.1.speed': { message: 'Speed runs from 0 to 10' }, name: { message: 'x' } }, 2),
    [{}, { speed: 'Speed runs from 0 to 10' }],
  );
});
