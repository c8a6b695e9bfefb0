import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { ExportJob } from '../../preload/contract';
import { EventBus } from '../../main/events';
import { findFfmpeg } from '../../main/media/ffmpeg';
import { ExportService, type ExportOptions } from '../../main/services/export';
import { MediaRelay } from '../../main/media/relay';
import { isPrivateAddress } from '../../main/media/hls-playlist';
import type { AccountsService } from '../../main/services/accounts';
import { tempDir } from '../helpers/core';

// Clip export jobs against a local HTTP server standing in for a platform's download and HLS
// recordings: names never collide or replace a file, interrupted parts are cleaned at start, and
// a platform that never answers, stalls or answers an error fails the job with a clear message.

let server: http.Server;
let base = '';
const hung = new Set<http.ServerResponse>();
const flaky = new Map<string, number>();

before(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const body = url.searchParams.get('body') ?? 'clip';
    switch (url.pathname) {
      case '/clip':
        return void res
          .writeHead(200, { 'content-type': 'video/mp4', 'content-length': Buffer.byteLength(body) })
          .end(body);
      case '/never':
        return void hung.add(res); // accepts, never answers
      case '/stall':
        res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': 1000 });
        res.write('half');
        return void hung.add(res); // sends a little, then nothing
      case '/flaky': {
        // 503 until the count in ?fail= is used up, then the clip: a platform failing for a while.
        const key = url.searchParams.get('key') ?? '';
        const left = flaky.get(key) ?? Number(url.searchParams.get('fail') ?? 0);
        flaky.set(key, left - 1);
        if (left > 0) return void res.writeHead(503).end('busy');
        return void res.writeHead(200, { 'content-type': 'video/mp4' }).end(body);
      }
      case '/gone':
        return void res.writeHead(404).end('not found');
      case '/vod.m3u8':
        return void res
          .writeHead(200)
          .end('#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nseg0.ts\n#EXTINF:2,\nseg1.ts\n#EXT-X-ENDLIST\n');
      case '/seg0.ts':
      case '/seg1.ts':
        return void res.writeHead(200).end(url.pathname.slice(1));
      case '/broken.m3u8':
        return void res.writeHead(500).end('#EXTM3U\n#EXTINF:2,\nseg0.ts\n');
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  for (const r of hung) r.destroy();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const start = new Date(2026, 10, 22, 9, 5, 7).getTime();

/** A service over a fake platform: `clip(channelId)` is the path its download answers with. */
function service(dir: string, clip: (channelId: string) => string, options: ExportOptions = {}) {
  const platform = {
    clipDownload: async (channelId: string) => ({ url: `${base}${clip(channelId)}`, ext: 'mp4' as const }),
    recordings: async () =>
      ['cloud', 'device'].map((kind) => ({ kind, startMs: start - 60_000, endMs: start + 600_000 })),
    playbackSource: async () => ({ url: `${base}${clip('')}` }),
  };
  const accounts = { platform: async () => platform, scope: async () => undefined } as unknown as AccountsService;
  const events = new EventBus();
  // No waiting out by default: these tests read how a failure is told (retries have their own test).
  const exports = new ExportService(accounts, events, dir, { ffmpeg: () => null, retryDelaysMs: [], ...options });
  const ended = (id: string) =>
    new Promise<ExportJob>((resolve) => {
      const done = exports.list().jobs.find((j) => j.id === id && ['done', 'failed', 'cancelled'].includes(j.state));
      if (done) return resolve(done);
      const off = events.subscribe((event, payload) => {
        const job = payload as ExportJob;
        if (event === 'main:export' && job.id === id && ['done', 'failed', 'cancelled'].includes(job.state)) {
          off();
          resolve(job);
        }
      });
    });
  const run = (channelId: string, name: string, kind: 'cloud' | 'device' = 'cloud') =>
    ended(
      exports.start({ accountId: 'acc_0000000000000001', channelId, name, kind, startMs: start, endMs: start + 30_000 })
        .id,
    );
  return { exports, run };
}

test('every pane of a synced playback exports its own file: same name and range, different channels', async () => {
  const dir = tempDir();
  const { run } = service(dir, (ch) => `/clip?body=${encodeURIComponent(ch)}`);
  const channels = ['ch:dev1:0', 'ch:dev1:1', 'ch:dev2:0', 'ch:dev3:0'];
  const jobs = await Promise.all(channels.map((ch) => run(ch, 'Lobby')));
  assert.deepEqual(
    jobs.map((j) => j.state),
    ['done', 'done', 'done', 'done'],
    jobs.map((j) => j.message).join(),
  );
  assert.equal(new Set(jobs.map((j) => j.file)).size, 4, jobs.map((j) => j.file).join('\n'));
  // Each file holds its own channel's clip: nothing was replaced.
  assert.deepEqual(
    jobs.map((j) => fs.readFileSync(j.file!, 'utf8')),
    channels,
  );
  assert.equal(path.basename(jobs[0]!.file!), 'Lobby_dev1-0_20261122_090507-090537.mp4');
  assert.deepEqual(
    fs.readdirSync(dir).sort(),
    jobs.map((j) => path.basename(j.file!)).sort(),
    'no part or placeholder left',
  );
});

test('the same channel and range twice, or a file already there: "(2)", "(3)", never replaced', async () => {
  const dir = tempDir();
  const mine = path.join(dir, 'Gate_dev9-0_20261122_090507-090537.mp4');
  fs.writeFileSync(mine, 'the user’s own file');
  let n = 0;
  const { run } = service(dir, () => `/clip?body=take${++n}`);
  const first = await run('ch:dev9:0', 'Gate');
  const second = await run('ch:dev9:0', 'Gate');
  assert.equal(path.basename(first.file!), 'Gate_dev9-0_20261122_090507-090537 (2).mp4');
  assert.equal(path.basename(second.file!), 'Gate_dev9-0_20261122_090507-090537 (3).mp4');
  assert.equal(fs.readFileSync(mine, 'utf8'), 'the user’s own file');
  assert.equal(fs.readFileSync(first.file!, 'utf8'), 'take1');
  assert.equal(fs.readFileSync(second.file!, 'utf8'), 'take2');
});

test('two services (two Vigils) exporting into one folder at once never pick the same name', async () => {
  const dir = tempDir();
  const a = service(dir, () => '/clip?body=a');
  const b = service(dir, () => '/clip?body=b');
  const jobs = await Promise.all([
    a.run('ch:d:0', 'Same'),
    b.run('ch:d:0', 'Same'),
    a.run('ch:d:0', 'Same'),
    b.run('ch:d:0', 'Same'),
  ]);
  assert.equal(
    new Set(jobs.map((j) => j.file)).size,
    4,
    jobs.map((j) => `${j.state} ${j.file} ${j.message}`).join('\n'),
  );
  assert.deepEqual(
    jobs.map((j) => fs.readFileSync(j.file!, 'utf8')),
    ['a', 'b', 'a', 'b'],
  );
});

test('an interrupted export’s part (and the name it reserved) is removed at the next start; a live Vigil’s part is kept', () => {
  const dir = tempDir();
  // A pid that no longer runs: a child that has exited.
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
  const clip = 'Hall_d-0_20261122_090507-090537.mp4';
  fs.writeFileSync(path.join(dir, clip), ''); // the reservation
  fs.writeFileSync(path.join(dir, `${clip}.${dead}.part`), 'half a clip');
  fs.writeFileSync(path.join(dir, 'Old_20261122_090507-090537.mp4.part'), 'older build'); // name older builds used
  const live = `Other_d-1_20261122_090507-090537.mp4.${process.ppid}.part`; // another process still writing
  fs.writeFileSync(path.join(dir, live), 'in progress');
  fs.writeFileSync(path.join(dir, 'notes.part'), 'not ours');
  fs.writeFileSync(path.join(dir, 'Kept_20261122_090507-090537.mp4'), 'a finished clip');
  service(dir, () => '/clip');
  assert.deepEqual(fs.readdirSync(dir).sort(), ['Kept_20261122_090507-090537.mp4', live, 'notes.part'].sort());
});

test('a platform that never answers, stops sending, or answers an error fails the job with a clear message', async (t) => {
  const dir = tempDir();
  const paths: Record<string, string> = {
    'ch:a:0': '/never',
    'ch:b:0': '/stall',
    'ch:c:0': '/gone',
    'ch:e:0': '/clip?body=fine',
  };
  const { run } = service(dir, (ch) => paths[ch]!, { connectTimeoutMs: 300, idleTimeoutMs: 300 });
  const timer = setTimeout(() => assert.fail('an export hung'), 10_000);
  t.after(() => clearTimeout(timer));
  const [never, stall, gone, fine] = await Promise.all([
    run('ch:a:0', 'A'),
    run('ch:b:0', 'B'),
    run('ch:c:0', 'C'),
    run('ch:e:0', 'E'),
  ]);
  assert.equal(never.state, 'failed');
  assert.equal(never.message, "The platform's download did not answer within 0.3 s");
  assert.equal(stall.state, 'failed');
  assert.match(stall.message!, /stopped sending/);
  assert.equal(gone.state, 'failed');
  assert.equal(gone.message, "The platform's download answered HTTP 404");
  assert.equal(fine.state, 'done', 'the queue went on after the failures');
  assert.deepEqual(fs.readdirSync(dir), [path.basename(fine.file!)], 'failed jobs leave no part and no reservation');
});

test('without ffmpeg: HLS segments joined; a playlist answering 500 is a clear error, not "no segments"', async () => {
  const dir = tempDir();
  const ok = await service(dir, () => '/vod.m3u8').run('ch:v:0', 'Vod', 'device');
  assert.equal(ok.state, 'done', ok.message ?? '');
  assert.equal(fs.readFileSync(ok.file!, 'utf8'), 'seg0.tsseg1.ts');
  assert.match(ok.file!, /\.ts$/);
  const broken = await service(dir, () => '/broken.m3u8').run('ch:v:0', 'Vod', 'device');
  assert.equal(broken.state, 'failed');
  assert.equal(broken.message, "The recording's playlist answered HTTP 500");
});

test(
  'a write that fails (disk full) fails the job’s writer with the reason, never a hang or an unhandled rejection',
  { skip: !fs.existsSync('/dev/full') && 'needs /dev/full' },
  async () => {
    const { fileWriter } = await import('../../main/media/clip-files');
    const out = fileWriter('/dev/full');
    await assert.rejects(async () => {
      for (let i = 0; i < 64; i++) await out.write(Buffer.alloc(64 * 1024));
      await out.close();
    }, /could not be written: ENOSPC/);
    await assert.rejects(out.close(), /ENOSPC/, 'closing after the failure settles too');
  },
);

test('"Cut at the end of the recording" only where the recording stops: back-to-back segments are one recording', async () => {
  const { continuousEnd } = await import('../../main/services/export');
  const hour = 3600_000;
  const back = [
    { startMs: 0, endMs: hour },
    { startMs: hour, endMs: 2 * hour - 400 }, // a second-precision end, the next starts 0.4 s later
    { startMs: 2 * hour, endMs: 3 * hour },
    { startMs: 4 * hour, endMs: 5 * hour }, // a real gap before this one
  ];
  assert.equal(continuousEnd(back, back[0]!), 3 * hour);
  assert.equal(continuousEnd(back, back[3]!), 5 * hour);
  const dir = tempDir();
  const platform = {
    recordings: async () =>
      back.map((s) => ({ ...s, kind: 'device' as const, startMs: start + s.startMs, endMs: start + s.endMs })),
    playbackSource: async () => ({ url: `${base}/vod.m3u8` }),
  };
  const events = new EventBus();
  const exports = new ExportService(
    { platform: async () => platform, scope: async () => undefined } as unknown as AccountsService,
    events,
    dir,
    {
      ffmpeg: () => null,
    },
  );
  const finished = (id: string) =>
    new Promise<ExportJob>((resolve) => {
      const off = events.subscribe((event, payload) => {
        const job = payload as ExportJob;
        if (event === 'main:export' && job.id === id && ['done', 'failed'].includes(job.state)) {
          off();
          resolve(job);
        }
      });
    });
  const across = exports.start({
    accountId: 'acc_0000000000000001',
    channelId: 'c',
    name: 'gate',
    kind: 'device',
    startMs: start + hour - 60_000,
    endMs: start + hour + 60_000,
  });
  const acrossJob = await finished(across.id);
  assert.equal(acrossJob.message ?? null, null, `not cut: ${acrossJob.message}`);
  const intoGap = exports.start({
    accountId: 'acc_0000000000000001',
    channelId: 'c',
    name: 'gate',
    kind: 'device',
    startMs: start + 3 * hour - 60_000,
    endMs: start + 3 * hour + 60_000,
  });
  assert.match((await finished(intoGap.id)).message ?? '', /Cut at the end of the recording/);
});

test('a play or download address that is not http(s) is refused: a platform cannot have ffmpeg read a local file into the export', async (t) => {
  const ffmpeg = findFfmpeg();
  if (!ffmpeg) return t.skip('no ffmpeg here');
  const dir = tempDir();
  // A file of this machine's (here a short video, which ffmpeg would copy whole into the clip).
  const local = path.join(tempDir(), 'private.mp4');
  const made = spawnSync(ffmpeg, [
    ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=5:duration=40'],
    ...['-c:v', 'mpeg4', '-y', local],
  ]);
  assert.equal(made.status, 0, String(made.stderr));
  for (const url of [`file://${local}`, local, `concat:${local}|${local}`, `subfile,,start,0,end,0,,:${local}`]) {
    const platform = {
      recordings: async () => [{ kind: 'device', startMs: start - 60_000, endMs: start + 600_000 }],
      playbackSource: async () => ({ url, protocol: 'hls' }),
      clipDownload: async () => ({ url, ext: 'mp4' as const }),
    };
    const events = new EventBus();
    const exports = new ExportService(
      { platform: async () => platform, scope: async () => undefined } as unknown as AccountsService,
      events,
      dir,
      {
        ffmpeg: () => ffmpeg,
      },
    );
    for (const kind of ['device', 'cloud'] as const) {
      const job = exports.start({
        accountId: 'acc_0000000000000001',
        channelId: 'ch:dev1:0',
        name: 'leak',
        kind,
        startMs: start,
        endMs: start + 10_000,
      });
      const ended = await new Promise<ExportJob>((resolve) => {
        const check = () => exports.list().jobs.find((j) => j.id === job.id && ['done', 'failed'].includes(j.state));
        const off = events.subscribe(() => {
          const j = check();
          if (j) {
            off();
            resolve(j);
          }
        });
      });
      assert.equal(ended.state, 'failed', `${kind} ${url}: ${ended.message}`);
      assert.match(ended.message ?? '', /not an http\(s\) address/, url);
      assert.ok(!ended.message?.includes(local), 'the address is not echoed');
    }
    await exports.close();
  }
  assert.deepEqual(fs.readdirSync(dir), [], 'nothing was written');
});

test('a recording playlist from a public platform cannot send the export to this machine or the LAN (it goes through the relay)', async () => {
  // 127.0.0.1 stands for a public platform here; every other private address stays private.
  const relay = new MediaRelay({ isPrivate: (h) => h !== '127.0.0.1' && isPrivateAddress(h) });
  const seen: string[] = [];
  const trap = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    const port = (trap.address() as AddressInfo).port;
    if (req.url === '/vod.m3u8')
      return void res
        .writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl' })
        .end(
          `#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nhttp://localhost:${port}/secret0.ts\n#EXTINF:2,\nhttp://[::ffff:127.0.0.1]:${port}/secret1.ts\n#EXT-X-ENDLIST\n`,
        );
    // Addresses a line-by-line reader would miss and ffmpeg reads: an unquoted key URI, a line after a lone CR.
    if (req.url === '/vod-hidden.m3u8')
      return void res
        .writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl' })
        .end(
          `#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-KEY:METHOD=AES-128,URI=http://[::ffff:127.0.0.1]:${port}/secret-key\n#EXTINF:2,\rhttp://[::ffff:127.0.0.1]:${port}/secret2.ts\n#EXTINF:2,\nhttp://[::ffff:127.0.0.1]:${port}/secret3.ts\n#EXT-X-ENDLIST\n`,
        );
    res.writeHead(200).end('what this machine serves');
  });
  await new Promise<void>((r) => trap.listen(0, '127.0.0.1', r));
  const trapBase = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`;
  try {
    for (const [playlist, ffmpeg] of ['/vod.m3u8', '/vod-hidden.m3u8'].flatMap((p) =>
      [null, findFfmpeg()].map((f) => [p, f] as const),
    )) {
      const dir = tempDir();
      const platform = {
        recordings: async () => [{ kind: 'device', startMs: start - 60_000, endMs: start + 600_000 }],
        playbackSource: async () => ({ url: `${trapBase}${playlist}`, protocol: 'hls' }),
      };
      const events = new EventBus();
      const exports = new ExportService(
        { platform: async () => platform, scope: async () => undefined } as unknown as AccountsService,
        events,
        dir,
        {
          ffmpeg: () => ffmpeg,
          relay,
        },
      );
      const job = exports.start({
        accountId: 'acc_0000000000000001',
        channelId: 'ch:dev1:0',
        name: 'ssrf',
        kind: 'device',
        startMs: start,
        endMs: start + 3_000,
      });
      const ended = await new Promise<ExportJob>((resolve) => {
        const off = events.subscribe(() => {
          const j = exports.list().jobs.find((x) => x.id === job.id && ['done', 'failed'].includes(x.state));
          if (j) {
            off();
            resolve(j);
          }
        });
      });
      await exports.close();
      assert.equal(ended.state, 'failed', `${playlist}, ffmpeg ${ffmpeg}: ${ended.message}`);
      assert.deepEqual(
        seen.filter((p) => p.startsWith('/secret')),
        [],
        `${playlist}, ffmpeg ${ffmpeg}: nothing private was asked for`,
      );
    }
  } finally {
    relay.close();
    trap.closeAllConnections();
    trap.close();
  }
});

test('a platform failing for a while (5xx) is waited out, saying so; a refusal (4xx) is not; a cancel ends the wait', async () => {
  const dir = tempDir();
  const paths: Record<string, string> = {
    'ch:f:0': '/flaky?key=f&fail=2&body=late',
    'ch:g:0': '/gone',
    'ch:h:0': '/flaky?key=h&fail=1000',
    'ch:i:0': '/flaky?key=i&fail=1000',
  };
  const { exports, run } = service(dir, (ch) => paths[ch]!, { retryDelaysMs: [100, 100, 100] });
  const said: string[] = [];
  const flakyJob = run('ch:f:0', 'F');
  const messages = setInterval(() => {
    for (const j of exports.list().jobs) if (j.message && !said.includes(j.message)) said.push(j.message);
  }, 5);
  const done = await flakyJob;
  clearInterval(messages);
  assert.equal(done.state, 'done', done.message ?? '');
  assert.equal(fs.readFileSync(done.file!, 'utf8'), 'late', 'the clip came once the platform was back');
  assert.ok(
    said.some((m) =>
      /^Waiting for the platform \(The platform's download answered HTTP 503\); trying again in 1 s$/.test(m),
    ),
    `the job said what it waits for: ${JSON.stringify(said)}`,
  );
  assert.equal(done.message, null, 'nothing left of the wait once done');

  const t0 = Date.now();
  const gone = await run('ch:g:0', 'G');
  assert.equal(gone.state, 'failed');
  assert.equal(gone.message, "The platform's download answered HTTP 404");
  assert.ok(Date.now() - t0 < 100, 'a 404 is the answer, not a hiccup: no waiting');

  const down = await run('ch:h:0', 'H');
  assert.equal(down.state, 'failed', 'still failing after the waits: the job fails');
  assert.equal(down.message, "The platform's download answered HTTP 503", 'with the last reason, not the waiting text');

  const waiting = exports.start({
    accountId: 'acc_0000000000000001',
    channelId: 'ch:i:0',
    name: 'I',
    kind: 'cloud',
    startMs: start,
    endMs: start + 30_000,
  });
  for (let i = 0; i < 100 && !exports.list().jobs.find((j) => j.id === waiting.id)?.message; i++)
    await new Promise((r) => setTimeout(r, 10));
  exports.cancel(waiting.id);
  await exports.close();
  assert.equal(exports.list().jobs.find((j) => j.id === waiting.id)?.state, 'cancelled');
  assert.deepEqual(
    fs.readdirSync(dir).sort(),
    [path.basename(done.file!)],
    'failed and cancelled jobs leave no part and no reservation',
  );
});
