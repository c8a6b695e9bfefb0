import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { accountScope } from '../../main/net/account-scope';
import { isPrivateAddress } from '../../main/net/private-address';
import { siteBlock } from '../../main/net/site-range';
import { MediaRelay } from '../../main/media/relay';
import { AccountConfig } from '../../preload/contract';

// An on-premises platform: "localhost" stands for the platform's name that the site's DNS answers
// with a private address (127.0.0.1 here, the only private address a test can listen on), so the
// relay judges it by what it resolves to, as it would judge vms.depot.example → 192.168.40.2.
const isPrivate = (h: string) => h !== 'localhost' && isPrivateAddress(h);
let server: http.Server;
let port = 0;
const seen: string[] = [];

before(async () => {
  server = http.createServer((req, res) => {
    seen.push(req.url!);
    if (req.url === '/live.flv') return res.writeHead(200, { 'Content-Type': 'video/x-flv' }).end('FLV\x01');
    if (req.url === '/live/index.m3u8')
      return res
        .writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl' })
        .end(`#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nseg1.ts\n#EXTINF:1,\nhttp://192.168.1.1/cgi-bin/reboot\n`);
    if (req.url === '/live/seg1.ts') return res.writeHead(200, { 'Content-Type': 'video/mp2t' }).end('SEG1');
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
});
after(() => server.close());

const config = (onPremises: boolean) =>
  AccountConfig.parse({
    platform: 'huawei-ivm',
    userId: '123456789012345',
    ak: 'AK',
    // Plain http needs the choice; without it the operator would have typed https.
    endpoint: `${onPremises ? 'http' : 'https'}://vms.depot.example:${port}`,
    ...(onPremises ? { onPremises } : {}),
  });
// The site's DNS: the platform's name answers the private address the test's server is on.
const siteDns = async () => [{ address: '127.0.0.1' }];

async function relayed(onPremises: boolean, path: string, kind: 'flv' | 'hls') {
  const relay = new MediaRelay({ isPrivate });
  const scope = await accountScope('Depot', config(onPremises), siteDns);
  const url = `http://localhost:${port}${path}`;
  relay.issue(url, {}, { ...scope, host: 'localhost' });
  return { relay, local: await relay.open(url, kind) };
}

test('marked "runs on my network": its streams on a name resolving into its range are relayed', async () => {
  const { relay, local } = await relayed(true, '/live.flv', 'flv');
  try {
    const before = seen.length;
    const res = await fetch(local);
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    assert.deepEqual(seen.slice(before), ['/live.flv'], 'the platform was asked');
  } finally {
    relay.close();
  }
});

test('not marked: the same stream is refused, and the refusal names the account and the choice', async () => {
  const before = seen.length;
  const { relay, local } = await relayed(false, '/live.flv', 'flv');
  try {
    const res = await fetch(local);
    assert.equal(res.status, 403);
    assert.equal(
      await res.text(),
      `the stream names localhost, which resolves to 127.0.0.1, a private address, and account "Depot" is not marked "this platform runs on my network": not fetched`,
    );
    assert.equal(seen.length, before, 'nothing was asked of the private host');
  } finally {
    relay.close();
  }
});

test('marked: its playlist’s own segments are fetched; a host in another private range is not', async () => {
  const { relay, local } = await relayed(true, '/live/index.m3u8', 'hls');
  try {
    const lane = new URL(local).origin;
    const segs = (await (await fetch(local)).text()).split('\n').filter((l) => l && !l.startsWith('#'));
    assert.equal(segs.length, 2);
    assert.equal(await (await fetch(lane + segs[0])).text(), 'SEG1');
    const other = await fetch(lane + segs[1]);
    assert.equal(other.status, 403);
    assert.equal(
      await other.text(),
      'the stream names 192.168.1.1, outside the network of account "Depot" (127.0.0.0/8): not fetched',
    );
  } finally {
    relay.close();
  }
});

test('a token goes over plain http to the marked account’s own host only', () => {
  const relay = new MediaRelay({ isPrivate });
  const scope = { account: 'Depot', onPremises: true, host: 'vms.depot.example', block: siteBlock('192.168.40.2') };
  relay.issue('http://vms.depot.example/live.flv', { 'X-Auth-Token': 't' }, scope);
  assert.throws(() => relay.issue('http://cdn.depot.example/live.flv', { 'X-Auth-Token': 't' }, scope), {
    code: 'NOT_AVAILABLE',
  });
  assert.throws(
    () => relay.issue('http://vms.depot.example/live.flv', { 'X-Auth-Token': 't' }, { ...scope, onPremises: false }),
    { code: 'NOT_AVAILABLE' },
  );
  relay.close();
});
