// Reading ffmpeg's FLV output as it goes to the pane: how far it got, and the size it made.

/** Timestamps of the video tags in an FLV byte stream, as it passes (ffmpeg's output: how far it got). */
export class FlvVideoClock {
  private buf: Buffer = Buffer.alloc(0);
  private skip = 13; // FLV header + PreviousTagSize0

  push(chunk: Buffer): number | null {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    let last: number | null = null;
    for (;;) {
      if (this.skip) {
        const n = Math.min(this.skip, this.buf.length);
        this.buf = this.buf.subarray(n);
        this.skip -= n;
        if (this.skip) return last;
      }
      if (this.buf.length < 11) return last;
      const size = this.buf.readUIntBE(1, 3);
      // A coded picture (AVC packet type 1), not the sequence header.
      if ((this.buf[0]! & 0x1f) === 9 && this.buf.length >= 13 && this.buf[12] === 1)
        last = ((this.buf[7]! << 24) | this.buf.readUIntBE(4, 3)) >>> 0;
      else if ((this.buf[0]! & 0x1f) === 9 && this.buf.length < 13) return last;
      this.skip = 11 + size + 4;
    }
  }
}
/**
 * The output's picture size from the onMetaData ffmpeg writes first (AMF0: "width" and "height"
 * numbers), or null until both are in `head`. Pure.
 */
export function flvMetaSize(head: Buffer): { width: number; height: number } | null {
  const num = (name: string): number | null => {
    const key = Buffer.from([0, name.length, ...Buffer.from(name), 0]); // key, then AMF0 number marker
    const at = head.indexOf(key);
    return at >= 0 && at + key.length + 8 <= head.length ? head.readDoubleBE(at + key.length) : null;
  };
  const width = num('width');
  const height = num('height');
  return width && height && width > 0 && height > 0 ? { width, height } : null;
}
