import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rawIvm } from './raw';

// §5.4 (seed 003 table 5-17) and §20.2's words over plain HTTP.

const { call } = rawIvm();

test('§5.4 the root takes no child groups ("根节点无法添加子级组织"): refused as the other root operations are', async () => {
  const r = await call('POST', '/device-orgs', { device_org_name: '一级组', parent_org_id: '0' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error_code, 'IVM.20001003');
  const under = await call('POST', '/device-orgs', { device_org_name: '二级组', parent_org_id: '1001' });
  assert.equal(under.status, 200, JSON.stringify(under.body));
});

test('§16.2 an empty new security key answers IVM.20000057 in §20.2 words: "device security_key is empty."', async () => {
  const r = await call('PUT', '/devices/21A0123456SMY01/channels/0/security-key', { new_security_key: '' });
  assert.equal(r.body.error_code, 'IVM.20000057');
  assert.equal(r.body.error_msg, 'device security_key is empty.');
});
