import type { Page } from 'playwright-core';
import type { Core } from '../../../main/core';
import type { TreeNode } from '../../../preload/contract';
import type { MediaSimulator } from '../../emulators/media/simulator';
import type { IvcEmulator } from '../../emulators/tencent-ivc/emulator';
import { pickOption } from '../../helpers/browser';
import { cursorOf, walkCursorTo } from '../../helpers/playback';
import { startPaneProbe, takePaneSeconds } from './probe';

/**
 * The shift's second window: the playback page, four panes in sync (one cursor) on four IVC
 * cameras' cloud recordings, played over one recording again and again: when the cursor nears
 * the recording's end the bench walks it back to the start, as an operator replaying an incident.
 * The probe reads each pane's burned-in clock against the cursor (probe.ts, target 'playback').
 */
export const PLAYBACK_CAMERAS = ['大门球机', '大堂枪机', '电梯厅', '周界东'];
/** Where each loop starts, past the recording's first second. */
const LOOP_IN_MS = 5000;
/** The cursor this close to the recording's end goes back to its start. */
const LOOP_TAIL_MS = 4000;
/** Seconds after a loop's jump that do not count: the bench's own seek (the panes load the start again). */
export const LOOP_GRACE_S = 6;

export interface PlaybackWindow {
  /** The probe's lines since the last call ([epoch second, F/S per pane, why]). */
  take(): Promise<Array<[number, string, string]>>;
  /** Epoch seconds of each loop's jump back. */
  readonly loops: number[];
  stop(): void;
}

export async function startPlaybackWindow(o: {
  page: Page;
  url: string;
  core: Core;
  ivcAccount: string;
  ivc: IvcEmulator;
  sim: MediaSimulator;
  log(msg: string): void;
}): Promise<PlaybackWindow> {
  const { page } = o;
  // The cameras' recordings: each IVC channel plays a simulator camera; all share the same times.
  const sims = PLAYBACK_CAMERAS.map((name) => {
    const d = [...o.ivc.devices.values()].find((x) => x.Name === name);
    if (!d) throw new Error(`no IVC camera ${name}`);
    return d.channels[0]!.media;
  });
  const rec = o.sim.recordings(sims[0]!).at(-1)!;
  await Promise.all(sims.map((s) => o.sim.prepareRecording(s, rec.start)));
  const nodes = (await o.core.wall.tree(o.ivcAccount, true)).nodes as TreeNode[];

  await page.goto(o.url);
  await page.getByRole('menuitem', { name: /Playback|录像回放/ }).click();
  await page.getByTestId('playback-page').waitFor();
  await pickOption(page, page.getByTestId('playback-layout'), /^4$/);
  for (const [i, name] of PLAYBACK_CAMERAS.entries()) {
    const node = nodes.find((n) => n.kind === 'channel' && n.name === name);
    if (!node) throw new Error(`IVC's tree has no channel ${name}`);
    await page.getByTestId(`playback-pane-${i}`).click();
    await page.locator('[data-testid="device-tree"] input').first().fill(name);
    await page.locator(`[data-testid="node-channel"][data-node-id="${node.id}"]`).first().dblclick();
  }
  await walkCursorTo(page, rec.start + LOOP_IN_MS, 120);
  await page.getByTestId('playback-play').click();
  for (let i = 0; i < PLAYBACK_CAMERAS.length; i++)
    await page.locator(`[data-testid="playback-pane-${i}"][data-status="playing"]`).waitFor({ timeout: 90_000 });
  await startPaneProbe(page, PLAYBACK_CAMERAS.length, 'playback');
  o.log(`playback window: ${PLAYBACK_CAMERAS.join(' ')}, looping ${Math.round((rec.end - rec.start) / 1000)} s`);

  const loops: number[] = [];
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void (async () => {
      const cursor = await cursorOf(page);
      if (cursor < rec.end - LOOP_TAIL_MS && cursor >= rec.start) return;
      loops.push(Math.floor(Date.now() / 1000));
      await walkCursorTo(page, rec.start + LOOP_IN_MS, 120);
      await logStalls(page, loops.length, o.log);
    })()
      .catch((e: unknown) => o.log(`playback loop: ${String(e)}`))
      .finally(() => (busy = false));
  }, 1000);
  return {
    take: () => takePaneSeconds(page),
    loops,
    stop: () => clearInterval(timer),
  };
}

/** Seconds after a loop's jump in which a pane not playing is described on the log. */
const STALL_WATCH_S = 15;

/**
 * For STALL_WATCH_S after a loop's jump, once a second, each pane whose video is not playing
 * (seeking, paused while the page plays, or without a frame to show) is said on the log with its
 * play head, ready state and what its player keeps: what a pane left waiting at a jump waits on.
 */
async function logStalls(page: Page, loop: number, log: (msg: string) => void): Promise<void> {
  for (let s = 1; s <= STALL_WATCH_S; s++) {
    await page.waitForTimeout(1000);
    const stalled = await page.evaluate(() => {
      // (the button shows ⏸ while the page plays)
      const clock = document.querySelector('[data-testid="playback-play"] .anticon-pause') ? 'playing' : 'paused';
      return [...document.querySelectorAll<HTMLVideoElement>('[data-testid^="playback-pane-"] video')].flatMap(
        (v, i) => {
          if (!v.seeking && !v.paused && v.readyState >= 3) return [];
          const kept = [...Array(v.buffered.length).keys()]
            .map((r) => `${v.buffered.start(r).toFixed(2)}-${v.buffered.end(r).toFixed(2)}`)
            .join(',');
          const state = `${v.seeking ? ' seeking' : ''}${v.paused ? ' paused' : ''}`;
          return [`pane ${i} t=${v.currentTime.toFixed(3)} rs=${v.readyState}${state} kept [${kept}], page ${clock}`];
        },
      );
    });
    if (stalled.length) log(`playback loop ${loop} +${s} s: ${stalled.join('; ')}`);
  }
}
