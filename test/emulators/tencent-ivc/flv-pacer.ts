import { Transform, type TransformCallback } from 'node:stream';

/**
 * Paces an FLV byte stream the way a device sends its local recording: tags leave when their
 * timestamp is due on a media clock that runs at `scale` (E37 Scale) and stops while `paused`
 * (E37 pause). ffmpeg reads the recording as fast as it can; this is where "real time" lives,
 * so a speed change takes effect at once instead of restarting the stream.
 */
export class FlvPacer extends Transform {
  scale = 1;
  private pausedAt: number | null = null;
  private buf = Buffer.alloc(0);
  private headerSent = false;
  private readonly due: Array<{ ts: number; bytes: Buffer }> = [];
  private mediaMs = 0;
  /** the media clock: advances at `scale` while not paused */
  private clockMs = 0;
  private lastTick = Date.now();
  private firstTs: number | null = null;
  private readonly timer: NodeJS.Timeout;
  /** media milliseconds sent ahead of the clock, so a player starts with a little buffer */
  private readonly leadMs: number;

  constructor(opts: { leadMs?: number } = {}) {
    super();
    this.leadMs = opts.leadMs ?? 500;
    this.timer = setInterval(() => this.release(), 20);
    this.timer.unref();
  }

  get paused(): boolean {
    return this.pausedAt !== null;
  }

  set paused(value: boolean) {
    this.advance();
    this.pausedAt = value ? Date.now() : null;
  }

  /** Media time sent so far, relative to the first tag (for tests). */
  get sentMediaMs(): number {
    return this.mediaMs;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    if (!this.headerSent) {
      if (this.buf.length < 13) return done();
      const headerLength = this.buf.readUInt32BE(5) + 4; // header + PreviousTagSize0
      this.push(this.buf.subarray(0, headerLength));
      this.buf = this.buf.subarray(headerLength);
      this.headerSent = true;
    }
    // Tag: type(1) size(3) timestamp(3) timestamp-extended(1) stream id(3) data(size) previous size(4).
    while (this.buf.length >= 11) {
      const size = this.buf.readUIntBE(1, 3);
      const total = 11 + size + 4;
      if (this.buf.length < total) break;
      const ts = (this.buf[7]! << 24) | this.buf.readUIntBE(4, 3);
      this.due.push({ ts, bytes: this.buf.subarray(0, total) });
      this.buf = this.buf.subarray(total);
    }
    this.release();
    done();
  }

  /** The source ended: finish once the last tag is due (never, while paused and not destroyed). */
  override _flush(done: TransformCallback): void {
    this.flushed = done;
    this.release();
  }

  private flushed: TransformCallback | null = null;

  override _destroy(err: Error | null, done: (error: Error | null) => void): void {
    clearInterval(this.timer);
    done(err);
  }

  private advance(): void {
    const now = Date.now();
    if (this.pausedAt === null) this.clockMs += (now - this.lastTick) * this.scale;
    this.lastTick = now;
  }

  private release(): void {
    this.advance();
    while (this.due.length) {
      const next = this.due[0]!;
      this.firstTs ??= next.ts;
      const at = next.ts - this.firstTs;
      if (at > this.clockMs + this.leadMs) break;
      this.due.shift();
      this.mediaMs = Math.max(this.mediaMs, at);
      this.push(next.bytes);
    }
    if (this.flushed && this.due.length === 0) {
      clearInterval(this.timer);
      this.flushed();
      this.flushed = null;
    }
  }
}
