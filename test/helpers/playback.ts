import type { Page } from 'playwright-core';

// The playback page's cursor, as the e2e tests read and move it.

/** Where the playback cursor is (epoch ms). */
export const cursorOf = async (page: Page) => Number(await page.getByTestId('playback-cursor').getAttribute('data-ms'));

/**
 * Walks the cursor to within 5 s of `target` with the ±1 min / ±10 s buttons, as an operator does
 * where the platform lists no recordings to jump between (Alibaba VCS).
 */
export async function walkCursorTo(page: Page, target: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const d = target - (await cursorOf(page));
    if (Math.abs(d) < 5000) return;
    await page
      .getByRole('button', { name: `${d > 0 ? '+' : '−'}${Math.abs(d) >= 60_000 ? '1m' : '10s'}`, exact: true })
      .click();
  }
  throw new Error(`the cursor did not reach ${new Date(target).toISOString()}`);
}
