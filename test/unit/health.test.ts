import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TreeNode } from '../../preload/contract';
import { counts, groupCounts } from '../../main/services/health';
import { healthCsv } from '../../renderer/features/health/csv';

const node = (id: string, parentId: string | null, kind: TreeNode['kind'], status: TreeNode['status'] = 'unknown'): TreeNode => ({ accountId: 'a', id, parentId, kind, name: id, status, ptz: null, platform: 'huawei-ivm' });
const tree = [
  node('g1', null, 'group'),
  node('g1a', 'g1', 'group'),
  node('d1', 'g1a', 'device', 'online'),
  node('c1', 'd1', 'channel', 'online'),
  node('c2', 'd1', 'channel', 'offline'),
  node('d2', 'g1', 'device', 'offline'),
  node('g2', null, 'group'),
  node('c3', 'g2', 'channel', 'online'),
];

test('counts per top-level group walk up nested groups; channels without a device count too', () => {
  assert.deepEqual(counts(tree), { devices: 2, devicesOnline: 1, channels: 3, channelsOnline: 2 });
  assert.deepEqual(groupCounts(tree), [
    { name: 'g1', devices: 2, devicesOnline: 1, channels: 2, channelsOnline: 1 },
    { name: 'g2', devices: 0, devicesOnline: 0, channels: 1, channelsOnline: 1 },
  ]);
});

test('the CSV export carries totals, groups, list rows and packet rates', () => {
  const csv = healthCsv({ at: '2026-11-22T00:00:00Z', total: counts(tree), groups: groupCounts(tree), lists: [{ key: 'vis.dropped', items: [{ deviceId: '34020000001320000001', state: 'OFFLINE' }] }], packetRates: [{ deviceId: 'd', channelId: 'c', received: 90, expected: 100 }], problems: [] }, (k) => `list ${k}`);
  const lines = csv.split('\r\n');
  assert.equal(lines[0], 'section,name,devices,devices_online,channels,channels_online,state,detail,received,expected,rate');
  assert.equal(lines[1], 'total,,2,1,3,2,,,,,');
  assert.ok(lines.includes('list vis.dropped,34020000001320000001,,,,,OFFLINE,,,,'));
  assert.ok(lines.includes('packets,d/c,,,,,,,90,100,0.9000'));
});
