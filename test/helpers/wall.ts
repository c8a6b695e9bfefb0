import type { Page } from 'playwright-core';
import { startWebHost } from '../../main/host/web';
import { makeCore } from './core';
import { startStack, type Stack } from './stack';

/**
 * The live-wall e2e files' stack: six simulated cameras behind a Tencent IVC emulator with ten
 * extra channels (two offline), so the platform has more online channels than a 16-pane wall;
 * the real keychain, as a user has it.
 */
export function startWallStack(): Promise<Stack> {
  return startStack({
    media: {
      channels: Array.from({ length: 6 }, (_, i) => ({ id: `w${i + 1}`, name: `Wall ${i + 1}` })),
      sharedSubEncoder: true,
    },
    ivc: { media: true, scale: 10 },
  });
}

/** A new page on the wall with the account's tree loaded. */
export async function openWall(stack: Stack, beforeLoad?: (page: Page) => void): Promise<Page> {
  const page = await (await stack.browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
  beforeLoad?.(page); // e.g. to see the page's websocket from its first frame
  await page.goto(stack.host.url);
  await page.getByTestId('wall-page').waitFor();
  await page.locator('[data-testid="node-account"]').first().waitFor();
  return page;
}

/** Filters the tree so the channels matching `query` are listed. */
export async function expandAll(page: Page, query: string): Promise<void> {
  await page.locator('[data-testid="device-tree"] input').first().fill(query);
  await page.locator('[data-testid="node-channel"]').first().waitFor();
}

/**
 * Restarts the host on the same settings folder (and keychain), as quitting and starting Vigil
 * does: the stack then serves the new core and host.
 */
export async function restartHost(stack: Stack): Promise<void> {
  await stack.host.close();
  await stack.core.dispose();
  stack.core = makeCore({ dataDir: stack.dataDir }).core;
  stack.host = await startWebHost({ core: stack.core, port: 0 });
}
