import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Proc } from './ffmpeg';

/**
 * One recording segment encoded on its own (an ffmpeg writing MPEG-TS to stdout): what it has
 * written so far is kept, so every reader gets the whole segment from its first byte while the
 * encoder is still at work, and a finished segment is stored under `file` for the next reader.
 */
export class SegmentEncode {
  private readonly chunks: Buffer[] = [];
  private readonly waiting = new Set<() => void>();
  private ended = false;
  private ok = false;
  /** The whole segment when the encoder succeeded, else null. */
  readonly done: Promise<Buffer | null>;

  constructor(
    readonly proc: Proc,
    file: string,
  ) {
    const out = proc.child.stdout!;
    out.on('data', (d: Buffer) => {
      this.chunks.push(d);
      this.wake();
    });
    this.done = new Promise((resolve) => {
      proc.child.once('close', (code) => {
        this.ended = true;
        this.ok = code === 0 && this.chunks.length > 0;
        this.wake();
        if (!this.ok) return resolve(null);
        const whole = Buffer.concat(this.chunks);
        // Written aside, then renamed: a reader of the file never sees half a segment.
        const tmp = `${file}.${process.pid}.partial`;
        fs.promises
          .mkdir(path.dirname(file), { recursive: true })
          .then(() => fs.promises.writeFile(tmp, whole))
          .then(() => fs.promises.rename(tmp, file))
          .catch(() => undefined)
          .finally(() => resolve(whole));
      });
    });
  }

  /** Resolves once the encoder has written something (true) or ended with nothing (false). */
  async started(): Promise<boolean> {
    while (this.chunks.length === 0 && !this.ended) await this.next();
    return this.chunks.length > 0;
  }

  /** The segment from its first byte, as fast as the encoder writes it. */
  reader(): Readable {
    return Readable.from(this.chunksFromStart());
  }

  private async *chunksFromStart(): AsyncGenerator<Buffer> {
    let i = 0;
    for (;;) {
      while (i < this.chunks.length) yield this.chunks[i++]!;
      if (this.ended) break;
      await this.next();
    }
    // A failed encode must not pass for a short, whole segment.
    if (!this.ok) throw new Error('segment encoder failed');
  }

  private next(): Promise<void> {
    return new Promise((resolve) => this.waiting.add(resolve));
  }

  private wake(): void {
    for (const w of this.waiting) w();
    this.waiting.clear();
  }
}
