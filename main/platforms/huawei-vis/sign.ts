import { createHash, createHmac } from 'node:crypto';

/**
 * Huawei APIG "SDK-HMAC-SHA256" AK/SK signing for VIS (spec huawei-vis.md §2.3.2). Pure: the date
 * is the X-Sdk-Date header the caller passes; the body is the exact string that will be sent.
 * This signs API calls with an IAM access key — not VIS's own AK/SK push credentials (§2.4).
 */

export const ALGORITHM = 'SDK-HMAC-SHA256';

/** Unreserved A–Z a–z 0–9 - _ . ~ kept; every other UTF-8 byte as %XX upper-case; space %20, / %2F. */
export function encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}

/** Each path segment encoded, re-joined, and a trailing `/` added (canonical form only; the path sent is unchanged). */
export function canonicalUri(path: string): string {
  const uri = path.split('/').map(encode).join('/');
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/** Byte order of the UTF-8 forms (Go's sort.Strings; JS `<` compares UTF-16 units instead). */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Sorted by the raw (decoded) name, then the raw value, in byte order, and only then encoded,
 * `name=value` joined with `&` — as Huawei's signer does (sort.Strings over the keys, then over
 * each key's values, then escape). Sorting the encoded forms differs when an encoded byte meets
 * an unencoded one: `a/` sorts after `a-` raw, but `a%2F` before `a-`.
 */
export function canonicalQuery(query: Array<[string, string]>): string {
  return query
    .map(([k, v]) => [k, v ?? ''] as const)
    .sort((a, b) => byteOrder(a[0], b[0]) || byteOrder(a[1], b[1]))
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    .join('&');
}

/** Lower-cased names sorted by byte order: `SignedHeaders`, and the `name:trimmed-value\n` block. */
export function canonicalHeaders(headers: Record<string, string>): { canonical: string; signedHeaders: string } {
  const lower = new Map<string, string>();
  for (const [k, v] of Object.entries(headers)) lower.set(k.toLowerCase(), String(v).trim());
  const names = [...lower.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { canonical: names.map((n) => `${n}:${lower.get(n)}\n`).join(''), signedHeaders: names.join(';') };
}

/** Lower-case hex SHA-256 of the exact body bytes (UTF-8). */
export function bodyHash(body: string): string {
  return sha256Hex(body);
}

export function canonicalRequest(p: {
  method: string;
  path: string;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body: string;
  /** An `X-Sdk-Content-Sha256` value sent with the request: Huawei's signer uses it in place of the body hash. */
  contentSha256?: string;
}): {
  canonicalRequest: string;
  signedHeaders: string;
} {
  const h = canonicalHeaders(p.headers);
  return {
    canonicalRequest: [
      p.method.toUpperCase(),
      canonicalUri(p.path),
      canonicalQuery(p.query),
      h.canonical,
      h.signedHeaders,
      p.contentSha256 ?? bodyHash(p.body),
    ].join('\n'),
    signedHeaders: h.signedHeaders,
  };
}

export function stringToSign(sdkDate: string, canonical: string): string {
  return `${ALGORITHM}\n${sdkDate}\n${sha256Hex(canonical)}`;
}

/** HMAC-SHA256 keyed with the SK itself (no derivation chain), lower-case hex. */
export function signature(sk: string, toSign: string): string {
  return createHmac('sha256', Buffer.from(sk, 'utf8')).update(toSign, 'utf8').digest('hex');
}

export function sign(input: {
  method: string;
  path: string;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body: string;
  ak: string;
  sk: string;
}): { canonicalRequest: string; stringToSign: string; signature: string; authorization: string } {
  const sdkDate = Object.entries(input.headers).find(([k]) => k.toLowerCase() === 'x-sdk-date')?.[1];
  if (!sdkDate) throw new Error('X-Sdk-Date header is required to sign (format YYYYMMDDTHHMMSSZ, UTC)');
  const contentSha256 = Object.entries(input.headers).find(([k]) => k.toLowerCase() === 'x-sdk-content-sha256')?.[1];
  const c = canonicalRequest({ ...input, contentSha256 });
  const sts = stringToSign(sdkDate.trim(), c.canonicalRequest);
  const sig = signature(input.sk, sts);
  return {
    canonicalRequest: c.canonicalRequest,
    stringToSign: sts,
    signature: sig,
    authorization: `${ALGORITHM} Access=${input.ak}, SignedHeaders=${c.signedHeaders}, Signature=${sig}`,
  };
}

/** X-Sdk-Date for a moment: YYYYMMDDTHHMMSSZ in UTC. */
export function sdkDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}
