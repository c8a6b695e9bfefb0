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
    const r = await call('POST', '/ivc/cms/device/add', {}, {
      Name: 'hik1',
      AccessProtocol: 1,
      Type: 1,
      TransportProtocol: 1,
      Password: '123456',
      Description: 'description',
      OrganizationId: await firstOrgId(),
      ClusterId: await usableCluster(),
    });
    assert.equal(r.json.StatusCode, 200, r.json.Message);
    const d = r.json.Data as Record<string, unknown>;
    assert.equal(d.AccessProtocol, 1);
    assert.equal(typeof d.Id, 'string');
  });

  test('E17 修改设备: the doc example (RTMP device, Password "admin123", only effective for GB) is accepted', async () => {
    const added = await call('POST', '/ivc/cms/device/add', {}, {
      Name: 'rtmp2',
      AccessProtocol: 1,
      Type: 1,
      OrganizationId: await firstOrgId(),
      ClusterId: await usableCluster(),
    });
    const id = String((added.json.Data as { Id: string }).Id);
    const r = await call('PUT', '/ivc/cms/device/update', { Id: id }, {
      Id: id,
      Name: 'hik1',
      TransportProtocol: 1,
      Password: 'admin123',
      Description: 'description',
    });
    assert.equal(r.json.StatusCode, 200, r.json.Message);
    assert.equal((r.json.Data as { Name: string }).Name, 'hik1');
  });

  test('E15/E17: a GB device password is still digits only, 6–16 (41626)', async () => {
    const r = await call('POST', '/ivc/cms/device/add', {}, {
      Name: 'gb1',
      AccessProtocol: 2,
      Type: 1,
      Password: 'admin123',
      OrganizationId: await firstOrgId(),
      ClusterId: await usableCluster(),
    });
    assert.equal(r.json.StatusCode, 41626);
  });
});
