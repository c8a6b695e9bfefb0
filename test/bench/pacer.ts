import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ffmpegPath } from '../emulators/media/ffmpeg';
import { tempDir } from '../helpers/core';

/** A 2-s, 16×16, 60-fps H.264 clip (a few KB): the experiment's pacer video. */
export function pacerClip(): Buffer {
  const dir = tempDir();
  const clip = path.join(dir, 'pacer.mp4');
  try {
    const made = spawnSync(ffmpegPath(), [
      ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=16x16:rate=60'],
      ...['-t', '2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-g', '120', clip],
    ]);
    if (made.status !== 0) throw new Error(`ffmpeg could not make the pacer clip: ${made.stderr.toString()}`);
    return fs.readFileSync(clip);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Plays the pacer clip, looped, in a 2×2 video in the page's corner. */
export async function addPacer(page: Page, clip: Buffer): Promise<void> {
  await page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const v = document.createElement('video');
    Object.assign(v, { src: URL.createObjectURL(new Blob([bytes], { type: 'video/mp4' })), muted: true, loop: true });
    v.dataset.pacer = '1';
    Object.assign(v.style, { position: 'fixed', right: '0', bottom: '0', width: '2px', height: '2px', zIndex: '9999' });
    document.body.append(v);
    await v.play();
  }, clip.toString('base64'));
}
