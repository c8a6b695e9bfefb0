import { createHash } from 'node:crypto';
import { z } from 'zod';
import { MAX_MAP_IMAGE_BYTES, MapImageType } from '../../preload/contract';

/**
 * Maps through the control room: a plan is up to 8 MB and the broker carries at most 64 KB a
 * message, so the document (tree and pins) and each plan travel as a retained manifest (version,
 * size, SHA-256, chunk count) and retained chunks beside it. A receiver keeps what arrives per
 * version, joins the chunks once all are there, and takes the result only when its hash is the
 * manifest's. Pure functions and one small object; the link and the maps service do the rest.
 *
 * Topics under `maps/<seat>/`: `doc`, `doc/<n>`, `plan/<id>`, `plan/<id>/<n>`.
 */

/** Bytes one chunk carries: base64 and the signed envelope keep a message well under 64 KB. */
export const MAP_CHUNK_BYTES = 36 * 1024;
/** The document's largest size: 500 maps and 5 000 pins as JSON stay far below. */
export const MAX_DOC_BYTES = 4 * 1024 * 1024;

export class PublicationError extends Error {}

export type BlobKind = 'doc' | 'plan';
const limitOf = (kind: BlobKind) => (kind === 'doc' ? MAX_DOC_BYTES : MAX_MAP_IMAGE_BYTES);

export const Manifest = z
  .object({
    v: z.literal(1),
    kind: z.enum(['doc', 'plan']),
    /** Grows with every publication of this blob: a newer one replaces an older. */
    version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    bytes: z.number().int().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    chunks: z.number().int().min(1),
    /** A plan's picture type (checked again by its bytes when applied). */
    type: MapImageType.optional(),
  })
  .strict();
export type Manifest = z.infer<typeof Manifest>;

export const Chunk = z
  .object({
    v: z.literal(1),
    version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    n: z.number().int().min(0),
    data: z.string().max(Math.ceil(MAP_CHUNK_BYTES / 3) * 4),
  })
  .strict();
export type Chunk = z.infer<typeof Chunk>;

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A blob cut into its manifest and chunks, ready to be published. */
export function splitBlob(
  kind: BlobKind,
  bytes: Uint8Array,
  version: number,
  type?: MapImageType,
): { manifest: Manifest; chunks: Chunk[] } {
  if (bytes.length === 0 || bytes.length > limitOf(kind))
    throw new PublicationError(`a ${kind} of ${bytes.length} bytes cannot be published (at most ${limitOf(kind)})`);
  const chunks: Chunk[] = [];
  for (let at = 0, n = 0; at < bytes.length; at += MAP_CHUNK_BYTES, n++)
    chunks.push({
      v: 1,
      version,
      n,
      data: Buffer.from(bytes.subarray(at, at + MAP_CHUNK_BYTES)).toString('base64'),
    });
  const manifest: Manifest = {
    v: 1,
    kind,
    version,
    bytes: bytes.length,
    sha256: sha256(bytes),
    chunks: chunks.length,
    ...(type ? { type } : {}),
  };
  return { manifest, chunks };
}

/** A manifest as received, checked against its topic's kind and the bounds; throws in words. */
export function readManifest(kind: BlobKind, text: string): Manifest {
  let m: Manifest;
  try {
    m = Manifest.parse(JSON.parse(text));
  } catch {
    throw new PublicationError(`not a valid ${kind} manifest`);
  }
  if (m.kind !== kind) throw new PublicationError(`a ${m.kind} manifest on a ${kind} topic`);
  if (m.bytes > limitOf(kind))
    throw new PublicationError(`a ${kind} of ${m.bytes} bytes announced (at most ${limitOf(kind)} are taken)`);
  if (m.chunks !== Math.ceil(m.bytes / MAP_CHUNK_BYTES))
    throw new PublicationError(`${m.chunks} chunks announced for ${m.bytes} bytes`);
  if (kind === 'plan' && !m.type) throw new PublicationError('a plan manifest without its picture type');
  return m;
}

export function readChunk(text: string): Chunk {
  try {
    return Chunk.parse(JSON.parse(text));
  } catch {
    throw new PublicationError('not a valid chunk');
  }
}

/**
 * One blob being received: the newest manifest and the chunks of its version (chunks of a newer
 * version wait for their manifest; older ones are dropped). `complete()` answers the joined bytes
 * once every chunk is there and the hash agrees.
 */
export class Assembly {
  manifest: Manifest | null = null;
  /** Chunks by version (at most the manifest's and one newer), each by index. */
  private readonly parts = new Map<number, Map<number, Buffer>>();

  constructor(readonly kind: BlobKind) {}

  /** Bytes held: what the receiver's bound counts. */
  get held(): number {
    let n = 0;
    for (const p of this.parts.values()) for (const b of p.values()) n += b.length;
    return n;
  }

  /** False when an older or equal version than the one held was offered (nothing changes). */
  setManifest(m: Manifest): boolean {
    if (this.manifest && m.version <= this.manifest.version) return false;
    this.manifest = m;
    for (const v of [...this.parts.keys()]) if (v < m.version) this.parts.delete(v);
    return true;
  }

  addChunk(c: Chunk): void {
    const current = this.manifest?.version ?? 0;
    if (c.version < current) return;
    const m = this.manifest && c.version === current ? this.manifest : null;
    const bytes = Buffer.from(c.data, 'base64');
    if (m) {
      if (c.n >= m.chunks) throw new PublicationError(`chunk ${c.n} of a ${m.chunks}-chunk ${this.kind}`);
      const want = c.n === m.chunks - 1 ? m.bytes - MAP_CHUNK_BYTES * (m.chunks - 1) : MAP_CHUNK_BYTES;
      if (bytes.length !== want) throw new PublicationError(`chunk ${c.n} holds ${bytes.length} bytes, not ${want}`);
    } else if (bytes.length > MAP_CHUNK_BYTES || c.n >= Math.ceil(limitOf(this.kind) / MAP_CHUNK_BYTES))
      throw new PublicationError(`chunk ${c.n} is out of bounds`);
    let p = this.parts.get(c.version);
    if (!p) {
      // One version newer than the manifest's waits at most: a newer one replaces it, an older one is dropped.
      if (c.version !== current)
        for (const v of [...this.parts.keys()]) {
          if (v === current) continue;
          if (v > c.version) return;
          this.parts.delete(v);
        }
      p = new Map();
      this.parts.set(c.version, p);
    }
    p.set(c.n, bytes);
  }

  /**
   * The blob, once every chunk of the manifest's version is here and their SHA-256 is the
   * manifest's; null while chunks are missing. A wrong hash throws (and forgets those chunks).
   */
  complete(): Buffer | null {
    const m = this.manifest;
    if (!m) return null;
    const p = this.parts.get(m.version);
    if (!p || p.size < m.chunks) return null;
    const joined = Buffer.concat([...Array(m.chunks).keys()].map((i) => p.get(i)!));
    if (joined.length !== m.bytes || sha256(joined) !== m.sha256) {
      this.parts.delete(m.version);
      throw new PublicationError(`its chunks do not add up to the announced SHA-256 (a chunk was damaged or replaced)`);
    }
    return joined;
  }

  /** What a chunk that validated wrong or a cleared manifest leaves: nothing. */
  clear(): void {
    this.manifest = null;
    this.parts.clear();
  }
}
