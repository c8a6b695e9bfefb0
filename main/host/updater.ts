import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { redact } from '../log';

/**
 * The parts of updating that need no Electron: which feed URL is acceptable, reading a generic
 * feed's metadata with electron-updater's own parser, comparing versions, checking a download's
 * sha512, and turning electron-updater's errors into one clear sentence. The Electron entry
 * (main/index.ts) drives electron-updater itself with these.
 */
const require = createRequire(import.meta.url);

export interface UpdateFile {
  url: string;
  sha512: string;
  size?: number;
}
export interface UpdateInfo {
  version: string;
  files: UpdateFile[];
  path?: string;
  sha512?: string;
  releaseDate?: string;
}

export class UpdateError extends Error {}

/** The metadata file electron-builder writes next to the installers, per OS. */
export function channelFile(platform: NodeJS.Platform = process.platform): string {
  return platform === 'darwin' ? 'latest-mac.yml' : platform === 'linux' ? 'latest-linux.yml' : 'latest.yml';
}

/** The feed URL from settings: https, or http on loopback only (a test feed); null when none or unusable. */
export function updateFeedUrl(raw: string | null | undefined): URL | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return null;
  if (url.username || url.password) return null;
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** Parsed with electron-updater's parser (the same code that reads the feed at run time). */
export function parseFeed(text: string, file: string, url: URL): UpdateInfo {
  const { parseUpdateInfo } = require('electron-updater/out/providers/Provider.js') as {
    parseUpdateInfo(raw: string, file: string, url: URL): UpdateInfo;
  };
  let info: UpdateInfo;
  try {
    info = parseUpdateInfo(text, file, url);
  } catch (e) {
    throw new UpdateError(
      `The update feed's ${file} cannot be read: ${redact((e as Error).message.split('\n')[0] ?? '')}`,
    );
  }
  if (typeof info.version !== 'string' || !/^\d+\.\d+\.\d+/.test(info.version))
    throw new UpdateError(`The update feed's ${file} has no valid version`);
  if (
    !Array.isArray(info.files) ||
    info.files.length === 0 ||
    info.files.some((f) => typeof f.url !== 'string' || typeof f.sha512 !== 'string' || f.sha512.length < 80)
  ) {
    throw new UpdateError(`The update feed's ${file} lists no file with a sha512`);
  }
  return info;
}

/** Semantic version order (pre-releases before their release). */
export function isNewer(candidate: string, current: string): boolean {
  const parse = (v: string) => {
    const [core = '', pre] = v.split('+')[0]!.split(/-(.*)/s);
    return { nums: core.split('.').map((n) => Number.parseInt(n, 10) || 0), pre: pre ?? null };
  };
  const a = parse(candidate);
  const b = parse(current);
  for (let i = 0; i < 3; i++) if ((a.nums[i] ?? 0) !== (b.nums[i] ?? 0)) return (a.nums[i] ?? 0) > (b.nums[i] ?? 0);
  if (a.pre === b.pre) return false;
  if (a.pre === null) return true;
  if (b.pre === null) return false;
  return a.pre.localeCompare(b.pre, 'en', { numeric: true }) > 0;
}

/** Asks the feed for its metadata: whether a newer version exists, or a clear error. */
export async function checkFeed(
  feed: URL,
  currentVersion: string,
  options: { platform?: NodeJS.Platform; timeoutMs?: number } = {},
): Promise<{ available: boolean; info: UpdateInfo }> {
  const file = channelFile(options.platform);
  const url = new URL(file, feed);
  let res: Response;
  try {
    res = await fetch(url, {
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      redirect: 'error',
      headers: { 'Cache-Control': 'no-cache' },
    });
  } catch (e) {
    throw new UpdateError(describeUpdateError(e));
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new UpdateError(`The update server answered HTTP ${res.status} for ${file}`);
  }
  const info = parseFeed(await res.text(), file, url);
  return { available: isNewer(info.version, currentVersion), info };
}

/** Checks a downloaded file against the feed's sha512 (base64, as electron-builder writes it); a mismatch removes the file. */
export async function verifyDownload(file: string, sha512: string): Promise<void> {
  const hash = createHash('sha512');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  const actual = hash.digest('base64');
  if (actual !== sha512) {
    fs.rmSync(file, { force: true });
    throw new UpdateError(MISMATCH);
  }
}

const MISMATCH =
  'The downloaded update does not match the sha512 in the update feed; it was discarded and nothing was installed.';

/** One sentence for an updater failure (electron-updater's, the network's, or ours); never a URL's query or a token. */
export function describeUpdateError(e: unknown): string {
  if (e instanceof UpdateError) return e.message;
  const err = e as {
    code?: string;
    message?: string;
    cause?: { code?: string; message?: string };
    name?: string;
    statusCode?: number;
  };
  const message = String(err?.message ?? e);
  const code = err?.code ?? err?.cause?.code ?? /net::(ERR_[A-Z_]+)/.exec(message)?.[1];
  if (code === 'ERR_CHECKSUM_MISMATCH' || /sha512 checksum mismatch/i.test(message)) return MISMATCH;
  if (code === 'ERR_UPDATER_INVALID_SIGNATURE' || /not signed by the application owner|publisherName/i.test(message)) {
    return "The downloaded update is not signed by Vigil's publisher; it was discarded and nothing was installed.";
  }
  if (code === 'ERR_UPDATER_INVALID_UPDATE_INFO' || code === 'ERR_UPDATER_NO_FILES_PROVIDED')
    return "The update feed's metadata is not valid; nothing was downloaded.";
  const status =
    err?.statusCode ??
    Number(/HttpError: (\d{3})/.exec(message)?.[1] ?? /\bstatus(?:Code)? (\d{3})/.exec(message)?.[1] ?? NaN);
  if (Number.isInteger(status) && status >= 400)
    return `The update server answered HTTP ${status}; nothing was installed.`;
  if (
    err?.name === 'TimeoutError' ||
    code === 'ETIMEDOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'ERR_TIMED_OUT'
  )
    return 'The update server did not answer in time; nothing was installed.';
  if (code && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ERR_[A-Z_]+)$/.test(code))
    return `The update server cannot be reached (${code}); nothing was installed.`;
  if (/fetch failed/i.test(message)) return 'The update server cannot be reached; nothing was installed.';
  return `Updating failed: ${redact(message.split('\n')[0]!.replace(/[a-z]+:\/\/\S+/gi, '<url>'))}`;
}
