import { parseArgs } from 'node:util';
import { runAlarms } from './alarms';
import { runAgentAlarms } from './alarms-agent';
import { runDisplay } from './display';
import { runMotion } from './motion';
import { runRenders } from './renders';
import { runSeek } from './seek';
import { runShift } from './shift/shift';
import { inPrivateKeyringIfNeeded, runStartup } from './startup';
import { runThumbs } from './thumbs';
import { runTree } from './tree';
import { runWall } from './wall';

function viewportOf(text: string): { width: number; height: number } {
  const m = /^(\d{3,4})x(\d{3,4})$/.exec(text);
  if (!m) throw new Error('--viewport takes WIDTHxHEIGHT, e.g. 800x450');
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** `npm run bench -- <name> [options]`: runs one benchmark and prints one JSON line on stdout. */
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      panes: { type: 'string' },
      mode: { type: 'string' },
      codec: { type: 'string' },
      stalls: { type: 'boolean' },
      soak: { type: 'string' },
      side: { type: 'string' },
      warmup: { type: 'string' },
      scale: { type: 'string' },
      seeks: { type: 'string' },
      runs: { type: 'string' },
      seconds: { type: 'string' },
      seats: { type: 'string' },
      agent: { type: 'boolean' },
      'offline-seats': { type: 'string' },
      'kill-agent': { type: 'boolean' },
      rate: { type: 'string' },
      profile: { type: 'boolean' },
      trace: { type: 'boolean' },
      viewport: { type: 'string' },
      'key-phases': { type: 'string' },
      'drop-times': { type: 'boolean' },
      headful: { type: 'boolean' },
      pacer: { type: 'boolean' },
      'sim-nice': { type: 'string' },
      minutes: { type: 'string' },
      motion: { type: 'boolean' },
      chaos: { type: 'boolean' },
      seed: { type: 'string' },
      hovers: { type: 'string' },
    },
  });
  const name = positionals[0] ?? 'wall';
  if (name === 'wall') {
    const panes = (values.panes ?? '16').split(',').map(Number);
    if (panes.some((n) => !Number.isInteger(n) || n < 1 || n > 64))
      throw new Error('--panes takes numbers 1–64, e.g. 4,9,16');
    const mode = values.mode === 'hls' ? 'hls' : 'flv';
    if (values.codec !== undefined && values.codec !== 'h264' && values.codec !== 'h265')
      throw new Error('--codec takes h264 or h265');
    if (values.side !== undefined && values.side !== 'vigil' && values.side !== 'baseline')
      throw new Error('--side takes vigil or baseline (default: both, in the same run)');
    const phases = Number(values['key-phases'] ?? 1);
    if (!Number.isInteger(phases) || phases < 1 || phases > 25) throw new Error('--key-phases takes a number 1–25');
    const simNice = Number(values['sim-nice'] ?? 0);
    if (!Number.isInteger(simNice) || simNice < 0 || simNice > 19) throw new Error('--sim-nice takes a number 0–19');
    const soakMinutes = Number(values.soak ?? 0);
    if (!Number.isInteger(soakMinutes) || soakMinutes < 0 || soakMinutes > 240)
      throw new Error('--soak takes minutes, 0–240 (e.g. --soak 30)');
    const result = await runWall({
      panes,
      mode,
      codec: values.codec === 'h265' ? 'h265' : 'h264',
      stalls: !!values.stalls,
      soakMinutes,
      warmupS: Number(values.warmup ?? 20),
      ...(values.side ? { sides: [values.side as 'vigil' | 'baseline'] } : {}),
      profile: !!values.profile,
      trace: !!values.trace,
      ...(values.viewport ? { viewport: viewportOf(values.viewport) } : {}),
      keyPhases: Number(values['key-phases'] ?? 1),
      dropTimes: !!values['drop-times'],
      headful: !!values.headful,
      pacer: !!values.pacer,
      simNice,
      motion: !!values.motion,
    });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  if (name === 'alarms') {
    const seats = Number(values.seats ?? 3);
    const rate = Number(values.rate ?? 1000);
    if (!Number.isInteger(seats) || seats < 2 || seats > 8) throw new Error('--seats takes a number 2–8');
    if (!Number.isInteger(rate) || rate < 1 || rate > 12000) throw new Error('--rate takes alarms a minute, 1–12000');
    const seconds = Number(values.seconds ?? 60);
    if (values.agent) {
      // The agent alone for --offline-seats seconds, then the seats start and catch up (--seconds more).
      const offlineS = Number(values['offline-seats'] ?? 60);
      if (!(offlineS >= 1 && offlineS <= 600)) throw new Error('--offline-seats takes seconds, 1–600');
      const killAgent = !!values['kill-agent'];
      const result = await runAgentAlarms({ seats, rate, seconds: values.seconds ? seconds : 20, offlineS, killAgent });
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    process.stdout.write(`${JSON.stringify(await runAlarms({ seats, rate, seconds }))}\n`);
    return;
  }
  if (name === 'display') {
    const counts = (values.panes ?? '1,2,4,9').split(',').map(Number);
    if (counts.some((n) => !Number.isInteger(n) || n < 1 || n > 64)) throw new Error('--panes takes numbers 1–64');
    const seconds = Number(values.seconds ?? 4);
    if (!(seconds >= 2 && seconds <= 60)) throw new Error('--seconds takes a number 2–60');
    process.stdout.write(`${JSON.stringify(await runDisplay(counts, seconds, !!values.pacer))}\n`);
    return;
  }
  if (name === 'tree') {
    process.stdout.write(`${JSON.stringify(await runTree(Number(values.scale ?? 10000)))}\n`);
    return;
  }
  if (name === 'seek') {
    const seeks = Number(values.seeks ?? 20);
    if (!Number.isInteger(seeks) || seeks < 1 || seeks > 500) throw new Error('--seeks takes a number 1–500');
    process.stdout.write(`${JSON.stringify(await runSeek(seeks))}\n`);
    return;
  }
  if (name === 'renders') {
    const runs = Number(values.runs ?? 3);
    const seconds = Number(values.seconds ?? 10);
    if (!Number.isInteger(runs) || runs < 1 || runs > 20) throw new Error('--runs takes a number 1–20');
    if (!(seconds >= 2 && seconds <= 60)) throw new Error('--seconds takes a number 2–60');
    process.stdout.write(`${JSON.stringify(await runRenders(runs, seconds))}\n`);
    return;
  }
  if (name === 'startup') {
    // The host under test reads its accounts' secrets from the OS keychain, as a user's does.
    const status = inPrivateKeyringIfNeeded();
    if (status !== null) process.exit(status);
    const runs = Number(values.runs ?? 3);
    const panes = Number(values.panes ?? 16);
    if (!Number.isInteger(runs) || runs < 1 || runs > 20) throw new Error('--runs takes a number 1–20');
    if (![4, 9, 16, 25].includes(panes)) throw new Error('--panes takes 4, 9, 16 or 25');
    process.stdout.write(`${JSON.stringify(await runStartup({ runs, panes }))}\n`);
    return;
  }
  if (name === 'motion') {
    const minutes = Number(values.minutes ?? 60);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 240) throw new Error('--minutes takes a number 1–240');
    process.stdout.write(`${JSON.stringify(await runMotion(minutes))}\n`);
    return;
  }
  if (name === 'shift') {
    // The wall's secrets live in the OS keychain (a private one the keychain fault can lock).
    const status = inPrivateKeyringIfNeeded();
    if (status !== null) process.exit(status);
    const minutes = Number(values.minutes ?? 10);
    const panes = Number(values.panes ?? 16);
    const seed = Number(values.seed ?? Math.floor(Math.random() * 1e6));
    if (!Number.isInteger(minutes) || minutes < 2 || minutes > 480) throw new Error('--minutes takes a number 2–480');
    if (![4, 9, 16].includes(panes)) throw new Error('--panes takes 4, 9 or 16');
    if (!Number.isInteger(seed) || seed < 0) throw new Error('--seed takes a whole number');
    const result = await runShift({ minutes, panes, chaos: !!values.chaos, seed });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  if (name === 'thumbs') {
    const hovers = Number(values.hovers ?? 200);
    const runs = Number(values.runs ?? 4);
    if (!Number.isInteger(hovers) || hovers < 1 || hovers > 10000) throw new Error('--hovers takes a number 1–10000');
    if (!Number.isInteger(runs) || runs < 1 || runs > 20) throw new Error('--runs takes a number 1–20');
    process.stdout.write(`${JSON.stringify(await runThumbs(hovers, runs))}\n`);
    return;
  }
  process.stderr.write(
    `unknown benchmark ${name}; available: wall, display, tree, seek, renders, alarms, startup, motion, shift, thumbs\n`,
  );
  process.exit(2);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
