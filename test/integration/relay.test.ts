import assert from 'node:assert/strict';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { LANE_STREAMS, MAX_LANES, MediaRelay } from '../../main/media/relay';
import { frames, parse, stream } from '../helpers/flv-tags';

// The relay over real loopback HTTP: an upstream that streams bytes until told to stop.
let upstream: http.Server;
let base = '';
/** Bytes /big.flv has written so far (it writes only as fast as its connection takes them). */
let bigWritten = 0;
const BIG = 16 * 1024 * 1024;
// A refused connection is asked again for a while (a restarting media server): short here.
const relay = new MediaRelay({ refusedWaitMs: 300 });
const APP = 'http://127.0.0.1:4000';
relay.allowOrigins([APP]);
/** As a platform adapter's play URL reaches the renderer: issued by main, then relayed on request. */
const open = (url: string, headers?: Record<string, string>) => {
  relay.issue(url, headers);
  return relay.open(url);
};

before(async () => {
  upstream = http.createServer((req, res) => {
    if (req.url === '/missing.flv') return res.writeHead(404).end();
    if (req.url === '/private.flv' && req.headers['x-auth-token'] !== 'tok') return res.writeHead(403).end();
    if (req.url === '/moved.flv') return res.writeHead(302, { Location: '/cam-moved.flv' }).end();
    if (req.url === '/away.flv')
      return res.writeHead(302, { Location: 'http://169.254.169.254/latest/meta-data' }).end();
    if (req.url === '/silent.flv') return; // never answers
    if (req.url === '/gop.flv') return res.writeHead(200, { 'Content-Type': 'video/x-flv' }).end(stream(4).bytes);
    res.writeHead(200, { 'Content-Type': 'video/x-flv' });
    res.write(Buffer.from('FLV\x01\x01\x00\x00\x00\x09', 'latin1'));
    if (req.url === '/short.flv') return res.end(Buffer.from('end'));
    if (req.url === '/stops.flv') return; // the header, then nothing
    if (req.url === '/big.flv')
      return void (async () => {
        bigWritten = 0;
        while (bigWritten < BIG && !res.destroyed) {
          const more = res.write(Buffer.alloc(64 * 1024, 1));
          bigWritten += 64 * 1024;
          if (!more) await new Promise((r) => res.once('drain', r));
        }
        res.end();
      })();
    const t = setInterval(() => res.write(Buffer.alloc(100, 7)), 20);
    res.on('close', () => clearInterval(t));
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
after(() => {
  relay.close();
  upstream.closeAllConnections();
  upstream.close();
});

test('streams are spread over loopback ports, at most 5 per port; bytes and CORS pass through', async () => {
  const urls = await Promise.all(Array.from({ length: 7 }, (_, i) => open(`${base}/cam${i}.flv`)));
  const ports = urls.map((u) => new URL(u).port);
  assert.equal(LANE_STREAMS, 5);
  assert.equal(new Set(ports).size, 2);
  for (const p of new Set(ports)) assert.ok(ports.filter((x) => x === p).length <= LANE_STREAMS);
  assert.ok(
    urls.every((u) => /^http:\/\/127\.0\.0\.1:\d+\/relay\/[0-9a-f]{32}\.flv$/.test(u)),
    urls[0],
  );
  const res = await fetch(urls[0]!, { headers: { Origin: APP } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), APP, 'CORS answers the app only');
  const reader = res.body!.getReader();
  const first = await reader.read();
  assert.equal(Buffer.from(first.value!).subarray(0, 3).toString(), 'FLV');
  assert.equal(relay.active, 1);
  await reader.cancel();
  for (let i = 0; i < 50 && relay.active > 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(relay.active, 0, 'the stream ends when the player goes');
});

test('a ticket opens one stream: reused, unknown or on another port it is refused', async () => {
  const url = await open(`${base}/short.flv`);
  const body = Buffer.from(await (await fetch(url)).arrayBuffer());
  assert.equal(body.subarray(-3).toString(), 'end', 'upstream end ends the response');
  assert.equal((await fetch(url)).status, 403, 'used');
  assert.equal((await fetch(url.replace(/[0-9a-f]{32}/, '0'.repeat(32)))).status, 403, 'unknown');
  const other = await open(`${base}/cam.flv`);
  const otherPort = relay.lanePorts.find((p) => p !== Number(new URL(other).port));
  if (otherPort) assert.equal((await fetch(other.replace(/:\d+\//, `:${otherPort}/`))).status, 403, 'another lane');
});

test('upstream errors keep their status, unreachable ones are 502, with the reason; bad addresses are refused before anything opens', async () => {
  const missing = await fetch(await open(`${base}/missing.flv`));
  assert.equal(missing.status, 404, "the platform's status passes through");
  assert.match(await missing.text(), /upstream HTTP 404/);
  const down = await fetch(await open('http://127.0.0.1:1/none.flv'));
  assert.equal(down.status, 502);
  await assert.rejects(open('not a url'), /not a URL/);
  await assert.rejects(open('rtsp://cam/1'), /Only http\(s\)/);
});

test('a media server refusing connections (restarting) is asked again until it listens; refused past the wait, a 502', async () => {
  const port = await new Promise<number>((resolve) => {
    const probe = http.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  const r = new MediaRelay({ refusedWaitMs: 3_000 });
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'video/x-flv' });
    res.end(Buffer.from('FLV\x01\x01\x00\x00\x00\x09', 'latin1'));
  });
  try {
    r.issue(`http://127.0.0.1:${port}/live.flv`);
    const asked = fetch(await r.open(`http://127.0.0.1:${port}/live.flv`));
    await new Promise((x) => setTimeout(x, 800)); // the server is down, then back on its port
    await new Promise<void>((x) => server.listen(port, '127.0.0.1', () => x()));
    const back = await asked;
    assert.equal(back.status, 200, 'the stream came once the server listened, no 502 first');
    assert.equal(
      Buffer.from(await back.arrayBuffer())
        .subarray(0, 3)
        .toString(),
      'FLV',
    );
    server.close();
    r.issue(`http://127.0.0.1:${port}/live.flv`);
    const started = Date.now();
    const down = await fetch(await r.open(`http://127.0.0.1:${port}/live.flv`));
    assert.equal(down.status, 502);
    assert.match(await down.text(), /unreachable.*ECONNREFUSED/);
    assert.ok(Date.now() - started >= 2_900, 'asked again for the whole wait');
  } finally {
    server.close();
    r.close();
  }
});

test('a kept-alive connection the server closed as the next request went out is not a failure: asked again on a fresh one', async () => {
  // A server that answers one request per connection and keeps it open, then drops it when the
  // next request arrives on it, as a server whose keep-alive timeout ends at that moment does.
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    let answered = false;
    socket.on('data', () => {
      if (answered) return socket.destroy();
      answered = true;
      const body = Buffer.from('FLV\x01\x01\x00\x00\x00\x09', 'latin1');
      socket.write(
        `HTTP/1.1 200 OK\r\nContent-Type: video/x-flv\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n`,
      );
      socket.write(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const at = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const r = new MediaRelay();
  try {
    for (const name of ['first', 'second']) {
      r.issue(`${at}/${name}.flv`);
      const got = await fetch(await r.open(`${at}/${name}.flv`));
      assert.equal(got.status, 200, `${name}: ${await got.clone().text()}`);
      assert.equal(Buffer.from(await got.arrayBuffer()).toString('latin1', 0, 3), 'FLV');
    }
    assert.equal(connections, 2, 'the second went out on the first connection, then on a fresh one');
  } finally {
    r.close();
    server.close();
  }
});

test('a pane gone before its upstream answered is no upstream failure: the request is closed, nothing logged', async () => {
  // A recording sought, a pane closed: the player drops its request while the platform has not
  // answered yet. The relay's own cancel must not read as "upstream unreachable: socket hang up".
  const written: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    written.push(String(chunk));
    return write(chunk, ...rest);
  }) as typeof process.stderr.write;
  try {
    const asked = new Promise<http.IncomingMessage>((r) => upstream.once('request', r));
    const abort = new AbortController();
    const got = fetch(await open(`${base}/silent.flv`), { signal: abort.signal }).catch(() => null);
    const req = await asked;
    const closed = new Promise((r) => req.once('close', r));
    abort.abort();
    await got;
    await closed;
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(
      written.filter((l) => l.includes('relay upstream')),
      [],
    );
  } finally {
    process.stderr.write = write;
  }
});

test('only play URLs main issued are relayed, once each; loopback ones too only in developer mode', async () => {
  await assert.rejects(relay.open(`${base}/cam-never-issued.flv`), /only the stream addresses a platform handed out/);
  await assert.rejects(
    relay.open('http://127.0.0.1:22/'),
    /only the stream addresses/,
    'no local service through the relay',
  );
  const url = `${base}/cam-once.flv`;
  relay.issue(url);
  await relay.open(url);
  await assert.rejects(relay.open(url), /only the stream addresses/, 'an issued URL is relayed once');
  const dev = new MediaRelay({ relayLoopbackUrls: true });
  try {
    assert.match(await dev.open(`${base}/typed.flv`), /\/relay\//);
    await assert.rejects(
      dev.open('https://example.com/typed.flv'),
      /only the stream addresses/,
      'developer mode is loopback only',
    );
  } finally {
    dev.close();
  }
});

test('a foreign origin is refused; headers main adds reach the upstream, not the client', async () => {
  const foreign = await fetch(await open(`${base}/cam.flv`), { headers: { Origin: 'https://evil.example' } });
  assert.equal(foreign.status, 403);
  assert.equal(foreign.headers.get('access-control-allow-origin'), null);
  const withToken = await fetch(await open(`${base}/private.flv`, { 'X-Auth-Token': 'tok' }), {
    headers: { Origin: APP },
  });
  assert.equal(withToken.status, 200, 'the relay added the token');
  assert.doesNotMatch(JSON.stringify([...withToken.headers]), /tok\b/);
  await withToken.body!.cancel();
  const without = await fetch(await open(`${base}/private.flv`));
  assert.equal(without.status, 403, 'the platform refused it without the token');
});

test('redirects are followed within the platform host only; an upstream that never answers times out', async () => {
  const moved = await fetch(await open(`${base}/moved.flv`));
  assert.equal(moved.status, 200, 'same-host redirect followed');
  await moved.body!.cancel();
  const away = await fetch(await open(`${base}/away.flv`));
  assert.equal(away.status, 502);
  assert.match(await away.text(), /another host/);
  const quick = new MediaRelay({ answerTimeoutMs: 500 });
  try {
    quick.issue(`${base}/silent.flv`);
    const started = Date.now();
    const silent = await fetch(await quick.open(`${base}/silent.flv`));
    assert.equal(silent.status, 502);
    assert.ok(Date.now() - started < 5_000, 'answered within the timeout');
  } finally {
    quick.close();
  }
});

test('lanes close with their last ticket, used or lapsed; the number of lanes is bounded', async () => {
  const r = new MediaRelay({ ticketTtlMs: 300 });
  try {
    const issued = Array.from({ length: 1000 }, (_, i) => `${base}/burst${i}.flv`);
    for (const u of issued) r.issue(u);
    const urls: string[] = [];
    for (const u of issued.slice(0, MAX_LANES * LANE_STREAMS)) urls.push(await r.open(u));
    assert.equal(r.lanePorts.length, MAX_LANES);
    await assert.rejects(r.open(issued[MAX_LANES * LANE_STREAMS]!), /at most/, 'bounded');
    await new Promise((res) => setTimeout(res, 1_500)); // every ticket lapses unused
    r.issue(`${base}/after.flv`);
    const after = await r.open(`${base}/after.flv`);
    assert.equal(r.lanePorts.length, 1, 'lapsed lanes were closed');
    const stale = await fetch(urls[0]!).catch(() => null);
    assert.ok(stale === null || stale.status === 403, 'a lapsed lane no longer answers');
    const res = await fetch(after);
    await res.body!.cancel();
    for (let i = 0; i < 50 && r.lanePorts.length > 0; i++) await new Promise((x) => setTimeout(x, 20));
    assert.equal(r.lanePorts.length, 0, 'the lane closed with its last stream');
  } finally {
    r.close();
  }
});

test('a URL handed out twice (two panes on one fixed address) is relayed twice; a token is never sent over plain http', async () => {
  const url = `${base}/cam-twice.flv`;
  relay.issue(url);
  relay.issue(url);
  await relay.open(url);
  await relay.open(url);
  await assert.rejects(relay.open(url), /only the stream addresses/, 'a third open was never handed out');
  assert.throws(
    () => relay.issue('http://media.example.com/live/cam.flv', { 'X-Auth-Token': 't' }),
    /does not send the token unencrypted/,
  );
  relay.issue('https://media.example.com/live/cam.flv', { 'X-Auth-Token': 't' });
});

test('a pane decoding key frames only: its relayed stream is cut to key frames in main; other addresses are not touched', async () => {
  const url = await open(`${base}/gop.flv`);
  assert.equal(relay.setRate(url, 'key'), true);
  const f = frames(parse(Buffer.from(await (await fetch(url)).arrayBuffer())));
  assert.deepEqual(
    f.map((t) => t.n),
    [0, 1, 25, 26, 50, 51, 75, 76],
    'each key frame and the frame after it',
  );
  assert.deepEqual(
    f.map((t) => t.ts),
    [0, 40, 80, 120, 160, 200, 240, 280],
    'gap-free',
  );
  const whole = await open(`${base}/gop.flv`);
  assert.equal(
    frames(parse(Buffer.from(await (await fetch(whole)).arrayBuffer()))).length,
    100,
    'full rate: every frame',
  );
  assert.equal(relay.setRate(url, 'full'), false, 'a used ticket is gone with its stream');
  assert.equal(relay.setRate(url.replace(/[0-9a-f]{32}/, '0'.repeat(32)), 'key'), false, 'unknown ticket');
  const other = await open(`${base}/gop.flv`);
  const elsewhere = relay.lanePorts.find((p) => p !== Number(new URL(other).port)) ?? 1;
  assert.equal(relay.setRate(other.replace(/:\d+\//, `:${elsewhere}/`), 'key'), false, 'another lane');
  assert.equal(relay.setRate(`${base}/gop.flv`, 'key'), false, 'not a relay address');
});

test('a pane held unseen: main passes none of its frames, only the header and configuration to resume from', async () => {
  const url = await open(`${base}/gop.flv`);
  assert.equal(relay.setRate(url, 'none'), true);
  const tags = parse(Buffer.from(await (await fetch(url)).arrayBuffer()));
  assert.deepEqual(
    tags.map((t) => t.kind),
    ['script', 'config'],
  );
});

test('a stream that stops sending is ended after the idle time; one its reader holds back is not', async () => {
  const quick = new MediaRelay({ upstreamIdleMs: 300 });
  const issue = (url: string) => {
    quick.issue(url);
    return quick.open(url);
  };
  try {
    const silent = (await fetch(await issue(`${base}/stops.flv`))).body!.getReader();
    assert.equal(
      Buffer.from((await silent.read()).value!)
        .subarray(0, 3)
        .toString(),
      'FLV',
    );
    const t0 = Date.now();
    await silent.read().then(
      (r) => assert.ok(r.done),
      () => undefined, // cut off: an error ends the body too
    );
    const took = Date.now() - t0;
    assert.ok(took >= 150 && took < 3000, `ended after ${took} ms`); // the timer started at the answer

    // A reader that takes nothing for five idle times (a paused recording's transcode), then reads on.
    const held = (await fetch(await issue(`${base}/big.flv`))).body!.getReader();
    let got = (await held.read()).value!.length;
    await new Promise((r) => setTimeout(r, 1500));
    const during = bigWritten;
    assert.ok(during < BIG, `the upstream waits while the reader holds (${during} of ${BIG} bytes sent)`);
    for (;;) {
      const r = await held.read();
      if (r.done) break;
      got += r.value.length;
    }
    assert.equal(got, 9 + BIG, 'every byte arrived after the hold');
  } finally {
    quick.close();
  }
});
