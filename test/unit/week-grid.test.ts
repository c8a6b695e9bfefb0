import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  copyDay,
  emptyGrid,
  gridToSections,
  isAllDay,
  offGrid,
  paint,
  sectionsToGrid,
} from '../../renderer/model/week';

test('painted slots become merged sections, Monday = 1, a full day ends 23:59:59', () => {
  let g = paint(emptyGrid(), 0, 16, 35, true); // Monday 08:00–18:00
  g = paint(g, 6, 0, 47, true); // Sunday all day
  assert.deepEqual(gridToSections(g), [
    { day: 1, start: '08:00:00', end: '18:00:00' },
    { day: 7, start: '00:00:00', end: '23:59:59' },
  ]);
  g = paint(g, 0, 20, 21, false); // a lunch break splits Monday
  assert.deepEqual(
    gridToSections(g).filter((s) => s.day === 1),
    [
      { day: 1, start: '08:00:00', end: '10:00:00' },
      { day: 1, start: '11:00:00', end: '18:00:00' },
    ],
  );
  assert.equal(isAllDay(g), false);
  assert.equal(isAllDay(emptyGrid().map((d) => d.map(() => true))), true);
});

test('sections read back into the grid; plans off the half hour are detected', () => {
  const sections = [
    { day: 1, start: '00:02:00', end: '00:05:00' },
    { day: 2, start: '08:00:00', end: '12:00:00' },
  ];
  const g = sectionsToGrid(sections);
  assert.equal(g[0]!.filter(Boolean).length, 1, 'a partial slot shows as on');
  assert.equal(g[1]!.filter(Boolean).length, 8);
  assert.equal(offGrid(sections), true);
  assert.equal(offGrid([{ day: 3, start: '00:00:00', end: '23:59:59' }]), false);
  assert.deepEqual(gridToSections(sectionsToGrid(gridToSections(g))), gridToSections(g), 'round trip');
});

test('copy a day to the working week', () => {
  const g = copyDay(paint(emptyGrid(), 0, 16, 35, true), 0, [1, 2, 3, 4]);
  assert.deepEqual(
    gridToSections(g).map((s) => s.day),
    [1, 2, 3, 4, 5],
  );
});
