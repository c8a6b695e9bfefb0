import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { isPrivateAddress } from '../../main/media/hls-playlist';
import { LANE_STREAMS, MAX_LANES, MediaRelay } from '../../main/media/relay';

// HLS through main's relay: a platform host that serves playlists and a CDN host (another port)
// that serves segments. The renderer must reach both through loopback relay addresses only.
let platform: http.Server;
let cdn: http.Server;
let P = '';
let C = '';
const seen: { host: 'platform' | 'cdn'; url: string; token?: string; range?: string }[] = [];
const relay = new MediaRelay();
const APP = 'http://127.0.0.1:4000';
relay.allowOrigins([APP]);
const open = (url: string, headers?: Record<string, string>) => {
  relay.issue(url, headers);
  return relay.open(url, 'hls');
};

const BIG = 16 * 1024 * 1024;

const listen = async (s: http.Server) => {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
};

before(async () => {
  platform = http.createServer((req, res) => {
    seen.push({ host: 'platform', url: req.url!, token: req.headers['x-auth-token'] as string | undefined });
    if (req.url === '/live/index.m3u8?sig=1')
      return res
        .writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl' })
        .end(`#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nseg1.ts?t=9\n#EXTINF:1,\n${C}/edge/seg2.ts\n`);
    if (req.url === '/live/seg1.ts?t=9') return res.writeHead(200, { 'Content-Type': 'video/mp2t' }).end('SEG1');
    if (req.url === '/live/big.m3u8')
      return res
        .writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl' })
        .end(`#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n${C}/edge/big.ts\n`);
    if (req.url?.startsWith('/rec/index.m3u8'))
      return res
        .writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl' })
        .end('#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nseg1.ts\n#EXT-X-ENDLIST\n');
    if (req.url === '/rec/seg1.ts') return res.writeHead(200, { 'Content-Type': 'video/mp2t' }).end('REC1');
    if (req.url === '/live/html.m3u8') return res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>');
    if (req.url === '/live/huge.m3u8') {
      res.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl' });
      res.write('#EXTM3U\n');
      return res.end(Buffer.alloc(3 * 1024 * 1024, 0x23));
    }
    res.writeHead(404).end();
  });
  cdn = http.createServer((req, res) => {
    seen.push({
      host: 'cdn',
      url: req.url!,
      token: req.headers['x-auth-token'] as string | undefined,
      range: req.headers.range,
    });
    if (req.url === '/edge/seg2.ts') {
      if (req.headers.range === 'bytes=0-1')
        return res.writeHead(206, { 'Content-Type': 'video/mp2t', 'Content-Range': 'bytes 0-1/4' }).end('SE');
      return res.writeHead(200, { 'Content-Type': 'video/mp2t' }).end('SEG2');
    }
    if (req.url === '/edge/big.ts')
      return void (async () => {
        res.writeHead(200, { 'Content-Type': 'video/mp2t' });
        for (let sent = 0; sent < BIG && !res.destroyed; sent += 64 * 1024)
          if (!res.write(Buffer.alloc(64 * 1024, 0x47))) await new Promise((r) => res.once('drain', r));
        res.end();
      })();
    res.writeHead(404).end();
  });
  P = await listen(platform);
  C = await listen(cdn);
});
after(() => {
  relay.close();
  for (const s of [platform, cdn]) {
    s.closeAllConnections();
    s.close();
  }
});

test('a playlist is rewritten to relay addresses; its segments, on the platform and on a CDN host, come through', async () => {
  const url = await open(`${P}/live/index.m3u8?sig=1`, { 'X-Auth-Token': 'tok' });
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/hls\/[0-9a-f]{32}\/0\/index\.m3u8$/);
  const res = await fetch(url, { headers: { Origin: APP } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), APP);
  assert.match(res.headers.get('content-type')!, /mpegurl/);
  const text = await res.text();
  const lane = new URL(url).origin;
  const segs = text.split('\n').filter((l) => l && !l.startsWith('#'));
  assert.equal(segs.length, 2);
  assert.ok(
    segs.every((s) => s.startsWith('/hls/')),
    'only relay paths in the playlist',
  );
  assert.ok(!text.includes(P) && !text.includes(C) && !text.includes('tok'), 'no upstream address or token left');
  assert.equal(await (await fetch(lane + segs[0])).text(), 'SEG1');
  assert.equal(await (await fetch(lane + segs[1])).text(), 'SEG2');
  const ranged = await fetch(lane + segs[1], { headers: { Range: 'bytes=0-1' } });
  assert.equal(ranged.status, 206, 'ranges pass through');
  assert.equal(ranged.headers.get('content-range'), 'bytes 0-1/4');
  assert.equal(await ranged.text(), 'SE');
  // the platform token went to the platform's origin only, never to the CDN host
  assert.ok(seen.filter((s) => s.host === 'platform').every((s) => s.token === 'tok'));
  assert.ok(seen.filter((s) => s.host === 'cdn').every((s) => s.token === undefined));
  // the same playlist asked again names the same relay paths (hls.js compares segment URLs)
  const again = await (await fetch(url)).text();
  assert.deepEqual(
    again.split('\n').filter((l) => l && !l.startsWith('#')),
    segs,
  );
});

test('only what a playlist named is fetched: other ids, other paths and other methods are refused', async () => {
  const url = await open(`${P}/live/index.m3u8?sig=1`);
  const lane = new URL(url);
  const key = lane.pathname.split('/')[2]!;
  const before = seen.length;
  assert.equal((await fetch(`${lane.origin}/hls/${key}/99/x.ts`)).status, 404, 'an id nothing named');
  assert.equal((await fetch(`${lane.origin}/hls/${'0'.repeat(32)}/0/index.m3u8`)).status, 403, 'unknown ticket');
  assert.equal((await fetch(`${lane.origin}/hls/${key}/0/index.m3u8?url=http://169.254.169.254/`)).status, 200);
  assert.equal((await fetch(url, { method: 'POST', body: 'x' })).status, 403, 'GET only');
  assert.equal((await fetch(url, { headers: { Origin: 'https://evil.example' } })).status, 403, 'foreign origin');
  const fetched = seen.slice(before).map((s) => s.url);
  assert.deepEqual(fetched, ['/live/index.m3u8?sig=1'], "the renderer's query is not forwarded");
  await assert.rejects(relay.open(`${P}/live/never-issued.m3u8`, 'hls'), /only the stream addresses/);
});

test('an answer that is not a playlist, or too large to be one, is a 502 with the reason', async () => {
  const html = await fetch(await open(`${P}/live/html.m3u8`));
  assert.equal(html.status, 502);
  assert.match(await html.text(), /not an HLS playlist/);
  const huge = await fetch(await open(`${P}/live/huge.m3u8`));
  assert.equal(huge.status, 502);
  assert.match(await huge.text(), /larger than 2 MiB/);
  const missing = await fetch(await open(`${P}/live/gone.m3u8`));
  assert.equal(missing.status, 404, "the platform's status passes through");
  assert.match(await missing.text(), /upstream HTTP 404/);
});

test('an HLS stream takes two of a lane’s five places; its ticket lapses when the player stops asking', async () => {
  const r = new MediaRelay({ ticketTtlMs: 300, hlsIdleMs: 300 });
  try {
    const urls: string[] = [];
    for (let i = 0; i < 3; i++) {
      r.issue(`${P}/live/index.m3u8?sig=1#${i}`);
      urls.push(await r.open(`${P}/live/index.m3u8?sig=1#${i}`, 'hls'));
    }
    assert.equal(LANE_STREAMS, 5);
    assert.equal(r.lanePorts.length, 2, 'two HLS streams per lane');
    for (let i = 0; i < 4; i++) {
      assert.equal((await fetch(urls[0]!)).status, 200, 'an HLS ticket is used many times while asked');
      await new Promise((x) => setTimeout(x, 200));
    }
    // Nobody asks any more: every ticket lapses and its lane closes.
    for (let i = 0; i < 40 && r.lanePorts.length > 0; i++) await new Promise((x) => setTimeout(x, 100));
    assert.equal(r.lanePorts.length, 0, 'lapsed HLS tickets closed their lanes');
  } finally {
    r.close();
  }
});

test("a recording's ticket outlives a live stream's idle: its player, the rest buffered or paused, asks nothing for minutes and seeks back", async () => {
  const r = new MediaRelay({ ticketTtlMs: 300, hlsIdleMs: 300 });
  try {
    r.issue(`${P}/rec/index.m3u8`);
    const url = await r.open(`${P}/rec/index.m3u8`, 'hls');
    const playlist = await (await fetch(url)).text();
    const segment = new URL(playlist.split('\n').find((l) => l && !l.startsWith('#'))!, url).toString();
    assert.equal(await (await fetch(segment)).text(), 'REC1');
    // Several idle times and sweeps with nothing asked (a live ticket lapses in this time, above).
    await new Promise((x) => setTimeout(x, 1500));
    const again = await fetch(segment);
    assert.equal(again.status, 200, 'the player seeking back still has its ticket');
    assert.equal(await again.text(), 'REC1');
  } finally {
    r.close();
  }
});

test("lanes full, the recordings' tickets asked longest ago make room; one asked lately stays", async () => {
  const r = new MediaRelay({ ticketTtlMs: 60_000, hlsIdleMs: 1500 });
  try {
    // Every lane full of recordings (two a lane), each asked for its playlist once.
    const tickets: string[] = [];
    for (let i = 0; i < MAX_LANES * Math.floor(LANE_STREAMS / 2); i++) {
      r.issue(`${P}/rec/index.m3u8?n=${i}`);
      const url = await r.open(`${P}/rec/index.m3u8?n=${i}`, 'hls');
      assert.equal((await fetch(url)).status, 200);
      tickets.push(url);
    }
    r.issue(`${P}/rec/index.m3u8?n=new`);
    await assert.rejects(
      r.open(`${P}/rec/index.m3u8?n=new`, 'hls'),
      /at most \d+ streams/,
      'all asked lately: refused',
    );
    // The first asked again: the second is now the one asked longest ago.
    await new Promise((x) => setTimeout(x, 200));
    assert.equal((await fetch(tickets[0]!)).status, 200, 'the first asked again');
    await new Promise((x) => setTimeout(x, 1600)); // every one idle past a live stream's idle now
    r.issue(`${P}/rec/index.m3u8?n=new`);
    const fresh = await r.open(`${P}/rec/index.m3u8?n=new`, 'hls');
    assert.equal((await fetch(fresh)).status, 200, 'a lane was made room on');
    assert.equal((await fetch(tickets[1]!)).status, 403, 'the recording asked longest ago went');
    assert.equal((await fetch(tickets[0]!)).status, 200, 'the one asked since stays');
    assert.equal(r.lanePorts.length, MAX_LANES);
  } finally {
    r.close();
  }
});

test('an HLS ticket whose segment is being read lives on, however long its reader holds it', async () => {
  const r = new MediaRelay({ ticketTtlMs: 300, hlsIdleMs: 300 });
  try {
    r.issue(`${P}/live/big.m3u8`);
    const url = await r.open(`${P}/live/big.m3u8`, 'hls');
    const playlist = await (await fetch(url)).text();
    const segment = new URL(playlist.split('\n').find((l) => l && !l.startsWith('#'))!, url).toString();
    const reader = (await fetch(segment)).body!.getReader();
    let got = (await reader.read()).value!.length;
    // A paused recording's transcode: nothing asked, nothing read, for several idle times and sweeps.
    await new Promise((x) => setTimeout(x, 2500));
    for (;;) {
      const c = await reader.read();
      if (c.done) break;
      got += c.value.length;
    }
    assert.equal(got, BIG, 'the whole segment came');
    assert.equal((await fetch(url)).status, 200, 'the ticket still answers');
  } finally {
    r.close();
  }
});

test('a playlist from a public platform cannot send the relay to this machine, the LAN or cloud metadata', async () => {
  // 127.0.0.1 stands for a public platform here; every other private address stays private.
  const r = new MediaRelay({ isPrivate: (h) => h !== '127.0.0.1' && isPrivateAddress(h) });
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    const port = (server.address() as AddressInfo).port;
    res.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl' }).end(
      [
        '#EXTM3U',
        '#EXTINF:1,',
        `http://localhost:${port}/admin`,
        '#EXTINF:1,',
        'http://169.254.169.254/latest/meta-data/',
        '#EXTINF:1,',
        `http://192.168.1.1/cgi-bin/reboot`,
        '#EXTINF:1,',
        // The same machine written as an IPv4-mapped IPv6 address (a URL turns it into [::ffff:7f00:1]).
        '#EXTINF:1,',
        `http://[::ffff:127.0.0.1]:${port}/admin-mapped`,
        '#EXTINF:1,',
        `http://127.0.0.1:${port}/seg.ts`,
        '',
      ].join('\n'),
    );
  });
  const base = await listen(server);
  try {
    r.issue(`${base}/live/index.m3u8`);
    const url = await r.open(`${base}/live/index.m3u8`, 'hls');
    const lane = new URL(url).origin;
    const segs = (await (await fetch(url)).text()).split('\n').filter((l) => l && !l.startsWith('#'));
    assert.equal(segs.length, 5);
    for (const s of segs.slice(0, 4)) {
      const refused = await fetch(lane + s);
      assert.equal(refused.status, 403, s);
      assert.match(await refused.text(), /private address/);
    }
    assert.equal((await fetch(lane + segs[4])).status, 200, 'the platform’s own host is fetched');
    assert.deepEqual(
      seen.filter((p) => p.startsWith('/admin')),
      [],
      'nothing private was asked for',
    );
  } finally {
    r.close();
    server.closeAllConnections();
    server.close();
  }
});

test('a playlist naming any scheme but http(s) is refused with a 502 naming the scheme, never passed on for ffmpeg to open', async () => {
  const server = http.createServer((req, res) => {
    const port = (server.address() as AddressInfo).port;
    res
      .writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl' })
      .end(`#EXTM3U\n#EXTINF:1,\nseg.ts\n#EXTINF:1,\ncrypto+http://127.0.0.1:${port}/trap.ts?token=S3CRET\n`);
  });
  const base = await listen(server);
  try {
    const res = await fetch(await open(`${base}/live/index.m3u8`));
    assert.equal(res.status, 502);
    const text = await res.text();
    assert.match(text, /crypto\+http: address \(line 5\)/);
    assert.doesNotMatch(text, /S3CRET|trap/, 'the address is not echoed');
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('a stream main read for itself is released at once: a run of more recordings than the relay carries never fills it', async () => {
  const own = new MediaRelay();
  try {
    // 400 HLS readings one after the other (a motion search over many recordings) against a relay of 320 streams.
    for (let i = 0; i < 400; i++) {
      const url = `${P}/live/index.m3u8?sig=1&n=${i}`;
      own.issue(url);
      const at = await own.open(url, 'hls');
      own.release(at);
    }
    assert.equal(own.lanePorts.length, 0, 'no lane is left listening once every stream is released');
    own.release('http://127.0.0.1:1/relay/not-a-ticket.flv'); // not this relay's: ignored
    // Without release, the same run stops at the relay's bound.
    await assert.rejects(async () => {
      for (let i = 0; i < 400; i++) {
        const url = `${P}/live/index.m3u8?sig=1&m=${i}`;
        own.issue(url);
        await own.open(url, 'hls');
      }
    }, /at most 320 streams/);
  } finally {
    own.close();
  }
});
