import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

/**
 * The ffmpeg binary for clip export, if this machine has one: `VIGIL_FFMPEG`, then the npm
 * package @ffmpeg-installer/ffmpeg when installed, then `ffmpeg` on PATH. Null otherwise (export
 * then joins TS segments instead of remuxing to MP4).
 */
let cached: string | null | undefined;

export function findFfmpeg(): string | null {
  if (cached !== undefined) return cached;
  const candidates: string[] = [];
  if (process.env.VIGIL_FFMPEG) candidates.push(process.env.VIGIL_FFMPEG);
  try {
    candidates.push((createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path);
  } catch {
    // not installed (a packaged app without it)
  }
  candidates.push('ffmpeg');
  cached = candidates.find((c) => spawnSync(c, ['-version'], { stdio: 'ignore', timeout: 5000 }).status === 0) ?? null;
  return cached;
}
