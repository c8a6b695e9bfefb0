import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
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
  opts: { keyTime?: string; secretKey?: string } = {},
): Promise<{ status: number; headers: Headers; json: Envelope }> {
  const url = new URL(`${emu.baseUrl}${path}`);
  const { authorization } = sign({
    method,
    pathname: path,
    query,
    headers: { host: url.host },
    secretId: emu.credentials.secretId,
    secretKey: opts.secretKey ?? emu.credentials.secretKey,
    keyTime: opts.keyTime ?? keyTimeFor(Date.now() / 1000, 300),
  });
  const qs = Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const res = await fetch(`${url}${qs ? `?${qs}` : ''}`, {
    method,
    headers: {
      Authorization: authorization,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
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

  test('a current key time passes; one that ended an hour ago answers 41601 with HTTP 200', async () => {
    assert.equal((await call('GET', '/ivc/cms/organization/query')).json.StatusCode, 200);
    const r = await call('GET', '/ivc/cms/organization/query', {}, undefined, {
      keyTime: `${now() - 7200};${now() - 3600}`,
    });
    assert.equal(r.status, 200);
    assert.equal(r.json.StatusCode, 41601);
  });
});
