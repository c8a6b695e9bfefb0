import { deflateSync, crc32 } from 'node:zlib';

/**
 * Real PNG files for face-picture tests: `noise` makes them incompressible (to cross size
 * limits), otherwise a flat grey image of any size stays tiny.
 */
export function png(width: number, height: number, noise = false): Buffer {
  const row = 1 + width * 3;
  const raw = Buffer.alloc(row * height, 0x80);
  for (let y = 0; y < height; y++) {
    raw[y * row] = 0; // filter: none
    if (noise) for (let x = 1; x < row; x++) raw[y * row + x] = Math.floor(Math.random() * 256);
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
