import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { IvmApi } from '../../main/platforms/huawei-ivm/api';
import { IvmClient } from '../../main/platforms/huawei-ivm/client';
import { IvmStreamApi } from '../../main/platforms/huawei-ivm/streams';
import { IvmTargetApi } from '../../main/platforms/huawei-ivm/api-targets';
import { IvmRecordingApi } from '../../main/platforms/huawei-ivm/api-recording';

// Issue 4: the spec's example response bodies (part 1, chapters 4–9 and 16–19; the corrected
// versions where the source's JSON is broken; chapters 11, 14 and 15 from part 2) go through the
// client's own schemas — the real IvmClient, fed by a fetch that answers the example — and read
// back the values the tables say. Every request those calls send is checked against the
// document's method, path and example body (last tests). Chapters 10–13 are covered beside their
// code (huawei-ivm-push, huawei-ivm-resources).

interface Documented {
  body: unknown;
  /** The document's method, path template and (where its example is valid JSON) example request body. */
  request?: { method: string; path: string; fields: string[]; exampleBody?: unknown };
}
const examples = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, '../fixtures/huawei-ivm-examples.json'), 'utf8'),
) as Record<string, Documented>;
const body = (section: string) => {
  const e = examples[section];
  if (!e) throw new Error(`no example for §${section}`);
  return e.body;
};

type Sent = { method: string; url: string; body: unknown };
/** Every request each section's calls sent, checked against the document by the last test. */
const sentBySection: Array<{ section: string; seen: Sent[] }> = [];

/** An API whose every call (after the §4.1 token, answered with its own example) gets `reply`. */
function answering(section: string) {
  const seen: Sent[] = [];
  sentBySection.push({ section, seen });
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    const sent = init?.body ? JSON.parse(String(init.body)) : undefined;
    seen.push({ method: init?.method ?? 'GET', url, body: sent });
    const reply = url.endsWith('/enterprises/access-token') ? body('4.1') : body(section);
    return new Response(JSON.stringify(reply), { status: 200, headers: { 'Content-Type': 'application/json' } });
  }) as typeof fetch;
  const client = new IvmClient(
    { platform: 'huawei-ivm', endpoint: 'https://ivm.example', userId: '109012345678901', ak: 'AK' },
    'SK',
    fetchImpl,
  );
  return {
    api: new IvmApi(client),
    streams: new IvmStreamApi(client),
    targets: new IvmTargetApi(client),
    recording: new IvmRecordingApi(client),
    seen,
  };
}

test('§4.1 and §5: token, organizations, devices of an organization, group edits, moves, tree search', async () => {
  const t = answering('5.1');
  assert.equal((await t.api.client.accessToken()).length, 4, 'the masked token "****"');
  const orgs = await t.api.subOrgs('1234567890');
  assert.deepEqual([orgs[0]!.device_org_name, orgs[0]!.device_org_level, orgs[0]!.channel_count], ['3级分组', 3, 200]);

  const devices = await answering('5.2').api.orgDevices('1', { limit: 10, offset: 0 });
  assert.equal(devices.devices![0]!.channel_total, 1, '"1" read as a number');
  assert.deepEqual(devices.devices![0]!.channels![0]!.channel_resource_state?.slice(0, 1), ['MANAGEMENT_GRANT']);

  await answering('5.3').api.renameOrg('1', '组织名称');
  assert.equal(await answering('5.4').api.createOrg('新组', '0'), '1234567890****');
  await answering('5.5').api.deleteOrg('1');
  const moved = await answering('5.6').api.moveDevices('1', ['952352DJNR****', '952352LWXT****']);
  assert.deepEqual(
    moved.results.map((r) => r.result.code),
    ['IVM.0', 'IVM.10022035'],
  );
  const tree = await answering('5.7').api.searchOrgs('研发');
  assert.equal(tree[0]!.device_org_name, '研发');
  assert.equal(tree[0]!.is_result, 1);
  assert.ok(Array.isArray(tree[0]!.children));
});

test('§6–§7: device detail and list, GB gateway, edits, HOLO and GB adds, deletes, channels', async () => {
  const d = await answering('6.1').api.device('952352LWXT');
  assert.deepEqual([d.device_name, d.model, d.firmware, d.channel_total], ['测试设备', 'JVS-N71-HD', 'V1.0', 10]);
  const list = await answering('6.2').api.devices({ limit: 10, offset: 0 });
  assert.equal(list.total, 2);
  assert.equal(list.devices!.length, 2);
  const gw = await answering('6.3').api.gateway('952352LWXT');
  assert.equal(gw.sip_server_port, '5060', 'a number in the example, a String in the table');
  assert.equal((await answering('6.4').api.updateDevice('952352DJNR', { device_name: '测试设备' })).osd, 'osd测试');
  await answering('6.5').api.setGbAccount('952352DJNR', { device_username: 'admin' });
  assert.equal((await answering('6.6').api.addHoloDevice('952352LWXT', 'ABCD1234')).device_name, 'hauwei_sdc');
  const gb = await answering('6.7').api.addGbDevices([
    { device_id: '34020000001320000001', device_name: 'cam', device_password: 'Abcdef12!', algorithm: 'SHA256' },
  ]);
  assert.equal(gb.devices[0]!.sip_server_port, '5060');
  assert.equal((await answering('6.8').api.deleteDevices(['952352LWXT'])).devices[0]!.result.code, 'IVM.0');
  await answering('7.1').api.renameChannel('952352LWXT', '0', 'hahaha');
  const channels = await answering('7.2').api.channels({ limit: 10, offset: 0 });
  assert.equal(channels.total, 2, '"2" read as a number');
  assert.equal(channels.channels![0]!.channel_name, '龙岗通道1');
  const ch = await answering('7.3').api.channel('952352DJNR', '0');
  assert.deepEqual(ch.channel_resource_state, ['MANAGEMENT_GRANT', 'EVENT_RECORD_CLOSED', 'FULL_RECORD_CLOSED']);
});

test('§8–§9: PTZ control, unified and legacy media', async () => {
  assert.equal(await answering('8.1').api.controlLock('952352LWXT', '0'), '****');
  await answering('8.2').api.releaseLock('952352LWXT', '0');
  await answering('8.3').api.ptz('952352LWXT', '0', { direction: 'UP', control_lock: '****', speed: 5, mode: 'POINT' });

  const live = await answering('9.1').api.liveConnections({
    channels: [
      { device_id: '219123456CYP', channel_id: '0', live_protocol: 'HTTPS_FLV', stream_type: 'PRIMARY_STREAM' },
    ],
  });
  assert.equal(live.fail_num, 1);
  assert.equal(live.live_connections[0]!.result!.code, 'IVM.10026004', 'a per-item failure');
  const records = await answering('9.2').api.records('219123456CYP', '0', {
    start_time: '2023-03-20 09:00:00',
    end_time: '2023-03-20 10:00:00',
    record_position: 'CLOUD',
    limit: 10,
    offset: 0,
  });
  assert.equal(records.total, 6);
  assert.equal(records.records![0]!.start_time, '2023-03-20 09:30:00');
  const playback = await answering('9.3').api.playbackConnection('219123456CYP', '0', {
    playback_protocol: 'HOLO',
    start_time: '2023-03-20 09:30:00',
    end_time: '2023-03-20 09:40:00',
    record_position: 'CLOUD',
  });
  assert.match(playback.playback_connections.cloud_trans_connections!.playback_url!, /^jvmp:\/\//);
  await answering('9.4').api.revokeUrls(['https://123.123.123.123:20378/live/x.flv?token=1']);

  assert.equal(
    (
      await answering('9.5').api.legacyRecords('cloud', '952352LWXT', '0', {
        start_time: '2020-06-12 00:00:00',
        end_time: '2020-06-14 00:00:00',
      })
    ).records![0]!.record_name,
    '录像1',
  );
  assert.match(
    await answering('9.6').api.legacyPlaybackUrl('cloud', '952352LWXT', '0', {
      protocol: 'HOLO',
      start_time: '2020-06-12 17:31:00',
      end_time: '2020-06-12 18:31:00',
    }),
    /^holo:\/\//,
  );
  assert.equal(
    (
      await answering('9.7').api.legacyRecords('device', '952352LWXT', '0', {
        start_time: '2020-06-12 00:00:00',
        end_time: '2020-06-17 00:00:00',
      })
    ).records!.length,
    1,
  );
  assert.match(
    await answering('9.8').api.legacyPlaybackUrl('device', '952352LWXT', '0', {
      protocol: 'HOLO',
      start_time: '2020-06-12 17:31:00',
      end_time: '2020-06-12 18:31:00',
    }),
    /^holo:\/\//,
  );
  assert.match(
    await answering('9.9').api.legacyPlaybackUrl('device-web', '952352LWXT', '0', {
      protocol: 'HLS_DEV',
      start_time: '2020-06-12 17:31:00',
      end_time: '2020-06-12 18:31:00',
    }),
    /dev_vod\/vod\.m3u8/,
  );
  const legacyLive = await answering('9.10').api.legacyLiveUrls([
    { device_id: '952352LWXT', channel_id: '0', live_protocol: 'HOLO', stream_type: 'PRIMARY_STREAM' },
  ]);
  assert.equal(legacyLive.channels.length >= 2, true);
  assert.match(legacyLive.channels[1]!.live_url!, /live\.m3u8/);
  const p2pLive = await answering('9.11').api.p2pLive([
    { device_id: '952352LWXT', channel_id: '123', stream_type: 'PRIMARY_STREAM' },
  ]);
  assert.deepEqual(
    [
      p2pLive.p2p_connections[0]!.p2p_nodes[0]!.udp_port,
      p2pLive.p2p_connections[0]!.p2p_nodes[0]!.node_type,
      p2pLive.live_urls.length,
    ],
    [7050, 'BETTER', 2],
  );
  const p2pPlayback = await answering('9.12').api.p2pPlayback([
    { device_id: '952352LWXT', channel_id: '0', stream_type: 'PRIMARY_STREAM' },
  ]);
  assert.equal(p2pPlayback.failNum, 0, 'camelCase here');
  assert.equal(p2pPlayback.p2p_connections[1]!.start_time, '2022-05-31 00:00:00');
});

test('§16–§19: device password state, stream settings, target authorization, capability sets', async () => {
  assert.equal(await answering('16.1').api.securityKeyState('952352LWXT'), 'SET');
  await answering('16.2').api.setSecurityKey('952352LWXT', 'Abcdefg1');
  const detail = await answering('17.2').streams.detail('952352LWXT', '0');
  assert.equal(detail.stream_num, 2);
  assert.equal(detail.stream_info[0]!.encode_type, 'H.264');
  const auth = await answering('18.1').api.setTargetAuthorization('952352LWXT', 'OPENED', ['0']);
  assert.equal(auth.channels_result![0]!.channel_result, '0');
  assert.deepEqual(await answering('18.2').api.targetAuthorization('952352LWXT', '0'), {
    device_state: 'OPENED',
    channel_state: 'CLOSED',
  });
  const abilities = await answering('19.1').api.versionAbilities(
    [{ device_type: 'IPC', model: 'C3050-10-LI-PV(3.6mm)', firmware: 'SDC 10.0.RC11' }],
    ['ptz'],
  );
  assert.equal(abilities[0]!.abilities.ptz!.support, false);
  assert.equal(abilities[0]!.abilities.soundlightalarm!.support, false);
});

test('§11 (part 2): recorded stream, continuous plan, retention, motion plan; batch replies per channel', async () => {
  assert.equal(await answering('11.1').recording.recordConfig('952352LWXT', '0'), 'PRIMARY_STREAM');
  const ids = { device_id: '952352LWXT', channel_id: '0' };
  for (const [section, call] of [
    ['11.2', (a: IvmRecordingApi) => a.setRecordConfig([{ ...ids, stream_type: 'PRIMARY_STREAM' }])],
    ['11.4', (a: IvmRecordingApi) => a.setRecordPlans([{ ...ids, all_day: true }])],
    ['11.5', (a: IvmRecordingApi) => a.deleteRecordPlans([ids])],
    [
      '11.7',
      (a: IvmRecordingApi) =>
        a.setTimePolicies([{ ...ids, time_policies: [{ storage_days: 15, storage_type: 'PLAN_RECORD' }] }]),
    ],
    [
      '11.9',
      (a: IvmRecordingApi) =>
        a.setAlarmPlans([
          { ...ids, all_day: true, plans: [{ alarm_type: 'motion_detection', advance_time: 30, after_time: 15 }] },
        ]),
    ],
  ] as const) {
    const r = await call(answering(section).recording);
    assert.equal(r.failed, 0, section);
    assert.equal(r.channels[0]!.result.code, 'IVM.0', section);
  }
  const plan = await answering('11.3').recording.recordPlan('952352DJNR', '0');
  assert.deepEqual([plan.allDay, plan.uploadAfterOutage, plan.sections.length], [false, true, 3]);
  const policies = await answering('11.6').recording.timePolicy('952352LWXT', '0');
  assert.deepEqual(policies, [
    { storage_days: 15, storage_type: 'PLAN_RECORD' },
    { storage_days: 7, storage_type: 'MOTION_RECORD' },
  ]);
  const motion = await answering('11.8').recording.alarmPlan('952352LWXT', '0');
  assert.deepEqual(motion.plans, [{ alarm_type: 'motion_detection', advance_time: 30, after_time: 15 }]);
});

test('§14–§15 (part 2): target groups V1 (String ids) and V2 (Integer), targets, presets and cruise tracks', async () => {
  const groups = await answering('14.1').targets.groups('952352LWXT');
  assert.equal(groups.groups[0]!.name, 'ssre2d');
  assert.equal(await answering('14.2').targets.createGroup('952352LWXT', 'ssred', 'OTHER', 'v1'), 4, 'V1 answers "4"');
  assert.equal(await answering('14.3').targets.createGroup('952352LWXT', 'ssred', 'OTHER', 'v2'), 4);
  await answering('14.4').targets.modifyGroup(
    '952352LWXT',
    { group_id: 2, group_name: 'ssre223d', group_type: 'OTHER', enable: 'OPEN' },
    'v1',
  );
  await answering('14.5').targets.modifyGroup(
    '952352LWXT',
    { group_id: 2, group_name: 'ssre223d', group_type: 'OTHER', enable: 'OPEN' },
    'v2',
  );
  await answering('14.6').targets.deleteGroup('952352LWXT', 1, 'v1');
  await answering('14.7').targets.deleteGroup('952352LWXT', 1, 'v2');
  assert.equal((await answering('14.8').targets.byIds('952352LWXT', ['2']))[0]!.name, 'mark');
  assert.deepEqual(await answering('14.9').targets.ids('952352LWXT', 2, 0, 10), ['2']);
  assert.equal((await answering('14.10').targets.list('952352LWXT', 2, 0, 10))[0]!.native, '杭州');
  assert.equal(await answering('14.11').targets.count('952352LWXT', 2), 1);
  assert.equal(
    (await answering('14.12').targets.add('952352LWXT', 2, [{ name: 'mark' } as never]))[0]!.result.code,
    'IVM.0',
  );
  assert.equal(
    (await answering('14.13').targets.modify('952352LWXT', 2, [{ target_id: '2', name: 'mark' } as never]))[0]!
      .target_id,
    '2',
  );
  assert.equal((await answering('14.14').targets.remove('952352LWXT', 2, ['1']))[0]!.target_id, '1');

  assert.deepEqual(
    (await answering('15.1').api.presets('952352LWXT', '1')).map((p) => [p.preset_index, p.preset_name]),
    [[1, '1234']],
  );
  assert.equal(await answering('15.2').api.addPreset('952352LWXT', '1', '1234'), 1);
  await answering('15.3').api.deletePreset('952352LWXT', '1', 1);
  await answering('15.4').api.renamePreset('952352LWXT', '1', 1, '1234');
  await answering('15.5').api.moveToPreset('952352LWXT', '1', 1, '****');
  assert.deepEqual((await answering('15.6').api.cruises('952352LWXT', '1'))[0], {
    cruises_id: 1,
    cruises_name: '巡航轨迹名称',
    enable_cruise: 'OPEN',
  });
  const track = await answering('15.7').api.cruise('952352LWXT', '1', 1);
  assert.deepEqual(track.cruise_points, [{ preset_index: 1, dwell_time: 30, speed_level: 2 }]);
  assert.equal(
    await answering('15.8').api.addCruise('952352LWXT', '1', {
      name: '巡航轨迹名称',
      points: [{ preset_index: 1, dwell_time: 30, speed_level: 2 }],
    }),
    1,
  );
  await answering('15.9').api.deleteCruise('952352LWXT', '1', 1);
  await answering('15.10').api.updateCruise('952352LWXT', '1', 1, {
    name: '巡航轨迹名称',
    points: [{ preset_index: 1, dwell_time: 30, speed_level: 2 }],
  });
  await answering('15.11').api.enableCruise('952352LWXT', '1', 1, true);
});

test('the requests those calls sent use the documented paths and bodies', async () => {
  const t = answering('5.6');
  await t.api.moveDevices('1357', ['a', 'b']);
  const call = t.seen.at(-1)!;
  assert.equal(call.method, 'POST');
  assert.equal(new URL(call.url).pathname, '/v1/109012345678901/device-orgs/1357/move-devices');
  assert.deepEqual(call.body, { device_ids: ['a', 'b'] });
  const token = t.seen[0]!;
  assert.equal(new URL(token.url).pathname, '/v2/109012345678901/enterprises/access-token');
  assert.deepEqual(token.body, { ak: 'AK', sk: 'SK' });
});

/** The document's path template as a pattern: `{x}` is one path segment; the query part is not compared. */
function pathPattern(template: string): RegExp {
  const pathOnly = template.split('?')[0]!.replace(/\[.*$/, '');
  return new RegExp(`^${pathOnly.replace(/[.*+()]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
}

/**
 * Differences between a body we sent and the document's example: a field neither the example nor
 * the section's tables (`fields`) name, or a value of another JSON type than the example's (a number
 * sent where the document writes a string…). Objects in arrays are compared with the example's first element.
 */
function shapeProblems(sent: unknown, example: unknown, fields: string[], at = 'body'): string[] {
  const kind = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
  if (kind(sent) !== kind(example)) return [`${at} is ${kind(sent)}, the document's example has ${kind(example)}`];
  if (Array.isArray(sent) && Array.isArray(example))
    return example.length ? sent.flatMap((v, i) => shapeProblems(v, example[0], fields, `${at}[${i}]`)) : [];
  if (kind(sent) !== 'object') return [];
  const doc = example as Record<string, unknown>;
  return Object.entries(sent as Record<string, unknown>).flatMap(([k, v]) =>
    k in doc
      ? shapeProblems(v, doc[k], fields, `${at}.${k}`)
      : fields.includes(k)
        ? []
        : [`${at}.${k} is in neither the document's example nor its tables`],
  );
}

test('every request the calls above sent has the documented method and path, and a body shaped like the example', () => {
  let checked = 0;
  let bodies = 0;
  const problems: string[] = [];
  for (const { section, seen } of sentBySection) {
    const doc = examples[section]?.request;
    assert.ok(doc, `§${section}: the fixture has the document's request`);
    for (const call of seen.filter((c) => !c.url.endsWith('/enterprises/access-token'))) {
      checked++;
      const where = `§${section} ${call.method} ${new URL(call.url).pathname}`;
      if (call.method !== doc.method) problems.push(`${where}: the document says ${doc.method}`);
      if (!pathPattern(doc.path).test(new URL(call.url).pathname))
        problems.push(`${where}: the document's path is ${doc.path}`);
      if (doc.exampleBody !== undefined && call.body !== undefined) {
        bodies++;
        problems.push(...shapeProblems(call.body, doc.exampleBody, doc.fields).map((p) => `${where}: ${p}`));
      }
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(checked >= 70, `${checked} requests checked`);
  assert.ok(bodies >= 15, `${bodies} bodies compared with the document's examples`);
});

test("requests built from the document's example values equal the example bodies", async () => {
  const sent = async (section: string, call: (t: ReturnType<typeof answering>) => Promise<unknown>) => {
    const t = answering(section);
    await call(t);
    return t.seen.at(-1)!.body;
  };
  const doc = (section: string) => examples[section]!.request!.exampleBody;
  assert.deepEqual(await sent('5.3', (t) => t.api.renameOrg('1234567890***', '组织名称')), doc('5.3'));
  assert.deepEqual(await sent('5.4', (t) => t.api.createOrg('组织名称', '1234567890****')), doc('5.4'));
  assert.deepEqual(
    await sent('5.6', (t) => t.api.moveDevices('1234567890***', ['952352DJNR****', '952352LWXT****'])),
    doc('5.6'),
  );
  assert.deepEqual(
    await sent('6.7', (t) =>
      t.api.addGbDevices([
        {
          device_id: '952352LWXT***',
          device_name: 'DEVICE01',
          device_username: 'admin',
          device_password: '****',
          algorithm: 'MD5',
        },
      ]),
    ),
    doc('6.7'),
  );
  assert.deepEqual(await sent('6.8', (t) => t.api.deleteDevices(['952352LWXT***'])), doc('6.8'));
});

test('§9.2 query values are percent-encoded: the time’s space is %20 (not +) and its colons survive decoding (Part F 12)', async () => {
  const { api, seen } = answering('9.2');
  await api.records('952352LWXT', '0', {
    start_time: '2023-03-20 09:30:00',
    end_time: '2023-03-20 19:30:00',
    record_position: 'CLOUD',
    record_type: 'NORMAL_RECORD',
    limit: 2,
    offset: 0,
  });
  const call = seen.find((c) => c.url.includes('/media/records'))!;
  const raw = call.url.split('?')[1]!;
  assert.ok(!raw.includes('+'), raw);
  assert.match(raw, /start_time=2023-03-20%2009%3A30%3A00/);
  // A strict decoder (no '+' rule) reads the document's value back.
  const pairs = Object.fromEntries(raw.split('&').map((p) => p.split('=').map(decodeURIComponent) as [string, string]));
  assert.equal(pairs.end_time, '2023-03-20 19:30:00');
});

test('§9.9 the client sends the protocol under both of the document’s names (table: protocol; examples: playback_protocol)', async () => {
  const { api, seen } = answering('9.9');
  await api.legacyPlaybackUrl('device-web', '952352LWXT', '0', {
    protocol: 'HLS_DEV',
    start_time: '2021-12-04 15:09:00',
    end_time: '2021-12-04 15:10:00',
  });
  const q = new URL(seen.find((c) => c.url.includes('web-playback-url'))!.url).searchParams;
  assert.equal(q.get('protocol'), 'HLS_DEV');
  assert.equal(q.get('playback_protocol'), 'HLS_DEV');
});
