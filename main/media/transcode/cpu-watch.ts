import fs from 'node:fs';

/** USER_HZ on Linux: /proc's CPU times are in these ticks. */
const HZ = 100;
const EVERY_MS = 2000;

/**
 * The CPU each watched process takes, % of one core over the last 2 s, from /proc (Linux; null
 * elsewhere and until a second reading). The transcoder shows it beside each transcode, so an
 * operator sees what a budget's cores really buy. The timer runs only while something is watched.
 */
export class CpuWatch {
  private readonly seen = new Map<number, { at: number; ticks: number; pct: number | null }>();
  private timer: NodeJS.Timeout | null = null;

  add(pid: number | undefined): void {
    if (!pid || process.platform !== 'linux') return;
    this.seen.set(pid, { at: Date.now(), ticks: 0, pct: null });
    this.timer ??= setInterval(() => this.sample(), EVERY_MS).unref();
  }

  remove(pid: number | undefined): void {
    if (pid) this.seen.delete(pid);
    if (!this.seen.size && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  pct(pid: number | undefined): number | null {
    return (pid && this.seen.get(pid)?.pct) ?? null;
  }

  private sample(): void {
    for (const [pid, last] of this.seen) {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
        const now = Date.now();
        const pct = last.ticks ? Math.round(((ticks - last.ticks) / HZ / ((now - last.at) / 1000)) * 100) : last.pct;
        this.seen.set(pid, { at: now, ticks, pct });
      } catch {
        /* exited: its owner removes it */
      }
    }
  }
}
