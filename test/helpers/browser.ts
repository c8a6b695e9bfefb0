import fs from 'node:fs';
import { afterEach } from 'node:test';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium (never a Playwright-downloaded browser). CHROMIUM_PATH overrides. */
export function chromiumPath(): string {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ].filter(Boolean) as string[];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error('No Chromium found: apt-get install chromium, or set CHROMIUM_PATH');
  return found;
}

/**
 * Headless by default. `display` (an X display such as ':99', e.g. an Xvfb the caller started)
 * opens a real window there instead: still no GPU, but the display compositor then draws into a
 * window as Electron's does, not into headless output. VIGIL_CHROMIUM_ARGS adds flags.
 */
export function launchChromium(
  o: { display?: string; windowSize?: { width: number; height: number } } = {},
): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: !o.display,
    ...(o.display ? { env: { ...process.env, DISPLAY: o.display } } : {}),
    args: [
      ...(o.display && o.windowSize ? [`--window-size=${o.windowSize.width},${o.windowSize.height}`] : []),
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
      // Experiments only (a bench run with another display cadence, say): never set by the suite.
      ...(process.env.VIGIL_CHROMIUM_ARGS?.split(/\s+/).filter(Boolean) ?? []),
    ],
  });
}

/**
 * After each test, closes every page it left open, passed or failed: a failed test's page may
 * still be decoding video, and would slow every later test in the file into its own failure.
 */
export function closePagesAfterEach(browser: () => Browser | undefined): void {
  afterEach(async () => {
    await Promise.all(
      browser()
        ?.contexts()
        .map((c) => c.close()) ?? [],
    );
  });
}

/**
 * Confirms a Popconfirm: a click while its zoom-in animation runs can be lost (seen in CI: the
 * popover stayed open, nothing was sent), so wait for the animation to end, and click again
 * if the popover is still there.
 */
export async function confirmPop(page: Page, okTestId: string): Promise<void> {
  const ok = page.getByTestId(okTestId);
  await ok.waitFor();
  await page.waitForFunction(
    () => !document.querySelector('.ant-popover[class*="zoom-big-appear"], .ant-popover[class*="zoom-big-enter"]'),
  );
  await ok.click();
  for (let i = 0; i < 3; i++) {
    await page.waitForTimeout(500);
    if (!(await ok.isVisible().catch(() => false))) return;
    const idle = await page.evaluate((id) => {
      const button = document.querySelector(`[data-testid="${id}"]`);
      return (
        !!button &&
        !button.className.includes('loading') &&
        !document.querySelector('.ant-popover[class*="zoom-big-leave"]')
      );
    }, okTestId);
    if (idle) await ok.click().catch(() => undefined); // still open and idle: the click was lost
  }
}

/**
 * Clicks an item of an open antd Dropdown menu (a pane's context menu) once its appear animation
 * has ended: like the Popconfirm above, a click while it runs can be lost.
 */
export async function clickMenuItem(page: Page, name: RegExp): Promise<void> {
  const item = page.getByRole('menuitem', { name });
  await item.waitFor();
  await page.waitForFunction(
    () => !document.querySelector('.ant-dropdown[class*="-appear"], .ant-dropdown[class*="-enter"]'),
  );
  await item.click();
}

/**
 * Picks an option of an antd Select and checks the choice was taken. Like the Popconfirm above,
 * a click while the dropdown's slide-in animation runs can be lost (seen in CI: the wall stayed
 * at its layout), so wait for the animation, then check the Select shows the option's text (its
 * value, or a tag in a multiple Select) and click again (at most 3 times) if it does not; an
 * option already taken is never clicked twice, so a multiple Select is not toggled back.
 * `typed` is typed into the Select's search box first, to filter long lists.
 */
export async function pickOption(page: Page, select: Locator, option: string | RegExp, typed?: string): Promise<void> {
  const item = page
    .locator(
      '.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option:not(.ant-select-item-option-disabled)',
    )
    .filter({ hasText: option })
    .first();
  const shown = async () => {
    const text = ((await select.textContent()) ?? '').trim();
    return typeof option === 'string' ? text.includes(option) : option.test(text);
  };
  for (let attempt = 1; attempt <= 3; attempt++) {
    if (!(await item.isVisible().catch(() => false))) {
      await select.click();
      if (typed) await page.keyboard.type(typed);
    }
    await item.waitFor();
    await page.waitForFunction(
      () =>
        !document.querySelector(
          '.ant-select-dropdown[class*="slide-up-appear"], .ant-select-dropdown[class*="slide-up-enter"]',
        ),
    );
    await item.click();
    for (let i = 0; i < 10; i++) {
      if (await shown()) return;
      await page.waitForTimeout(100);
    }
  }
  throw new Error(`the option ${String(option)} could not be selected`);
}
