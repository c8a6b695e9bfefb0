import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { readSheet, writeSheet } from '../../main/formats/sheets';
import { randomUUID } from 'node:crypto';
import { rejectsWithCode } from '../helpers/platform';
import { after, before, describe, test } from 'node:test';
import { type AppError } from '../../main/errors';
import { TencentIvcPlatform } from '../../main/platforms/tencent-ivc';
import { PlansService } from '../../main/services/plans';
import type { AccountsService } from '../../main/services/accounts';
import { IvcApi } from '../../main/platforms/tencent-ivc/api';
import { IvcClient, type IvcConfig } from '../../main/platforms/tencent-ivc/client';
import { isTransient } from '../../main/platforms/errors';
import { organizationTree, parsePlaybackSession, splitByChinaDay } from '../../main/platforms/tencent-ivc/map';
import { keyTimeFor, sign } from '../../main/platforms/tencent-ivc/sign';
import { IvcEmulator } from '../emulators/tencent-ivc/emulator';

// Tencent IVC client against its emulator over real HTTP on loopback (no media attached here;
// recordings are exercised where the media simulator runs).

let emu: IvcEmulator;
let api: IvcApi;
let config: IvcConfig;

before(async () => {
  emu = await new IvcEmulator({ registerAfterMs: 50 }).start();
  config = {
    platform: 'tencent-ivc',
    endpoint: emu.baseUrl,
    appId: emu.credentials.appId,
    secretId: emu.credentials.secretId,
  };
  api = new IvcApi(new IvcClient(config, emu.credentials.secretKey));
});
after(() => emu.stop());

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** IVC codes are numbers; the vendorCode is their text. */
const rejects = (p: Promise<unknown>, code: number) => rejectsWithCode(p, String(code));

async function topOrg() {
  return (await api.listOrganizations()).find((o) => o.Name === '总部')!;
}

describe('signature', () => {
  test('a correct signature over host passes; a wrong key, an expired key time and a missing header fail as documented', async () => {
    assert.ok((await api.listOrganizations()).length >= 5);
    await rejects(new IvcApi(new IvcClient(config, 'wrong-key')).listOrganizations(), 41602);
    const past = new IvcApi(new IvcClient(config, emu.credentials.secretKey, fetch, () => Date.now() - 3600_000));
    await rejects(past.listOrganizations(), 41601);
    const url = new URL(`${emu.baseUrl}/ivc/cms/organization/query`);
    const signed = sign({
      method: 'GET',
      pathname: url.pathname,
      query: {},
      headers: { host: url.host, 'x-custom': 'v' },
      secretId: emu.credentials.secretId,
      secretKey: emu.credentials.secretKey,
      keyTime: keyTimeFor(Date.now() / 1000, 60),
    });
    const missing = await (await fetch(url, { headers: { Authorization: signed.authorization } })).json();
    assert.equal((missing as { StatusCode: number }).StatusCode, 41602);
    const withHeader = await (
      await fetch(url, { headers: { Authorization: signed.authorization, 'x-custom': 'v' } })
    ).json();
    assert.equal((withHeader as { StatusCode: number }).StatusCode, 200);
  });

  test('query parameters are signed; changing one after signing is refused', async () => {
    const url = new URL(`${emu.baseUrl}/ivc/urm/resource/getUserResources`);
    const org = (await topOrg()).Id;
    const signed = sign({
      method: 'GET',
      pathname: url.pathname,
      query: { OrganizationId: String(org), PageSize: '5' },
      headers: { host: url.host },
      secretId: emu.credentials.secretId,
      secretKey: emu.credentials.secretKey,
      keyTime: keyTimeFor(Date.now() / 1000, 60),
    });
    const tampered = await (
      await fetch(`${url}?OrganizationId=${org}&PageSize=50`, { headers: { Authorization: signed.authorization } })
    ).json();
    assert.equal((tampered as { StatusCode: number }).StatusCode, 41602);
  });

  test('test connection: ok with the right key, a clear failure without leaking the key', async () => {
    const ok = await new TencentIvcPlatform(config, emu.credentials.secretKey).testConnection();
    assert.equal(ok.status, 'ok', ok.message);
    const bad = await new TencentIvcPlatform(config, 'not-the-key').testConnection();
    assert.equal(bad.status, 'failed');
    assert.match(bad.message, /41602/);
    assert.match(bad.message, /Invalid token/);
    assert.doesNotMatch(bad.message, /not-the-key/);
  });
});

describe('service configuration', () => {
  test('service nodes, CNAME, ICP check, domains (add/duplicate/update/delete), stream auth', async () => {
    const nodes = await api.listAllRegions();
    assert.equal(nodes.length, 3);
    const free = nodes[1]!.Value;
    const cname = await api.getCname(free);
    assert.match(cname, /\.play-iss\./);
    assert.equal(await api.checkDomainRecord({ PlayDomain: 'cam.example.cn', InternalDomain: cname }), true);
    const key = new Blob(['key']);
    const cert = new Blob(['cert']);
    await rejects(
      api.addDomain({ PlayDomain: 'x.unfiled.example', InternalDomain: cname, ClusterId: free, Key: key, Cert: cert }),
      41609,
    );
    const d = await api.addDomain({
      PlayDomain: 'cam.example.cn',
      InternalDomain: cname,
      ClusterId: free,
      Key: key,
      Cert: cert,
    });
    assert.equal(d.HaveCert, 1);
    await rejects(
      api.addDomain({ PlayDomain: 'cam2.example.cn', InternalDomain: cname, ClusterId: free, Key: key, Cert: cert }),
      41618,
    );
    await api.updateDomain({ Id: d.Id, Key: key, Cret: cert });
    assert.ok((await api.listUserRegions()).some((r) => r.Value === free));
    await api.deleteDomain(d.Id);
    assert.ok(!(await api.listDomains()).some((x) => x.Id === d.Id));
    const auth = await api.getAuthStream();
    const set = await api.setAuthStream({ ...auth, PullState: 1, PullSecret: 'abc123', PullExpired: 30 });
    assert.equal(set.PullState, 1);
    await rejects(api.setAuthStream({ ...auth, PullSecret: 'way-too-long-secret' }), 40001);
    await api.setAuthStream({ ...auth, PullState: 0, PullSecret: '', PullExpired: 0 });
  });
});

describe('organizations', () => {
  test('add, duplicate name, rename, tree, delete rules', async () => {
    const hq = await topOrg();
    const o = await api.addOrganization({ Name: '三号楼', ParentId: String(hq.Id) });
    assert.equal(o.Level, hq.Level + 1);
    await rejects(api.addOrganization({ Name: '三号楼', ParentId: '0' }), 41613);
    await rejects(api.addOrganization({ Name: 'name with spaces!', ParentId: '0' }), 41624);
    await api.renameOrganization({ Id: String(o.Id), Name: '三号楼B' });
    const tree = organizationTree(await api.listOrganizations());
    const hqNode = tree.find((n) => n.name === '总部')!;
    assert.ok(hqNode.children.some((c) => c.name === '三号楼B'));
    await rejects(api.deleteOrganization(String(hq.Id)), 41607);
    const b1 = (await api.listOrganizations()).find((x) => x.Name === '一号楼')!;
    await rejects(api.deleteOrganization(String(b1.Id)), 41608);
    await api.deleteOrganization(String(o.Id));
  });
});

describe('devices', () => {
  test('add a GB device, watch it register, read SIP settings, update, disable, move, delete', async () => {
    const org = (await api.listOrganizations()).find((x) => x.Name === '一号楼')!;
    const cluster = (await api.listUserRegions())[0]!.Value;
    await rejects(
      api.addDevice({
        Name: 'cam',
        AccessProtocol: 2,
        Type: 1,
        Password: 'abc',
        OrganizationId: String(org.Id),
        ClusterId: cluster,
      }),
      41626,
    );
    await rejects(
      api.addDevice({ Name: 'cam', AccessProtocol: 1, Type: 2, OrganizationId: String(org.Id), ClusterId: cluster }),
      40003,
    );
    await rejects(
      api.addDevice({
        Name: 'cam',
        AccessProtocol: 3 as 1,
        Type: 1,
        OrganizationId: String(org.Id),
        ClusterId: cluster,
      }),
      40002,
    );
    const d = await api.addDevice({
      Name: '新球机',
      AccessProtocol: 2,
      Type: 1,
      TransportProtocol: 2,
      Password: '12345678',
      Description: '测试',
      OrganizationId: String(org.Id),
      ClusterId: cluster,
    });
    assert.equal(d.Status, 0);
    assert.match(d.Code, /^\d{20}$/);
    await wait(120);
    const detail = await api.describeDevice(d.Id);
    assert.equal(detail.Status, 1);
    assert.match(detail.SipId!, /^\d{20}$/);
    assert.match(detail.SipDomain!, /^\d{10}$/);
    const updated = await api.updateDevice(d.Id, { Name: '新球机2', Password: '87654321' });
    assert.equal(updated.Name, '新球机2');
    const mismatch = await new IvcClient(config, emu.credentials.secretKey)
      .call((await import('zod')).z.unknown(), {
        method: 'PUT',
        path: '/ivc/cms/device/update',
        query: { Id: d.Id },
        body: { Id: randomUUID() },
        what: 'x',
      })
      .catch((e: AppError) => e);
    assert.equal((mismatch as AppError).details?.vendorCode, '40001');
    const [ch] = await api.listChannels(d.Id);
    await api.setDeviceStatus(d.Id, 3);
    await rejects(api.liveUrls({ ChannelId: ch!.ChannelId }), 41621);
    await api.setDeviceStatus(d.Id, 2);
    await rejects(api.liveUrls({ ChannelId: ch!.ChannelId }), 41617);
    const b2 = (await api.listOrganizations()).find((x) => x.Name === '二号楼')!;
    await api.moveDevices([d.Id], String(b2.Id));
    assert.equal((await api.describeDevice(d.Id)).OrganizationId, String(b2.Id));
    await api.deleteDevice(d.Id);
    await rejects(api.describeDevice(d.Id), 42206);
  });

  test('device list: organization, sub-levels, filters and 1-based paging', async () => {
    const hq = await topOrg();
    const direct = await api.listDevices({ OrganizationId: String(hq.Id) });
    const all = await api.listDevices({ OrganizationId: String(hq.Id), IsContainSubLevel: true });
    assert.ok(all.TotalCount > direct.TotalCount);
    const online = await api.listDevices({ OrganizationId: String(hq.Id), IsContainSubLevel: true, Status: 1 });
    assert.ok(online.List.every((d) => d.Status === 1));
    const p1 = await api.listDevices({
      OrganizationId: String(hq.Id),
      IsContainSubLevel: true,
      PageNumber: 1,
      PageSize: 2,
    });
    const p2 = await api.listDevices({
      OrganizationId: String(hq.Id),
      IsContainSubLevel: true,
      PageNumber: 2,
      PageSize: 2,
    });
    assert.equal(p1.List.length, 2);
    assert.notEqual(p1.List[0]!.Id, p2.List[0]!.Id);
    const kw = await api.listDevices({ OrganizationId: String(hq.Id), IsContainSubLevel: true, Keyword: '大门' });
    assert.deepEqual(
      kw.List.map((d) => d.Name),
      ['大门球机'],
    );
  });

  test('import: the E27 template filled in, checked (41614/41616), imported with progress, per-row results in E26; export E28', async () => {
    const org = (await api.listOrganizations()).find((x) => x.Name === '门店A')!;
    const template = await readSheet(await api.importTemplate(2));
    assert.deepEqual(template?.header, ['设备名称', '设备类型', '传输协议', '设备密码', '服务节点', '描述']);
    const rows = [
      ['导入1', '1', 'UDP', '123456', '', ''],
      ['导入2', '2', 'TCP', '12345678', '', '二楼 NVR'],
      ['bad name!', '1', 'UDP', '123456', '', ''],
      ['导入3', '1', 'UDP', '12', '', ''],
    ];
    const upload = async (file: Buffer) => {
      const JobId = randomUUID();
      await api.importDevices({
        JobId,
        AccessProtocol: '2',
        OrganizationId: String(org.Id),
        File: new Blob([new Uint8Array(file)]),
      });
      return JobId;
    };
    const JobId = await upload(await writeSheet(template!.header, rows));
    let progress = await api.importProgress(JobId);
    for (let i = 0; i < 40 && progress.State !== 1; i++) {
      await wait(50);
      progress = await api.importProgress(JobId);
    }
    assert.deepEqual(
      { State: progress.State, Total: progress.Total, Succeed: progress.Succeed, Failed: progress.Failed },
      { State: 1, Total: 4, Succeed: 2, Failed: 2 },
    );
    const result = await readSheet(await api.importResult(JobId));
    assert.deepEqual(result!.header.slice(-2), ['导入结果', '失败原因']);
    assert.deepEqual(
      result!.rows.map((r) => r[6]),
      ['成功', '成功', '失败', '失败'],
    );
    await rejects(upload(await writeSheet(['名称', '类型'], [['x', '1']])), 41614);
    await rejects(upload(Buffer.from('name,type\nx,1')), 41614);
    const two = new ExcelJS.Workbook();
    two.addWorksheet('a').addRow(template!.header);
    two.addWorksheet('b');
    await rejects(upload(Buffer.from(await two.xlsx.writeBuffer())), 41616);
    const exported = await readSheet(
      await api.exportDevices({ OrganizationId: String(org.Id), IsContainSubLevel: true }),
    );
    assert.ok(exported!.rows.some((r) => r[0] === '导入1'));
  });
});

describe('PTZ and presets', () => {
  test('PTZ commands reach the emulator; presets set, list, goto and delete within 1–10', async () => {
    const dev = (
      await api.listDevices({ OrganizationId: String((await topOrg()).Id), IsContainSubLevel: true, Keyword: '大门' })
    ).List[0]!;
    const [ch] = await api.listChannels(dev.Id);
    assert.equal(ch!.PtzType, 1);
    await api.ptz({ ChannelId: ch!.ChannelId, Type: 'left', Speed: 9 });
    const last = emu.controlLog.at(-1)!;
    assert.equal(last.body.Type, 'left');
    assert.equal(last.body.Speed, 4, 'out-of-range speed becomes 4');
    await rejects(api.ptz({ ChannelId: ch!.ChannelId, Type: 'stop' as 'up', Speed: 3 }), 40001);
    await api.preset({ ChannelId: ch!.ChannelId, Cmd: 'set', Index: 3 });
    assert.deepEqual(await api.listPresets(ch!.ChannelId), [{ Index: 3, Name: '3' }]);
    await api.preset({ ChannelId: ch!.ChannelId, Cmd: 'goto', Index: 3 });
    await rejects(api.preset({ ChannelId: ch!.ChannelId, Cmd: 'goto', Index: 4 }), 40001);
    await rejects(api.preset({ ChannelId: ch!.ChannelId, Cmd: 'set', Index: 11 }), 40001);
    await api.preset({ ChannelId: ch!.ChannelId, Cmd: 'del', Index: 3 });
    assert.deepEqual(await api.listPresets(ch!.ChannelId), []);
  });
});

describe('live and playback', () => {
  test('live URLs for GB (ChannelId) and RTMP (DeviceId); StreamType with Resolution is refused', async () => {
    const list = (await api.listDevices({ OrganizationId: '0', IsContainSubLevel: true, Status: 1, PageSize: 100 }))
      .List;
    const gb = list.find((d) => d.AccessProtocol === 2)!;
    const [ch] = await api.listChannels(gb.Id);
    const urls = await api.liveUrls({ ChannelId: ch!.ChannelId, StreamType: 2 });
    assert.match(urls.Flv, /\.live\.flv\?stream_type=2/);
    assert.match(urls.Hls, /\.m3u8/);
    await rejects(api.liveUrls({ ChannelId: ch!.ChannelId, StreamType: 1, Resolution: '3' }), 41633);
    const rtmp = list.find((d) => d.AccessProtocol === 1)!;
    assert.ok((await api.liveUrls({ DeviceId: rtmp.Id })).Flv);
    await rejects(api.liveUrls({ DeviceId: gb.Id }), 40001);
  });

  test('E32 "DeviceId … rtmp 设备必传": live view of an RTMP channel through the platform sends DeviceId with ChannelId', async () => {
    const list = (await api.listDevices({ OrganizationId: '0', IsContainSubLevel: true, Status: 1, PageSize: 100 }))
      .List;
    const platform = new TencentIvcPlatform(config, emu.credentials.secretKey);
    for (const d of [list.find((x) => x.AccessProtocol === 1)!, list.find((x) => x.AccessProtocol === 2)!]) {
      const [ch] = await api.listChannels(d.Id);
      const source = await platform.liveSource(`ch:${d.Id}:${ch!.ChannelId}`, 'sub');
      assert.equal(source.protocol, 'flv');
      const sent = emu.server.callsTo('POST', /^\/ivc\/cms\/control\/stream$/).at(-1)!;
      assert.deepEqual(sent.body, { DeviceId: d.Id, ChannelId: ch!.ChannelId, StreamType: 2 });
    }
  });

  test('time ranges: at most one day, not across a UTC+8 midnight; start after end refused', async () => {
    const ch = (await api.allPlannedChannels()).List[0]!;
    const dev = (
      await api.realtimePlanChannels({
        PlanId: (await api.listRealtimePlans())[0]!.PlanId,
        PageNumber: 1,
        PageSize: 100,
      })
    ).List.find((x) => x.ChannelId === ch)!;
    const now = Math.floor(Date.now() / 1000);
    const [day] = splitByChinaDay(now - 600, now);
    const t = await api.cloudTimeline({ DeviceId: dev.DeviceId, ChannelId: ch, StartTime: day![0], EndTime: day![1] });
    assert.deepEqual(t.List, [], 'no media simulator attached: no footage');
    await rejects(
      api.cloudTimeline({ DeviceId: dev.DeviceId, ChannelId: ch, StartTime: now, EndTime: now - 10 }),
      41611,
    );
    const midnight = Math.floor((now + 8 * 3600) / 86400) * 86400 - 8 * 3600;
    await rejects(
      api.cloudTimeline({ DeviceId: dev.DeviceId, ChannelId: ch, StartTime: midnight - 60, EndTime: midnight + 60 }),
      40001,
    );
    assert.deepEqual(splitByChinaDay(midnight - 60, midnight + 60), [
      [midnight - 60, midnight - 1],
      [midnight, midnight + 60],
    ]);
  });

  test('device playback session parsing and control rules', async () => {
    assert.deepEqual(
      parsePlaybackSession(
        'http://192.168.0.201:18080/live/5c46860f-8e2e-41bd-be5f-a5e47cab08df@c451066b-bc6d-46ba-86cd-53fc3c7c1d7c.live.flv?start=1656604800&end=1656608400&stream_type=1&resolution=6',
      ),
      {
        channelId: '5c46860f-8e2e-41bd-be5f-a5e47cab08df',
        session: 'c451066b-bc6d-46ba-86cd-53fc3c7c1d7c',
      },
    );
    assert.equal(parsePlaybackSession('https://d/live/a@b')?.session, 'b');
    const ch = (await api.allPlannedChannels()).List[0]!;
    await rejects(api.devicePlaybackControl({ ChannelId: ch, Session: randomUUID(), Action: 'play' }), 40006);
  });
});

describe('plans and templates', () => {
  test('templates: validation codes, modify, delete rules', async () => {
    await rejects(
      api.addRealtimeTemplate({
        TemplateName: 'bad',
        TimeSections: [{ DayOfWeek: 1, StartTime: '20:30:00', EndTime: '23:400:00' }],
      }),
      43403,
    );
    await rejects(
      api.addRealtimeTemplate({
        TemplateName: 'bad',
        TimeSections: [{ DayOfWeek: 8, StartTime: '08:00:00', EndTime: '12:00:00' }],
      }),
      43402,
    );
    await rejects(
      api.addRealtimeTemplate({
        TemplateName: 'bad',
        TimeSections: [{ DayOfWeek: 1, StartTime: '08:00:00', EndTime: '08:05:00' }],
      }),
      43405,
    );
    await rejects(
      api.addRealtimeTemplate({
        TemplateName: 'bad',
        TimeSections: [{ DayOfWeek: 1, StartTime: '12:00:00', EndTime: '08:00:00' }],
      }),
      43404,
    );
    const t = await api.addRealtimeTemplate({
      TemplateName: '工作日',
      TimeSections: [{ DayOfWeek: 1, StartTime: '08:00:00', EndTime: '18:00:00' }],
    });
    await rejects(
      api.addRealtimeTemplate({
        TemplateName: '工作日',
        TimeSections: [{ DayOfWeek: 2, StartTime: '08:00:00', EndTime: '18:00:00' }],
      }),
      43410,
    );
    const m = await api.modifyRealtimeTemplate(t.TemplateId, {
      TimeSections: [{ DayOfWeek: 2, StartTime: '01:00:00', EndTime: '01:10:00' }],
    });
    assert.equal(m.TimeSections[0]!.DayOfWeek, 2);
    const used = (await api.listRealtimePlans())[0]!.TemplateId;
    await rejects(api.deleteRealtimeTemplate(used), 43409);
    await api.deleteRealtimeTemplate(t.TemplateId);
    await rejects(
      api.addBackupTemplate({
        TemplateName: '上云',
        TimeSections: [{ DayOfWeek: 1, StartTime: '01:00:00', EndTime: '01:30:00' }],
        DevTimeSections: [{ DayOfWeek: 1, StartTime: '08:00:00', EndTime: '12:00:00' }],
        Scale: 4,
      }),
      43408,
    );
    await rejects(
      api.addBackupTemplate({
        TemplateName: '上云',
        TimeSections: [{ DayOfWeek: 1, StartTime: '01:00:00', EndTime: '02:10:00' }],
        DevTimeSections: [{ DayOfWeek: 1, StartTime: '08:00:00', EndTime: '12:00:00' }],
        Scale: 3 as 4,
      }),
      43412,
    );
    const b = await api.addBackupTemplate({
      TemplateName: '上云',
      TimeSections: [{ DayOfWeek: 1, StartTime: '01:00:00', EndTime: '02:10:00' }],
      DevTimeSections: [{ DayOfWeek: 1, StartTime: '08:00:00', EndTime: '12:00:00' }],
      Scale: 4,
    });
    assert.equal(b.Scale, 4);
    assert.match(b.CreateAt!, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  test('real-time plans: one plan per channel, Del before Add, channel listings and counts', async () => {
    const tpl = (await api.listRealtimeTemplates())[0]!.TemplateId;
    const store = (await api.listOrganizations()).find((x) => x.Name === '门店A')!;
    const devices = (await api.listDevices({ OrganizationId: String(store.Id) })).List;
    const channels = (
      await Promise.all(
        devices
          .filter((d) => d.AccessProtocol !== 3)
          .map(async (d) => (await api.listChannels(d.Id)).map((c) => ({ DeviceId: d.Id, ChannelId: c.ChannelId }))),
      )
    ).flat();
    const planned = (await api.allPlannedChannels()).List;
    await rejects(
      api.addRealtimePlan({ TemplateId: tpl, PlanName: '重点区域', LifeCycle: { Transition: 1, Expiration: 0 } }),
      43411,
    );
    await rejects(
      api.addRealtimePlan({ TemplateId: tpl, PlanName: 'p', LifeCycle: { Transition: 1, Expiration: 30 } }),
      40001,
    );
    const p = await api.addRealtimePlan({
      TemplateId: tpl,
      PlanName: '门店计划',
      StreamType: 'sub',
      LifeCycle: { Transition: 7, Expiration: 60 },
      Channels: channels.slice(0, 1),
    });
    const count = await api.countUnplannedChannels([String(store.Id)]);
    assert.equal(count.NotInPlanCount, count.TotalCount - 1);
    const inPlan = (
      await api.organizationChannels({ OrganizationId: String(store.Id), PageNumber: 1, PageSize: 50 })
    ).List.filter((c) => c.InPlan);
    assert.equal(inPlan.length, 1);
    const otherPlanChannel = { DeviceId: 'x', ChannelId: planned[0]! };
    await rejects(
      api.modifyRealtimePlan(p.PlanId, {
        Add: [
          {
            ...otherPlanChannel,
            DeviceId: (
              await api.realtimePlanChannels({
                PlanId: (await api.listRealtimePlans())[0]!.PlanId,
                PageNumber: 1,
                PageSize: 1,
              })
            ).List[0]!.DeviceId,
          },
        ],
      }),
      42205,
    );
    await api.modifyRealtimePlan(p.PlanId, { Del: [channels[0]!.ChannelId], Add: channels.slice(1, 3) });
    const page = await api.realtimePlanChannels({ PlanId: p.PlanId, PageNumber: 1, PageSize: 10 });
    assert.equal(page.TotalCount, 2);
    assert.ok(page.List.every((c) => c.OrganizationName === '门店A'));
    await api.deleteRealtimePlan(p.PlanId);
    assert.equal((await api.getRealtimePlan(p.PlanId)).Status, 0, 'being deleted');
  });

  test('recording-upload plans refuse RTMP channels; listing all plans with an empty PlanId', async () => {
    const tpl = await api.addBackupTemplate({
      TemplateName: '夜间上云',
      TimeSections: [{ DayOfWeek: 3, StartTime: '01:00:00', EndTime: '05:00:00' }],
      DevTimeSections: [{ DayOfWeek: 3, StartTime: '08:00:00', EndTime: '12:00:00' }],
      Scale: 1,
    });
    const devices = (await api.listDevices({ OrganizationId: '0', IsContainSubLevel: true, PageSize: 100 })).List;
    const rtmp = devices.find((d) => d.AccessProtocol === 1)!;
    const gb = devices.find((d) => d.AccessProtocol === 2)!;
    const rtmpCh = (await api.listChannels(rtmp.Id))[0]!;
    await rejects(
      api.addBackupPlan({
        TemplateId: tpl.TemplateId,
        PlanName: '备份',
        LifeCycle: { Transition: 1, Expiration: 0 },
        Channels: [{ DeviceId: rtmp.Id, ChannelId: rtmpCh.ChannelId }],
      }),
      40002,
    );
    const gbCh = (await api.listChannels(gb.Id))[0]!;
    const p = await api.addBackupPlan({
      TemplateId: tpl.TemplateId,
      PlanName: '备份',
      LifeCycle: { Transition: 1, Expiration: 0 },
      Channels: [{ DeviceId: gb.Id, ChannelId: gbCh.ChannelId }],
    });
    const all = await api.backupPlanChannels({ PlanId: '', PageNumber: 1, PageSize: 10 });
    assert.equal(all.TotalCount, 1);
    const mod = await api.modifyBackupPlan(p.PlanId, { Describe: '说明' });
    assert.equal((mod as { ChannelCount?: number }).ChannelCount, 1);
    assert.equal((await api.getBackupPlan(p.PlanId)).Describe, '说明');
  });
});

describe('cloud plans through the plans service (what the Plans page calls)', () => {
  test('create with channels, list with counts and holders, move channels, refuse a held channel before sending, delete', async () => {
    const platform = new TencentIvcPlatform(config, emu.credentials.secretKey);
    const plans = new PlansService({ platform: async () => platform } as unknown as AccountsService);
    const before = await plans.cloudPlans('a');
    const seeded = before.plans.find((p) => p.name === '重点区域')!;
    assert.equal(seeded.channels, before.planned.filter((x) => x.planId === seeded.id).length);
    assert.ok(seeded.channels > 0 && seeded.active);
    const held = before.planned[0]!.channel;
    const free = (await platform.tree())
      .filter((n) => n.kind === 'channel' && !before.planned.some((x) => x.channel === n.id))
      .map((n) => n.id);
    const base = {
      name: '夜班计划',
      describe: '',
      templateId: before.templates[0]!.id,
      stream: 'sub' as const,
      hotDays: 30,
      coldDays: 0,
      remove: [],
      organizations: [],
    };

    // By name, not by count: an earlier test's deletion (the emulator removes a plan 300 ms later) may land meanwhile.
    const named = (name: string) => [...emu.realtimePlans.values()].filter((p) => p.PlanName === name).length;
    await assert.rejects(
      plans.saveCloudPlan('a', 'realtime', { ...base, add: [free[0]!, held] }),
      /already record under another plan: .*重点区域/,
    );
    await assert.rejects(
      plans.saveCloudPlan('a', 'realtime', { ...base, name: '重点区域', add: [] }),
      /already exists/,
    );
    assert.deepEqual([named('夜班计划'), named('重点区域')], [0, 1], 'nothing was created');

    const created = await plans.saveCloudPlan('a', 'realtime', { ...base, add: free.slice(0, 2) });
    const mine = created.plans.find((p) => p.name === '夜班计划')!;
    assert.deepEqual(
      { stream: mine.stream, hot: mine.hotDays, cold: mine.coldDays, n: mine.channels },
      { stream: 'sub', hot: 30, cold: 0, n: 2 },
    );
    const stored = emu.realtimePlans.get(mine.id)!;
    assert.deepEqual(stored.LifeCycle, { Transition: 30, Expiration: 0 });
    assert.deepEqual(
      [...stored.channels.keys()].sort(),
      free
        .slice(0, 2)
        .map((c) => c.split(':')[2])
        .sort(),
    );

    // Taking a channel out and adding another, renaming and changing the lifecycle in one change.
    const moved = await plans.saveCloudPlan('a', 'realtime', {
      ...base,
      id: mine.id,
      name: '夜班计划2',
      coldDays: 90,
      remove: [free[0]!],
      add: [free[2]!],
    });
    const after = moved.plans.find((p) => p.id === mine.id)!;
    assert.deepEqual(
      { name: after.name, cold: after.coldDays, n: after.channels },
      { name: '夜班计划2', cold: 90, n: 2 },
    );
    assert.deepEqual(
      (await plans.cloudPlanChannels('a', 'realtime', mine.id)).channels.map((c) => c.id).sort(),
      [free[1]!, free[2]!].sort(),
    );
    // A channel taken out of one plan may join it again in the same change (Del before Add).
    await plans.saveCloudPlan('a', 'realtime', {
      ...base,
      id: mine.id,
      name: '夜班计划2',
      remove: [free[1]!],
      add: [free[1]!],
    });

    const gone = await plans.deleteCloudPlan('a', 'realtime', mine.id);
    assert.equal(gone.plans.find((p) => p.id === mine.id)?.active ?? false, false, 'being deleted, then gone');
    await assert.rejects(
      plans.saveCloudPlan('a', 'realtime', { ...base, id: mine.id, add: [] }),
      /gone or being deleted/,
    );
  });
});

describe('upload plans through the plans service', () => {
  test('an upload template (upload windows, device recordings, speed) and a plan of GB channels; an RTMP channel is the platform’s refusal', async () => {
    const platform = new TencentIvcPlatform(config, emu.credentials.secretKey);
    const plans = new PlansService({ platform: async () => platform } as unknown as AccountsService);
    const week = (day: number, start: string, end: string) => ({ day, start, end });
    await assert.rejects(
      plans.saveTemplate('a', 'upload', undefined, { name: '夜传', sections: [week(1, '01:00:00', '05:00:00')] }),
      /device recordings to upload/,
    );
    const templates = await plans.saveTemplate('a', 'upload', undefined, {
      name: '夜传',
      sections: [week(1, '00:00:00', '06:00:00')],
      devSections: [week(1, '08:00:00', '18:00:00')],
      scale: 2,
    });
    const tpl = templates.templates.find((t) => t.name === '夜传')!;
    assert.deepEqual({ dev: tpl.devSections, scale: tpl.scale }, { dev: [week(1, '08:00:00', '18:00:00')], scale: 2 });
    assert.equal([...emu.backupTemplates.values()].find((t) => t.TemplateName === '夜传')?.Scale, 2);
    assert.ok(
      !(await plans.templates('a', 'realtime')).templates.some((t) => t.name === '夜传'),
      'the two families are apart',
    );

    const devices = (await api.listDevices({ OrganizationId: '0', IsContainSubLevel: true, PageSize: 100 })).List;
    const gb = devices.filter((d) => d.AccessProtocol === 2)[1]!;
    const rtmp = devices.find((d) => d.AccessProtocol === 1)!;
    const gbCh = `ch:${gb.Id}:${(await api.listChannels(gb.Id))[0]!.ChannelId}`;
    const rtmpCh = `ch:${rtmp.Id}:${(await api.listChannels(rtmp.Id))[0]!.ChannelId}`;
    const base = {
      name: '设备录像上云',
      describe: '',
      templateId: tpl.id,
      stream: 'default' as const,
      hotDays: 7,
      coldDays: 0,
      remove: [],
      organizations: [],
    };
    await assert.rejects(
      plans.saveCloudPlan('a', 'upload', { ...base, add: [rtmpCh] }),
      (e: AppError) => e.details?.vendorCode === '40002',
    );
    const after = await plans.saveCloudPlan('a', 'upload', { ...base, add: [gbCh] });
    const mine = after.plans.find((p) => p.name === '设备录像上云')!;
    assert.deepEqual(
      {
        stream: mine.stream,
        n: mine.channels,
        planned: after.planned.filter((x) => x.planId === mine.id).map((x) => x.channel),
      },
      { stream: '', n: 1, planned: [gbCh] },
    );
    assert.equal(emu.backupPlans.get(mine.id)!.StreamType, '', 'no stream on upload plans');
    assert.deepEqual(
      (await plans.cloudPlanChannels('a', 'upload', mine.id)).channels.map((c) => c.id),
      [gbCh],
    );
    await plans.deleteCloudPlan('a', 'upload', mine.id);
  });
});

describe('retrieval, analytics, gateways', () => {
  test('retrieval tasks move from waiting to retrieved', async () => {
    const plan = (await api.listRealtimePlans()).find((p) => p.PlanName === '重点区域')!;
    const ch = (await api.realtimePlanChannels({ PlanId: plan.PlanId, PageNumber: 1, PageSize: 1 })).List[0]!;
    const now = Math.floor(Date.now() / 1000);
    const [day] = splitByChinaDay(now - 3600, now);
    const t = await api.addRetrieveTask({
      TaskName: '取回1',
      StartTime: day![0],
      EndTime: day![1],
      Mode: 1,
      Expiration: 7,
      Channels: [{ DeviceId: ch.DeviceId, ChannelId: ch.ChannelId }],
    });
    assert.equal(t.Status, 2);
    await wait(1700);
    const detail = await api.getRetrieveTask(t.TaskId);
    assert.equal(detail.Status, 0);
    assert.equal(detail.Channels!.length, 1);
    assert.equal((await api.listRetrieveTasks()).length, 1);
    await api.deleteRetrieveTask(t.TaskId);
  });

  test('analytics tasks: validation, list flags, status rules, results, delete', async () => {
    const chs = (await api.allPlannedChannels()).List;
    const template = {
      Tag: 'AI',
      AIConfig: { DetectType: 'Pet', TimeInterval: 10, OperTimeslot: [{ Start: '10:00:00', End: '11:00:00' }] },
    };
    await rejects(api.createAiTask({ Name: 'x', ChannelList: [], Templates: [template] }), 43703);
    await rejects(
      api.createAiTask({
        Name: 'x',
        ChannelList: [chs[0]!],
        Templates: [{ ...template, AIConfig: { ...template.AIConfig, DetectType: 'Ghost' } }],
      }),
      43707,
    );
    await rejects(
      api.createAiTask({
        Name: 'x',
        ChannelList: [chs[0]!],
        Templates: [{ ...template, AIConfig: { ...template.AIConfig, TimeInterval: 30 } }],
      }),
      43708,
    );
    await rejects(
      api.createAiTask({
        Name: 'x',
        ChannelList: [chs[0]!],
        Templates: [template, { Tag: 'Snapshot', SnapshotConfig: { TimeInterval: 5 } }],
      }),
      43714,
    );
    const task = await api.createAiTask({
      Name: 'pet-watch',
      ChannelList: [chs[0]!],
      IsStartTheTask: true,
      Templates: [template],
    });
    assert.match(task.TaskId, /^at[0-9a-f]{32}$/);
    await rejects(api.createAiTask({ Name: 'dup', ChannelList: [chs[0]!], Templates: [template] }), 43716);
    await rejects(api.updateAiTask(task.TaskId, { Name: 'renamed' }), 43719);
    const results = await api.aiResults({ TaskId: task.TaskId, ChannelId: chs[0]!, DetectType: 'Pet' });
    assert.ok(results.AIResultCount > 0);
    assert.ok((results.AIResults.Pet ?? []).length > 0);
    const bare = await api.listAiTasks();
    assert.equal(bare.List[0]!.ChannelList, undefined);
    const full = await api.listAiTasks({ IsContainChannelList: true, IsContainTemplate: true });
    assert.deepEqual(full.List[0]!.ChannelList, [chs[0]]);
    await api.setAiTaskStatus(task.TaskId, 'off');
    await rejects(api.setAiTaskStatus(task.TaskId, 'off'), 43724);
    assert.equal((await api.updateAiTask(task.TaskId, { Name: 'renamed' })).Name, 'renamed');
    await api.deleteAiTask(task.TaskId);
    await rejects(api.getAiTask(task.TaskId), 43718);
    await rejects(api.getAiTask('nope'), 43717);
  });

  test('gateways: list, details, monitor, devices, protocols, versions, upgrade, update, delete', async () => {
    const page = await api.listGateways({ Status: 1 });
    const gw = page.List[0]!;
    assert.equal(page.TotalCount, 1);
    assert.ok((await api.describeGateway(gw.Id)).Version!.length > 0);
    const mon = await api.gatewayMonitor(gw.Id);
    assert.equal(mon.DeviceTotal, 2);
    assert.equal((await api.gatewayDevices(gw.Id)).TotalCount, 2);
    assert.equal((await api.gatewayProtocols()).length, 4);
    assert.ok((await api.gatewayVersions(gw.Id)).Services.some((s) => s.IsUpdate));
    await api.upgradeGateway(gw.Id);
    assert.equal((await api.updateGateway({ Id: gw.Id, Name: 'B店铺网关' })).Name, 'B店铺网关');
    await api.deleteGateway(gw.Id);
    assert.equal((await api.listGateways()).TotalCount, 0);
  });
});

describe('faults', () => {
  test('an internal error surfaces with its code and English meaning; malformed bodies name the call', async () => {
    emu.server.faults.fail5xx = 1;
    const internal = await api.listOrganizations().catch((e: unknown) => e);
    await rejects(Promise.reject(internal), 50000);
    // HTTP 200 with Code 500 (服务端错误): the platform's own failure, waited out by work that can wait.
    assert.ok(isTransient(internal), 'a server-side failure is transient');
    await assert.rejects(new IvcApi(new IvcClient(config, 'wrong-key')).listOrganizations(), (e) => !isTransient(e));
    emu.server.faults.malformed = 1;
    await assert.rejects(api.listOrganizations(), /invalid reply to list organizations/);
    emu.server.resetFaults();
    const wrongType: typeof fetch = async () =>
      new Response(JSON.stringify({ Code: 0, StatusCode: 200, Message: 'ok', Data: { TotalCount: 'many', List: [] } }));
    await assert.rejects(
      new IvcApi(new IvcClient(config, 'k', wrongType)).listDevices({ OrganizationId: '1' }),
      /TotalCount/,
    );
  });
});
