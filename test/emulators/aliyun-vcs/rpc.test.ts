import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { rpcTimestamp, signedQuery } from '../../../main/platforms/aliyun-vcs/sign';
import { VcsEmulator } from './emulator';

// Rules of the Alibaba RPC front door (common parameters, signature, envelope, paging) checked against
// the vendor documents (seed 001 "公共参数", seed 000 "公共请求参数"/"签名机制"), by hand-signed requests.

let emu: VcsEmulator;
before(async () => {
  emu = await new VcsEmulator().start();
});
after(() => emu.stop());

let n = 0;
function params(extra: Record<string, string | undefined>): Record<string, string> {
  const all: Record<string, string | undefined> = {
    Action: 'ListCorps',
    Format: 'JSON',
    Version: '2020-05-15',
    AccessKeyId: emu.credentials.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: `rpc-test-${process.pid}-${++n}`,
    Timestamp: rpcTimestamp(new Date()),
    PageNumber: '1',
    PageSize: '10',
    ...extra,
  };
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
}
function query(extra: Record<string, string | undefined>, method = 'GET'): string {
  return signedQuery({ method, params: params(extra), accessKeySecret: emu.credentials.accessKeySecret });
}
async function get(extra: Record<string, string | undefined>) {
  const res = await fetch(`${emu.baseUrl}/?${query(extra)}`);
  const text = await res.text();
  return { status: res.status, text, type: res.headers.get('content-type') ?? '' };
}

describe('common request parameters (seed 001 §3 公共参数, seed 000 表 4-1)', () => {
  test('Format is optional (是否必须: 否) and defaults to JSON (取值: JSON（默认值）)', async () => {
    const r = await get({ Format: undefined });
    assert.equal(r.status, 200, r.text);
    assert.match(r.type, /json/);
    const body = JSON.parse(r.text) as { Code: string; RequestId: string };
    assert.equal(body.Code, '200');
    assert.ok(body.RequestId);
  });
});

type Vector = { id: string; method: string; params: Record<string, string>; computed_signed_query: string };
const vectors = JSON.parse(
  fs.readFileSync(new URL('../../vectors/aliyun-sign-vectors.json', import.meta.url), 'utf8'),
) as Vector[];

describe('signature v1 (seed 000 签名机制) as the documents compute it, not as our signer does', () => {
  test('the published cityvisual DescribeInstances vectors (GET query and POST form) are accepted verbatim', async () => {
    const at = Date.parse('2019-09-01T12:00:00Z');
    const e = await new VcsEmulator({ accessKeyId: 'testid', accessKeySecret: 'testsecret', clock: () => at }).start();
    try {
      const getV = vectors.find((v) => v.id === 'derived-cityvisual-describeinstances-get')!;
      const postV = vectors.find((v) => v.id === 'derived-cityvisual-describeinstances-post')!;
      const g = await fetch(`${e.baseUrl}/?${getV.computed_signed_query}`);
      assert.equal(g.status, 200, await g.clone().text());
      assert.ok(((await g.json()) as { Instances?: unknown }).Instances);
      // The same nonce again is a replay, whatever the method (the POST signature is checked first:
      // SignatureNonceUsed is only reached by a request whose signature matched).
      const replay = await fetch(`${e.baseUrl}/`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: postV.computed_signed_query,
      });
      assert.equal(replay.status, 400);
      assert.equal(((await replay.json()) as { Code: string }).Code, 'SignatureNonceUsed');
      // One character of the signature changed: refused, and the nonce is not burnt by a refused request.
      const bad = await fetch(
        `${e.baseUrl}/?${getV.computed_signed_query.replace('SignatureNonce=15215528852396', 'SignatureNonce=15215528852397').replace(/Signature=H/, 'Signature=I')}`,
      );
      assert.equal(bad.status, 400);
      assert.equal(((await bad.json()) as { Code: string }).Code, 'SignatureDoesNotMatch');
    } finally {
      await e.stop();
    }
  });
  test('the derived VCS vectors (*, ~, space, CJK, JSON-array values; both versions) pass the signature check', async () => {
    const at = Date.parse('2021-09-01T00:00:00Z');
    const e = await new VcsEmulator({ accessKeyId: 'testid', accessKeySecret: 'testsecret', clock: () => at }).start();
    try {
      for (const id of [
        'derived-vcs-modifydevice-encoding',
        'derived-vcs-searchtarget-jsonarray',
        'derived-vcs-getdeviceliveurl-v20200515',
      ]) {
        const v = vectors.find((x) => x.id === id)!;
        const res = await fetch(`${e.baseUrl}/?${v.computed_signed_query}`);
        const body = (await res.json()) as { Code: string };
        // The masked IDs (****) name nothing, so the Action itself may refuse; the signature must not.
        assert.ok(
          !['SignatureDoesNotMatch', 'SignatureNonceUsed'].includes(body.Code) && !body.Code.startsWith('Missing'),
          `${id}: ${body.Code}`,
        );
        assert.ok(!body.Code.startsWith('InvalidTimeStamp') && body.Code !== 'InvalidVersion', `${id}: ${body.Code}`);
      }
    } finally {
      await e.stop();
    }
  });
});

describe('POST form (spec vcs §1.3 / cityvision §2.1: the signed set is the body plus any query parameters)', () => {
  test('common parameters in the query and Action parameters in the body sign and answer as one request', async () => {
    const all = params({});
    const signed = new URLSearchParams(query({ ...all }, 'POST'));
    const inQuery = new URLSearchParams();
    const inBody = new URLSearchParams();
    for (const [k, v] of signed) (['PageNumber', 'PageSize'].includes(k) ? inBody : inQuery).set(k, v);
    const res = await fetch(`${emu.baseUrl}/?${inQuery}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: inBody.toString(),
    });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(((await res.json()) as { Code: string }).Code, '200');
  });
});

describe('response envelope (seed 000 公共返回参数; spec vcs §1.5, cityvision §1.6)', () => {
  test('errors carry RequestId, HostId of the product, Code and Message, in JSON and in XML (<Error>)', async () => {
    const vcs = await get({ PageSize: '0' });
    assert.equal(vcs.status, 400);
    const v = JSON.parse(vcs.text) as Record<string, string>;
    assert.deepEqual(Object.keys(v).sort(), ['Code', 'HostId', 'Message', 'RequestId']);
    assert.equal(v.Code, 'InvalidParameter');
    assert.equal(v.HostId, 'vcs.cn-hangzhou.aliyuncs.com');
    const city = await get({
      Action: 'DescribeJobGroups',
      Version: '2018-10-30',
      PageNumber: '1',
      PageSize: '101',
      RegionId: 'cn-shanghai',
    });
    assert.equal(city.status, 403); // InstanceId missing: MissingParameter (seed 000 DescribeJobGroups, 403)
    const c = JSON.parse(city.text) as Record<string, string>;
    assert.equal(c.HostId, 'cityvisual.cn-shanghai.aliyuncs.com');
    assert.ok(c.RequestId && c.Message);
    const xml = await get({ Format: 'XML', PageSize: '0' });
    assert.equal(xml.status, 400);
    assert.match(xml.type, /xml/);
    assert.match(
      xml.text,
      /^<\?xml[^>]*\?>\s*<Error><RequestId>[^<]+<\/RequestId><HostId>[^<]+<\/HostId><Code>InvalidParameter<\/Code><Message>[^<]+<\/Message><\/Error>$/,
    );
  });
});

describe('paging (spec vcs §3.1.2 ListCorps, §3.2.4/§3.2.5 DescribeIpcs/DescribeNvrs; cityvision §7.17)', () => {
  test('ListCorps: PageNumber/PageSize required; Data has Records (every documented field, YOfflineAcuUsed too), TotalPage, PageNumber, PageSize, TotalCount as numbers', async () => {
    const missing = await get({ PageNumber: undefined });
    assert.equal(missing.status, 403);
    assert.equal((JSON.parse(missing.text) as { Code: string }).Code, 'MissingParameter');
    const r = await get({ PageNumber: '1', PageSize: '1' });
    const d = (JSON.parse(r.text) as { Data: Record<string, unknown> & { Records: Array<Record<string, unknown>> } })
      .Data;
    assert.equal(d.PageNumber, 1);
    assert.equal(d.PageSize, 1);
    assert.equal(typeof d.TotalCount, 'number');
    assert.equal(d.TotalPage, d.TotalCount);
    assert.equal(d.Records.length, 1);
    for (const k of [
      'ParentCorpId',
      'AppName',
      'IsvSubId',
      'Description',
      'CorpName',
      'CorpId',
      'AcuUsed',
      'CreateDate',
      'IconPath',
      'DeviceCount',
      'YOfflineAcuUsed',
    ])
      assert.ok(k in d.Records[0]!, k);
    assert.equal(typeof d.Records[0]!.YOfflineAcuUsed, 'number');
  });

  test('DescribeIpcs pages by PageNum (not PageNumber), PageSize at most 200 (最大200)', async () => {
    const wrongName = await get({ Action: 'DescribeIpcs', PageNumber: '1', PageSize: '10' });
    assert.equal(wrongName.status, 403);
    const ok = await get({ Action: 'DescribeIpcs', PageNumber: undefined, PageNum: '1', PageSize: '200' });
    assert.equal(ok.status, 200);
    const d = (JSON.parse(ok.text) as { Data: Record<string, unknown> }).Data;
    assert.equal(d.PageNum, 1);
    assert.equal(d.PageSize, 200);
    assert.equal(d.TotalPage, 1);
    const big = await get({ Action: 'DescribeNvrs', PageNumber: undefined, PageNum: '1', PageSize: '201' });
    assert.equal(big.status, 400);
  });

  test('cityvisual lists default to PageNumber 1 and PageSize 10 (默认值：10), PageSize at most 100', async () => {
    const r = await get({
      Action: 'DescribeRegions',
      Version: '2018-10-30',
      PageNumber: undefined,
      PageSize: undefined,
    });
    assert.equal(r.status, 200, r.text);
    const inst = await get({
      Action: 'DescribeInstances',
      Version: '2018-10-30',
      RegionId: 'cn-shanghai',
      PageNumber: undefined,
      PageSize: undefined,
    });
    const body = JSON.parse(inst.text) as Record<string, unknown>;
    assert.equal(body.PageNumber, 1);
    assert.equal(body.PageSize, 10);
    const tooBig = await get({
      Action: 'DescribeInstances',
      Version: '2018-10-30',
      RegionId: 'cn-shanghai',
      PageSize: '101',
    });
    assert.equal(tooBig.status, 400);
  });
});

describe('GetDeviceLiveUrl (spec §3.2.7, seed 001 7.7)', () => {
  test('a GB28181 camera has one stream, its main one: StreamType 1 comes back as in the example (国标协议设备不支持 stream choice)', async () => {
    const cam = [...emu.devices.values()].find(
      (d) => d.DeviceType === 'IPC' && d.InProtocol === 'GBT28181' && d.DeviceStatus === '1',
    )!;
    const ask = () =>
      get({
        Action: 'GetDeviceLiveUrl',
        PageNumber: undefined,
        PageSize: undefined,
        CorpId: cam.CorpId,
        DeviceId: cam.DeviceId,
        StreamType: '1',
        OutProtocol: 'hls',
      });
    let body: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) {
      body = JSON.parse((await ask()).text) as Record<string, unknown>;
      if (body.Code !== 'Retry') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(body.Code, '200', JSON.stringify(body));
    assert.equal(body.OutProtocol, 'hls');
    assert.equal(body.StreamType, 1);
    assert.equal(typeof body.Url, 'string');
  });
});

describe('GetDeviceVideoUrl (seed 001 7.8)', () => {
  const cam = () => [...emu.devices.values()].find((d) => d.DeviceType === 'IPC')!;
  const ask = (extra: Record<string, string | undefined>) =>
    get({
      Action: 'GetDeviceVideoUrl',
      PageNumber: undefined,
      PageSize: undefined,
      CorpId: cam().CorpId,
      DeviceId: cam().DeviceId,
      ...extra,
    });
  test('StartTime and EndTime are optional (l.2442, l.2444: 否): a request without them gets a URL', async () => {
    for (const extra of [{}, { EndTime: String(Date.now()) }, { StartTime: String(Date.now() - 600_000) }]) {
      const r = await ask(extra);
      assert.equal(r.status, 200, r.text);
      const body = JSON.parse(r.text) as { Code: string; Url?: string };
      assert.equal(body.Code, '200', r.text);
      assert.match(body.Url ?? '', /\.m3u8\?auth_key=/);
    }
  });
  test('times given must still be epoch milliseconds with StartTime before EndTime', async () => {
    const now = Date.now();
    for (const extra of [
      { StartTime: '2020-09-11T07:00:00Z', EndTime: String(now) },
      { StartTime: String(now), EndTime: String(now - 1000) },
    ])
      assert.equal((await ask(extra)).status, 400);
  });
});

describe('SearchTarget (seed 001 10.1)', () => {
  test('the example sends OrderBy with an image (l.4579-4581): answered in similarity order, a malformed OrderBy still refused', async () => {
    const base = {
      Action: 'SearchTarget',
      CorpId: [...emu.devices.values()][0]!.CorpId,
      TargetType: 'Face',
      TargetImageUrl: 'http://www.aliyun.com/file1',
    };
    const r = await get({ ...base, OrderBy: '[{"Key":"Timestamp","Type":"Asc"}]' });
    assert.equal(r.status, 200, r.text);
    const sims = (
      JSON.parse(r.text) as { Data: { Records: Array<{ TargetImageSimilarity: number }> } }
    ).Data.Records.map((x) => x.TargetImageSimilarity);
    assert.ok(sims.length > 1);
    assert.deepEqual(
      sims,
      [...sims].sort((a, b) => b - a),
    );
    assert.equal((await get({ ...base, OrderBy: '[{"Key":"Name","Type":"Up"}]' })).status, 400);
  });
});
