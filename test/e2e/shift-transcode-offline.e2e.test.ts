import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startPaneProbe, takePaneSeconds } from '../bench/shift/probe';
import { pickPanes } from '../bench/shift/shift';
import { MemoryVault } from '../helpers/core';
import { startStack, type Stack } from '../helpers/stack';

// The shift soak's stuck pane (issue 55, seed 52): on a 16-pane wall, a transcoded (H.265 → H.264)
// pane whose camera was offline for about 90 s must show fresh pictures (read off the clock strip,
// ≤ 2 s old) within 5 s of the camera being back, as every other pane does. The run's case as far
// as it is known: the camera in pane 0, another IVM channel on the same H.265 camera in pane 12,
// every IVM play URL lapsing 41 s into the outage, the camera's stream settings (§17.2) not
// answerable while it is offline. On this code the pane is back in 1–4 s (4 runs): the seed-52
// case has not been reproduced apart yet (docs/shift-soak.md); this guards the path.

const OFFLINE_S = Number(process.env.VIGIL_OFFLINE_S ?? 90);
const BACK_WITHIN_S = 5;
let stack: Stack;
// A minute and a half of outage: a soak's check, run with the shift work (VIGIL_LONG_E2E=1), not in every CI run.
const long = process.env.VIGIL_LONG_E2E ? false : 'takes ~100 s: set VIGIL_LONG_E2E=1 to run it';

before(async () => {
  if (long) return;
  stack = await startStack({
    media: {
      // IVM's first camera (大门球机) is the simulator's first channel: the H.265 one.
      channels: [
        { id: 'h1', name: 'HEVC 1', codec: 'h265' },
        ...Array.from({ length: 5 }, (_, i) => ({ id: `c${i + 2}`, name: `Cam ${i + 2}` })),
      ],
      sharedSubEncoder: true,
      prepareRecordings: false,
    },
    ivm: { media: true },
    ivc: { media: true, scale: 10 },
    core: { vault: new MemoryVault() },
  });
});
after(() => stack?.stop());

/** The wall's first pane line whose pane `i` is fresh, at or after epoch second `from`, waiting up to `waitS`. */
async function freshAfter(page: Page, i: number, from: number, waitS: number, seen: string[]): Promise<number | null> {
  const until = Date.now() + waitS * 1000;
  for (;;) {
    for (const [t, line, why] of await takePaneSeconds(page)) {
      if (t < from) continue;
      seen.push(`${t - from}:${why[i]}`);
      if (line[i] === 'F') return t;
    }
    if (Date.now() > until) return null;
    await page.waitForTimeout(500);
  }
}

test(
  `a transcoded pane whose camera was offline ${OFFLINE_S} s shows fresh pictures within ${BACK_WITHIN_S} s of it being back`,
  { skip: long },
  async () => {
    const { core, ivm } = stack;
    const picked = await pickPanes(core, { ivm: stack.accounts.ivm!, ivc: stack.accounts.ivc! }, 16, ['ivm', 'ivc']);
    // As in the seed-52 run: the camera that goes offline is H.265 in pane 0, and another IVM channel
    // on the same H.265 camera plays in pane 12 all along.
    const onHevc = [...ivm!.devices.values()].flatMap((d) =>
      d.channels.filter((c) => c.media === 'h1').map((c) => `ch:${d.device_id}:${c.channel_id}`),
    );
    const offline = 'ch:21A0123456SMY01:0';
    const other = onHevc.find((id) => id !== offline)!;
    assert.ok(other, `a second IVM channel on the H.265 camera: ${onHevc.join(' ')}`);
    const panes = picked.filter((p) => p.channelId !== offline && p.channelId !== other).slice(0, 14);
    const pane = (channelId: string) => ({
      platform: 'ivm' as const,
      accountId: stack.accounts.ivm!,
      channelId,
      name: channelId,
    });
    panes.splice(0, 0, pane(offline));
    panes.splice(12, 0, pane(other));
    const hevc = 0;
    const view = core.views.save({
      name: 'offline',
      layout: '16',
      panes: panes.map((p) => ({ accountId: p.accountId, channelId: p.channelId, name: p.name })),
    } as never);
    core.views.setStartup(view.id);
    const page = await (await stack.browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
    await page.goto(stack.host.url);
    await page.getByTestId('wall-page').waitFor();
    await page.getByTestId(`wall-pane-${hevc}`).getByTestId('pane-transcode').waitFor({ timeout: 60_000 });
    await startPaneProbe(page, panes.length);
    const warm: string[] = [];
    assert.ok(
      (await freshAfter(page, hevc, Math.floor(Date.now() / 1000), 60, warm)) !== null,
      `the transcoded pane shows fresh pictures before the fault: ${warm.join(' ')}`,
    );

    ivm!.setChannelOnline('21A0123456SMY01', '0', false);
    // The run's play-URL lapse came 41 s into the outage: every IVM URL handed out lapses.
    await page.waitForTimeout(Math.min(41, OFFLINE_S / 2) * 1000);
    ivm!.lapsePlayUrls();
    await page.waitForTimeout((OFFLINE_S - Math.min(41, OFFLINE_S / 2)) * 1000);
    await takePaneSeconds(page);
    ivm!.setChannelOnline('21A0123456SMY01', '0', true);
    const back = Date.now() / 1000;
    const seen: string[] = [];
    const fresh = await freshAfter(page, hevc, Math.floor(back), 30, seen);
    const state = await page
      .getByTestId(`wall-pane-${hevc}`)
      .locator('[data-state]')
      .first()
      .getAttribute('data-state')
      .catch(() => null);
    process.stderr.write(
      `  pane ${hevc} back: ${fresh === null ? 'never (30 s)' : `${Math.round(fresh - back)} s`}; seconds: ${seen.join(' ')}; state ${state}\n`,
    );
    assert.ok(
      fresh !== null && fresh - back <= BACK_WITHIN_S,
      `fresh ${fresh === null ? 'never' : `${(fresh - back).toFixed(1)} s`} after the camera was back (state ${state}; per second: ${seen.join(' ')})`,
    );
    await page.context().close();
  },
);
