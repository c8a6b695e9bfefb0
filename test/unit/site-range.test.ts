import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accountHost, accountScope } from '../../main/net/account-scope';
import { isPrivateAddress } from '../../main/net/private-address';
import { inBlock, refusal, siteBlock, type NetworkScope } from '../../main/net/site-range';
import { AccountConfig } from '../../preload/contract';

test('a site block is the RFC 1918 / shared / unique-local /48 / loopback block of the host', () => {
  const cases: Array<[string, string | null]> = [
    ['10.20.30.40', '10.0.0.0/8'],
    ['172.16.0.1', '172.16.0.0/12'],
    ['172.31.255.254', '172.16.0.0/12'],
    ['192.168.7.9', '192.168.0.0/16'],
    ['100.64.0.1', '100.64.0.0/10'],
    ['127.0.0.1', '127.0.0.0/8'],
    ['::1', '::1/128'],
    ['[fd12:3456:789a:1::5]', 'fd12:3456:789a::/48'],
    ['::ffff:192.168.1.2', '192.168.0.0/16'],
    // No site: public, link-local (cloud metadata), unspecified, old site-local, local NAT64, names.
    ['8.8.8.8', null],
    ['172.32.0.1', null],
    ['100.128.0.1', null],
    ['169.254.169.254', null],
    ['0.0.0.0', null],
    ['fe80::1', null],
    ['fec0::1', null],
    ['64:ff9b:1::a00:1', null],
    ['2002:c0a8:101::1', null],
    ['platform.example', null],
  ];
  for (const [address, name] of cases) assert.equal(siteBlock(address)?.name ?? null, name, address);
});

test('inside the same block, and not across blocks or families', () => {
  const lan = siteBlock('192.168.1.10')!;
  assert.equal(inBlock(lan, '192.168.200.3'), true);
  assert.equal(inBlock(lan, '::ffff:c0a8:0203'), true, 'IPv4-mapped, as a URL writes it');
  assert.equal(inBlock(lan, '192.169.0.1'), false);
  assert.equal(inBlock(lan, '10.0.0.1'), false);
  assert.equal(inBlock(lan, '127.0.0.1'), false);
  assert.equal(inBlock(lan, '169.254.169.254'), false);
  const ula = siteBlock('fd00:1:2::9')!;
  assert.equal(inBlock(ula, 'fd00:1:2:ffff::1'), true);
  assert.equal(inBlock(ula, 'fd00:1:3::1'), false, 'another site’s /48');
  assert.equal(inBlock(ula, '192.168.1.1'), false);
});

const scope = (over: Partial<NetworkScope>): NetworkScope => ({
  account: 'Depot',
  onPremises: true,
  host: 'vms.depot.lan',
  block: siteBlock('10.1.2.3'),
  ...over,
});

test('refusal: public addresses always; private ones only inside the account’s own network', () => {
  assert.equal(refusal(null, '203.0.113.5', isPrivateAddress), null);
  assert.equal(refusal(scope({}), '10.200.0.9', isPrivateAddress), null);
  assert.equal(refusal(scope({}), '203.0.113.5', isPrivateAddress), null);
  assert.equal(refusal(null, '10.200.0.9', isPrivateAddress), 'a private address');
  assert.equal(
    refusal(scope({}), '192.168.1.1', isPrivateAddress),
    'outside the network of account "Depot" (10.0.0.0/8)',
  );
  assert.equal(
    refusal(scope({}), '169.254.169.254', isPrivateAddress),
    'outside the network of account "Depot" (10.0.0.0/8)',
    'cloud metadata is never a site',
  );
  assert.equal(
    refusal(scope({ onPremises: false, block: null }), '10.1.2.3', isPrivateAddress),
    'a private address, and account "Depot" is not marked "this platform runs on my network"',
  );
  assert.equal(
    refusal(scope({ block: null }), '10.1.2.3', isPrivateAddress),
    'a private address, and the host of account "Depot" (vms.depot.lan) is not on a private network',
  );
  // A name: refused by name without a site; judged by what it resolves to (at connect) with one.
  assert.equal(refusal(null, 'localhost', isPrivateAddress), 'a private address');
  assert.equal(refusal(scope({}), 'localhost', isPrivateAddress), null);
});

const config = (over: Record<string, unknown>) =>
  AccountConfig.parse({ platform: 'huawei-ivm', userId: '123456789012345', ak: 'AK', ...over });
const lookup = (answers: Record<string, string[]>) => async (host: string) => {
  if (!answers[host]) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
  return answers[host].map((address) => ({ address }));
};

test('an account’s scope: its choice and the block its host resolves to (split-horizon DNS)', async () => {
  const dns = lookup({ 'ivm.depot.example': ['192.168.40.2'], 'api-ivm.myhuaweicloud.com': ['121.36.0.1'] });
  const onPrem = await accountScope('Depot', config({ endpoint: 'https://ivm.depot.example', onPremises: true }), dns);
  assert.equal(onPrem.block?.name, '192.168.0.0/16');
  assert.equal(onPrem.host, 'ivm.depot.example');
  // The same name without the choice: public addresses only.
  const cloud = await accountScope('Depot', config({ endpoint: 'https://ivm.depot.example' }), dns);
  assert.equal(cloud.block, null);
  assert.equal(cloud.onPremises, false);
  // The choice on a public host changes nothing about addresses.
  assert.equal((await accountScope('C', config({ onPremises: true }), dns)).block, null);
  // A literal, a host that does not resolve, this computer (the emulators, without the choice).
  assert.equal(
    (await accountScope('L', config({ endpoint: 'http://10.9.8.7:8080', onPremises: true }), dns)).block?.name,
    '10.0.0.0/8',
  );
  assert.equal(
    (await accountScope('N', config({ endpoint: 'https://gone.example', onPremises: true }), dns)).block,
    null,
  );
  assert.equal(
    (await accountScope('E', config({ endpoint: 'http://127.0.0.1:9000' }), dns)).block?.name,
    '127.0.0.0/8',
  );
  assert.equal(accountHost(config({ endpoint: 'http://[fd00::5]:81', onPremises: true })), 'fd00::5');
});

test('plain http to a LAN host needs the choice; this computer never does; https always passes', () => {
  const lan = { platform: 'huawei-ivm', userId: '123456789012345', ak: 'AK', endpoint: 'http://192.168.1.5:8080' };
  const refused = AccountConfig.safeParse(lan);
  assert.equal(refused.success, false);
  assert.deepEqual(refused.error?.issues[0]?.path, ['endpoint']);
  assert.match(refused.error?.issues[0]?.message ?? '', /^validation\.httpsOrOnPremises\|/);
  assert.equal(AccountConfig.safeParse({ ...lan, onPremises: true }).success, true);
  assert.equal(AccountConfig.safeParse({ ...lan, onPremises: false }).success, false);
  assert.equal(AccountConfig.safeParse({ ...lan, endpoint: 'http://127.0.0.1:8080' }).success, true);
  assert.equal(AccountConfig.safeParse({ ...lan, endpoint: 'https://192.168.1.5' }).success, true);
  // The VIS IAM host is one of the account's hosts too.
  const vis = {
    platform: 'huawei-vis',
    region: 'cn-north-4',
    projectId: '0'.repeat(32),
    authMode: 'token',
    domain: 'd',
    user: 'u',
    iamEndpoint: 'http://iam.depot.lan',
  };
  assert.equal(AccountConfig.safeParse(vis).success, false);
  assert.equal(AccountConfig.safeParse({ ...vis, onPremises: true }).success, true);
  assert.equal(AccountConfig.safeParse({ ...lan, onPremises: 'yes' }).success, false, 'a boolean only');
});
