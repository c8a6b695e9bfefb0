import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { Platform } from '../../main/platforms/platform';
import type { ExportJob } from '../../preload/contract';
import { freePort } from '../emulators/media/simulator';
import { makeCore, MemoryVault, tempDir } from '../helpers/core';

// Core.dispose() on quit: whatever main started — a relay lane carrying a stream, an alarm
// receiver, an export's ffmpeg — is closed, and nothing keeps the process alive afterwards.

const ACCOUNT = 'acc_00000000000000d1';

/** Kinds of resources that keep the event loop alive (unref'ed timers are not listed). */
function resources(): string[] {
  return process
    .getActiveResourcesInfo()
    .filter((r) => ['TCPServerWrap', 'TCPSocketWrap', 'ProcessWrap', 'PipeWrap', 'Timeout'].includes(r))
    .sort();
}

function children(): string[] {
  const out = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/\bps$/.test(l));
}

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(true));
  });

async function until(check: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 25)))
    if (check()) return true;
  return check();
}

test('dispose closes the relay lanes, alarm receivers and export children the core started', async () => {
  const before = resources();
  const ownChildren = children(); // tsx's esbuild
  // A platform's stream that never ends: the relay carries it and ffmpeg reads it.
  const streams = new Set<http.ServerResponse>();
  const upstream = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'video/x-flv' });
    res.write(Buffer.from('FLV\x01\x05\x00\x00\x00\x09\x00\x00\x00\x00', 'latin1'));
    streams.add(res);
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

  const { core } = makeCore({ vault: new MemoryVault(), exportDir: tempDir() });
  const now = Date.now();
  const platform = {
    pushAlarms: {
      registration: async () => null,
      register: async () => undefined,
      unregister: async () => undefined,
    },
    recordings: async () => [{ kind: 'cloud', startMs: now - 3600_000, endMs: now }],
    playbackSource: async () => ({ url: `${base}/record.flv` }),
  } as unknown as Platform;
  // The account's adapter is the stand-in above; everything else is the real core.
  core.accounts.platform = async () => platform;
  // No account record behind the stand-in: a public platform's network rules (the default).
  core.accounts.scope = async () => undefined as never;

  // A relay lane with a stream flowing through it, opened as the wall's hand-out opens one.
  core.relay.issue(`${base}/live.flv`);
  const laneUrl = new URL(await core.relay.open(`${base}/live.flv`));
  const viewer = await fetch(laneUrl);
  const reader = viewer.body!.getReader();
  assert.ok((await reader.read()).value?.length, 'the relay carries the stream');

  // An alarm receiver listening.
  const port = await freePort();
  const receiver = await core.call('alarms:start', {
    accountId: ACCOUNT,
    publicUrl: `http://127.0.0.1:${port}/push`,
    port,
  });
  assert.ok(receiver.ok, JSON.stringify(receiver));

  // An export whose ffmpeg is reading the never-ending recording.
  const started = await core.call('export:start', {
    accountId: ACCOUNT,
    channelId: 'ch:dev:0',
    name: 'Gate',
    kind: 'cloud',
    startMs: now - 600_000,
    endMs: now - 60_000,
  });
  assert.ok(started.ok, JSON.stringify(started));
  assert.ok(await until(() => children().some((c) => /ffmpeg/.test(c)), 10_000), 'ffmpeg runs the export');
  assert.ok(await until(() => streams.size === 2, 10_000), 'ffmpeg and the relay both read the platform');

  await core.dispose();

  assert.deepEqual(children(), ownChildren, 'no child process is left');
  assert.ok(await refused(laneUrl.port ? Number(laneUrl.port) : 80), 'the relay lane no longer listens');
  assert.ok(await refused(port), 'the alarm receiver no longer listens');
  await assert.rejects(reader.read(), 'the relayed stream was ended');
  const job = (await core.call('export:list', {})) as { ok: true; result: { jobs: ExportJob[] } };
  assert.equal(job.result.jobs[0]?.state, 'cancelled');
  // Both upstream readers were hung up by main, not by this test.
  assert.ok(await until(() => [...streams].every((s) => s.destroyed || s.writableEnded), 5_000), 'upstreams closed');

  for (const s of streams) s.destroy();
  upstream.closeAllConnections();
  await new Promise((r) => upstream.close(r));
  assert.ok(await until(() => resources().join() === before.join(), 5_000), `left open: ${resources().join(', ')}`);
});
