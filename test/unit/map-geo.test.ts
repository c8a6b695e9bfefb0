import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TreeNode } from '../../preload/contract';
import { contentSecurityPolicy } from '../../main/host/static';
import { geoOf } from '../../main/platforms/aliyun-vcs/api';
import { tileSource } from '../../main/services/maps';
import { geoCameras } from '../../renderer/model/map-pins';

test('a VCS device’s place: Longitude and Latitude as the platform writes them, or none', () => {
  assert.deepEqual(geoOf({ Longitude: '120.155100', Latitude: '30.274100' }), { lat: 30.2741, lng: 120.1551 });
  assert.deepEqual(geoOf({ Longitude: '-0.1276', Latitude: '51.5072' }), { lat: 51.5072, lng: -0.1276 });
  for (const d of [
    {},
    { Longitude: '', Latitude: '' },
    { Longitude: '120.1', Latitude: '' },
    { Longitude: '0', Latitude: '0' }, // a form left at its default
    { Longitude: '181', Latitude: '30' },
    { Longitude: '120', Latitude: '91' },
    { Longitude: 'east', Latitude: '30' },
  ])
    assert.equal(geoOf(d), undefined, JSON.stringify(d));
});

test('the CSP lets pictures come from the tile origin set, and from nowhere else beyond this machine', () => {
  assert.equal(tileSource(''), null);
  assert.equal(tileSource('http://tiles.example.org/{z}/{x}/{y}.png'), null, 'https only');
  assert.equal(tileSource('https://tiles.example.org:8443/osm/{z}/{x}/{y}.png'), 'https://tiles.example.org:8443');
  assert.equal(tileSource('https://{s}.tile.example.org/{z}/{x}/{y}.png'), 'https://*.tile.example.org');
  assert.equal(tileSource('https://{s}.org/{z}/{x}/{y}.png'), null, 'no wildcard over a whole top-level domain');
  const img = (csp: string) => csp.split('; ').find((d) => d.startsWith('img-src'));
  assert.equal(img(contentSecurityPolicy()), "img-src 'self' data: blob:");
  assert.equal(
    img(contentSecurityPolicy('ws://127.0.0.1:1', ['https://tiles.example.org'])),
    "img-src 'self' data: blob: https://tiles.example.org",
  );
});

test('cameras on the geographic map: channels with a place, once each', () => {
  const n = (id: string, geo?: { lat: number; lng: number }, kind: TreeNode['kind'] = 'channel'): TreeNode => ({
    accountId: 'a1',
    id,
    parentId: null,
    kind,
    name: id,
    status: 'online',
    ptz: null,
    platform: 'aliyun-vcs',
    ...(geo ? { geo } : {}),
  });
  const cams = geoCameras([
    n('c1', { lat: 30, lng: 120 }),
    n('c2'),
    n('d1', { lat: 1, lng: 1 }, 'device'),
    n('c1', { lat: 30, lng: 120 }),
  ]);
  assert.deepEqual(cams, [
    { key: 'a1|c1', accountId: 'a1', channelId: 'c1', name: 'c1', status: 'online', lat: 30, lng: 120 },
  ]);
});
