import fs from 'node:fs';

/**
 * A store-only ZIP writer (no compression: video does not compress, and stored entries are read
 * by every unzip). Streams from files on disk, two passes per file (CRC, then copy), so memory
 * stays flat for clips of any size; ZIP64 records are written when sizes or offsets pass 4 GiB.
 * Written here rather than taken from node_modules: the zip libraries there are exceljs's own
 * dependencies, not Vigil's, and may change or leave with it.
 */

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO-HDLC, as ZIP uses), continued from `crc` for data in pieces. */
export function crc32(data: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

export interface ZipEntry {
  /** The name inside the archive, `/` between folders. */
  name: string;
  /** The file on disk it holds. */
  file: string;
}

const MAX32 = 0xffffffff;
const CHUNK = 1 << 20;

/** MS-DOS date and time (local, 2-second steps) of `ms`; 1980-01-01 for anything earlier. */
export function dosDateTime(ms: number): { date: number; time: number } {
  const d = new Date(ms);
  if (d.getFullYear() < 1980) return { date: (1 << 5) | 1, time: 0 };
  return {
    date: ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
  };
}

async function fileCrc(fh: fs.promises.FileHandle, size: number, buf: Buffer, signal?: AbortSignal): Promise<number> {
  let crc = 0;
  for (let pos = 0; pos < size; ) {
    signal?.throwIfAborted();
    const { bytesRead: n } = await fh.read(buf, 0, Math.min(CHUNK, size - pos), pos);
    if (n === 0) throw new Error('the file got shorter while it was zipped');
    crc = crc32(buf.subarray(0, n), crc);
    pos += n;
  }
  return crc;
}

/**
 * Writes `entries` into a new ZIP at `out` (refused if `out` exists). `zip64` forces ZIP64
 * records (tests); otherwise they are used only when the archive needs them.
 */
export async function writeZip(
  out: string,
  entries: ZipEntry[],
  options: { zip64?: boolean; signal?: AbortSignal } = {},
): Promise<void> {
  const sizes = await Promise.all(entries.map(async (e) => (await fs.promises.stat(e.file)).size));
  const total = sizes.reduce((a, b) => a + b, 0) + entries.reduce((a, e) => a + 200 + 2 * Buffer.byteLength(e.name), 0);
  const z64 = options.zip64 === true || total >= MAX32 || entries.length >= 0xffff;
  const fh = await fs.promises.open(out, 'wx');
  const buf = Buffer.allocUnsafe(CHUNK);
  let offset = 0;
  const put = async (b: Buffer) => {
    await fh.write(b, 0, b.length); // writes it all (FileHandle.write loops until done)
    offset += b.length;
  };
  const central: Buffer[] = [];
  try {
    for (const [i, entry] of entries.entries()) {
      const size = sizes[i]!;
      const name = Buffer.from(entry.name, 'utf8');
      const src = await fs.promises.open(entry.file, 'r');
      try {
        const { date, time } = dosDateTime((await src.stat()).mtimeMs);
        const crc = await fileCrc(src, size, buf, options.signal);
        const at = offset;
        const version = z64 ? 45 : 20;
        // Local header: sizes in the ZIP64 extra when z64 (both 8 bytes, uncompressed first).
        const localExtra = z64 ? Buffer.alloc(20) : Buffer.alloc(0);
        if (z64) {
          localExtra.writeUInt16LE(0x0001, 0);
          localExtra.writeUInt16LE(16, 2);
          localExtra.writeBigUInt64LE(BigInt(size), 4);
          localExtra.writeBigUInt64LE(BigInt(size), 12);
        }
        const local = Buffer.alloc(30);
        local.writeUInt32LE(0x04034b50, 0);
        local.writeUInt16LE(version, 4);
        local.writeUInt16LE(0x0800, 6); // names are UTF-8
        local.writeUInt16LE(0, 8); // stored
        local.writeUInt16LE(time, 10);
        local.writeUInt16LE(date, 12);
        local.writeUInt32LE(crc, 14);
        local.writeUInt32LE(z64 ? MAX32 : size, 18);
        local.writeUInt32LE(z64 ? MAX32 : size, 22);
        local.writeUInt16LE(name.length, 26);
        local.writeUInt16LE(localExtra.length, 28);
        await put(Buffer.concat([local, name, localExtra]));
        for (let pos = 0; pos < size; ) {
          options.signal?.throwIfAborted();
          const { bytesRead: n } = await src.read(buf, 0, Math.min(CHUNK, size - pos), pos);
          if (n === 0) throw new Error('the file got shorter while it was zipped');
          await put(buf.subarray(0, n));
          pos += n;
        }
        const cExtra = z64 ? Buffer.alloc(28) : Buffer.alloc(0);
        if (z64) {
          cExtra.writeUInt16LE(0x0001, 0);
          cExtra.writeUInt16LE(24, 2);
          cExtra.writeBigUInt64LE(BigInt(size), 4);
          cExtra.writeBigUInt64LE(BigInt(size), 12);
          cExtra.writeBigUInt64LE(BigInt(at), 20);
        }
        const c = Buffer.alloc(46);
        c.writeUInt32LE(0x02014b50, 0);
        c.writeUInt16LE((3 << 8) | version, 4); // made by Unix
        c.writeUInt16LE(version, 6);
        c.writeUInt16LE(0x0800, 8);
        c.writeUInt16LE(0, 10);
        c.writeUInt16LE(time, 12);
        c.writeUInt16LE(date, 14);
        c.writeUInt32LE(crc, 16);
        c.writeUInt32LE(z64 ? MAX32 : size, 20);
        c.writeUInt32LE(z64 ? MAX32 : size, 24);
        c.writeUInt16LE(name.length, 28);
        c.writeUInt16LE(cExtra.length, 30);
        c.writeUInt16LE(0, 32); // comment
        c.writeUInt16LE(0, 34); // disk
        c.writeUInt16LE(0, 36); // internal attributes
        c.writeUInt32LE((0o100644 << 16) >>> 0, 38); // -rw-r--r--
        c.writeUInt32LE(z64 ? MAX32 : at, 42);
        central.push(Buffer.concat([c, name, cExtra]));
      } finally {
        await src.close();
      }
    }
    const cdStart = offset;
    for (const c of central) await put(c);
    const cdSize = offset - cdStart;
    if (z64) {
      const rec = Buffer.alloc(56);
      rec.writeUInt32LE(0x06064b50, 0);
      rec.writeBigUInt64LE(44n, 4);
      rec.writeUInt16LE((3 << 8) | 45, 12);
      rec.writeUInt16LE(45, 14);
      rec.writeUInt32LE(0, 16);
      rec.writeUInt32LE(0, 20);
      rec.writeBigUInt64LE(BigInt(entries.length), 24);
      rec.writeBigUInt64LE(BigInt(entries.length), 32);
      rec.writeBigUInt64LE(BigInt(cdSize), 40);
      rec.writeBigUInt64LE(BigInt(cdStart), 48);
      const recAt = offset;
      await put(rec);
      const loc = Buffer.alloc(20);
      loc.writeUInt32LE(0x07064b50, 0);
      loc.writeUInt32LE(0, 4);
      loc.writeBigUInt64LE(BigInt(recAt), 8);
      loc.writeUInt32LE(1, 16);
      await put(loc);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(0, 4);
    end.writeUInt16LE(0, 6);
    end.writeUInt16LE(z64 ? 0xffff : entries.length, 8);
    end.writeUInt16LE(z64 ? 0xffff : entries.length, 10);
    end.writeUInt32LE(z64 ? MAX32 : cdSize, 12);
    end.writeUInt32LE(z64 ? MAX32 : cdStart, 16);
    end.writeUInt16LE(0, 20);
    await put(end);
    await fh.sync();
  } catch (e) {
    await fh.close();
    fs.rmSync(out, { force: true });
    throw e;
  }
  await fh.close();
}
