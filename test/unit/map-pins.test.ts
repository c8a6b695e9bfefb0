import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MapNode, MapPin } from '../../preload/contract';
import { alarmedMaps, bearing, mapForAlarm, mapTree, spreadDrop, wedgePath } from '../../renderer/model/map-pins';

const node = (id: string, parentId: string | null, kind: MapNode['kind'] = 'floor', name = id): MapNode => ({
  id,
  name,
  kind,
  parentId,
  image: null,
});
const pin = (id: string, mapId: string, channelId: string): MapPin => ({
  id,
  mapId,
  accountId: 'a',
  channelId,
  name: channelId,
  x: 0.5,
  y: 0.5,
  direction: 0,
  fov: 90,
  range: 0.25,
});

test('cameras dropped together spread in rows and stay inside the plan', () => {
  assert.deepEqual(spreadDrop(0.5, 0.5, 2), [
    { x: 0.5, y: 0.5 },
    { x: 0.54, y: 0.5 },
  ]);
  const many = spreadDrop(0.99, 0.99, 8);
  assert.equal(many.length, 8);
  assert.ok(many.every((p) => p.x <= 0.98 && p.y <= 0.98 && p.x >= 0.02));
  assert.equal(many[6]!.y, 0.98, 'the seventh starts a second row (clamped)');
});

test('the wedge points where the camera looks; 360° is a circle; bearing is its inverse', () => {
  // Facing up (0°), 90° wide, reach 25 of a 100 × 100 box from the centre.
  assert.equal(
    wedgePath({ x: 0.5, y: 0.5, direction: 0, fov: 90, range: 0.25 }, 100, 100),
    'M50 50L32.32 32.32A25 25 0 0 1 67.68 32.32Z',
  );
  assert.match(
    wedgePath({ x: 0.5, y: 0.5, direction: 90, fov: 270, range: 0.25 }, 100, 100),
    / 0 1 1 /,
    'wider than 180°: the large arc',
  );
  assert.match(wedgePath({ x: 0.5, y: 0.5, direction: 0, fov: 360, range: 0.1 }, 100, 100), /^M40 50a10 10/);
  assert.equal(bearing(50, 50, 50, 0), 0);
  assert.equal(bearing(50, 50, 100, 50), 90);
  assert.equal(bearing(50, 50, 50, 100), 180);
  assert.equal(bearing(50, 50, 0, 50), 270);
});

test('an alarmed camera marks its map and the maps above it; the map brought forward prefers the one shown', () => {
  const nodes = [
    node('s', null, 'site'),
    node('b', 's', 'building'),
    node('f1', 'b'),
    node('f2', 'b'),
    node('t', null, 'site'),
  ];
  const pins = [pin('p1', 'f1', 'c1'), pin('p2', 'f2', 'c2'), pin('p3', 'f2', 'c1')];
  assert.deepEqual([...alarmedMaps(nodes, pins, new Set(['a|c2']))].sort(), ['b', 'f2', 's']);
  assert.deepEqual([...alarmedMaps(nodes, pins, new Set())], []);
  assert.equal(mapForAlarm(pins, new Set(['a|c1']), null), 'f1');
  assert.equal(mapForAlarm(pins, new Set(['a|c1']), 'f2'), 'f2');
  assert.equal(mapForAlarm(pins, new Set(['a|zz']), 'f2'), null);
});

test('the tree: sites first, then by kind and name (numbers as numbers); a lost parent makes a root', () => {
  const tree = mapTree([
    node('f10', 'b', 'floor', 'Floor 10'),
    node('f2', 'b', 'floor', 'Floor 2'),
    node('b', 's', 'building', 'Block'),
    node('s', null, 'site', 'HQ'),
    node('x', 'gone', 'floor', 'Lost'),
  ]);
  assert.deepEqual(
    tree.map((i) => i.node.id),
    ['s', 'x'],
  );
  assert.deepEqual(
    tree[0]!.children[0]!.children.map((i) => i.node.name),
    ['Floor 2', 'Floor 10'],
  );
});
