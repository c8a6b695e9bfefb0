import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rawIvm } from './raw';
import { ENDPOINTS } from './paths';

// §20.2 over plain HTTP: a path no endpoint has answers 404 IVM.90000007 ("Url path is
// unavailable"), a documented path asked with another method 405 IVM.90000009 ("request method
// not supported"); both used to be 400 IVM.10020001. And every endpoint of the documents' tables
// is served: none of them answers either.

const ivm = rawIvm();
const call = (method: string, path: string, body?: unknown) =>
  ivm.request<{ error_code?: string; error_msg?: string }>(method, path, body);

test('§20.2: an unknown path is 404 IVM.90000007; a documented path with another method is 405 IVM.90000009', async () => {
  const user = ivm.user;
  for (const path of [`/v1/${user}/no-such-thing`, `/v1/${user}/devices/21A0123456SMY01/no-such-thing`, '/v3/x/y']) {
    const r = await call('GET', path);
    assert.deepEqual([r.status, r.body.error_code], [404, 'IVM.90000007'], path);
  }
  // §6.2 is GET only; §8.1/§8.2 take the control lock by GET and give it back by POST (a PUT released it before).
  for (const [method, path] of [
    ['POST', `/v1/${user}/devices`],
    ['PUT', `/v1/${user}/devices/21A0123456SMY01/channels/0/control-lock`],
    ['DELETE', `/v1/${user}/devices/21A0123456SMY01/channels/0/stream-ability`],
    ['GET', `/v2/${user}/devices/channels/media/live-connections`],
  ] as const) {
    const r = await call(method, path, method === 'GET' ? undefined : {});
    assert.deepEqual([r.status, r.body.error_code], [405, 'IVM.90000009'], `${method} ${path}`);
  }
  // The token still comes first: no token is 401 whatever the path.
  const anonymous = await fetch(`${ivm.emu.baseUrl}/v1/${user}/no-such-thing`);
  assert.equal(anonymous.status, 401);
});

test('every endpoint of the documents’ tables is served (none answers 404 or 405)', async () => {
  const user = ivm.user;
  const missing: string[] = [];
  for (const [methods, template] of ENDPOINTS) {
    // Placeholders get ids nothing has: the answer may refuse them, but not as an unknown path.
    const path = template.replace('{user_id}', user).replace(/\{[a-z_]+\}/g, 'nosuch');
    for (const method of methods.split(' ')) {
      if (template.endsWith('/access-token')) continue; // issues tokens: served before the token check
      const r = await call(method, path, method === 'GET' ? undefined : {});
      if (r.status === 404 || r.status === 405) missing.push(`${method} ${template}: ${r.body.error_code}`);
    }
  }
  assert.deepEqual(missing, []);
});
