import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bodyHash,
  canonicalHeaders,
  canonicalQuery,
  canonicalUri,
  encode,
  sdkDate,
  sign,
} from '../../main/platforms/huawei-vis/sign';
import { VisApi } from '../../main/platforms/huawei-vis/api';
import { VisClient } from '../../main/platforms/huawei-vis/client';

// Vectors from spec huawei-vis.md §2.5.2 (AK = AccessKey, SK = SecretKey).
const creds = { ak: 'AccessKey', sk: 'SecretKey' };
const project = 'e9993fc787d94b6c886cbaa340f9c0f4';
const visHeaders = {
  'Content-Type': 'application/json',
  Host: 'vis.cn-north-4.myhuaweicloud.com',
  'X-Sdk-Date': '20190307T101459Z',
};

test('canonical URI: segments encoded, trailing slash added once', () => {
  assert.equal(canonicalUri(`/v1/${project}/streams`), `/v1/${project}/streams/`);
  assert.equal(canonicalUri('/path/'), '/path/');
  assert.equal(canonicalUri('/a b/c'), '/a%20b/c/');
});

test('canonical query: encoded, sorted by name then value, repeated keys kept, empty values as name=', () => {
  assert.equal(
    canonicalQuery([
      ['offset', '1'],
      ['limit', '10'],
      ['order_by', 'name'],
      ['name', 'cam 1'],
    ]),
    'limit=10&name=cam%201&offset=1&order_by=name',
  );
  assert.equal(
    canonicalQuery([
      ['k', 'b'],
      ['k', 'a'],
      ['e', ''],
    ]),
    'e=&k=a&k=b',
  );
  assert.equal(canonicalQuery([]), '');
  assert.equal(encode('a/b~*'), 'a%2Fb~%2A');
});

test('§2.3.2 canonical query (Huawei signer): sorted by the raw name and value, then encoded', () => {
  // Huawei's signer sorts the decoded keys and values (sort.Strings) and escapes afterwards.
  // Raw '-' (0x2D) sorts before '/' (0x2F); encoded, '%2F' would sort before '-'.
  assert.equal(
    canonicalQuery([
      ['name', 'a/b'],
      ['name', 'a-b'],
    ]),
    'name=a-b&name=a%2Fb',
  );
  // Names likewise: 'a.b' (0x2E) before 'a:b' (0x3A) raw, though 'a%3Ab' < 'a.b' encoded.
  assert.equal(
    canonicalQuery([
      ['a:b', '1'],
      ['a.b', '2'],
    ]),
    'a.b=2&a%3Ab=1',
  );
  // Byte order of UTF-8, not UTF-16 units: U+FF01 (EF BC 81) sorts before U+1F600 (F0 9F 98 80).
  assert.equal(
    canonicalQuery([
      ['k', '\u{1F600}'],
      ['k', '\uFF01'],
    ]),
    'k=%EF%BC%81&k=%F0%9F%98%80',
  );
});

test('canonical headers: lower-cased, sorted, trimmed, newline-terminated', () => {
  assert.deepEqual(canonicalHeaders({ 'X-Sdk-Date': ' 20190307T101459Z ', Host: 'h' }), {
    canonical: 'host:h\nx-sdk-date:20190307T101459Z\n',
    signedHeaders: 'host;x-sdk-date',
  });
});

test('body hash covers exact bytes; empty body has the well-known hash', () => {
  assert.equal(bodyHash(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(
    bodyHash('{"Name":"test","Id":1}\n'),
    'a29d7b4c5efd1a22011d69fd7b7aee76fe51e4083c609244228de258afd61289',
  );
  assert.equal(
    bodyHash('{"name":"aksk_1","description":"this is for device."}'),
    '702cb8a8adb99c29a07a7fb0dbaad9d8d0a7a4168873afb4a4af92d2de4c857e',
  );
});

test('V1 (Huawei SDK test): GET with only x-sdk-date signed', () => {
  const r = sign({
    method: 'GET',
    path: '/path',
    query: [['limit', '1']],
    headers: { 'X-Sdk-Date': '20060102T150405Z' },
    body: '',
    ...creds,
  });
  assert.equal(
    r.canonicalRequest,
    'GET\n/path/\nlimit=1\nx-sdk-date:20060102T150405Z\n\nx-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  );
  assert.equal(
    r.stringToSign,
    'SDK-HMAC-SHA256\n20060102T150405Z\n85c3b7730f308aee452b16138a42a914397e43a8f0d732dfa521c0ef2afa98a4',
  );
  assert.equal(
    r.authorization,
    'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624',
  );
});

test('V2 (Huawei SDK test): POST body with trailing newline; without it the signature differs', () => {
  const base = {
    method: 'POST',
    path: '/path',
    query: [['key', 'value']] as Array<[string, string]>,
    headers: { 'X-Sdk-Date': '20060102T150405Z' },
    ...creds,
  };
  const r = sign({ ...base, body: '{"Name":"test","Id":1}\n' });
  assert.equal(
    r.stringToSign,
    'SDK-HMAC-SHA256\n20060102T150405Z\n13f75ff5f5216199f986c7e7f2f77834d5e160ad9e46f37319816dc72ba7eeab',
  );
  assert.equal(r.signature, 'cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59');
  assert.equal(
    sign({ ...base, body: '{"Name":"test","Id":1}' }).signature,
    '83599e5230b5b31fb58837c5760b4c2d407542df1f9493834ead538696e17a35',
  );
});

test('V3: VIS subscription GET with x-project-id signed', () => {
  const r = sign({
    method: 'GET',
    path: `/v1/${project}/subscription`,
    query: [],
    headers: { ...visHeaders, 'X-Project-Id': project },
    body: '',
    ...creds,
  });
  assert.equal(
    r.canonicalRequest,
    `GET\n/v1/${project}/subscription/\n\ncontent-type:application/json\nhost:vis.cn-north-4.myhuaweicloud.com\nx-project-id:${project}\nx-sdk-date:20190307T101459Z\n\ncontent-type;host;x-project-id;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`,
  );
  assert.equal(
    r.stringToSign,
    'SDK-HMAC-SHA256\n20190307T101459Z\nbb08de0a2de466f7d2561b35077c5440fb6fd24ebe17071e3c54bd478ced9936',
  );
  assert.equal(
    r.authorization,
    'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=fbb2713e1bd79be3fae0413b9bc663ea183a9fbd094fd84d7707c7ad463fe621',
  );
});

test('V4: streams list with a space in a query value', () => {
  const r = sign({
    method: 'GET',
    path: `/v1/${project}/streams`,
    query: [
      ['offset', '1'],
      ['limit', '10'],
      ['order_by', 'name'],
      ['name', 'cam 1'],
    ],
    headers: visHeaders,
    body: '',
    ...creds,
  });
  assert.equal(
    r.stringToSign,
    'SDK-HMAC-SHA256\n20190307T101459Z\n12875fc45b7c79338d86f70fa22e6a1479516633221013e5cc79abc7c97f7e1c',
  );
  assert.equal(r.signature, '793f95054bebb6bc2432dcec5397293359d54cbe1b84f498d6e1fbfa9008b4ea');
});

test('V5: POST credentials/aksks with a JSON body', () => {
  const r = sign({
    method: 'POST',
    path: `/v1/${project}/credentials/aksks`,
    query: [],
    headers: visHeaders,
    body: '{"name":"aksk_1","description":"this is for device."}',
    ...creds,
  });
  assert.equal(
    r.stringToSign,
    'SDK-HMAC-SHA256\n20190307T101459Z\n14c53dad95e80552e9e56cab68c7d09d8f7ee098d5058fc22c9cd9fc326d47b3',
  );
  assert.equal(
    r.authorization,
    'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=content-type;host;x-sdk-date, Signature=1263de59fbdeac20d1fa88aaa5b3b8ed88f89e63afbde610b6032759252e1010',
  );
});

test('X-Sdk-Date is required and formatted as YYYYMMDDTHHMMSSZ', () => {
  assert.throws(
    () => sign({ method: 'GET', path: '/', query: [], headers: { Host: 'h' }, body: '', ...creds }),
    /X-Sdk-Date/,
  );
  assert.equal(sdkDate(new Date(Date.UTC(2019, 2, 7, 10, 14, 59, 123))), '20190307T101459Z');
});

test('§2.3.2 client: the canonical URI encodes the raw path once (the sent path is already percent-encoded)', async () => {
  // Huawei's signer splits the unescaped path and escapes each segment; signing the wire path
  // (`a%3Ab`) would encode it twice (`a%253Ab`) and the gateway would refuse the signature.
  let seen: { url: string; headers: Record<string, string> } | undefined;
  const fakeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    seen = { url: String(input), headers: Object.fromEntries(new Headers(init?.headers).entries()) };
    return new Response('{"result":"success"}', { status: 200, headers: { 'Content-Type': 'application/json' } });
  }) as typeof fetch;
  const at = Date.UTC(2019, 2, 7, 10, 14, 59);
  const client = new VisClient(
    {
      platform: 'huawei-vis',
      region: 'cn-north-4',
      projectId: project,
      authMode: 'aksk',
      ak: 'AccessKey',
      endpoint: 'https://vis.cn-north-4.myhuaweicloud.com',
    },
    'SecretKey',
    fakeFetch,
    () => at,
  );
  await new VisApi(client).deleteStream('cam:1 x');
  assert.ok(seen);
  assert.equal(new URL(seen.url).pathname, `/v1/${project}/streams/cam%3A1%20x`);
  const expected = sign({
    method: 'DELETE',
    path: `/v1/${project}/streams/cam:1 x`,
    query: [],
    headers: {
      'Content-Type': 'application/json',
      Host: 'vis.cn-north-4.myhuaweicloud.com',
      'X-Project-Id': project,
      'X-Sdk-Date': '20190307T101459Z',
    },
    body: '',
    ...creds,
  });
  assert.ok(expected.canonicalRequest.includes(`\n/v1/${project}/streams/cam%3A1%20x/\n`));
  assert.equal(seen.headers.authorization, expected.authorization);
});

test('§2.3.2 a sent X-Sdk-Content-Sha256 stands in for the body hash (Huawei signer)', () => {
  const r = sign({
    method: 'POST',
    path: '/path',
    query: [],
    headers: { 'X-Sdk-Date': '20060102T150405Z', 'X-Sdk-Content-Sha256': 'UNSIGNED-PAYLOAD' },
    body: '{"a":1}',
    ...creds,
  });
  assert.ok(r.canonicalRequest.endsWith('\nx-sdk-content-sha256;x-sdk-date\nUNSIGNED-PAYLOAD'));
});
