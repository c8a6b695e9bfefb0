import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { firstVariant, readMediaPlaylist } from '../../common/m3u8';
import { AppError } from '../errors';
import { fileWriter } from './clip-files';
import { loopbackScope } from '../net/account-scope';
import { refusal, type NetworkScope } from '../net/site-range';
import { isPrivateAddress } from './hls-playlist';
import { lookupJudging, nextHop } from './redirect';

/** How a clip is read from a platform: cancellable, with deadlines, progress reported 0…1. */
export interface ReadOptions {
  signal: AbortSignal;
  /** How long the platform may take to answer a request's headers (ms). */
  connectMs: number;
  /** How long a download may go without a byte (ms). */
  idleMs: number;
  onProgress(fraction: number): void;
  /** Which hosts count as private (tests make a loopback name stand for a public one). */
  isPrivate?: (host: string) => boolean;
  /** The account's network (site-range.ts); without one, only this computer for a loopback address. */
  scope?: NetworkScope | null;
}

/** The platform's own clip file (e.g. Tencent IVC's download URL), written to `part`. */
export async function downloadClip(url: string, part: string, o: ReadOptions): Promise<void> {
  const res = await get(url, o, "The platform's download");
  const out = fileWriter(part);
  try {
    let got = 0;
    for await (const chunk of res.chunks()) {
      got += chunk.length;
      await out.write(chunk);
      if (res.length) o.onProgress(got / res.length);
    }
  } catch (e) {
    await out.close().catch(() => undefined);
    throw e;
  }
  await out.close();
}

/**
 * Without ffmpeg: the VOD playlist's segments that overlap `offset`…`offset + duration` (seconds),
 * joined as MPEG-TS into `part`.
 */
export async function joinHlsSegments(
  first: string,
  offset: number,
  duration: number,
  part: string,
  o: ReadOptions,
): Promise<void> {
  let url = first;
  const text = async (u: string) => (await get(u, o, "The recording's playlist", first)).text();
  let playlist = await text(url);
  // A master playlist (a single-use play URL often answers one) names the media playlist.
  const variant = /#EXT-X-STREAM-INF[^\n]*\n\s*([^#\s][^\n]*)/.exec(playlist)?.[1]?.trim();
  if (variant) {
    url = new URL(variant, url).toString();
    playlist = await text(url);
  }
  const wanted = playlistSegments(playlist, url).filter((s) => s.end > offset && s.start < offset + duration);
  if (!wanted.length) throw new AppError('PLATFORM_ERROR', 'The recording has no segments in this range');
  const out = fileWriter(part);
  try {
    for (const [i, s] of wanted.entries()) {
      const res = await get(s.uri, o, 'A recording segment', first);
      for await (const chunk of res.chunks()) await out.write(chunk);
      o.onProgress((i + 1) / wanted.length);
    }
  } catch (e) {
    await out.close().catch(() => undefined);
    throw e;
  }
  await out.close();
}

/** A media playlist's segments with their times (s) from its start, URIs resolved against `url`. */
export function playlistSegments(playlist: string, url: string): Array<{ uri: string; start: number; end: number }> {
  return (readMediaPlaylist(playlist)?.segments ?? [])
    .filter((s) => s.uri)
    .map((s) => ({ uri: new URL(s.uri, url).toString(), start: s.startS, end: s.startS + s.durationS }));
}

export interface Body {
  /** content-length, or 0 */
  length: number;
  chunks(): AsyncGenerator<Uint8Array>;
  text(): Promise<string>;
}

/**
 * GET with a deadline for the headers (`connectMs`) and for each later chunk (`idleMs`), so a
 * platform that stops answering fails the job instead of hanging the queue; non-2xx is a clear
 * error. `what` names the request in messages (never the URL: play URLs carry tokens).
 *
 * Addresses by the relay's rule (site-range.ts): a private address only inside the account's
 * network, which the operator marked (`o.scope`), neither by a literal nor by a name that resolves
 * there at connect (DNS rebinding, split-horizon DNS), so a public platform's answer cannot make
 * main read this machine or its LAN into a clip. `issued`: the address the platform handed out.
 */
export async function get(url: string, o: ReadOptions, what: string, issued = url): Promise<Body> {
  const { signal: cancel, connectMs, idleMs } = o;
  const isPrivate = o.isPrivate ?? isPrivateAddress;
  let scope: NetworkScope | null;
  try {
    scope = o.scope === undefined ? loopbackScope(new URL(issued), isPrivate) : o.scope;
  } catch {
    throw new AppError('PLATFORM_ERROR', `${what} is not a URL`); // never the text: it may carry a token
  }
  const lookup = lookupJudging((address) => refusal(scope, address, isPrivate));
  const timer = new AbortController();
  let expired: string | null = null;
  let handle: NodeJS.Timeout | undefined;
  const arm = (ms: number, message: string) => {
    clearTimeout(handle);
    handle = setTimeout(() => {
      expired = message;
      timer.abort();
    }, ms);
  };
  const failure = (e: unknown): Error => {
    clearTimeout(handle);
    if (expired) return new AppError('NETWORK', expired);
    if (cancel.aborted || e instanceof AppError) return e as Error;
    const code = (e as { code?: string }).code;
    if (code === 'EPRIVATE') return new AppError('PLATFORM_ERROR', `${what} names ${(e as Error).message}: not read`);
    return new AppError('NETWORK', `${what} could not be reached (${code ?? 'network error'})`);
  };
  const signal = AbortSignal.any([cancel, timer.signal]);
  arm(connectMs, `${what} did not answer within ${connectMs / 1000} s`);
  let res: http.IncomingMessage;
  try {
    // Redirects by the relay's rule (same host only), never to wherever the platform says.
    let target = new URL(url);
    for (let hops = 0; ; hops++) {
      if (target.protocol !== 'http:' && target.protocol !== 'https:')
        throw new AppError('PLATFORM_ERROR', `${what} is not an http(s) address`);
      const refused = refusal(scope, target.hostname, isPrivate);
      if (refused) throw new AppError('PLATFORM_ERROR', `${what} names ${target.hostname}, ${refused}: not read`);
      res = await request(target, signal, lookup);
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status < 300 || status >= 400 || location === undefined) break;
      res.destroy();
      const hop = nextHop(target, location, hops, false);
      if ('refused' in hop) throw new AppError('PLATFORM_ERROR', `${what} ${hop.refused}`);
      target = hop.next;
    }
  } catch (e) {
    throw failure(e);
  }
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) {
    clearTimeout(handle);
    res.destroy();
    throw new AppError('PLATFORM_ERROR', `${what} answered HTTP ${status}`, { httpStatus: status });
  }
  const body = res;
  const stalled = `${what} stopped sending for ${idleMs / 1000} s`;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      arm(idleMs, stalled);
      for await (const chunk of body as AsyncIterable<Uint8Array>) {
        arm(idleMs, stalled);
        yield chunk;
      }
    } catch (e) {
      throw failure(e);
    } finally {
      clearTimeout(handle);
      body.destroy();
    }
  }
  return {
    length: Number(res.headers['content-length']) || 0,
    chunks,
    async text() {
      const parts: Uint8Array[] = [];
      for await (const c of chunks()) parts.push(c);
      return Buffer.concat(parts).toString('utf8');
    },
  };
}

/** One GET's answer (headers read, body not yet); aborting `signal` ends it at any point. */
function request(target: URL, signal: AbortSignal, lookup: LookupFunction): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = target.protocol === 'https:' ? https : http;
    // Under the refusing lookup, a connection of its own: a pooled socket to the same name was
    // looked up by another rule (the pool keys on host and port, not on the lookup).
    const req = client.get(target, {
      signal,
      headers: { 'User-Agent': 'Vigil' },
      lookup,
      agent: false,
    });
    req.on('response', resolve);
    req.on('error', reject);
  });
}

/** A recording's media playlist and where it was read: a master playlist's first variant is followed. */
export async function getMediaPlaylistText(url: string, read: ReadOptions): Promise<{ url: string; text: string }> {
  const text = await (await get(url, read, "The recording's playlist")).text();
  const variant = firstVariant(text);
  if (!variant) return { url, text };
  const media = new URL(variant, url).toString();
  return { url: media, text: await (await get(media, read, "The recording's playlist")).text() };
}
