import { startWebHost } from '../../main/host/web';
import { platformMedia } from '../emulators/media/platform-media';
import { MediaSimulator } from '../emulators/media/simulator';
import { IvcEmulator } from '../emulators/tencent-ivc/emulator';
import { ivcAccount } from '../helpers/accounts';
import { launchChromium } from '../helpers/browser';
import { installClockReader } from '../helpers/media';
import { addAccount, makeCore, MemoryVault } from '../helpers/core';

/**
 * `npm run bench -- seek [--seeks 20]`: the playback page against the Tencent IVC emulator with
 * real recordings. Paused inside a two-minute cloud recording, each seek is a key press (±10 s,
 * ±1 min), timed from the press until the pane shows a frame whose burned-in clock is within 1 s
 * of the new cursor: time to the first right frame, the number an operator waits for. One JSON
 * line; target p95 ≤ 1000 ms.
 */
export async function runSeek(seeks: number): Promise<object> {
  const sim = await MediaSimulator.start({
    channels: [{ id: 's1', name: 'Seek' }],
    recordingsPerChannel: 2,
    recordingMinutes: 2,
    recordingEveryMinutes: 5,
  });
  for (const r of sim.recordings('s1')) await sim.prepareRecording('s1', r.start);
  const ivc = await new IvcEmulator({ media: platformMedia(sim) }).start();
  const { core } = makeCore({ vault: new MemoryVault() });
  await addAccount(core, 'bench', ivcAccount(ivc));
  const host = await startWebHost({ core, port: 0 });
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    // tsx names functions with a helper that does not exist in the page.
    await page.addInitScript('window.__name = (f) => f;');
    await installClockReader(page);
    await page.goto(host.url);
    await page.getByRole('menuitem', { name: /Playback|录像回放/ }).click();
    await page.locator('[data-testid="device-tree"] input').first().fill('大门球机');
    await page.locator('[data-testid="node-channel"]').first().dblclick();
    await page.locator('[data-testid="segment-cloud"]').first().waitFor({ timeout: 30_000 });
    const rec = sim.recordings('s1')[1]!;
    await page.getByTestId('playback-next').click();
    await page.waitForFunction(
      (start) => Number(document.querySelector('[data-testid="playback-cursor"]')?.getAttribute('data-ms')) === start,
      rec.start,
    );
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await page.getByTestId('playback-play').click();
    await page.locator('[data-testid="playback-pane-0"][data-status="playing"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('playback-play').click();
    await page.locator('body').click({ position: { x: 5, y: 5 } });

    // A walk of key presses that stays inside the recording (10 s – 100 s in).
    const moves: Array<{ key: string; shift: boolean; delta: number }> = [
      { key: 'ArrowRight', shift: false, delta: 10 },
      { key: 'ArrowLeft', shift: false, delta: -10 },
      { key: 'ArrowRight', shift: true, delta: 60 },
      { key: 'ArrowLeft', shift: true, delta: -60 },
    ];
    let offset = 30;
    const times: number[] = [];
    for (let n = 0; n < seeks; n++) {
      const options = moves.filter((m) => offset + m.delta >= 10 && offset + m.delta <= 100);
      const move = options[(n * 7 + 3) % options.length]!;
      offset += move.delta;
      times.push(await page.evaluate(timedSeek, { key: move.key, shift: move.shift }));
      process.stderr.write(
        `seek ${n + 1}/${seeks}: ${move.shift ? 'Shift+' : ''}${move.key} → ${offset} s in, ${Math.round(times.at(-1)!)} ms\n`,
      );
    }
    const sorted = [...times].sort((a, b) => a - b);
    const pct = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);
    return {
      bench: 'seek',
      results: {
        seeks,
        first_frame_p50_ms: pct(50),
        first_frame_p95_ms: pct(95),
        max_ms: Math.round(sorted.at(-1)!),
        target_p95_ms: 1000,
        timed_out: times.filter((t) => t >= 10_000).length,
      },
    };
  } finally {
    await browser.close();
    await host.close();
    await ivc.stop();
    await sim.stop();
  }
}

/** In the page: press the key, then wait for a frame whose clock strip matches the new cursor. */
async function timedSeek({ key, shift }: { key: string; shift: boolean }): Promise<number> {
  const selector = '[data-testid="playback-pane-0"] video';
  const video = document.querySelector<HTMLVideoElement>(selector)!;
  const strip = () => (window as unknown as { __vigilClock(s: string): number }).__vigilClock(selector);
  const cursor = () => Number(document.querySelector('[data-testid="playback-cursor"]')!.getAttribute('data-ms'));
  const before = cursor();
  const t0 = performance.now();
  document.body.dispatchEvent(new KeyboardEvent('keydown', { key, shiftKey: shift, bubbles: true }));
  return new Promise<number>((resolve) => {
    const check = () => {
      const elapsed = performance.now() - t0;
      const target = cursor();
      if (target !== before && video.readyState >= 2 && !video.seeking && Math.abs(strip() - (target % 2 ** 24)) < 1000)
        return resolve(elapsed);
      if (elapsed > 10_000) return resolve(10_000);
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
}
