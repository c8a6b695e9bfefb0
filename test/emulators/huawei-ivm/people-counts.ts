import { createHash } from 'node:crypto';

/**
 * The emulator's seeded people counting (Huawei IVM §10.4): every camera has an hourly count of
 * people in and out for every Beijing day — a working-day shape (morning and evening peaks, a
 * lunch bump, quiet nights, lighter weekends) scaled per camera and varied per hour by a hash
 * of (camera, day, hour). Days, weeks, months and years are sums of those hours, so a week's
 * answer equals the sum of its seven DAY answers, as a real counter's would; hours after the
 * emulator's clock count nothing yet. The time heat map (§10.4.2) is people in and out per bucket.
 */

/** Relative traffic per hour of a working day (index 0 = 00:00–01:00). */
const IN_SHAPE = [1, 0, 0, 0, 0, 2, 6, 22, 48, 30, 16, 14, 24, 20, 14, 13, 14, 18, 16, 10, 7, 5, 3, 2];
const OUT_SHAPE = [2, 1, 0, 0, 0, 1, 2, 6, 12, 12, 14, 14, 26, 18, 13, 14, 18, 36, 44, 22, 12, 8, 5, 3];

function unit(seed: string): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) / 0x1_0000_0000;
}

export class PeopleCounts {
  /** `beijingHour(ms)` is `yyyy-MM-dd HH` of an instant in Beijing time. */
  constructor(
    private readonly clock: () => number,
    private readonly beijingHour: (ms: number) => string,
  ) {}

  /** One hour's count (`day` as yyyy-MM-dd). */
  hour(camera: string, day: string, hour: number, way: 'in' | 'out'): number {
    if (`${day} ${String(hour).padStart(2, '0')}` > this.beijingHour(this.clock())) return 0;
    const scale = 0.5 + 2.5 * unit(`${camera}/scale`);
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    const weekend = weekday === 0 || weekday === 6 ? 0.45 : 1;
    const shape = (way === 'in' ? IN_SHAPE : OUT_SHAPE)[hour]!;
    const jitter = 0.7 + 0.6 * unit(`${camera}/${day}/${hour}/${way}`);
    return Math.round(shape * scale * weekend * jitter);
  }

  day(camera: string, day: string, way: 'in' | 'out'): number {
    let sum = 0;
    for (let h = 0; h < 24; h++) sum += this.hour(camera, day, h, way);
    return sum;
  }

  /** §10.4.1's series for a period type and its first day (the caller picks the period's days). */
  series(camera: string, type: 'DAY' | 'WEEK' | 'MONTH' | 'YEAR', first: Date, way: 'in' | 'out'): number[] {
    const iso = (d: Date) => d.toISOString().slice(0, 10);
    const plus = (d: Date, n: number) => new Date(d.getTime() + n * 86400_000);
    if (type === 'DAY') return Array.from({ length: 24 }, (_, h) => this.hour(camera, iso(first), h, way));
    if (type === 'WEEK') return Array.from({ length: 7 }, (_, i) => this.day(camera, iso(plus(first, i)), way));
    const y = first.getUTCFullYear();
    if (type === 'MONTH') {
      const m = first.getUTCMonth();
      const n = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
      return Array.from({ length: n }, (_, i) => this.day(camera, iso(new Date(Date.UTC(y, m, i + 1))), way));
    }
    return Array.from({ length: 12 }, (_, m) => {
      const n = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
      let sum = 0;
      for (let d = 1; d <= n; d++) sum += this.day(camera, iso(new Date(Date.UTC(y, m, d))), way);
      return sum;
    });
  }

  /**
   * §10.4.3's grey grid: a few hot spots (doors, a counter) per camera, brighter the busier the
   * period, with a little noise; row-major, top row first, values 0–255.
   */
  space(camera: string, period: string, width: number, height: number): Buffer {
    const spots = Array.from({ length: 3 }, (_, k) => ({
      x: unit(`${camera}/spot${k}/x`) * width,
      y: unit(`${camera}/spot${k}/y`) * height,
      r: (0.05 + 0.08 * unit(`${camera}/spot${k}/r`)) * Math.max(width, height),
      peak: 150 + 105 * unit(`${camera}/${period}/spot${k}`),
    }));
    const out = Buffer.alloc(width * height);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        let v = 0;
        for (const s of spots) v += s.peak * Math.exp(-((x + 0.5 - s.x) ** 2 + (y + 0.5 - s.y) ** 2) / (2 * s.r * s.r));
        v += 10 * unit(`${camera}/${period}/${x},${y}`);
        out[y * width + x] = Math.max(0, Math.min(255, Math.round(v)));
      }
    return out;
  }
}
