import type { Page } from 'playwright-core';
import { startWebHost } from '../../main/host/web';
import { platformMedia } from '../emulators/media/platform-media';
import { MediaSimulator } from '../emulators/media/simulator';
import { IvcEmulator } from '../emulators/tencent-ivc/emulator';
import { ivcAccount } from '../helpers/accounts';
import { launchChromium, pickOption } from '../helpers/browser';
import { addAccount, makeCore, MemoryVault } from '../helpers/core';

/**
 * `npm run bench -- renders [--runs 3] [--seconds 10]`: React's work during a 9-pane synced
 * playback (Tencent IVC emulator, real recordings). The cursor moves every animation frame; the
 * question is how much of the page re-renders with it. Counted in the page through the hook React
 * DevTools uses (`__REACT_DEVTOOLS_GLOBAL_HOOK__.onCommitFiberRoot`), which production builds call
 * too (the Profiler's onRender does not fire in a production build): commits per second, and
 * components rendered per second (function/class components whose render ran in a commit). The
 * app carries no instrumentation; the hook exists only in the bench's page. One JSON line.
 */
export async function runRenders(runs: number, seconds: number): Promise<object> {
  const sim = await MediaSimulator.start({
    channels: [{ id: 'r1', name: 'Renders' }],
    recordingsPerChannel: 2,
    recordingMinutes: 2,
    recordingEveryMinutes: 5,
  });
  for (const r of sim.recordings('r1')) await sim.prepareRecording('r1', r.start);
  const ivc = await new IvcEmulator({ media: platformMedia(sim) }).start();
  const { core } = makeCore({ vault: new MemoryVault() });
  await addAccount(core, 'bench', ivcAccount(ivc));
  const host = await startWebHost({ core, port: 0 });
  const browser = await launchChromium();
  const samples: Array<{ commits_per_s: number; renders_per_s: number; cursor_s_per_s: number }> = [];
  try {
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1500, height: 850 } });
      const page = await context.newPage();
      // tsx names functions with a helper that does not exist in the page.
      await page.addInitScript('window.__name = (f) => f;');
      await page.addInitScript(installCommitCounter);
      await page.goto(host.url);
      await page.getByRole('menuitem', { name: /Playback|录像回放/ }).click();
      await page.getByTestId('playback-page').waitFor();
      await pickOption(page, page.getByTestId('playback-layout'), /^9$/);
      // The three cameras in a recording plan, three times over: nine panes of cloud HLS.
      const cameras = ['大门球机', '大堂枪机', '电梯厅'];
      for (let i = 0; i < 9; i++) {
        await page.getByTestId(`playback-pane-${i}`).click();
        await page
          .locator('[data-testid="device-tree"] input')
          .first()
          .fill(cameras[i % 3]!);
        await page.locator('[data-testid="node-channel"]').first().dblclick();
      }
      await page.locator('[data-testid="segment-cloud"]').first().waitFor({ timeout: 30_000 });
      const rec = sim.recordings('r1')[1]!;
      await page.getByTestId('playback-next').click();
      await page.waitForFunction(
        (start) => Number(document.querySelector('[data-testid="playback-cursor"]')?.getAttribute('data-ms')) === start,
        rec.start,
      );
      await page.getByRole('button', { name: '+10s' }).click();
      await page.getByTestId('playback-play').click();
      for (let i = 0; i < 9; i++)
        await page.locator(`[data-testid="playback-pane-${i}"][data-status="playing"]`).waitFor({ timeout: 60_000 });
      await page.waitForTimeout(1000);
      const sample = await measure(page, seconds);
      samples.push(sample);
      process.stderr.write(`run ${run + 1}/${runs}: ${JSON.stringify(sample)}\n`);
      await context.close();
    }
  } finally {
    await browser.close();
    await host.close();
    await ivc.stop();
    await sim.stop();
  }
  const stat = (k: keyof (typeof samples)[number]) => {
    const v = samples.map((s) => s[k]);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    return { mean: round(mean), min: Math.min(...v), max: Math.max(...v) };
  };
  return {
    bench: 'renders',
    panes: 9,
    seconds,
    runs: samples,
    commits_per_s: stat('commits_per_s'),
    renders_per_s: stat('renders_per_s'),
    cursor_s_per_s: stat('cursor_s_per_s'),
  };
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Counts over `seconds` of playing: commits, components rendered, and how far the cursor moved. */
async function measure(page: Page, seconds: number) {
  const cursor = () =>
    page.evaluate(() => Number(document.querySelector('[data-testid="playback-cursor"]')!.getAttribute('data-ms')));
  const c0 = await cursor();
  const before = await page.evaluate(() => ({ ...(window as unknown as { __commits: Counts }).__commits }));
  const t0 = Date.now();
  await page.waitForTimeout(seconds * 1000);
  const after = await page.evaluate(() => ({ ...(window as unknown as { __commits: Counts }).__commits }));
  const elapsed = (Date.now() - t0) / 1000;
  const c1 = await cursor();
  return {
    commits_per_s: round((after.commits - before.commits) / elapsed),
    renders_per_s: round((after.renders - before.renders) / elapsed),
    cursor_s_per_s: round((c1 - c0) / 1000 / elapsed),
  };
}

interface Counts {
  commits: number;
  renders: number;
}

/**
 * In the page, before React loads: a minimal DevTools hook. On each commit it walks the fibers
 * that changed (a subtree React skipped keeps its child pointer, so it is not entered) and counts
 * the components whose render ran (the PerformedWork flag).
 */
function installCommitCounter(): void {
  type Fiber = {
    tag: number;
    flags: number;
    child: Fiber | null;
    sibling: Fiber | null;
    alternate: Fiber | null;
  };
  const counts: Counts = { commits: 0, renders: 0 };
  (window as unknown as { __commits: Counts }).__commits = counts;
  // FunctionComponent 0, ClassComponent 1, ForwardRef 11, SimpleMemoComponent 15.
  const components = new Set([0, 1, 11, 15]);
  const PERFORMED_WORK = 1;
  const walk = (fiber: Fiber | null): void => {
    for (let f = fiber; f; f = f.sibling) {
      if (components.has(f.tag) && f.flags & PERFORMED_WORK) counts.renders++;
      if (f.child && f.child !== f.alternate?.child) walk(f.child);
    }
  };
  (window as unknown as { __REACT_DEVTOOLS_GLOBAL_HOOK__: object }).__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    renderers: new Map(),
    inject() {
      return 1;
    },
    onCommitFiberRoot(_id: number, root: { current: Fiber }) {
      counts.commits++;
      walk(root.current.child);
    },
    onCommitFiberUnmount() {},
    onPostCommitFiberRoot() {},
    checkDCE() {},
  };
}
