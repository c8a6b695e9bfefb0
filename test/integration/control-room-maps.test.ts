import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import mqtt from 'mqtt';
import type { Notice } from '../../preload/contract';
import { splitBlob } from '../../main/control-room/map-publication';
import { EventBus } from '../../main/events';
import { MapsService } from '../../main/services/maps';
import { startAlarmSeat, waitFor, type AlarmSeat } from '../helpers/control-room';
import { tempDir } from '../helpers/core';
import { png } from '../helpers/images';
import { mosquittoBinary, startMosquitto, type Broker } from '../helpers/mosquitto';

// Maps through the control room on Debian's mosquitto: the publishing seat's plan (2 MB, many
// chunks) and pins reach a following seat and a seat that joins late; a change replaces them; a
// damaged chunk and an oversized announcement are refused with a notice and change nothing there;
// a deleted map's retained plan is cleared from the broker.

const skip = mosquittoBinary() ? false : 'mosquitto is not installed (.ci/run installs it)';
const SITE = 'mapsite';

interface Seat extends AlarmSeat {
  maps: MapsService;
  notices: Notice[];
}

let broker: Broker;
const seats: Seat[] = [];

async function seat(name: string): Promise<Seat> {
  const dataDir = tempDir(`vigil-maps-${name}-`);
  const events = new EventBus();
  const notices: Notice[] = [];
  events.subscribe((e, p) => e === 'main:notice' && notices.push(p as Notice));
  const s = await startAlarmSeat(name, {
    dataDir,
    events,
    room: { brokerUrl: broker.url, site: SITE },
    service: { pollEveryMs: 0 },
  });
  // As the core starts it: over the seat's link, on its event bus.
  const maps = new MapsService(dataDir, events, { link: s.service.link, broker: () => broker.url });
  const out = { ...s, maps, notices };
  seats.push(out);
  return out;
}

before(async () => {
  if (!skip) broker = await startMosquitto();
});
after(async () => {
  for (const s of seats) {
    s.maps.close();
    await s.service.closeAll().catch(() => undefined);
  }
  await broker?.stop();
});

const pin = (mapId: string, n: number) => ({
  mapId,
  accountId: 'acc1',
  channelId: `ch${n}`,
  name: `Camera ${n}`,
  x: 0.1 * n,
  y: 0.5,
  direction: 45 * n,
  fov: 60,
  range: 0.2,
});

/** Retained messages the broker holds under `filter`, read by a plain client. */
async function retained(filter: string): Promise<string[]> {
  const client = await mqtt.connectAsync(broker.url, { clientId: `probe-${Date.now()}` });
  const topics: string[] = [];
  client.on('message', (topic, payload, packet) => {
    if (packet.retain && payload.length) topics.push(topic);
  });
  await client.subscribeAsync(filter, { qos: 1 });
  await new Promise((r) => setTimeout(r, 500));
  await client.endAsync();
  return topics;
}

test('a publishing seat’s plan and pins reach the seats that take them; damage is refused', { skip }, async () => {
  const a = await seat('A');
  const b = await seat('B');
  a.maps.setPrefs({ share: 'publish' });
  b.maps.setPrefs({ share: 'follow', source: 'A' });

  // A plan of about 2 MB (noise does not compress): some 60 chunks of 36 KB.
  const plan = png(820, 820, true);
  assert.ok(plan.length > 1_900_000);
  const hq = a.maps.saveNode({ name: 'HQ', kind: 'site', parentId: null }).doc.nodes[0]!;
  const floor = a.maps.saveNode({ name: 'Floor 1', kind: 'floor', parentId: hq.id }).doc.nodes[1]!;
  a.maps.setImage(floor.id, 'floor.png', plan.toString('base64'));
  a.maps.placePins([pin(floor.id, 1), pin(floor.id, 2)]);

  const got = await waitFor(
    'B has the floor with its plan and two pins',
    () => {
      const s = b.maps.get();
      const f = s.doc.nodes.find((n) => n.id === floor.id);
      return f?.image && s.doc.pins.length === 2 ? s : null;
    },
    30_000,
  );
  assert.deepEqual(
    got.doc.nodes.map((n) => [n.name, n.parentId]),
    [
      ['HQ', null],
      ['Floor 1', hq.id],
    ],
  );
  assert.deepEqual(Buffer.from(b.maps.image(floor.id).data, 'base64'), plan, 'the plan arrives byte for byte');
  assert.deepEqual(got.doc.pins.map((p) => [p.channelId, p.direction]).sort(), [
    ['ch1', 45],
    ['ch2', 90],
  ]);
  assert.equal(got.received?.seat, 'A');
  assert.equal(b.notices.length, 0);

  // The following seat edits nothing itself: said, and nothing changes.
  assert.throws(() => b.maps.saveNode({ name: 'Mine', kind: 'site', parentId: null }), {
    code: 'VALIDATION',
    message: /takes the site's maps from seat A/,
  });

  // A newer version replaces: a pin moved and the site renamed.
  const first = got.doc.pins.find((p) => p.channelId === 'ch1')!;
  a.maps.placePins([{ ...first, x: 0.9 }]);
  a.maps.saveNode({ id: hq.id, name: 'Head office', kind: 'site', parentId: null });
  await waitFor('B follows the change', () => {
    const s = b.maps.get();
    return s.doc.nodes[0]?.name === 'Head office' && s.doc.pins.find((p) => p.id === first.id)?.x === 0.9;
  });

  // A damaged chunk, signed by A (as a bug or a broken disk at A would send it): its hash does not add up.
  const before = b.maps.get();
  const tampered = { ...a.maps.get().doc, nodes: [...a.maps.get().doc.nodes, { ...hq, id: 'evil', name: 'Tampered' }] };
  const blob = splitBlob('doc', Buffer.from(JSON.stringify(tampered)), Date.now());
  const bytes = Buffer.from(blob.chunks[0]!.data, 'base64');
  bytes[10]! ^= 0xff;
  a.service.link.shareMap(['doc', '0'], JSON.stringify({ ...blob.chunks[0], data: bytes.toString('base64') }));
  for (const c of blob.chunks.slice(1)) a.service.link.shareMap(['doc', String(c.n)], JSON.stringify(c));
  a.service.link.shareMap(['doc'], JSON.stringify(blob.manifest));
  const refused = await waitFor('B refuses the damaged document', () =>
    b.notices.find((n) => n.code === 'notice.mapsRefused'),
  );
  assert.match(refused.message, /seat A refused: the map document: .*SHA-256.*unchanged/);
  assert.deepEqual(b.maps.get(), before, 'nothing changed at B');

  // An announcement past the bounds is refused in words too.
  a.service.link.shareMap(
    ['doc'],
    JSON.stringify({ ...blob.manifest, version: Date.now(), bytes: 5 * 1024 * 1024, chunks: 146 }),
  );
  await waitFor('B refuses the oversized one', () => b.notices.find((n) => /5242880 bytes announced/.test(n.message)));
  assert.deepEqual(b.maps.get(), before);

  // A seat that joins late gets every map from the retained copies (A publishes anew past the damage).
  a.maps.saveNode({ id: hq.id, name: 'HQ', kind: 'site', parentId: null });
  await waitFor('B takes A again', () => b.maps.get().doc.nodes[0]?.name === 'HQ');
  const c = await seat('C');
  c.maps.setPrefs({ share: 'follow', source: 'A' });
  await waitFor(
    'C has the plan and pins',
    () => c.maps.get().doc.pins.length === 2 && c.maps.get().doc.nodes.some((n) => n.image),
    30_000,
  );
  assert.deepEqual(Buffer.from(c.maps.image(floor.id).data, 'base64'), plan);

  // A deletes the floor: gone at B, and its plan's retained chunks cleared from the broker.
  a.maps.deleteNode(floor.id);
  await waitFor('B lost the floor', () => b.maps.get().doc.nodes.length === 1 && !b.maps.get().doc.pins.length);
  await waitFor('A’s outbox sent', () => a.service.link.status().queued === 0);
  const left = await retained(`vigil/${SITE}/maps/A/plan/#`);
  assert.deepEqual(left, [], 'no retained plan chunk stays');

  // A stops publishing: its document goes from the broker; the seats keep what they took.
  a.maps.setPrefs({ share: 'off' });
  await waitFor('A’s clearing sent', () => a.service.link.status().queued === 0);
  assert.deepEqual(await retained(`vigil/${SITE}/maps/A/#`), []);
  assert.equal(b.maps.get().doc.nodes.length, 1);
});
