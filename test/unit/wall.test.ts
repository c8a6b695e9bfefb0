import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TreeNode } from '../../preload/contract';
import { layoutByDigit, layoutFor, layoutIds, paneCount, streamForWidth } from '../../renderer/model/layouts';
import { buildTree, channelsUnder, filterTree, keyOf, tourGroup } from '../../renderer/model/tree';

test('every layout covers its grid exactly once, with the documented pane counts', () => {
  const expected: Record<string, number> = {
    '1': 1,
    '4': 4,
    '1+5': 6,
    '1+7': 8,
    '9': 9,
    '10': 10,
    '1+12': 13,
    '16': 16,
    '25': 25,
    '36': 36,
    '49': 49,
    '64': 64,
  };
  for (const id of layoutIds) {
    const l = layoutFor(id);
    assert.equal(l.cells.length, expected[id], id);
    const seen = new Set<string>();
    for (const c of l.cells)
      for (let r = c.row; r < c.row + c.rowSpan; r++)
        for (let k = c.col; k < c.col + c.colSpan; k++) {
          assert.ok(!seen.has(`${k},${r}`), `${id} overlaps at ${k},${r}`);
          seen.add(`${k},${r}`);
        }
    assert.equal(seen.size, l.cols * l.rows, `${id} leaves holes`);
  }
  assert.deepEqual(
    ['36', '49', '64'].map((id) => [layoutFor(id).cols, layoutFor(id).rows]),
    [
      [6, 6],
      [7, 7],
      [8, 8],
    ],
    'big walls are square grids',
  );
  assert.equal(paneCount('3x2'), 6);
  assert.equal(layoutFor('7').id, '4', 'unknown layouts fall back to 4');
  assert.equal(layoutByDigit['9'], '25');
});

test('stream choice: sub below ~640 px, main above or when maximized', () => {
  assert.equal(streamForWidth(480, false), 'sub');
  assert.equal(streamForWidth(640, false), 'main');
  assert.equal(streamForWidth(200, true), 'main');
});

function node(
  id: string,
  parentId: string | null,
  kind: TreeNode['kind'],
  name: string,
  accountId = 'acc_0000000000000001',
): TreeNode {
  return { accountId, id, parentId, kind, name, status: 'online', ptz: null, platform: 'tencent-ivc' };
}

test('tree: filtering keeps matches with their ancestors expanded; ids from two accounts never collide', () => {
  const nodes = [
    node('account:a', null, 'account', 'A'),
    node('org:1', 'account:a', 'group', '总部'),
    node('dev:1', 'org:1', 'device', '大门球机'),
    node('ch:1:1', 'dev:1', 'channel', '大门球机'),
    node('dev:2', 'org:1', 'device', '大堂'),
    node('ch:2:1', 'dev:2', 'channel', '大堂枪机'),
    node('account:b', null, 'account', 'B', 'acc_0000000000000002'),
    node('org:1', 'account:b', 'group', '分部', 'acc_0000000000000002'),
  ];
  const model = buildTree(nodes);
  assert.equal(model.roots.length, 2);
  const f = filterTree(model, '枪机');
  const kept = [...f.children.values()].flat();
  assert.ok(kept.includes(keyOf(nodes[5]!)));
  assert.ok(!kept.includes(keyOf(nodes[3]!)));
  assert.ok(f.expanded.has(keyOf(nodes[1]!)));
  assert.deepEqual(f.roots, [keyOf(nodes[0]!)]);
  assert.deepEqual(
    channelsUnder(model, keyOf(nodes[1]!)).map((n) => n.id),
    ['ch:1:1', 'ch:2:1'],
  );
});

test('a pane tour on a channel cycles through the nearest group with two channels that can play', () => {
  const off = (n: TreeNode): TreeNode => ({ ...n, status: 'offline' });
  const nodes = [
    node('account:a', null, 'account', 'A'),
    node('org:1', 'account:a', 'group', '总部'),
    node('org:2', 'org:1', 'group', '一楼'),
    node('dev:1', 'org:2', 'device', '大门球机'),
    node('ch:1:1', 'dev:1', 'channel', '大门球机'),
    node('dev:2', 'org:2', 'device', '大堂'),
    off(node('ch:2:1', 'dev:2', 'channel', '大堂枪机')),
    node('dev:3', 'org:1', 'device', '停车场'),
    node('ch:3:1', 'dev:3', 'channel', '停车场'),
    node('dev:4', 'account:a', 'device', '仓库'),
    node('ch:4:1', 'dev:4', 'channel', '仓库'),
  ];
  const model = buildTree(nodes);
  // 一楼 has one channel that can play (the other is offline), so the tour climbs to 总部.
  const group = tourGroup(model, keyOf(nodes[4]!));
  assert.equal(group?.name, '总部');
  assert.deepEqual(
    group?.channels.map((n) => n.id),
    ['ch:1:1', 'ch:3:1'],
  );
  assert.deepEqual(
    tourGroup(model, keyOf(nodes[10]!))?.channels.map((n) => n.id),
    ['ch:1:1', 'ch:3:1', 'ch:4:1'],
  );
  assert.equal(tourGroup(buildTree(nodes.slice(0, 5)), keyOf(nodes[4]!)), null, 'a lone channel has nothing to tour');
});

test('PTZ joystick: eight directions by angle, speed by distance, still inside the dead zone', async () => {
  const { joystickMove } = await import('../../renderer/model/joystick');
  assert.equal(joystickMove(3, 2, 40), null, 'inside 15 % of the radius');
  assert.deepEqual(joystickMove(40, 0, 40), { command: 'right', speed: 8 });
  assert.deepEqual(joystickMove(0, -40, 40), { command: 'up', speed: 8 }, 'screen y grows down');
  assert.deepEqual(joystickMove(-100, 0, 40), { command: 'left', speed: 8 }, 'beyond the rim is full speed');
  assert.equal(joystickMove(0, 12, 40)?.command, 'down');
  assert.equal(joystickMove(0, 12, 40)?.speed, 2);
  assert.equal(joystickMove(20, 20, 40)?.command, 'downright');
  assert.equal(joystickMove(-20, -21, 40)?.command, 'upleft');
  assert.equal(joystickMove(30, -8, 40)?.command, 'right', '15° off the axis is still the axis');
  assert.equal(joystickMove(10, 0, 0), null);
});
