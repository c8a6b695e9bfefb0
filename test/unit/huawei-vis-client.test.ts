import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VisApi } from '../../main/platforms/huawei-vis/api';
import { VisClient } from '../../main/platforms/huawei-vis/client';
import { sign } from '../../main/platforms/huawei-vis/sign';
import { z } from 'zod';

// The VIS client's IAM token handling against scripted replies (spec huawei-vis.md §2.1).

const project = 'e9993fc787d94b6c886cbaa340f9c0f4';
const subscription = { is_subscribed: true, sip_ip: '10.95.144.196', sip_port: '5080' };

function scripted(visReplies: Array<{ status: number; body: unknown }>) {
  const calls: Array<{ url: string; token?: string }> = [];
  let tokens = 0;
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    const headers = new Headers(init?.headers);
    calls.push({ url, token: headers.get('x-auth-token') ?? undefined });
    if (url.endsWith('/v3/auth/tokens')) {
      tokens++;
      return new Response('{"token":{}}', { status: 201, headers: { 'X-Subject-Token': `token-${tokens}` } });
    }
    const next = visReplies.shift() ?? { status: 200, body: subscription };
    return new Response(JSON.stringify(next.body), {
      status: next.status,
      headers: { 'Content-Type': 'application/json' },
    });
  }) as typeof fetch;
  const client = new VisClient(
    {
      platform: 'huawei-vis',
      region: 'cn-north-4',
      projectId: project,
      authMode: 'token',
      domain: 'domainname',
      user: 'username',
      endpoint: 'https://vis.cn-north-4.myhuaweicloud.com',
      iamEndpoint: 'https://iam.cn-north-4.myhuaweicloud.com',
    },
    'password',
    fetchImpl,
  );
  return { api: new VisApi(client), calls, tokenCount: () => tokens };
}

test('§2.1 a 403 VIS.0001 (token refused) fetches a new token once and retries', async () => {
  const s = scripted([{ status: 403, body: { error_code: 'VIS.0001', error_msg: 'Token authentication failed' } }]);
  const sub = await s.api.getSubscription();
  assert.equal(sub.is_subscribed, true);
  assert.equal(s.tokenCount(), 2);
  assert.deepEqual(
    s.calls.filter((c) => c.url.includes('/subscription')).map((c) => c.token),
    ['token-1', 'token-2'],
  );
});

test('§2.1 a 401 from the gateway (APIGW.0301, expired token) also fetches a new token once and retries', async () => {
  // The spec (§2.1 INFER) has the client refresh on VIS.0001, 401 or 403; Huawei's API gateway
  // answers an expired or revoked token with 401 APIGW.0301 before VIS sees the call.
  const s = scripted([
    { status: 401, body: { error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information' } },
  ]);
  const sub = await s.api.getSubscription();
  assert.equal(sub.is_subscribed, true);
  assert.equal(s.tokenCount(), 2);
});

test('§2.1 a refusal that persists after one new token is reported, not looped on', async () => {
  const refusal = { status: 403, body: { error_code: 'VIS.0001', error_msg: 'Token authentication failed' } };
  const s = scripted([refusal, refusal, refusal]);
  await assert.rejects(s.api.getSubscription(), (e: { vendorCode?: string }) => e.vendorCode === 'VIS.0001');
  assert.equal(s.tokenCount(), 2);
});

test('§4.1.2 a 403 that is not a token refusal (VIS.0004 not subscribed) does not fetch a new token', async () => {
  const s = scripted([{ status: 403, body: { error_code: 'VIS.0004', error_msg: 'Service not subscribed' } }]);
  await assert.rejects(s.api.getSubscription(), (e: { vendorCode?: string }) => e.vendorCode === 'VIS.0004');
  assert.equal(s.tokenCount(), 1);
});

test('§2.1 a gateway 401 that persists in token mode is explained as a token refusal, not an AK/SK one', async () => {
  const refusal = {
    status: 401,
    body: { error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information' },
  };
  const s = scripted([refusal, refusal]);
  await assert.rejects(s.api.getSubscription(), (e: Error) => /IAM token/.test(e.message) && !/AK\/SK/.test(e.message));
});

test("§2.3 AK/SK: the query goes on the wire as it was signed (space as %20, not a form's +), so a gateway decoding RFC 3986 signs the same", async () => {
  let sent: { url: string; authorization: string; date: string } | undefined;
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    sent = {
      url: String(input),
      authorization: headers.get('authorization') ?? '',
      date: headers.get('x-sdk-date') ?? '',
    };
    return new Response(JSON.stringify(subscription), { status: 200, headers: { 'Content-Type': 'application/json' } });
  }) as typeof fetch;
  const client = new VisClient(
    { platform: 'huawei-vis', region: 'cn-north-4', projectId: project, authMode: 'aksk', ak: 'AKEXAMPLE' },
    'SKEXAMPLE',
    fetchImpl,
    () => Date.UTC(2026, 10, 24, 12, 0, 0),
  );
  const value = 'Gate 1 (north)+*';
  await client.call(z.unknown(), { method: 'GET', path: '/streams', query: [['name', value]], what: 'list streams' });
  assert.ok(sent);
  const url = new URL(sent.url);
  assert.match(url.search, /name=Gate%201%20%28north%29%2B%2A/);
  assert.doesNotMatch(url.search, /\+/);
  // The gateway's side: split the raw query and decode each part as RFC 3986 does ('+' stays '+').
  const query = url.search
    .slice(1)
    .split('&')
    .map((p) => p.split('=').map(decodeURIComponent) as [string, string]);
  assert.deepEqual(query, [['name', value]]);
  const expected = sign({
    method: 'GET',
    path: url.pathname,
    query,
    headers: { 'Content-Type': 'application/json', 'X-Project-Id': project, 'X-Sdk-Date': sent.date, Host: url.host },
    body: '',
    ak: 'AKEXAMPLE',
    sk: 'SKEXAMPLE',
  });
  assert.equal(sent.authorization, expected.authorization);
});
