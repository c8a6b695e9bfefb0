import assert from 'node:assert/strict';
import { test } from 'node:test';
import { beijing } from '../../../main/platforms/huawei-ivm';
import { rawIvm } from './raw';

// §9.2 (seed 003 table 9-12): record_type "仅针对查询云端录像，不填则默认值为 ALL_RECORD" —
// it narrows the cloud list to the asked type and leaves device-side lists alone. Over plain
// HTTP with a stub media source of three one-minute cloud recordings (all plan recordings).

const now = Date.now();
const recordings = [0, 1, 2].map((i) => ({
  start: now - (30 - i * 5) * 60_000,
  end: now - (29 - i * 5) * 60_000,
  url: `http://127.0.0.1:9/rec${i}.m3u8`,
}));
const ivm = rawIvm({
  media: { flv: () => '', hls: () => '', recordings: () => recordings, channels: ['cam'] },
});

function records(query: Record<string, string>) {
  const qs = new URLSearchParams({
    start_time: beijing(now - 3600_000),
    end_time: beijing(now),
    limit: '100',
    ...query,
  });
  return ivm.request<{ total: number; records: Array<{ record_type: string }> }>(
    'GET',
    `/v2/${ivm.user}/devices/21A0123456SMY01/channels/0/media/records?${qs}`,
  );
}

test('§9.2 record_type narrows cloud recordings (default ALL_RECORD); device-side lists ignore it', async () => {
  const all = await records({ record_position: 'CLOUD' });
  assert.equal(all.status, 200);
  assert.equal(all.body.total, 3);
  assert.equal((await records({ record_position: 'CLOUD', record_type: 'ALL_RECORD' })).body.total, 3);
  const normal = await records({ record_position: 'CLOUD', record_type: 'NORMAL_RECORD' });
  assert.equal(normal.body.total, 3);
  assert.ok(normal.body.records.every((r) => r.record_type === 'NORMAL_RECORD'));
  const motion = await records({ record_position: 'CLOUD', record_type: 'MOTION_RECORD' });
  assert.equal(motion.status, 200);
  assert.equal(motion.body.total, 0);
  assert.deepEqual(motion.body.records, []);
  const device = await records({ record_position: 'DEVICE' });
  assert.ok(device.body.total > 0);
  assert.equal(
    (await records({ record_position: 'DEVICE', record_type: 'MOTION_RECORD' })).body.total,
    device.body.total,
  );
});

test('§9.9 reads the protocol under the table’s name (`protocol`) and the examples’ (`playback_protocol`)', async () => {
  const base = '/devices/21A0123456SMY01/channels/0/device-records/web-playback-url';
  const times = { start_time: beijing(now - 3600_000), end_time: beijing(now) };
  for (const name of ['protocol', 'playback_protocol']) {
    const r = await ivm.call<{ playback_url: string; device_id: string }>(
      'GET',
      `${base}?${new URLSearchParams({ ...times, [name]: 'HLS_DEV' })}`,
    );
    assert.equal(r.status, 200, name);
    assert.equal(r.body.device_id, '21A0123456SMY01');
    assert.ok(r.body.playback_url.length > 0);
  }
});
