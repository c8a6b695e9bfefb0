import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scoreMoments } from '../../main/media/motion/detect';
import type { MotionSearchJob, MotionSearchUpdate } from '../../preload/contract';
import { platformMedia } from '../emulators/media/platform-media';
import { MediaSimulator } from '../emulators/media/simulator';
import { IvcEmulator } from '../emulators/tencent-ivc/emulator';
import { ivcAccount } from '../helpers/accounts';
import { addAccount, makeCore, MemoryVault } from '../helpers/core';

/**
 * `npm run bench -- motion [--minutes 60]`: one 360p motion camera's recording (`minutes` long,
 * default an hour) searched through the core against the Tencent IVC emulator, as the playback
 * page asks: wall time from the request to the job's end, and the moments found scored against
 * the camera's scripted ground truth. The recording is encoded once and kept in the temp folder
 * (for the day: its start is fixed to midnight), so a second run measures the search alone.
 * One JSON line; goals: speed_x ≥ 120, recall ≥ 0.95, precision ≥ 0.90.
 */
export async function runMotion(minutes: number): Promise<object> {
  const workDir = path.join(os.tmpdir(), 'vigil-bench-motion');
  fs.mkdirSync(workDir, { recursive: true });
  const sim = await MediaSimulator.start({
    channels: [{ id: 'motion', name: 'Motion', motion: { seed: 11 } }],
    workDir,
    recordingsPerChannel: 1,
    recordingMinutes: minutes,
    recordingEveryMinutes: 1440,
    prepareRecordings: false,
  });
  const rec = sim.recordings('motion')[0]!;
  // Recordings of earlier days or other lengths are not needed again.
  const recDir = path.join(workDir, 'rec', 'motion');
  for (const name of fs.existsSync(recDir) ? fs.readdirSync(recDir) : [])
    if (!name.startsWith(String(rec.start))) fs.rmSync(path.join(recDir, name), { recursive: true, force: true });
  const marker = path.join(recDir, `${rec.start}.minutes`);
  const made = fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8').trim() : null;
  if (made !== String(minutes)) fs.rmSync(path.join(recDir, String(rec.start)), { recursive: true, force: true });
  const encodeStart = Date.now();
  await sim.prepareRecording('motion', rec.start);
  fs.writeFileSync(marker, String(minutes));
  process.stderr.write(`motion bench: recording ready in ${((Date.now() - encodeStart) / 1000).toFixed(1)} s\n`);
  const ivc = await new IvcEmulator({ media: platformMedia(sim) }).start();
  const { core } = makeCore({ vault: new MemoryVault() });
  try {
    const accountId = await addAccount(core, 'bench', ivcAccount(ivc));
    const channel = (await (await core.accounts.platform(accountId)).tree()).find((n) => n.kind === 'channel')!;
    const script = sim.motionScript('motion', rec.start);
    const started = Date.now();
    const moments: MotionSearchUpdate['moments'] = [];
    const end = new Promise<MotionSearchUpdate['job']>((resolve) => {
      core.events.subscribe((event, payload) => {
        if (event !== 'main:motion') return;
        const u = payload as MotionSearchUpdate;
        moments.push(...u.moments);
        if (['done', 'failed', 'cancelled'].includes(u.job.state)) resolve(u.job);
      });
    });
    const r = await core.call('motion:start', {
      accountId,
      channelId: channel.id,
      name: channel.name,
      kind: 'cloud',
      startMs: rec.start,
      endMs: rec.end,
      regions: [script.region],
      sensitivity: 50,
    });
    if (!r.ok) throw new Error(`motion search refused: ${JSON.stringify(r.error)}`);
    const job = await end;
    const wall = (Date.now() - started) / 1000;
    if (job.state !== 'done' || job.failures.length)
      throw new Error(`motion search ${job.state}: ${job.message ?? ''} ${JSON.stringify(job.failures)}`);
    void (r.result as MotionSearchJob);
    const truth = script.events.map((e) => ({
      startMs: rec.start + e.startS * 1000,
      endMs: rec.start + e.endS * 1000,
    }));
    const recording_s = (rec.end - rec.start) / 1000;
    const score = scoreMoments(truth, moments);
    return {
      recording_s,
      wall_s: Math.round(wall * 100) / 100,
      speed_x: Math.round((recording_s / wall) * 10) / 10,
      events_true: score.events_true,
      events_found: score.events_found,
      recall: Math.round(score.recall * 1000) / 1000,
      precision: Math.round(score.precision * 1000) / 1000,
    };
  } finally {
    await core.dispose();
    await ivc.stop();
    await sim.stop();
  }
}
