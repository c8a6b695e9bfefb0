import type { Browser, Page } from 'playwright-core';

// The playback page as the supervisor's e2e tests (bookmarks, thumbnails, evidence, the journey)
// open it: one camera in pane 0, and the timeline narrowed to the recordings around the cursor.

/**
 * A fresh page (1500×850, English) on Playback with pane 0 selected and `camera` (found by name
 * in the device tree) opened in it; then, as `until` says, its recordings drawn on the timeline:
 * a cloud segment, or the hatched track of a platform that lists none (Alibaba VCS).
 */
export async function openPlayback(
  browser: Browser,
  url: string,
  camera: string,
  until?: 'cloud' | 'unlisted',
): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1500, height: 850 }, locale: 'en-US' })).newPage();
  await page.goto(url);
  await page.getByRole('menuitem', { name: /Playback|录像回放/ }).click();
  await page.getByTestId('playback-page').waitFor();
  await page.getByTestId('playback-pane-0').click();
  await page.locator('[data-testid="device-tree"] input').first().fill(camera);
  await page.locator('[data-testid="node-channel"]').first().dblclick();
  if (until === 'cloud') await page.locator('[data-testid="segment-cloud"]').first().waitFor({ timeout: 20_000 });
  if (until === 'unlisted') await page.getByTestId('track-unlisted').waitFor({ timeout: 20_000 });
  return page;
}

/**
 * Zooms the timeline in by `notches` of the wheel with the pointer on the playback cursor (the
 * time under the pointer stays put), as an operator narrows the day to the recordings around it.
 */
export async function zoomAtCursor(page: Page, notches: number): Promise<void> {
  const timeline = (await page.getByTestId('timeline').boundingBox())!;
  for (let i = 0; i < notches; i++) {
    await page.mouse.move((await page.getByTestId('timeline-cursor').boundingBox())!.x + 1, timeline.y + 10);
    await page.mouse.wheel(0, -100);
    await page.waitForTimeout(20);
  }
  await page.waitForTimeout(300);
}
