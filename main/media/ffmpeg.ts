import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { unpackedPath } from '../host/paths';

/**
 * The protocols ffmpeg may use on a stream main relays to it (`-protocol_whitelist`, an input
 * option): the relay's loopback http, and `crypto` for AES-128 HLS segments (`crypto+http://`).
 * Never file:, concat:, subfile or https: whatever a playlist names reaches ffmpeg only as a
 * relay resource.
 */
export const RELAY_PROTOCOLS = 'http,tcp,crypto';

/**
 * The ffmpeg binary for clip export: `VIGIL_FFMPEG`, then the one Vigil ships (the production
 * dependency @ffmpeg-installer/ffmpeg, unpacked from the asar when packaged), then `ffmpeg` on
 * PATH. Null when none runs (export then joins TS segments instead of remuxing to MP4, and the
 * UI says so before an export starts).
 */
let cached: string | null | undefined;

export function findFfmpeg(): string | null {
  if (cached !== undefined) return cached;
  cached =
    candidates().find((c) => spawnSync(c, ['-version'], { stdio: 'ignore', timeout: 5000 }).status === 0) ?? null;
  return cached;
}

/**
 * The same answer as findFfmpeg without holding main's event loop while each candidate runs (a
 * static build's `-version` takes tens of milliseconds, more on a busy machine): for requests
 * answered at start-up, which would otherwise keep every other request of the window waiting.
 */
export async function probeFfmpeg(): Promise<string | null> {
  if (cached !== undefined) return cached;
  let found: string | null = null;
  for (const c of candidates()) {
    const runs = await new Promise<boolean>((resolve) => {
      const p = spawn(c, ['-version'], { stdio: 'ignore', timeout: 5000 });
      p.once('error', () => resolve(false));
      p.once('exit', (code) => resolve(code === 0));
    });
    if (runs) {
      found = c;
      break;
    }
  }
  cached ??= found; // a findFfmpeg meanwhile answered first: the same answer, kept
  return cached;
}

function candidates(): string[] {
  const list: string[] = [];
  if (process.env.VIGIL_FFMPEG) list.push(process.env.VIGIL_FFMPEG);
  const shipped = shippedFfmpeg();
  if (shipped) list.push(shipped);
  list.push('ffmpeg');
  return list;
}

/** The binary of @ffmpeg-installer for this OS and CPU, resolved from this module's own location. */
export function shippedFfmpeg(): string | null {
  try {
    return unpackedPath((createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path);
  } catch {
    // no build for this platform, or the package is missing
    return null;
  }
}
