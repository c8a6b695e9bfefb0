import fs from 'node:fs';

/** CPU seconds used so far by Chromium's renderer processes (Linux /proc), for a CPU % over a window. */
export function rendererCpuSeconds(): number {
  if (process.platform !== 'linux') return 0;
  const ticks = 100; // USER_HZ
  let total = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1');
      if (!cmd.includes('--type=renderer')) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / ticks; // utime + stime
    } catch {
      /* process ended */
    }
  }
  return total;
}

/**
 * CPU seconds so far per thread of Chromium's renderer and GPU processes, keyed `renderer:CrRendererMain`,
 * `gpu:VizCompositorTh` … (thread names as Linux shows them, summed over processes of a kind):
 * where a busy wall's time goes — the page's main thread, its media threads, the compositor.
 */
export function chromiumThreadCpuSeconds(): Map<string, number> {
  const out = new Map<string, number>();
  if (process.platform !== 'linux') return out;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1');
      const kind = cmd.includes('--type=renderer') ? 'renderer' : cmd.includes('--type=gpu-process') ? 'gpu' : null;
      if (!kind) continue;
      for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
        const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'latin1');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+$/, '');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const key = `${kind}:${name}`;
        out.set(key, (out.get(key) ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100);
      }
    } catch {
      /* process or thread ended */
    }
  }
  return out;
}

/** % of a core per thread between two readings, busiest first (threads under 1 % left out). */
export function threadCpuPct(a: Map<string, number>, b: Map<string, number>, seconds: number): Record<string, number> {
  const rows = [...b]
    .map(([k, v]) => [k, (100 * (v - (a.get(k) ?? 0))) / seconds] as const)
    .filter(([, pct]) => pct >= 1)
    .sort((x, y) => y[1] - x[1]);
  return Object.fromEntries(rows.map(([k, pct]) => [k, Math.round(pct)]));
}

/**
 * CPU seconds so far of every process on the machine, keyed `pid kind` by what it is: the bench
 * itself (Vigil's main core and relay run in it), Vigil's H.265 transcodes, Chromium's processes by
 * type, the media server, the camera encoders, the HLS remuxers, and everything else (other users of the machine).
 * Diff two readings with `machineCpuPct` (per process, so one that ended in between takes nothing away).
 */
export function machineCpuSeconds(): Map<string, number> {
  const out = new Map<string, number>();
  if (process.platform !== 'linux') return out;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0');
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const line = cmd.join(' ');
      const type = /--type=([a-z-]+)/.exec(line)?.[1];
      const kind =
        Number(pid) === process.pid
          ? 'bench+vigil-main'
          : /chrom/i.test(cmd[0] ?? '')
            ? `chromium:${type ?? 'browser'}`
            : /ffmpeg$/.test(cmd[0] ?? '')
              ? line.includes(' -c copy ')
                ? 'ffmpeg:hls-remux'
                : // main's H.265 transcodes (transcodeArgs' FLV output): Vigil's cost, not the test rig's
                  line.includes(' -flvflags no_duration_filesize ')
                  ? 'vigil:transcode'
                  : 'ffmpeg:camera'
              : line.includes('nms-runner')
                ? 'media-server'
                : // --headful: the X server the bench's window draws into
                  /Xvfb$/.test(cmd[0] ?? '')
                  ? 'xvfb'
                  : 'other';
      out.set(`${pid} ${kind}`, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      /* process ended */
    }
  }
  return out;
}

/** % of a core by kind of process between two `machineCpuSeconds` readings (kinds under 1 % left out). */
export function machineCpuPct(a: Map<string, number>, b: Map<string, number>, seconds: number): Record<string, number> {
  const byKind = new Map<string, number>();
  for (const [key, v] of b) {
    const kind = key.slice(key.indexOf(' ') + 1);
    byKind.set(kind, (byKind.get(kind) ?? 0) + v - (a.get(key) ?? 0));
  }
  return threadCpuPct(new Map(), byKind, seconds);
}
