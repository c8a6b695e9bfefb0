import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { writeSheet } from '../../../main/formats/sheets';
import { keyTimeFor, sign } from '../../../main/platforms/tencent-ivc/sign';
import { IvcEmulator } from './emulator';

// IVC emulator rules checked against the vendor document (seed 002, spec tencent-ivc.md) with raw,
// hand-signed requests: no Vigil client in between, so the emulator cannot merely agree with it.

let emu: IvcEmulator;
before(async () => {
  emu = await new IvcEmulator({ registerAfterMs: null }).start();
});
after(() => emu.stop());

interface Envelope {
  RequestId: string;
  Code: number;
  StatusCode: number;
  Message: string;
  Data: unknown;
}

async function call(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  query: Record<string, string> = {},
  body?: unknown,
  opts: { keyTime?: string; secretKey?: string; on?: IvcEmulator } = {},
): Promise<{ status: number; headers: Headers; json: Envelope }> {
  const target = opts.on ?? emu;
  const url = new URL(`${target.baseUrl}${path}`);
  const { authorization } = sign({
    method,
    pathname: path,
    query,
    headers: { host: url.host },
    secretId: target.credentials.secretId,
    secretKey: opts.secretKey ?? target.credentials.secretKey,
    keyTime: opts.keyTime ?? keyTimeFor(Date.now() / 1000, 300),
  });
  const qs = Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  // A FormData body (E04, E24) sets its own multipart Content-Type.
  const form = body instanceof FormData;
  const res = await fetch(`${url}${qs ? `?${qs}` : ''}`, {
    method,
    headers: {
      Authorization: authorization,
      ...(body === undefined || form ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: form ? body : JSON.stringify(body) }),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Envelope };
}

async function firstOrgId(): Promise<string> {
  const orgs = (await call('GET', '/ivc/cms/organization/query')).json.Data as Array<{ Id: string }>;
  return String(orgs[0]!.Id);
}

async function usableCluster(): Promise<string> {
  const nodes = (await call('GET', '/ivc/cms/config/getuserregion')).json.Data as Array<{ Value: string }>;
  return nodes[0]!.Value;
}

describe('§1.6/错误码 error envelope', () => {
  test('错误码: Message is the table text, the specific detail travels in Data, common response headers present', async () => {
    const r = await call('GET', '/ivc/cms/device/describe', { Id: '00000000-0000-0000-0000-000000000000' });
    assert.equal(r.status, 200);
    assert.notEqual(r.json.StatusCode, 200);
    const table: Record<number, string> = { 40001: '无效的参数', 40006: '数据库未查到该记录', 42206: '设备不存在' };
    assert.ok(table[r.json.StatusCode], `unexpected code ${r.json.StatusCode}`);
    // seed 错误码: "Message 错误描述" / "Data 每次请求错误时，该字段携带具体的错误信息 string"
    assert.equal(r.json.Message, table[r.json.StatusCode]);
    assert.equal(typeof r.json.Data, 'string');
    assert.equal(typeof r.json.RequestId, 'string');
    // 公共响应头部: RequestId and Server (default tencent-iss) on every response, errors included
    assert.equal(r.headers.get('server'), 'tencent-iss');
    assert.equal(r.headers.get('requestid'), r.json.RequestId);
  });

  test('错误码: a bad signature answers 41602 with the exact table message', async () => {
    const r = await call('GET', '/ivc/cms/organization/query', {}, undefined, { secretKey: 'not-the-key' });
    assert.equal(r.json.StatusCode, 41602);
    assert.equal(r.json.Message, '无效的 Token');
    assert.equal(r.json.Code, 0);
  });
});

describe('§3.3 devices', () => {
  test('E15 新增设备: the doc example (RTMP device with a Password, "仅国标设备有效") is accepted', async () => {
    const r = await call(
      'POST',
      '/ivc/cms/device/add',
      {},
      {
        Name: 'hik1',
        AccessProtocol: 1,
        Type: 1,
        TransportProtocol: 1,
        Password: '123456',
        Description: 'description',
        OrganizationId: await firstOrgId(),
        ClusterId: await usableCluster(),
      },
    );
    assert.equal(r.json.StatusCode, 200, r.json.Message);
    const d = r.json.Data as Record<string, unknown>;
    assert.equal(d.AccessProtocol, 1);
    assert.equal(typeof d.Id, 'string');
  });

  test('E17 修改设备: the doc example (RTMP device, Password "admin123", only effective for GB) is accepted', async () => {
    const added = await call(
      'POST',
      '/ivc/cms/device/add',
      {},
      {
        Name: 'rtmp2',
        AccessProtocol: 1,
        Type: 1,
        OrganizationId: await firstOrgId(),
        ClusterId: await usableCluster(),
      },
    );
    const id = String((added.json.Data as { Id: string }).Id);
    const r = await call(
      'PUT',
      '/ivc/cms/device/update',
      { Id: id },
      {
        Id: id,
        Name: 'hik1',
        TransportProtocol: 1,
        Password: 'admin123',
        Description: 'description',
      },
    );
    assert.equal(r.json.StatusCode, 200, r.json.Message);
    assert.equal((r.json.Data as { Name: string }).Name, 'hik1');
  });

  test('E15/E17: a GB device password is still digits only, 6–16 (41626)', async () => {
    const r = await call(
      'POST',
      '/ivc/cms/device/add',
      {},
      {
        Name: 'gb1',
        AccessProtocol: 2,
        Type: 1,
        Password: 'admin123',
        OrganizationId: await firstOrgId(),
        ClusterId: await usableCluster(),
      },
    );
    assert.equal(r.json.StatusCode, 41626);
  });
});

describe('§3.3 E24 导入设备', () => {
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  test('seed:3074 "设备名称无需全局唯一，可以重复": rows named like an existing device, or like each other, import', async () => {
    // The E27 GB template's header; 大门球机 is a device the emulator starts with.
    const header = ['设备名称', '设备类型', '传输协议', '设备密码', '服务节点', '描述'];
    const rows = [
      ['大门球机', '1', 'UDP', '123456', '', ''],
      ['同名', '1', 'UDP', '123456', '', ''],
      ['同名', '1', 'TCP', '12345678', '', ''],
    ];
    const form = new FormData();
    const JobId = randomUUID();
    form.append('JobId', JobId);
    form.append('AccessProtocol', '2');
    form.append('OrganizationId', await firstOrgId());
    form.append('File', new Blob([new Uint8Array(await writeSheet(header, rows))]), 'devices.xlsx');
    const r = await call('POST', '/ivc/cms/device/import/sync', {}, form);
    assert.equal(r.json.StatusCode, 200, r.json.Message);
    let p = { State: 0, Total: 0, Succeed: 0, Failed: 0 };
    for (let i = 0; i < 40 && p.State !== 1; i++) {
      await wait(50);
      p = (await call('GET', '/ivc/cms/device/import/progress', { JobId })).json.Data as typeof p;
    }
    assert.deepEqual(
      { State: p.State, Total: p.Total, Succeed: p.Succeed, Failed: p.Failed },
      { State: 1, Total: 3, Succeed: 3, Failed: 0 },
    );
  });
});

describe('§3.1 E04 增加域名', () => {
  test('seed:1593: the doc example InternalDomain (***.play-ivc.ap-shanghai.tencentivc.cn) is accepted', async () => {
    const bound = new Set(
      ((await call('GET', '/ivc/cms/domain/query')).json.Data as Array<{ ClusterId: string }>).map((d) => d.ClusterId),
    );
    const nodes = (await call('GET', '/ivc/cms/config/getallregion')).json.Data as Array<{ Value: string }>;
    const free = nodes.find((n) => !bound.has(n.Value))!.Value;
    const form = new FormData();
    form.append('PlayDomain', 'www.kirito.com');
    form.append('InternalDomain', 'abc.play-ivc.ap-shanghai.tencentivc.cn');
    form.append('Key', new Blob(['secret key']), 'key.pem');
    form.append('Cert', new Blob(['secret cert']), 'cert.pem');
    form.append('ClusterId', free);
    const r = await call('POST', '/ivc/cms/domain/add', {}, form);
    assert.equal(r.json.StatusCode, 200, r.json.Message);
    const id = (r.json.Data as { Id: string }).Id;
    assert.equal((await call('DELETE', '/ivc/cms/domain/delete', { Id: id })).json.StatusCode, 200);
  });
});

describe('§2 请求签名 (server side)', () => {
  async function raw(
    path: string,
    wireQuery: string,
    signed: Record<string, string>,
    headers: Record<string, string> = {},
    signHeaders?: Record<string, string>,
    encoding?: 'raw' | 'strict',
  ) {
    const url = new URL(`${emu.baseUrl}${path}`);
    const { authorization } = sign({
      method: 'GET',
      pathname: path,
      query: signed,
      headers: signHeaders ?? { host: url.host },
      secretId: emu.credentials.secretId,
      secretKey: emu.credentials.secretKey,
      keyTime: keyTimeFor(Date.now() / 1000, 300),
      ...(encoding ? { headerValueEncoding: encoding } : {}),
    });
    const res = await fetch(`${url}${wireQuery}`, { headers: { ...headers, Authorization: authorization } });
    return (await res.json()) as Envelope;
  }

  test('步骤3 "遍历 HTTP 请求参数": a query parameter added after signing is refused (41602)', async () => {
    const org = await firstOrgId();
    const path = '/ivc/urm/resource/getUserResources';
    assert.equal((await raw(path, `?OrganizationId=${org}`, { OrganizationId: org })).StatusCode, 200);
    const added = await raw(path, `?OrganizationId=${org}&PageSize=1`, { OrganizationId: org });
    assert.equal(added.StatusCode, 41602);
    assert.equal(added.Message, '无效的 Token');
  });

  test('步骤3 示例二: a value-less parameter (?OrganizationId) signs as organizationid=', async () => {
    // The emulator then refuses the empty organization as a parameter error, not a signature error.
    const r = await raw('/ivc/urm/resource/getUserResources', '?OrganizationId', { OrganizationId: '' });
    assert.notEqual(r.StatusCode, 41602);
  });

  test('步骤4 示例 (V7): content-type;host signed, values raw as printed or UrlEncoded as the rules say', async () => {
    const url = new URL(emu.baseUrl);
    const headers = { 'Content-Type': 'application/json' };
    for (const encoding of ['raw', 'strict'] as const) {
      const r = await raw(
        '/ivc/cms/organization/query',
        '',
        {},
        headers,
        { 'Content-Type': 'application/json', Host: url.host },
        encoding,
      );
      assert.equal(r.StatusCode, 200, encoding);
    }
  });

  test('步骤3 values with the table characters: a Keyword with space, parentheses and CJK, encoded once on the wire', async () => {
    const org = await firstOrgId();
    const q = { OrganizationId: org, Keyword: '大华 球机(1)!*' };
    const wire = `?OrganizationId=${org}&Keyword=${encodeURIComponent(q.Keyword).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
    const r = await raw('/ivc/urm/resource/getUserResources', wire, q);
    assert.equal(r.StatusCode, 200, r.Message);
  });
});

describe('§3.5 live', () => {
  async function onlineDevice(protocol: 1 | 2) {
    const page = (
      await call('GET', '/ivc/urm/resource/getUserResources', {
        OrganizationId: '0',
        IsContainSubLevel: 'true',
        Status: '1',
        AccessProtocol: String(protocol),
      })
    ).json.Data as { List: Array<{ Id: string }> };
    const id = page.List[0]!.Id;
    const channels = (await call('GET', '/ivc/cms/device/channel', { DeviceId: id })).json.Data as Array<{
      ChannelId: string;
    }>;
    return { id, channelId: channels[0]!.ChannelId };
  }

  test('E32 获取开流地址: "DeviceId … rtmp 设备必传" — an RTMP channel asked by ChannelId alone is refused (40001)', async () => {
    const rtmp = await onlineDevice(1);
    const alone = await call('POST', '/ivc/cms/control/stream', {}, { ChannelId: rtmp.channelId, StreamType: 1 });
    assert.equal(alone.json.StatusCode, 40001);
    const both = await call(
      'POST',
      '/ivc/cms/control/stream',
      {},
      {
        DeviceId: rtmp.id,
        ChannelId: rtmp.channelId,
        StreamType: 1,
      },
    );
    assert.equal(both.json.StatusCode, 200, both.json.Message);
    assert.equal(typeof (both.json.Data as { Flv: string }).Flv, 'string');
  });

  test('E32: the doc example shape (DeviceId and ChannelId both) works for a GB channel; "国标设备必传" ChannelId', async () => {
    const gb = await onlineDevice(2);
    const both = await call(
      'POST',
      '/ivc/cms/control/stream',
      {},
      { DeviceId: gb.id, ChannelId: gb.channelId, StreamType: 2 },
    );
    assert.equal(both.json.StatusCode, 200, both.json.Message);
    const noChannel = await call('POST', '/ivc/cms/control/stream', {}, { DeviceId: gb.id, StreamType: 2 });
    assert.equal(noChannel.json.StatusCode, 40001);
  });
});

describe('§2 请求签名 key time', () => {
  const now = () => Math.floor(Date.now() / 1000);
  test('生成 KeyTime "StartTimestamp;EndTimestamp": an end before the start is refused (41602)', async () => {
    const r = await call('GET', '/ivc/cms/organization/query', {}, undefined, {
      keyTime: `${now() + 60};${now() - 60}`,
    });
    assert.equal(r.json.StatusCode, 41602);
  });

  test('an expired q-key-time answers 41601 even when q-sign-time is current', async () => {
    const path = '/ivc/cms/organization/query';
    const url = new URL(`${emu.baseUrl}${path}`);
    const { authorization } = sign({
      method: 'GET',
      pathname: path,
      query: {},
      headers: { host: url.host },
      secretId: emu.credentials.secretId,
      secretKey: emu.credentials.secretKey,
      keyTime: `${now() - 7200};${now() - 3600}`,
      signTime: `${now()};${now() + 300}`,
    });
    const r = (await (await fetch(url, { headers: { Authorization: authorization } })).json()) as Envelope;
    assert.equal(r.StatusCode, 41601);
    assert.equal(r.Message, 'Token 已过期，请重新生成 token');
  });

  test('seed:64 "签名过期时间 EndTimestamp": a key time that ended 5 s ago is refused (41601), no allowance', async () => {
    const r = await call('GET', '/ivc/cms/organization/query', {}, undefined, {
      keyTime: `${now() - 3600};${now() - 5}`,
    });
    assert.equal(r.json.StatusCode, 41601);
  });

  test('seed:66 "签名有效时间 StartTimestamp;EndTimestamp": a start 200 s ahead is not valid yet (41601); a few seconds ahead passes (clock skew)', async () => {
    const early = await call('GET', '/ivc/cms/organization/query', {}, undefined, {
      keyTime: `${now() + 200};${now() + 3800}`,
    });
    assert.equal(early.json.StatusCode, 41601);
    const skewed = await call('GET', '/ivc/cms/organization/query', {}, undefined, {
      keyTime: `${now() + 5};${now() + 300}`,
    });
    assert.equal(skewed.json.StatusCode, 200);
  });

  test('a current key time passes; one that ended an hour ago answers 41601 with HTTP 200', async () => {
    assert.equal((await call('GET', '/ivc/cms/organization/query')).json.StatusCode, 200);
    const r = await call('GET', '/ivc/cms/organization/query', {}, undefined, {
      keyTime: `${now() - 7200};${now() - 3600}`,
    });
    assert.equal(r.status, 200);
    assert.equal(r.json.StatusCode, 41601);
  });
});

describe('E38 download URL errors', () => {
  // The download host needs a media simulator; a stand-in with no recordings is enough here.
  let dl: IvcEmulator;
  before(async () => {
    const media = { flv: () => '', hls: () => '', recordings: () => [], channels: [] };
    dl = await new IvcEmulator({ registerAfterMs: null, media }).start();
  });
  after(() => dl.stop());

  async function channelId(): Promise<string> {
    const page = (
      await call(
        'GET',
        '/ivc/urm/resource/getUserResources',
        { OrganizationId: '0', IsContainSubLevel: 'true', AccessProtocol: '2' },
        undefined,
        { on: dl },
      )
    ).json.Data as { List: Array<{ Id: string }> };
    const channels = (
      await call('GET', '/ivc/cms/device/channel', { DeviceId: page.List[0]!.Id }, undefined, { on: dl })
    ).json.Data as Array<{ ChannelId: string }>;
    return channels[0]!.ChannelId;
  }

  /** A URL in the emulator's E38 form, signed (or not) as the emulator signs it. */
  function url(source: string, signTime: number, good = true): string {
    const sig = good ? createHmac('md5', dl.credentials.secretKey).update(`${source}${signTime}`).digest('hex') : 'bad';
    return `${dl.baseUrl}/download/video.mp4?source=${encodeURIComponent(source)}&expires=600&signTime=${signTime}&sign=${sig}`;
  }

  test('seed:697–732 错误响应 and seed:986–1006: 42503/42504/42501 carry RequestId, Code, StatusCode, Message, Data', async () => {
    const ch = await channelId();
    const now = Math.floor(Date.now() / 1000);
    const source = `${ch};${now - 600};${now - 300};mp4`;
    for (const [u, code, status] of [
      [url(source, now, false), 42503, 403],
      [url(source, now - 3600), 42504, 403],
      [url(source, now), 42501, 400],
    ] as const) {
      const res = await fetch(u);
      assert.equal(res.status, status, String(code));
      const body = (await res.json()) as Envelope;
      assert.equal(body.StatusCode, code);
      assert.equal(body.Code, 0);
      assert.equal(typeof body.Message, 'string');
      assert.equal(typeof body.RequestId, 'string');
      assert.equal(typeof body.Data, 'string');
      assert.equal(res.headers.get('requestid'), body.RequestId);
    }
  });
});

describe('paging only where the document states it', () => {
  test('seed:4037 E20 and seed:16896 E75 "PageSize 每页数量，默认为20" state no maximum: PageSize 2000 is a page', async () => {
    const devices = await call('GET', '/ivc/urm/resource/getUserResources', {
      OrganizationId: '0',
      IsContainSubLevel: 'true',
      PageSize: '2000',
    });
    assert.equal(devices.json.StatusCode, 200, devices.json.Message);
    const gateways = await call('GET', '/ivc/cms/gateway/list', { PageSize: '2000' });
    assert.equal(gateways.json.StatusCode, 200, gateways.json.Message);
  });

  test('seed:17413 E78 takes only Id: every device under the gateway comes back, not a page of 20', async () => {
    const gw = ((await call('GET', '/ivc/cms/gateway/list')).json.Data as { List: Array<{ Id: string }> }).List[0]!;
    // The API cannot attach devices to a gateway; the emulator's own seeding call does.
    const org = await firstOrgId();
    for (let i = 0; i < 25; i++)
      emu.addDevice({ name: `网关设备x${i}`, org, protocol: 3, type: 1, status: 2, channels: 1, gateway: gw.Id });
    const r = (await call('GET', '/ivc/cms/gateway/devicelist', { Id: gw.Id })).json.Data as {
      List: unknown[];
      TotalCount: number;
    };
    assert.ok(r.TotalCount > 20);
    assert.equal(r.List.length, r.TotalCount);
  });

  test('seed:17608–17632 E79: TypeCode is the doc\'s 字典码 "10001" for every protocol', async () => {
    const list = (await call('GET', '/ivc/cms/gateway/protocoltype')).json.Data as Array<{ TypeCode: string }>;
    assert.equal(list.length, 4);
    for (const p of list) assert.equal(p.TypeCode, '10001');
  });
});
