import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { EventBus } from '../../main/events';
import { readSiteFile, orphanNodes } from '../../main/formats/site-file';
import { MapsService, tileUrlProblem } from '../../main/services/maps';
import { png } from '../helpers/images';
import { tempDir } from '../helpers/core';

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64');
const pin = (mapId: string, n: number) => ({
  mapId,
  accountId: 'acc1',
  channelId: `ch${n}`,
  name: `Camera ${n}`,
  x: 0.1 * n,
  y: 0.2,
  direction: 90,
  fov: 60,
  range: 0.2,
});

function site(dir = tempDir()) {
  const events = new EventBus();
  const seen: number[] = [];
  events.subscribe((e, p) => e === 'main:maps' && seen.push((p as { doc: { nodes: unknown[] } }).doc.nodes.length));
  const maps = new MapsService(dir, events);
  const hq = maps.saveNode({ name: 'HQ', kind: 'site', parentId: null }).doc.nodes[0]!;
  const b = maps.saveNode({ name: 'Block A', kind: 'building', parentId: hq.id }).doc.nodes[1]!;
  const f = maps.saveNode({ name: 'Floor 1', kind: 'floor', parentId: b.id }).doc.nodes[2]!;
  return { dir, maps, hq, b, f, seen };
}

test('a tree of site, building and floor with a plan and pins is kept on disk and survives a restart', () => {
  const { dir, maps, f, seen } = site();
  maps.setImage(f.id, 'plan.png', b64(png(64, 32)));
  const s = maps.placePins([pin(f.id, 1), pin(f.id, 2)]);
  assert.equal(s.doc.pins.length, 2);
  assert.deepEqual(seen, [1, 2, 3, 3, 3], 'every change told to the windows');
  const again = new MapsService(dir, new EventBus());
  assert.deepEqual(again.get(), maps.get());
  assert.equal(again.image(f.id).type, 'image/png');
  assert.deepEqual(Buffer.from(again.image(f.id).data, 'base64'), png(64, 32));
  // Moved: the same pin id, a new place.
  const moved = again.placePins([{ ...s.doc.pins[0]!, x: 0.9 }]);
  assert.equal(moved.doc.pins.length, 2);
  assert.equal(moved.doc.pins.find((p) => p.id === s.doc.pins[0]!.id)!.x, 0.9);
});

test('a refused upload says why and changes nothing; a new plan replaces the old file', () => {
  const { dir, maps, f } = site();
  const before = maps.get();
  assert.throws(() => maps.setImage(f.id, 'x.gif', b64('GIF89a....')), {
    code: 'VALIDATION',
    message: /x.gif: .*not a PNG, JPEG or SVG/,
  });
  assert.throws(() => maps.setImage(f.id, 'x.svg', b64('<!DOCTYPE svg><svg/>')), { code: 'VALIDATION' });
  assert.equal(maps.get(), before);
  maps.setImage(f.id, 'a.svg', b64('<svg><script>alert(1)</script><rect width="1" height="1"/></svg>'));
  const first = maps.get().doc.nodes.find((n) => n.id === f.id)!.image!;
  assert.equal(first.type, 'image/svg+xml');
  assert.ok(!Buffer.from(maps.image(f.id).data, 'base64').toString().includes('script'));
  maps.setImage(f.id, 'b.png', b64(png(8, 8)));
  const files = fs.readdirSync(path.join(dir, 'maps')).sort();
  assert.equal(files.length, 2, `maps.json and one plan: ${files.join(', ')}`);
});

test('rules of the tree: sites at the top, nothing under itself, deleting takes the subtree, its plans and pins', () => {
  const { dir, maps, hq, b, f } = site();
  assert.throws(() => maps.saveNode({ name: 'X', kind: 'site', parentId: hq.id }), { code: 'VALIDATION' });
  assert.throws(() => maps.saveNode({ name: 'X', kind: 'floor', parentId: null }), { code: 'VALIDATION' });
  assert.throws(() => maps.saveNode({ id: b.id, name: 'Block A', kind: 'building', parentId: f.id }), /under itself/);
  assert.throws(() => maps.placePins([pin('nope', 1)]), { code: 'NOT_FOUND' });
  maps.setImage(f.id, 'p.png', b64(png(8, 8)));
  maps.placePins([pin(f.id, 1)]);
  const left = maps.deleteNode(b.id);
  assert.deepEqual(
    left.doc.nodes.map((n) => n.name),
    ['HQ'],
  );
  assert.equal(left.doc.pins.length, 0);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'maps')), ['maps.json']);
});

test('an unreadable maps file is moved aside and said, never overwritten', () => {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'maps'));
  fs.writeFileSync(path.join(dir, 'maps', 'maps.json'), '{"doc": 42');
  const maps = new MapsService(dir, new EventBus());
  assert.ok(maps.setAside && fs.readFileSync(maps.setAside, 'utf8') === '{"doc": 42');
  assert.deepEqual(maps.get().doc.nodes, []);
});

test('the site file carries the tree, pins and plans to another seat; merge and replace', () => {
  const a = site();
  a.maps.setImage(a.f.id, 'plan.png', b64(png(64, 32)));
  a.maps.placePins([pin(a.f.id, 1), pin(a.f.id, 2)]);
  const { fileName, text } = a.maps.exportSite(new Date('2026-11-27T00:00:00Z'));
  assert.equal(fileName, 'vigil-site-2026-11-27.json');

  const other = site();
  const report = other.maps.importSite(text, 'merge');
  assert.deepEqual(report, { maps: 3, pins: 2, skipped: [] });
  assert.equal(other.maps.get().doc.nodes.length, 6, 'its own maps kept beside');
  assert.deepEqual(Buffer.from(other.maps.image(a.f.id).data, 'base64'), png(64, 32));
  // The same file again: replaced by id, nothing doubled.
  other.maps.importSite(text, 'merge');
  assert.equal(other.maps.get().doc.nodes.length, 6);
  assert.equal(other.maps.get().doc.pins.length, 2);
  other.maps.importSite(text, 'replace');
  assert.deepEqual(
    other.maps.get().doc.nodes.map((n) => n.name),
    ['HQ', 'Block A', 'Floor 1'],
  );
  assert.equal(fs.readdirSync(path.join(other.dir, 'maps')).length, 2, 'the replaced plans removed');
});

test('a hostile or broken site file is refused whole, or loses only its bad parts, said', () => {
  const { maps } = site();
  const before = maps.get();
  assert.throws(() => maps.importSite('not json', 'merge'), { code: 'VALIDATION', message: /not JSON/ });
  assert.throws(() => maps.importSite('{"format":"other"}', 'merge'), /not a Vigil site file/);
  assert.throws(
    () =>
      maps.importSite(
        JSON.stringify({
          format: 'vigil-site',
          version: 1,
          exportedAt: '',
          doc: { version: 1, nodes: 'x', pins: [] },
          images: {},
        }),
        'replace',
      ),
    /cannot be read: doc.nodes/,
  );
  assert.equal(maps.get(), before, 'nothing changed');

  const node = (id: string, parentId: string | null, imageId?: string) => ({
    id,
    name: id,
    kind: parentId ? 'floor' : 'site',
    parentId,
    image: imageId ? { id: imageId, type: 'image/png', bytes: 10 } : null,
  });
  const file = {
    format: 'vigil-site',
    version: 1,
    exportedAt: '2026-11-27T00:00:00Z',
    doc: {
      version: 1,
      nodes: [
        node('s', null),
        node('f1', 's', 'img1'),
        node('f2', 's', 'img2'),
        node('lost', 'nowhere'),
        node('s', null),
      ],
      pins: [
        { ...pin('f1', 1), id: 'p1' },
        { ...pin('lost', 2), id: 'p2' },
      ],
    },
    images: {
      img1: { type: 'image/png', data: b64('<svg><script>alert(1)</script></svg>') },
      img2: { type: 'image/png', data: b64('MZ\x90\x00 an executable') },
    },
  };
  const read = readSiteFile(JSON.stringify(file));
  assert.deepEqual(
    read.doc.nodes.map((n) => [n.id, n.image?.type ?? null]),
    [
      ['s', null],
      ['f1', 'image/svg+xml'],
      ['f2', null],
    ],
  );
  assert.ok(!new TextDecoder().decode(read.images.get('img1')!.bytes).includes('script'), 'its SVG sanitised again');
  assert.equal(read.skipped.length, 4, read.skipped.join('\n'));
  assert.deepEqual(
    read.doc.pins.map((p) => p.id),
    ['p1'],
  );
  // A file id that would walk out of the maps folder does not pass the contract.
  const escape = structuredClone(file);
  escape.doc.nodes[1]!.image!.id = '../../evil';
  assert.throws(() => readSiteFile(JSON.stringify(escape)), /cannot be read/);
});

test('loops and missing parents are found; tile addresses: https with {z}/{x}/{y} only', () => {
  const n = (id: string, parentId: string | null) => ({ id, name: id, kind: 'floor' as const, parentId, image: null });
  assert.deepEqual([...orphanNodes([n('a', null), n('b', 'c'), n('c', 'b'), n('d', 'a'), n('e', 'x')])].sort(), [
    'b',
    'c',
    'e',
  ]);
  assert.equal(tileUrlProblem(''), null);
  assert.equal(tileUrlProblem('https://tile.example.org/{z}/{x}/{y}.png'), null);
  assert.match(tileUrlProblem('http://tile.example.org/{z}/{x}/{y}.png')!, /https/);
  assert.match(tileUrlProblem('https://tile.example.org/tiles.png')!, /\{z\}/);
  assert.match(tileUrlProblem('https://u:p@tile.example.org/{z}/{x}/{y}.png')!, /password/);
  assert.match(tileUrlProblem('javascript:alert(1)//{z}{x}{y}')!, /https/);
  const { maps } = site();
  assert.throws(() => maps.setPrefs({ tileUrl: 'http://x/{z}/{x}/{y}' }), { code: 'VALIDATION' });
  assert.equal(
    maps.setPrefs({ tileUrl: ' https://t.example/{z}/{x}/{y}.png ', bringForward: true }).prefs.tileUrl,
    'https://t.example/{z}/{x}/{y}.png',
  );
});

test('a seat taking another seat’s maps edits none, and applies a publication checked as a site file', () => {
  const { maps: publisher, f } = site();
  publisher.setImage(f.id, 'plan.png', b64(png(64, 32)));
  publisher.placePins([pin(f.id, 1)]);
  const doc = publisher.get().doc;
  const imageId = doc.nodes.find((n) => n.image)!.image!.id;
  const plan = publisher.planById(imageId);

  const dir = tempDir();
  const follower = new MapsService(dir, new EventBus());
  follower.saveNode({ name: 'Mine', kind: 'site', parentId: null });
  assert.throws(() => follower.setPrefs({ share: 'follow' }), { code: 'VALIDATION', message: /Name the seat/ });
  follower.setPrefs({ share: 'follow', source: 'A' });
  const before = follower.get();
  assert.throws(() => follower.saveNode({ name: 'More', kind: 'site', parentId: null }), {
    code: 'VALIDATION',
    message: /takes the site's maps from seat A/,
  });
  assert.throws(() => follower.importSite(publisher.exportSite().text, 'merge'), /takes the site's maps/);
  assert.equal(follower.get(), before, 'nothing changed');

  const { state, skipped } = follower.applyPublished(
    { seat: 'A', version: 5, at: 1 },
    doc,
    new Map([[imageId, plan.bytes]]),
  );
  assert.deepEqual(skipped, []);
  assert.deepEqual(
    state.doc.nodes.map((n) => n.name),
    ['HQ', 'Block A', 'Floor 1'],
    'the publication replaces this seat’s maps',
  );
  assert.equal(state.doc.pins.length, 1);
  assert.deepEqual(state.received, { seat: 'A', version: 5, at: 1 });
  assert.deepEqual(Buffer.from(follower.image(f.id).data, 'base64'), png(64, 32));
  assert.deepEqual(new MapsService(dir, new EventBus()).get(), follower.get(), 'kept across a restart');

  // A plan that is not a picture: its map comes without it, said; the old plan's file goes.
  const bad = { ...doc, nodes: doc.nodes.map((n) => (n.image ? { ...n, image: { ...n.image, id: 'other' } } : n)) };
  const r = follower.applyPublished({ seat: 'A', version: 6, at: 2 }, bad, new Map([['other', Buffer.from('GIF89a')]]));
  assert.match(r.skipped.join(' '), /“Floor 1”: plan left out/);
  assert.equal(r.state.doc.nodes.find((n) => n.id === f.id)!.image, null);
  assert.ok(!fs.readdirSync(path.join(dir, 'maps')).some((x) => x.startsWith(imageId)), 'the old plan file is gone');
});
