/**
 * ITU-T G.711 (11/1988) decoding: A-law and µ-law 8-bit codes to 16-bit linear PCM, as GB28181
 * cameras send their sound. Pure: a table per law, built once per call site (no module state
 * beyond the two read-only tables below, computed at load).
 *
 * The linear values are the standard's decoder outputs scaled to 16 bits: A-law's 13-bit
 * magnitudes ×8 (largest ±32256), µ-law's 14-bit ×4 (largest ±32124).
 */

/** One A-law code (as sent on the line, even bits inverted) → linear PCM. */
export function alawToLinear(code: number): number {
  const a = (code & 0xff) ^ 0x55;
  const segment = (a & 0x70) >> 4;
  let t = (a & 0x0f) << 4;
  if (segment === 0) t += 8;
  else t = (t + 0x108) << (segment - 1);
  return a & 0x80 ? t : -t;
}

/** One µ-law code (as sent, all bits inverted) → linear PCM. */
export function mulawToLinear(code: number): number {
  const u = ~code & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

export type G711Law = 'alaw' | 'mulaw';

const table = (f: (code: number) => number) => Int16Array.from({ length: 256 }, (_, i) => f(i));
const TABLES: Readonly<Record<G711Law, Int16Array>> = { alaw: table(alawToLinear), mulaw: table(mulawToLinear) };

/** Decodes `codes` into `out` (same length or longer) and returns the samples written. */
export function decodeG711(law: G711Law, codes: Uint8Array, out = new Int16Array(codes.length)): Int16Array {
  const t = TABLES[law];
  for (let i = 0; i < codes.length; i++) out[i] = t[codes[i]!]!;
  return out.length === codes.length ? out : out.subarray(0, codes.length);
}
