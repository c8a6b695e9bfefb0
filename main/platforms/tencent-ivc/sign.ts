import { createHash, createHmac } from 'node:crypto';

/**
 * Tencent IVC request signature: the COS XML-API "q-sign-algorithm=sha1" scheme
 * (spec tencent-ivc.md §2). Pure and deterministic: the key time is a parameter.
 */

/** UrlEncode per the doc's table: every printable ASCII except A–Z a–z 0–9 - . _ ~ ; upper-case hex; space → %20. */
export function urlEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function sha1Hex(message: string): string {
  return createHash('sha1').update(message, 'utf8').digest('hex');
}

/** HMAC-SHA1 as lower-case hex; a hex SignKey is used as its 40 ASCII characters, as the doc's case 2 proves. */
export function hmacSha1Hex(key: string, message: string): string {
  return createHmac('sha1', Buffer.from(key, 'utf8')).update(message, 'utf8').digest('hex');
}

/** SignKey = HMAC-SHA1(SecretKey, KeyTime). */
export function signKey(secretKey: string, keyTime: string): string {
  return hmacSha1Hex(secretKey, keyTime);
}

/** Step 3.1 / 4: key lower-cased, value UrlEncoded (or kept raw, as the doc's header examples print it). */
export function lowerCaseEntries(pairs: Array<[string, string]>, encodeValues = true): Array<[string, string]> {
  return pairs.map(([k, v]) => [k.toLowerCase(), encodeValues ? urlEncode(v ?? '') : (v ?? '')]);
}

/** Step 3.2: dictionary order of the lower-cased keys. */
export function sortEntries(pairs: Array<[string, string]>): Array<[string, string]> {
  return [...pairs].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Steps 3.3–3.5: keys UrlEncoded and lower-cased again; `k=v&…` and `k;k;…`. */
export function canonicalList(pairs: Array<[string, string]>, encodeValues = true): { list: string; joined: string } {
  const entries = sortEntries(lowerCaseEntries(pairs, encodeValues)).map(
    ([k, v]) => [urlEncode(k).toLowerCase(), v] as const,
  );
  return { list: entries.map(([k]) => k).join(';'), joined: entries.map(([k, v]) => `${k}=${v}`).join('&') };
}

/** UrlParamList and HttpParameters from the decoded query parameters. */
export function urlParams(query: Record<string, string>): { urlParamList: string; httpParameters: string } {
  const { list, joined } = canonicalList(Object.entries(query));
  return { urlParamList: list, httpParameters: joined };
}

export type HeaderValueEncoding = 'raw' | 'strict';

/**
 * HeaderList and HttpHeaders. The rules say values are UrlEncoded ('strict'); the doc's own
 * examples (V5, V7) print them raw (`content-type=application/json`) and V7's printed signature
 * reproduces only raw, so 'raw' is the default.
 *
 * Why Vigil signs only `host` (client.ts): the document contradicts itself on header values, and
 * a host name has nothing to encode, so for the public service both readings give the same
 * signature and we do not have to guess which one the platform checks. A private deployment's
 * `host:port` does differ (':' → %3A); there we follow the worked example (raw). Pinned by
 * test/unit/tencent-sign.test.ts ("issue 22").
 */
export function headerParams(
  headers: Record<string, string>,
  encoding: HeaderValueEncoding = 'raw',
): { headerList: string; httpHeaders: string } {
  const { list, joined } = canonicalList(Object.entries(headers), encoding === 'strict');
  return { headerList: list, httpHeaders: joined };
}

/** HttpString = method\npathname\nHttpParameters\nHttpHeaders\n (method lower-cased, path as sent). */
export function httpString(method: string, pathname: string, httpParameters: string, httpHeaders: string): string {
  return `${method.toLowerCase()}\n${pathname}\n${httpParameters}\n${httpHeaders}\n`;
}

/** StringToSign = sha1\nKeyTime\nSHA1(HttpString)\n */
export function stringToSign(signTime: string, httpStringValue: string): string {
  return `sha1\n${signTime}\n${sha1Hex(httpStringValue)}\n`;
}

export function authorizationHeader(p: {
  secretId: string;
  signTime: string;
  keyTime: string;
  headerList: string;
  urlParamList: string;
  signature: string;
}): string {
  return (
    `q-sign-algorithm=sha1&q-ak=${p.secretId}&q-sign-time=${p.signTime}&q-key-time=${p.keyTime}` +
    `&q-header-list=${p.headerList}&q-url-param-list=${p.urlParamList}&q-signature=${p.signature}`
  );
}

/**
 * Sign one request. Every header passed in is signed (the caller chooses; Host always).
 * `query` holds decoded values: they are encoded once here, and once on the wire.
 */
export function sign(input: {
  method: string;
  pathname: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  secretId: string;
  secretKey: string;
  keyTime: string;
  signTime?: string;
  headerValueEncoding?: HeaderValueEncoding;
}): { signKey: string; httpString: string; stringToSign: string; signature: string; authorization: string } {
  const signTime = input.signTime ?? input.keyTime;
  const key = signKey(input.secretKey, input.keyTime);
  const { urlParamList, httpParameters } = urlParams(input.query);
  const { headerList, httpHeaders } = headerParams(input.headers, input.headerValueEncoding);
  const hs = httpString(input.method, input.pathname, httpParameters, httpHeaders);
  const sts = stringToSign(signTime, hs);
  const signature = hmacSha1Hex(key, sts);
  return {
    signKey: key,
    httpString: hs,
    stringToSign: sts,
    signature,
    authorization: authorizationHeader({
      secretId: input.secretId,
      signTime,
      keyTime: input.keyTime,
      headerList,
      urlParamList,
      signature,
    }),
  };
}

/** KeyTime for `now` (unix seconds) valid `ttlSeconds`: "start;end". */
export function keyTimeFor(nowSeconds: number, ttlSeconds: number): string {
  const start = Math.floor(nowSeconds);
  return `${start};${start + ttlSeconds}`;
}
