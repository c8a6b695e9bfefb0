import type { Page } from 'playwright-core';

// The playback page's cursor, as the e2e tests and the shift bench read and move it.

/** Where the playback cursor is (epoch ms). */
export const cursorOf = async (page: Page) => Number(await page.getByTestId('playback-cursor').getAttribute('data-ms'));

/**
 * Walks the cursor to within 5 s of `target` with the ±1 min / ±10 s buttons, as an operator does
 * where the platform lists no recordings to jump between (Alibaba VCS). Each press is waited for
 * (a busy page moves the cursor late, and pressing on a stale reading went back and forth); 5 s
 * either side counts, so a target 5 s past a 10-s step does not swing between its neighbours.
 */
export async function walkCursorTo(page: Page, target: number, maxPresses = 200): Promise<void> {
  const seen: number[] = [];
  for (let i = 0; i < maxPresses; i++) {
    const at = await cursorOf(page);
    seen.push(at);
    const d = target - at;
    if (Math.abs(d) <= 5000) return;
    await page
      .getByRole('button', { name: `${d > 0 ? '+' : '−'}${Math.abs(d) >= 60_000 ? '1m' : '10s'}`, exact: true })
      .click();
    await page
      .waitForFunction(
        (before) =>
          Number(document.querySelector('[data-testid="playback-cursor"]')?.getAttribute('data-ms')) !== before,
        at,
        { polling: 100, timeout: 5000 },
      )
      .catch(() => undefined);
  }
  const last = seen.slice(-6).map((ms) => new Date(ms).toISOString().slice(11, 19));
  throw new Error(`the cursor did not reach ${new Date(target).toISOString()} (last at ${last.join(', ')})`);
}
