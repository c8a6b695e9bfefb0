import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { z } from 'zod';
import { IvcClient } from '../../main/platforms/tencent-ivc/client';
import {
  canonicalList,
  headerParams,
  hmacSha1Hex,
  httpString,
  sha1Hex,
  sign,
  stringToSign,
  urlEncode,
  urlParams,
} from '../../main/platforms/tencent-ivc/sign';

type Vector = {
  id: string;
  inputs: Record<string, unknown>;
  expected: Record<string, string | Record<string, string>>;
};
const vectors: Vector[] = JSON.parse(
  fs.readFileSync(new URL('../vectors/tencent-ivc-sign-vectors.json', import.meta.url), 'utf8'),
);
const byId = (id: string) => vectors.find((v) => v.id === id)!;
const pairs = (v: unknown) => Object.fromEntries(v as Array<[string, string]>);

test('UrlEncode matches the doc table character by character; unreserved characters are kept', () => {
  const table = byId('doc-urlencode-table').expected.encode as Record<string, string>;
  assert.ok(Object.keys(table).length >= 29);
  for (const [ch, enc] of Object.entries(table)) assert.equal(urlEncode(ch), enc, ch);
  assert.equal(urlEncode('AZaz09-._~'), 'AZaz09-._~');
  assert.equal(urlEncode('大华 球机(1)'), '%E5%A4%A7%E5%8D%8E%20%E7%90%83%E6%9C%BA%281%29');
});

test('doc code-snippet primitives (SHA1 and HMAC-SHA1 hex)', () => {
  const v = byId('doc-code-snippet-primitives');
  assert.equal(sha1Hex(v.inputs.sha1_input as string), v.expected.sha1_hex);
  assert.equal(hmacSha1Hex(v.inputs.hmac_key as string, v.inputs.hmac_message as string), v.expected.hmac_sha1_hex);
});

test('doc V3/V4: UrlParamList and HttpParameters, including a value-less parameter', () => {
  for (const id of ['doc-V3-url-params-example-1', 'doc-V4-url-params-example-2-valueless']) {
    const v = byId(id);
    const r = urlParams(pairs(v.inputs.query));
    assert.equal(r.urlParamList, v.expected.UrlParamList);
    assert.equal(r.httpParameters, v.expected.HttpParameters);
  }
});

test('doc V5: HeaderList and HttpHeaders as printed (raw values); strict encoding is available', () => {
  const v = byId('doc-V5-headers');
  const raw = headerParams(pairs(v.inputs.headers));
  assert.equal(raw.headerList, v.expected.HeaderList);
  assert.equal(raw.httpHeaders, v.expected.HttpHeaders);
  const strict = headerParams(pairs(v.inputs.headers), 'strict');
  assert.equal(
    strict.httpHeaders,
    (v as unknown as { strict_encoding_result: { HttpHeaders: string } }).strict_encoding_result.HttpHeaders,
  );
});

test('keys are sorted after lower-casing and encoded keys carry lower-case hex', () => {
  assert.deepEqual(
    canonicalList([
      ['B', '1'],
      ['a', '2'],
      ['a/b', 'x/y'],
    ]),
    { list: 'a;a%2fb;b', joined: 'a=2&a%2fb=x%2Fy&b=1' },
  );
});

test('doc V7 (add device): every printed step reproduces, signature from the printed SignKey', () => {
  const v = byId('doc-V7-case2-add-device');
  const e = v.expected as Record<string, string>;
  const h = headerParams(pairs(v.inputs.signedHeaders));
  assert.equal(h.httpHeaders, e.HttpHeaders);
  const hs = httpString('POST', '/ivc/cms/device/add', '', h.httpHeaders);
  assert.equal(hs, e.HttpString);
  assert.equal(sha1Hex(hs), e.SHA1_HttpString);
  const sts = stringToSign(e.KeyTime!, hs);
  assert.equal(sts, e.StringToSign);
  assert.equal(hmacSha1Hex(e.SignKey!, sts), e.Signature);
});

test('doc V6 (list devices): canonical strings and the StringToSign→Signature step reproduce', () => {
  const v = byId('doc-V6-case1-list-devices');
  const e = v.expected as Record<string, string>;
  const q = urlParams(pairs(v.inputs.query));
  assert.equal(q.httpParameters, e.HttpParameters);
  const h = headerParams(pairs(v.inputs.signedHeaders));
  const hs = httpString('GET', v.inputs.path as string, q.httpParameters, h.httpHeaders);
  assert.equal(hs, e.HttpString);
  // The doc's printed SHA1 of this HttpString is wrong (spec §2.7); its last step is consistent.
  assert.equal(sha1Hex(hs), '1e62b08932220c5ffada7c4b3374e4d81784e5e2');
  assert.equal(hmacSha1Hex(e.SignKey!, e.StringToSign!), e.Signature);
});

test('derived vectors D1–D6: sign() reproduces every intermediate and the Authorization header', () => {
  const derived = vectors.filter((v) => v.id.startsWith('derived-'));
  assert.ok(derived.length >= 6);
  for (const v of derived) {
    const e = v.expected as Record<string, string>;
    const r = sign({
      method: v.inputs.method as string,
      pathname: v.inputs.path as string,
      query: pairs(v.inputs.query),
      headers: pairs(v.inputs.signedHeaders),
      secretId: v.inputs.SecretId as string,
      secretKey: v.inputs.SecretKey as string,
      keyTime: v.inputs.KeyTime as string,
      headerValueEncoding: v.inputs.headerValueEncoding === 'strict' ? 'strict' : 'raw',
    });
    assert.equal(r.signKey, e.SignKey, v.id);
    assert.equal(r.httpString, e.HttpString, v.id);
    assert.equal(r.stringToSign, e.StringToSign, v.id);
    assert.equal(r.signature, e.Signature, v.id);
    assert.equal(r.authorization, e.Authorization, v.id);
  }
});

test('signTime defaults to keyTime and may differ from it', () => {
  const base = {
    method: 'GET',
    pathname: '/x',
    query: {},
    headers: { Host: 'ivc.myqcloud.com' },
    secretId: 'id',
    secretKey: 'key',
    keyTime: '1;100',
  };
  const same = sign(base);
  assert.match(same.authorization, /q-sign-time=1;100&q-key-time=1;100/);
  const other = sign({ ...base, signTime: '2;50' });
  assert.match(other.authorization, /q-sign-time=2;50&q-key-time=1;100/);
  assert.equal(other.signKey, same.signKey);
  assert.notEqual(other.signature, same.signature);
});

test('issue 22: Vigil signs only `host`, value raw — the worked example’s choice, not the rules’ URL-encoded values', async () => {
  // The rules (步骤3) URL-encode header values; the worked example V7 prints them raw, and only
  // raw reproduces its printed signature.
  const v = byId('doc-V7-case2-add-device');
  const e = v.expected as Record<string, string>;
  const strict = headerParams(pairs(v.inputs.signedHeaders), 'strict');
  assert.equal(strict.httpHeaders, 'content-type=application%2Fjson&host=ivc.myqcloud.com');
  assert.notEqual(
    hmacSha1Hex(
      e.SignKey!,
      stringToSign(e.KeyTime!, httpString('POST', '/ivc/cms/device/add', '', strict.httpHeaders)),
    ),
    e.Signature,
  );
  // The client, posting JSON to a host with a port: only `host` is in the header list, even with
  // a Content-Type sent, and its value is signed raw. For a host without a port (the public
  // service) raw and encoded agree; with a port (':' → %3A) they differ, and raw is chosen.
  let sent: Headers | null = null;
  const fetchStub = (async (_url: string | URL | Request, init?: RequestInit) => {
    sent = new Headers(init?.headers);
    return new Response(JSON.stringify({ Code: 0, StatusCode: 200, Message: 'OK', Data: {} }), {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    });
  }) as typeof fetch;
  const now = 1671039836_000;
  const client = new IvcClient(
    { platform: 'tencent-ivc', endpoint: 'http://127.0.0.1:8443', appId: '1250000000', secretId: 'AKIDexample' },
    'secret-key',
    fetchStub,
    () => now,
  );
  await client.call(z.unknown(), {
    method: 'POST',
    path: '/ivc/cms/device/add',
    body: { Name: 'x' },
    what: 'add a device',
  });
  const headers = sent as Headers | null;
  assert.equal(headers?.get('content-type'), 'application/json');
  const authorization = headers?.get('authorization') ?? '';
  assert.match(authorization, /&q-header-list=host&/);
  const base = {
    method: 'POST',
    pathname: '/ivc/cms/device/add',
    query: {},
    headers: { host: '127.0.0.1:8443' },
    secretId: 'AKIDexample',
    secretKey: 'secret-key',
    keyTime: '1671039836;1671040136',
  };
  assert.equal(authorization, sign(base).authorization);
  assert.notEqual(authorization, sign({ ...base, headerValueEncoding: 'strict' }).authorization);
  assert.equal(
    sign({ ...base, headers: { host: 'ivc.myqcloud.com' } }).signature,
    sign({ ...base, headers: { host: 'ivc.myqcloud.com' }, headerValueEncoding: 'strict' }).signature,
  );
});

function capturingClient(reply: unknown) {
  const seen: { url: string; headers: Headers | null } = { url: '', headers: null };
  const fetchStub = (async (url: string | URL | Request, init?: RequestInit) => {
    seen.url = String(url);
    seen.headers = new Headers(init?.headers);
    return new Response(JSON.stringify(reply), { status: 200, headers: { 'Content-Type': 'application/json' } });
  }) as typeof fetch;
  const client = new IvcClient(
    { platform: 'tencent-ivc', endpoint: 'https://ivc.myqcloud.com', appId: '1250000000', secretId: 'AKIDexample' },
    'secret-key',
    fetchStub,
    () => 1700000000_000,
  );
  return { client, seen };
}

test('§2.3 步骤3 注意 "请求参数在实际发送请求时也会进行 UrlEncode": the wire query is the doc UrlEncode of the signed values (space %20, not +)', async () => {
  const { client, seen } = capturingClient({ Code: 0, StatusCode: 200, Message: 'OK', Data: {} });
  const query = { PageNumber: '1', Keyword: '大华 球机(1)', OrganizationId: '0', IsContainSubLevel: 'true' };
  await client.call(z.unknown(), { method: 'GET', path: '/ivc/urm/resource/getUserResources', query, what: 'list' });
  const url = new URL(seen.url);
  // D3's HttpParameters, key order aside: each value exactly as signed, encoded once.
  assert.equal(
    url.search,
    '?PageNumber=1&Keyword=%E5%A4%A7%E5%8D%8E%20%E7%90%83%E6%9C%BA%281%29&OrganizationId=0&IsContainSubLevel=true',
  );
  const d3 = byId('derived-D3-encoding-and-sorting');
  assert.match(
    seen.headers?.get('authorization') ?? '',
    /&q-url-param-list=iscontainsublevel;keyword;organizationid;pagenumber&/,
  );
  assert.equal(urlParams(query).httpParameters, (d3.expected as Record<string, string>).HttpParameters);
  // A server decoding with plain percent-decoding (no form '+') gets back the signed values.
  assert.deepEqual(
    Object.fromEntries(
      url.search
        .slice(1)
        .split('&')
        .map((p) => p.split('=').map(decodeURIComponent)),
    ),
    query,
  );
});

test('错误码: the error detail the platform puts in Data is shown beside Message', async () => {
  const { client } = capturingClient({
    RequestId: 'r1',
    Code: 0,
    StatusCode: 40006,
    Message: '数据库未查到该记录。',
    Data: 'device 123',
  });
  await assert.rejects(
    client.call(z.unknown(), { method: 'GET', path: '/ivc/cms/device/describe', query: { Id: '123' }, what: 'x' }),
    (e: Error) => {
      assert.match(e.message, /40006: 数据库未查到该记录。（device 123）/);
      return true;
    },
  );
  const { client: plain } = capturingClient({
    RequestId: '',
    Code: 0,
    StatusCode: 41602,
    Message: '无效的 Token',
    Data: '',
  });
  await assert.rejects(
    plain.call(z.unknown(), { method: 'GET', path: '/ivc/cms/organization/query', what: 'x' }),
    (e: Error) => {
      assert.match(e.message, /41602: 无效的 Token(?!（)/);
      return true;
    },
  );
});
