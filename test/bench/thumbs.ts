import fs from 'node:fs';
import path from 'node:path';
import type { ThumbnailAnswer, ThumbnailRequest } from '../../preload/contract';
import { VcsEmulator } from '../emulators/aliyun-vcs/emulator';
import { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import { platformMedia } from '../emulators/media/platform-media';
import { MediaSimulator } from '../emulators/media/simulator';
import { IvcEmulator } from '../emulators/tencent-ivc/emulator';
import { ivcAccount, ivmAccount, vcsAccount } from '../helpers/accounts';
import { addAccount, makeCore, MemoryVault } from '../helpers/core';

/**
 * `npm run bench -- thumbs [--hovers 200] [--runs 4]`: timeline thumbnails through the contract
 * (`thumbnails:get` on the core: validation, cache, ffmpeg) against the emulators' real cloud
 * recordings (Huawei IVM, Tencent IVC, Alibaba VCS), `--runs` recordings per platform.
 * - cold: the first picture of each recording (play source, playlist through the relay, one
 *   segment's key frame by ffmpeg);
 * - hover: `--hovers` random moments already cached (the disk cache read, base64, the answer).
 * The renderer adds its resting-pointer delay (60 ms) and one hop of IPC to a hover. One JSON line.
 */
export async function runThumbs(hovers: number, runs: number): Promise<object> {
  const sim = await MediaSimulator.start({
    channels: [{ id: 'b1', name: 'Bench' }],
    recordingsPerChannel: runs,
    recordingMinutes: 1,
    recordingEveryMinutes: 3,
    sharedSubEncoder: true,
  });
  const stops: Array<() => Promise<unknown> | unknown> = [() => sim.stop()];
  try {
    // Encoded ahead: the figures are Vigil's, not the simulator's encoder.
    for (const r of sim.recordings('b1')) await sim.prepareRecording('b1', r.start);
    const ivm = await new IvmEmulator({ media: platformMedia(sim) }).start();
    stops.push(() => ivm.stop());
    const ivc = await new IvcEmulator({ media: platformMedia(sim) }).start();
    stops.push(() => ivc.stop());
    const vcs = await new VcsEmulator({ warmupMs: 100, media: platformMedia(sim) }).start();
    stops.push(() => vcs.stop());
    const { core, dataDir } = makeCore({ vault: new MemoryVault() });
    stops.push(() => core.dispose());
    const accounts = [
      await addAccount(core, 'IVM', ivmAccount(ivm)),
      await addAccount(core, 'IVC', ivcAccount(ivc)),
      await addAccount(core, 'VCS', vcsAccount(vcs)),
    ];
    // Each platform's channel with cloud recordings (VCS lists none: its first channel, by time).
    const targets: Array<{
      accountId: string;
      channelId: string;
      recordings: Array<{ startMs: number; endMs: number }>;
      listed: boolean;
    }> = [];
    const recs = sim.recordings('b1');
    for (const accountId of accounts) {
      const platform = await core.accounts.platform(accountId);
      for (const node of await platform.tree()) {
        if (node.kind !== 'channel') continue;
        if (!platform.recordings) {
          targets.push({
            accountId,
            channelId: node.id,
            recordings: recs.map((r) => ({ startMs: r.start, endMs: r.end })),
            listed: false,
          });
          break;
        }
        const segs = (
          await platform.recordings(node.id, recs[0]!.start - 60_000, recs[recs.length - 1]!.end + 60_000)
        ).filter((s) => s.kind === 'cloud');
        if (segs.length) {
          targets.push({
            accountId,
            channelId: node.id,
            recordings: segs.slice(0, runs).map((s) => ({ startMs: s.startMs, endMs: s.endMs })),
            listed: true,
          });
          break;
        }
      }
    }
    const ask = async (req: Omit<ThumbnailRequest, 'purpose' | 'requester' | 'kind'>) => {
      const t0 = performance.now();
      const r = await core.call('thumbnails:get', { ...req, kind: 'cloud', purpose: 'hover', requester: 'bench' });
      const ms = performance.now() - t0;
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      const a = r.result as ThumbnailAnswer;
      if (a.state !== 'ok') throw new Error(`no picture: ${JSON.stringify(a)}`);
      return ms;
    };
    const cold: number[] = [];
    const cached: Array<Omit<ThumbnailRequest, 'purpose' | 'requester' | 'kind'>> = [];
    for (const t of targets)
      for (const rec of t.recordings) {
        const base = {
          accountId: t.accountId,
          channelId: t.channelId,
          bucketMs: 5000,
          ...(t.listed ? { recording: rec } : {}),
        };
        cold.push(await ask({ ...base, atMs: rec.startMs + 10_000 }));
        cached.push({ ...base, atMs: rec.startMs + 10_000 });
        // More of the recording, as a filmstrip would fill it (not timed).
        for (let s = 15; s < 60; s += 5) {
          const req = { ...base, atMs: rec.startMs + s * 1000 };
          await ask(req);
          cached.push(req);
        }
      }
    const hover: number[] = [];
    for (let i = 0; i < hovers; i++) hover.push(await ask(cached[Math.floor(Math.random() * cached.length)]!));
    const dir = path.join(dataDir, 'cache', 'thumbnails');
    const bytes = fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
    return {
      hovers,
      hover_p50_ms: round(quantile(hover, 0.5)),
      hover_p95_ms: round(quantile(hover, 0.95)),
      cold_p95_ms: round(quantile(cold, 0.95)),
      cache_mb: Math.round((bytes / 1048576) * 100) / 100,
    };
  } finally {
    for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => undefined);
  }
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]! : Number.NaN;
}

const round = (ms: number) => Math.round(ms * 10) / 10;
