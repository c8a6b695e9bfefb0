import assert from 'node:assert/strict';
import { test } from 'node:test';
import { channels } from '../../preload/contract';
import {
  copyName,
  isValid,
  movePoint,
  NAME_MAX,
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

// What main checks a save against before it reaches the platform (the contract's PtzName).
const savedName = channels['cruise:save'].request.shape.name;

test('the editors and the pad use the same name length as the requests', () => {
  assert.equal(NAME_MAX, savedName.maxLength);
  assert.equal(NAME_MAX, channels['presets:save'].request.shape.name.maxLength);
  // Length in characters, as main counts it: a character outside the BMP counts once.
  const rare = '𠀀'.repeat(NAME_MAX);
  assert.equal(nameProblem(rare), null);
  assert.equal(savedName.safeParse(rare).success, true);
  assert.ok(nameProblem(rare + 'a'));
  assert.equal(savedName.safeParse(rare + 'a').success, false);
});

test('a copy’s name is one a save accepts, and no other track has it', () => {
  const cases: Array<[string, string[]]> = [
    ['Gate', ['Gate']],
    ['Gate - 2', ['Gate', 'Gate - 2', 'Gate - 3']],
    ['大门 巡航', ['大门 巡航']],
    ['x'.repeat(NAME_MAX), ['x'.repeat(NAME_MAX)]],
    ['𠀀'.repeat(NAME_MAX), []], // cut by characters, not through one
  ];
  for (const [name, taken] of cases) {
    const copy = copyName(name, taken);
    assert.equal(savedName.safeParse(copy).success, true, `${name} → ${copy}`);
    assert.equal(nameProblem(copy), null, copy);
    assert.ok(!taken.includes(copy), copy);
  }
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
  assert.equal(copyName('Gate', ['Gate']), 'Gate - 2');
  assert.equal(copyName('Gate', ['Gate', 'Gate - 2']), 'Gate - 3');
  assert.equal(copyName('Gate - 2', ['Gate', 'Gate - 2']), 'Gate - 3', 'a copy of a copy counts on');
  assert.equal(copyName('x'.repeat(128), []).length, 128);
  assert.deepEqual(
    serverProblems({ 'points.1.speed': { message: 'Speed runs from 0 to 10' }, name: { message: 'x' } }, 2),
    [{}, { speed: 'Speed runs from 0 to 10' }],
  );
});
