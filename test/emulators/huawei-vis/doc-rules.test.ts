import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sdkDate, sign } from '../../../main/platforms/huawei-vis/sign';
import { VisEmulator } from './emulator';

// Rules of the vendor document (seed 004, cited as "seed L<n>") the emulator must follow, checked
// with hand-built requests: credentials in use, the refusals' statuses, ANONYMOUS credentials,
// the unsubscribed reply, the statistics' strategy state and the AK/SK body limit.

let vis: VisEmulator;
let token: string;

async function iamToken(emu: VisEmulator): Promise<string> {
  const c = emu.credentials;
  const res = await fetch(`${emu.iamBaseUrl}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: c.user, password: c.password, domain: { name: c.domain } } },
        },
        scope: { project: { name: emu.region } },
      },
    }),
  });
  assert.equal(res.status, 201);
  return res.headers.get('x-subject-token')!;
}

before(async () => {
  vis = await new VisEmulator({ seed: false, registerAfterMs: null, inviteAfterMs: 10 }).start();
  token = await iamToken(vis);
});
after(() => vis?.stop());

interface Answer {
  status: number;
  body: Record<string, unknown> & { error_code?: string; error_msg?: string };
}

async function call(
  method: string,
  route: string,
  body?: unknown,
  headers: Record<string, string> = { 'X-Auth-Token': token },
  emu = vis,
): Promise<Answer> {
  const res = await fetch(`${emu.baseUrl}/v1/${emu.projectId}${route}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Answer['body']) : {} };
}

/** A device of `credential`, registered (ONLINE), with its one IPC channel. */
async function onlineDevice(credential: string): Promise<string> {
  const created = await call('POST', '/devices', { type: 'IPC', username: credential });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const id = (created.body.device_id_list as string[])[0]!;
  vis.registerDevice(id);
  return id;
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('an ANONYMOUS credential in use cannot be deleted (seed L3599, VIS.0108) nor its password changed while a device is INVITE_SUCCESS (seed L3600, VIS.0109)', async () => {
  const cred = await call('POST', '/credentials/codes', { type: 'ANONYMOUS', password: 'Anon#2024x' });
  assert.equal(cred.status, 200, JSON.stringify(cred.body));
  const name = cred.body.username as string;
  const id = await onlineDevice(name);
  // seed L2107: the device registers with its own ID as the user name.
  assert.equal((await call('GET', `/devices/${id}`)).body.username, id);

  const del = await call('DELETE', `/credentials/codes/${name}`);
  assert.deepEqual([del.status, del.body.error_code], [400, 'VIS.0108']);

  assert.equal((await call('PUT', `/devices/${id}/channels/${id}`, { state: 'ACTIVE' })).status, 200);
  await until('INVITE_SUCCESS', async () => {
    const d = await call('GET', `/devices/${id}`);
    return (d.body.channels as Array<{ invitation_status: string }>)[0]!.invitation_status === 'INVITE_SUCCESS';
  });
  const change = await call('PUT', `/credentials/codes/${name}`, {
    password: 'Anon#2024x',
    new_password: 'Anon-2025y',
  });
  assert.deepEqual([change.status, change.body.error_code], [400, 'VIS.0109']);
});

test('a body that is not JSON is VIS.0001 with the table’s 403 (seed L3557-3561 example, L3573 table)', async () => {
  const r = await call('POST', '/streams', '{not json');
  assert.equal(r.status, 403);
  assert.equal(r.body.error_code, 'VIS.0001');
  assert.match(r.body.error_msg!, /Request body is not a valid json object\./);
});

test('an Authorization header that does not verify, malformed or of another scheme, is a 401 (seed L3523); none at all stays 403 VIS.0001', async () => {
  for (const authorization of [
    'SDK-HMAC-SHA256,Access=x',
    'sdk-hmac-sha256 Access=x, SignedHeaders=x-sdk-date, Signature=00',
    'Bearer abc',
  ]) {
    const r = await call('GET', '/subscription', undefined, { Authorization: authorization });
    assert.equal(r.status, 401, authorization);
    assert.equal(r.body.error_code, 'APIGW.0301', authorization);
  }
  const none = await call('GET', '/subscription', undefined, {});
  assert.deepEqual([none.status, none.body.error_code], [403, 'VIS.0001']);
});

test('creating an ANONYMOUS credential ignores username (seed L2106): not validated, not used as its name', async () => {
  const bad = await call('POST', '/credentials/codes', {
    type: 'anonymous',
    username: 'bad name!',
    password: 'Abcdef1#x',
  });
  assert.equal(bad.status, 200, JSON.stringify(bad.body));
  assert.notEqual(bad.body.username, 'bad name!');
  assert.equal(bad.body.type, 'anonymous');
  // A username equal to the password's reverse, or to a taken name, is ignored as well (no VIS.0105, no VIS.0101).
  assert.equal(
    (await call('POST', '/credentials/codes', { username: 'taken01', password: 'Taken#2024x' })).status,
    200,
  );
  const reversed = await call('POST', '/credentials/codes', {
    type: 'ANONYMOUS',
    username: 'Abc12345',
    password: '54321cbA',
  });
  assert.equal(reversed.status, 200, JSON.stringify(reversed.body));
  const taken = await call('POST', '/credentials/codes', {
    type: 'ANONYMOUS',
    username: 'taken01',
    password: 'Taken#2024x',
  });
  assert.equal(taken.status, 200, JSON.stringify(taken.body));
  assert.notEqual(taken.body.username, 'taken01');
  // NORMAL still requires it.
  const normal = await call('POST', '/credentials/codes', { password: 'Normal#2024x' });
  assert.deepEqual([normal.status, normal.body.error_code], [404, 'VIS.0005']);
});

test('GET /subscription before subscribing can answer 200 is_subscribed:false (seed L652) when asked; 404 VIS.0015 by default', async () => {
  const emu = await new VisEmulator({
    subscribed: false,
    seed: false,
    unsubscribedReply: 'is_subscribed_false',
  }).start();
  const plain = await new VisEmulator({ subscribed: false, seed: false }).start();
  try {
    const headers = { 'X-Auth-Token': await iamToken(emu) };
    const r = await call('GET', '/subscription', undefined, headers, emu);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.is_subscribed, false);
    assert.equal((await call('POST', '/subscription', undefined, headers, emu)).status, 200);
    assert.equal((await call('GET', '/subscription', undefined, headers, emu)).body.is_subscribed, true);

    const d = await call('GET', '/subscription', undefined, { 'X-Auth-Token': await iamToken(plain) }, plain);
    assert.deepEqual([d.status, d.body.error_code], [404, 'VIS.0015']);
  } finally {
    await emu.stop();
    await plain.stop();
  }
});

test('the statistics lists report an enabled access strategy as STARTED (seed L2714, L2843); the device reads keep ACTIVE (seed L1774)', async () => {
  assert.equal(
    (await call('POST', '/credentials/codes', { username: 'stats01', password: 'Stats#2024x' })).status,
    200,
  );
  const id = await onlineDevice('stats01');
  const strategy = {
    start_time: '08:00',
    end_time: '09:00',
    total_length: 30,
    periodicity: 'DAY',
    random_strategy: 'RANDOM',
    state: 'ACTIVE',
  };
  const put = await call('PUT', `/devices/${id}/channels/${id}/access-strategy`, strategy);
  assert.equal(put.status, 200, JSON.stringify(put.body));
  type Listed = Array<{ device_id: string; channels: Array<{ access_strategy?: { state: string } }> }>;
  for (const list of ['pastOnlineDeviceList', 'todayNewOnlineDeviceList']) {
    const r = await call('GET', `/operation/${list}?device_id=${id}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const listed = (r.body as unknown as Listed).find((d) => d.device_id === id)!;
    assert.equal(listed.channels[0]!.access_strategy?.state, 'STARTED', list);
  }
  const one = await call('GET', `/devices/${id}`);
  assert.equal((one.body as unknown as Listed[number]).channels[0]!.access_strategy?.state, 'ACTIVE');
  const all = await call('GET', `/devices?device_id=${id}`);
  assert.equal((all.body as unknown as Listed)[0]!.channels[0]!.access_strategy?.state, 'ACTIVE');
});

test('an AK/SK-signed body above 12 MB is refused with 413 (seed L423); the same body with a token is not', async () => {
  const path = `/v1/${vis.projectId}/streams`;
  const body = JSON.stringify({
    name: 'big_body',
    access_type: 'RTMP',
    encode_type: 'H264',
    padding: 'x'.repeat(13 * 1024 * 1024),
  });
  const signedPost = (payload: string) => {
    const headers = { 'Content-Type': 'application/json', 'X-Sdk-Date': sdkDate(new Date()) };
    const { authorization } = sign({ method: 'POST', path, query: [], headers, body: payload, ...vis.credentials });
    return call('POST', '/streams', payload, { ...headers, Authorization: authorization });
  };
  const big = await signedPost(body);
  assert.deepEqual([big.status, big.body.error_code], [413, 'APIGW.0201']);
  const small = await signedPost(JSON.stringify({ name: 'small_body', access_type: 'RTMP', encode_type: 'H264' }));
  assert.equal(small.status, 200, JSON.stringify(small.body));
  const viaToken = await call('POST', '/streams', body);
  assert.equal(viaToken.status, 200, JSON.stringify(viaToken.body));
});
