import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ffmpegPath } from '../emulators/media/ffmpeg';
import { launchChromium } from '../helpers/browser';
import { tempDir } from '../helpers/core';
import { addPacer, pacerClip } from './pacer';

/**
 * `npm run bench -- display [--panes 1,2,4,9] [--seconds 4]`: how often this Chromium's display
 * compositor draws while N plain <video> elements play a 25-fps clip (no Vigil, no network
 * stream), and how many frames it drops. Chromium's desktop frame-interval policy
 * ("video conference": two or more videos playing) lowers the display's begin-frame rate to the
 * largest supported interval below the fastest video's — 30 Hz for 25-fps cameras — so each
 * 40-ms picture has one 33-ms tick to be drawn at, and a late draw drops it. The wall bench's
 * drops are measured on top of this; this one says what the display alone does on a machine.
 * One JSON line: per count, begin frames and draws a second, the policy's decision as traced,
 * frames shown and dropped.
 */
export async function runDisplay(counts: number[], seconds: number, pacer = false): Promise<object> {
  const pacerBytes = pacer ? pacerClip() : null;
  const dir = tempDir();
  const clip = path.join(dir, 'clip.mp4');
  const made = spawnSync(ffmpegPath(), [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=25'],
    ...['-t', '20', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-g', '25', clip],
  ]);
  if (made.status !== 0) throw new Error(`ffmpeg could not make the clip: ${made.stderr.toString()}`);
  const bytes = fs.readFileSync(clip);
  const server = http.createServer((req, res) => {
    if (req.url === '/clip.mp4') {
      res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': bytes.length });
      return void res.end(bytes);
    }
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><style>body{margin:0;background:#000}video{width:200px;height:112px}</style>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const browser = await launchChromium();
  const results: object[] = [];
  try {
    for (const n of counts) {
      const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
      await page.goto(url);
      const cdp = await page.context().newCDPSession(page);
      const events: Array<{ name: string; ph: string; ts: number; dur?: number; args?: unknown }> = [];
      cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as typeof events)));
      const traced = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
      // Traced from before the videos start: the policy decides once, a moment after they play.
      await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: ['viz'] } });
      await page.evaluate((count) => {
        for (let i = 0; i < count; i++) {
          const v = document.createElement('video');
          Object.assign(v, { src: '/clip.mp4', muted: true, loop: true });
          document.body.append(v);
          void v.play();
        }
      }, n);
      if (pacerBytes) await addPacer(page, pacerBytes);
      await page.waitForTimeout(2000); // settled: playing, and the policy decided
      /** Frames shown and dropped so far, all videos together. */
      const quality = () =>
        page.evaluate(() => {
          let [shown, dropped] = [0, 0];
          for (const v of document.querySelectorAll<HTMLVideoElement>('video:not([data-pacer])')) {
            const q = v.getVideoPlaybackQuality();
            [shown, dropped] = [shown + q.totalVideoFrames, dropped + q.droppedVideoFrames];
          }
          return { shown, dropped };
        });
      const before = await quality();
      const from = performance.now();
      await page.waitForTimeout(seconds * 1000);
      const after = await quality();
      const s = (performance.now() - from) / 1000;
      await cdp.send('Tracing.end');
      await traced;
      await page.close();
      // Counted over the last `seconds` of the trace (the measuring window).
      const end = Math.max(...events.map((e) => e.ts));
      const inWindow = (name: string) => events.filter((e) => e.name === name && e.ts >= end - s * 1e6).length;
      const decided = events
        .filter((e) => e.name === 'FrameIntervalDeciderResult')
        .map((e) => {
          const d = (
            e.args as {
              frame_interval_decider?: {
                matcher_type?: string;
                result?: { result_interval?: { interval_us?: number } };
              };
            }
          ).frame_interval_decider;
          const us = d?.result?.result_interval?.interval_us;
          return `${(d?.matcher_type ?? '?').replace('MATCHER_TYPE_', '')}${us ? ` ${(us / 1000).toFixed(1)} ms` : ''}`;
        });
      results.push({
        videos: n,
        begin_frames_per_s: Math.round(inWindow('DelayBasedBeginFrameSource::OnTimerTick') / s),
        draws_per_s: Math.round(inWindow('Display::DrawAndSwap') / s),
        decided,
        frames: after.shown - before.shown,
        dropped: after.dropped - before.dropped,
        dropped_pct:
          after.shown > before.shown
            ? Math.round((1000 * (after.dropped - before.dropped)) / (after.shown - before.shown)) / 10
            : 0,
      });
    }
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { bench: 'display', seconds, pacer, results };
}
