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
 * Turns a wall pane's sound on from its context menu and waits until its <video> is unmuted. The
 * click on the menu item was lost on loaded CI runs even after the appear animation (the video
 * stayed muted 15 s; twice, 2026-11-26): when the menu, opened again, still offers "Sound on", the
 * choice was not taken and is made again (3 times at most). When it offers "Sound off" the
 * choice was taken, and the failure says what the pane was doing instead.
 */
export async function turnSoundOn(page: Page, pane: number): Promise<void> {
  const unmuted = (timeout: number) =>
    page
      .waitForFunction(
        (i) => document.querySelector<HTMLVideoElement>(`[data-testid="pane-${i}"] video`)?.muted === false,
        pane,
        { timeout },
      )
      .then(
        () => true,
        () => false,
      );
  for (let attempt = 1; attempt <= 3; attempt++) {
    await page.getByTestId(`wall-pane-${pane}`).click({ button: 'right' });
    const on = page.getByRole('menuitem', { name: /^(Sound on|打开声音)/ });
    const off = page.getByRole('menuitem', { name: /^(Sound off|关闭声音)/ });
    await on.or(off).first().waitFor();
    if (await off.isVisible()) {
      await page.keyboard.press('Escape');
      // Taken: a playing pane is unmuted at once, a connecting one at its first frame.
      if (await unmuted(10_000)) return;
      const state = await page.evaluate(
        (i) => document.querySelector(`[data-testid="pane-${i}"]`)?.getAttribute('data-state'),
        pane,
      );
      throw new Error(`pane ${pane}: sound is on in its menu but its video is still muted (pane state ${state})`);
    }
    // (said in the output: whether lost clicks were the cause shows in the next CI log)
    if (attempt > 1) console.log(`pane ${pane}: "Sound on" not taken; clicked again (attempt ${attempt})`);
    await clickMenuItem(page, /^(Sound on|打开声音)/);
    if (await unmuted(5_000)) return;
  }
  throw new Error(`pane ${pane}: "Sound on" was clicked 3 times and never taken`);
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
