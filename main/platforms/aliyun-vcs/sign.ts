import { createHmac } from 'node:crypto';

/**
 * Alibaba Cloud RPC signature v1 (HMAC-SHA1), shared by Visual Computing Service and City Visual
 * Intelligence Engine (specs aliyun-vcs.md / aliyun-cityvision.md "签名机制"). Pure: nonce and
 * timestamp are ordinary parameters chosen by the caller.
 */

/** RFC 3986 percent-encoding of UTF-8: unreserved A–Z a–z 0–9 - _ . ~ kept; space → %20, * → %2A, upper-case hex. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Parameters sorted by name (byte order), each `enc(name)=enc(value)`, joined with `&`. */
export function canonicalizedQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k] ?? '')}`)
    .join('&');
}

/** StringToSign = METHOD & percentEncode("/") & percentEncode(canonicalizedQuery). */
export function stringToSign(method: string, canonicalized: string): string {
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonicalized)}`;
}

/** Base64(HMAC-SHA1(key = AccessKeySecret + "&", StringToSign)). */
export function hmacSignature(accessKeySecret: string, toSign: string): string {
  return createHmac('sha1', Buffer.from(`${accessKeySecret}&`, 'utf8'))
    .update(toSign, 'utf8')
    .digest('base64');
}

export function rpcSign(input: { method: string; params: Record<string, string>; accessKeySecret: string }): {
  canonicalizedQuery: string;
  stringToSign: string;
  signature: string;
} {
  const canonical = canonicalizedQuery(input.params);
  const sts = stringToSign(input.method, canonical);
  return { canonicalizedQuery: canonical, stringToSign: sts, signature: hmacSignature(input.accessKeySecret, sts) };
}

/** The signed query string to send: the canonical query plus `Signature`, itself percent-encoded. */
export function signedQuery(input: {
  method: string;
  params: Record<string, string>;
  accessKeySecret: string;
}): string {
  const r = rpcSign(input);
  return `${r.canonicalizedQuery}&Signature=${percentEncode(r.signature)}`;
}

/** ISO 8601 UTC without milliseconds, as the Timestamp parameter requires: 2016-02-23T12:46:24Z. */
export function rpcTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
