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
