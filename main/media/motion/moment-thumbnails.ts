import type { MotionMoment } from './detect';

/** How many recent pictures' JPEGs are kept besides those a moment still needs. */
const KEEP = 16;

/**
 * Gives each moment of a scan the JPEG of its first moving picture. ffmpeg writes the grids
 * (their times on stderr) and the JPEGs on separate pipes, the n-th JPEG being the n-th grid's
 * picture; Node reads the pipes independently, so either may run ahead of the other. JPEGs are
 * paired with times by order, and a moment that closes before its picture's JPEG has arrived
 * waits for it: moments leave in the order they closed. `finish` lets the rest leave with what
 * there is. A thumbnail stream that breaks costs the thumbnails, never the moments.
 * Owned by one scan: created with its ffmpeg, finished when ffmpeg closes.
 */
export class MomentThumbnails {
  private readonly times: number[] = [];
  private readonly jpegs: Buffer[] = [];
  private tail: Buffer = Buffer.alloc(0);
  private readonly kept = new Map<number, Buffer>();
  private readonly waiting: MotionMoment[] = [];
  private broken = false;

  constructor(
    private readonly send: (m: MotionMoment & { thumbnail: string | null }) => void,
    /** The first picture of the moment still open: its JPEG is kept however long the moment lasts. */
    private readonly openFirstMs: () => number | null,
  ) {}

  /** A grid arrived: the time of its picture. */
  picture(ms: number): void {
    this.times.push(ms);
    this.pair();
  }

  /** Bytes from the JPEG pipe. */
  data(d: Buffer): void {
    if (this.broken) return;
    this.tail = this.tail.length ? Buffer.concat([this.tail, d]) : d;
    try {
      const { pictures, rest } = splitJpegs(this.tail);
      this.tail = rest;
      this.jpegs.push(...pictures);
    } catch {
      this.broken = true;
      this.tail = Buffer.alloc(0);
      this.release(true);
      return;
    }
    this.pair();
  }

  /** A moment closed. */
  moment(m: MotionMoment): void {
    this.waiting.push(m);
    this.release(this.broken);
  }

  /** The scan ended: every moment still waiting leaves, without a thumbnail if none came. */
  finish(): void {
    this.release(true);
  }

  private pair(): void {
    while (this.times.length > 0 && this.jpegs.length > 0) this.kept.set(this.times.shift()!, this.jpegs.shift()!);
    this.release(false);
    const needed = new Set([this.openFirstMs(), ...this.waiting.map((m) => m.firstMs)]);
    for (const ms of this.kept.keys()) {
      if (this.kept.size <= KEEP) break;
      if (!needed.has(ms)) this.kept.delete(ms);
    }
  }

  private release(all: boolean): void {
    while (this.waiting.length > 0) {
      const m = this.waiting[0]!;
      const pic = this.kept.get(m.firstMs);
      if (!pic && !all) return;
      this.waiting.shift();
      this.send({ ...m, thumbnail: pic ? `data:image/jpeg;base64,${pic.toString('base64')}` : null });
    }
  }
}

/**
 * Whole JPEGs at the front of an MJPEG stream, read by structure (marker segments by their
 * lengths, the entropy-coded data up to the first marker that is not a stuffed byte or a restart),
 * not by searching for FFD9, which a table may contain. `rest` is the incomplete tail.
 */
export function splitJpegs(buf: Buffer): { pictures: Buffer[]; rest: Buffer } {
  const pictures: Buffer[] = [];
  let start = 0;
  outer: while (start + 4 <= buf.length) {
    if (buf[start] !== 0xff || buf[start + 1] !== 0xd8) throw new Error('thumbnail stream is not MJPEG');
    let i = start + 2;
    for (;;) {
      if (i + 2 > buf.length) break outer;
      if (buf[i] !== 0xff) throw new Error('thumbnail stream lost its markers');
      const marker = buf[i + 1]!;
      // The end of a picture is often the last two bytes read: ffmpeg writes each JPEG at once.
      if (marker === 0xd9) {
        pictures.push(Buffer.from(buf.subarray(start, i + 2)));
        start = i + 2;
        continue outer;
      }
      if (i + 4 > buf.length) break outer;
      const length = buf.readUInt16BE(i + 2);
      i += 2 + length;
      if (marker !== 0xda) continue;
      // Entropy-coded data: FF00 is a stuffed byte, FFD0–FFD7 restarts; any other marker ends it.
      for (;;) {
        if (i + 1 >= buf.length) break outer;
        if (buf[i] === 0xff && buf[i + 1] !== 0x00 && !(buf[i + 1]! >= 0xd0 && buf[i + 1]! <= 0xd7)) break;
        i++;
      }
    }
  }
  return { pictures, rest: buf.subarray(start) };
}
