import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Core } from '../../main/core';
import type { WebHost } from '../../main/host/web';
import { IvmApi } from '../../main/platforms/huawei-ivm/api';
import { IvmClient } from '../../main/platforms/huawei-ivm/client';
import type { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import type { IvcEmulator } from '../emulators/tencent-ivc/emulator';
import { ivmAccount } from '../helpers/accounts';
import { closePagesAfterEach, pickOption } from '../helpers/browser';
import { startStack, type Stack } from '../helpers/stack';

// Issue 10: the presets and cruise-track editor beside the wall, against the Huawei IVM emulator
// (presets 1–512 named, cruise tracks) and the Tencent IVC emulator (presets 1–10, no tracks).
// What the editor shows is checked against the emulators' own state through their documented APIs.

let ivm: IvmEmulator;
let ivc: IvcEmulator;
let api: IvmApi;
let browser: Browser;
let host: WebHost;
let core: Core;
const GATE = '21A0123456SMY01';

let stack: Stack;
before(async () => {
  stack = await startStack({ ivm: {}, ivc: {} });
  ({ core, host, browser } = stack);
  ({ ivm, ivc } = stack as Required<Stack>);
  api = new IvmApi(new IvmClient(ivmAccount(ivm).config, ivm.credentials.sk));
});

closePagesAfterEach(() => browser);
after(() => stack?.stop());

/** Opens the wall, puts the channel in pane 0 and opens the editor from its PTZ pad. */
async function openEditor(nodeId: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
  await page.goto(host.url);
  await page.getByTestId('wall-page').waitFor();
  await page.getByTestId('tree-search').locator('input').fill('大门球机');
  const node = page.locator(`[data-node-id="${nodeId}"]`).first();
  await node.waitFor();
  await page.getByTestId('wall-pane-0').click();
  await node.dblclick();
  await page.getByTestId('wall-pane-0').click();
  await page.getByTestId('ptz-editor-open').click();
  await page.getByTestId('ptz-editor').waitFor();
  return page;
}

/** antd's InputNumber puts data-testid on its <input> or on a wrapper, by version. */
const numberInput = (id: string) => `input[data-testid="${id}"], [data-testid="${id}"] input`;

const waitFor = async (check: () => Promise<boolean> | boolean, what: string, ms = 5000) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100)))
    if (await check()) return;
  assert.fail(`timed out waiting for ${what}`);
};

test('IVM: presets added, renamed and refused out of range; a 3-point track built, checked, saved, started and stopped; a reload shows it', async () => {
  const page = await openEditor(`ch:${GATE}:0`);
  const editor = page.getByTestId('ptz-editor');
  await editor.getByTestId('preset-row-3').waitFor();

  // Out of the documented range: refused where it is typed, nothing sent.
  await editor.getByTestId('preset-new-name').fill('西侧');
  await editor.locator(numberInput('preset-new-index')).fill('600');
  await page.waitForFunction(() =>
    /1.*512/.test(document.querySelector('[data-testid="preset-new-problem"]')?.textContent ?? ''),
  );
  assert.equal(await editor.getByTestId('preset-new-save').isDisabled(), true);
  await editor.getByTestId('preset-new-name').fill('西/侧');
  await editor.locator(numberInput('preset-new-index')).fill('4');
  assert.equal(
    await editor.getByTestId('preset-new-save').isDisabled(),
    true,
    'a "/" is not in the documented character set',
  );
  await editor.getByTestId('preset-new-name').fill('西侧');
  await editor.getByTestId('preset-new-save').click();
  await editor.getByTestId('preset-row-4').waitFor();
  // No number: the lowest free one (5).
  await editor.getByTestId('preset-new-name').fill('东侧');
  await editor.getByTestId('preset-new-save').click();
  await editor.getByTestId('preset-row-5').waitFor();
  await editor.getByTestId('preset-rename-5').click();
  await editor.getByTestId('preset-rename-input-5').fill('东侧 入口');
  await editor.getByTestId('preset-rename-input-5').press('Enter');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="preset-row-5"]')?.textContent?.includes('东侧 入口'),
  );
  assert.deepEqual((await api.presets(GATE, '0')).map((p) => [p.preset_index, p.preset_name]).slice(3), [
    [4, '西侧'],
    [5, '东侧 入口'],
  ]);
  // The pointer rests on row 5's Rename button, whose tooltip shows over row 4's buttons. A tooltip
  // only names a control: it must not take the click meant for the control under it (it did, and
  // the pointer on it kept it open, so the click never landed).
  await editor.getByTestId('preset-rename-5').hover();
  await page
    .getByRole('tooltip')
    .filter({ hasText: /Rename|重命名/ })
    .waitFor();
  await page
    .locator('.ant-tooltip')
    .evaluate((e) => Promise.all(e.getAnimations({ subtree: true }).map((a) => a.finished)));
  const movesBefore = ivm.ptzLog.length;
  await editor.getByTestId('preset-goto-4').click({ timeout: 5000 });
  await waitFor(() => ivm.ptzLog.length > movesBefore, 'go to preset 4');
  assert.equal(ivm.ptzLog.at(-1)?.direction, 'PRESET_4');

  // A 3-point track.
  await editor.getByRole('tab', { name: /Cruise|巡航/ }).click();
  await editor.getByTestId('cruise-row-1').waitFor();
  await editor.getByTestId('cruise-new').click();
  await editor.getByTestId('cruise-name').fill('周界巡航');
  for (let i = 0; i < 3; i++) await editor.getByTestId('cruise-add-point').click();
  const dwell = (i: number) => editor.locator(numberInput(`cruise-point-dwell-${i}`));
  const speed = (i: number) => editor.locator(numberInput(`cruise-point-speed-${i}`));
  // New points take presets not yet in the track (1, 2, 3); the first is changed to preset 4.
  await pickOption(page, editor.getByTestId('cruise-point-preset-0'), '西侧');
  await dwell(0).fill('10');
  await editor.getByTestId('cruise-point-dwell-problem-0').waitFor();
  assert.equal(await editor.getByTestId('cruise-save').isDisabled(), true, 'dwell 10 s is below the documented 30');
  await dwell(0).fill('45');
  await speed(1).fill('11');
  await editor.getByTestId('cruise-point-speed-problem-1').waitFor();
  assert.equal(await editor.getByTestId('cruise-save').isDisabled(), true, 'speed 11 is above the documented 10');
  await speed(1).fill('8');
  await dwell(2).fill('120');
  await dwell(2).blur();
  await page.waitForFunction(() => !document.querySelector('[data-testid="cruise-save"]')?.hasAttribute('disabled'));
  // Reorder: the third point moves up to second.
  await editor.getByTestId('cruise-point-up-2').click();
  const writesBefore = ivm.calls.filter((c) => c.path.endsWith('/cruise-track') && c.method === 'POST').length;
  await editor.getByTestId('cruise-save').click();
  await editor.getByTestId('cruise-row-2').waitFor();
  assert.equal(
    ivm.calls.filter((c) => c.path.endsWith('/cruise-track') && c.method === 'POST').length,
    writesBefore + 1,
  );
  const stored = await api.cruise(GATE, '0', 2);
  assert.equal(stored.cruise_name, '周界巡航');
  assert.deepEqual(
    stored.cruise_points.map((p) => [p.preset_index, p.dwell_time, p.speed_level]),
    [
      [4, 45, 5],
      [3, 120, 5],
      [2, 30, 8],
    ],
  );

  // Start and stop reach the camera; the list shows which track runs.
  await editor.getByTestId('cruise-run-2').click();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="cruise-row-2"]')?.getAttribute('data-running') === 'true',
  );
  assert.deepEqual(
    (await api.cruises(GATE, '0')).map((t) => [t.cruises_id, t.enable_cruise]),
    [
      [1, 'CLOSE'],
      [2, 'OPEN'],
    ],
  );
  await editor.getByTestId('cruise-run-2').click();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="cruise-row-2"]')?.getAttribute('data-running') === 'false',
  );
  assert.equal((await api.cruises(GATE, '0')).find((t) => t.cruises_id === 2)?.enable_cruise, 'CLOSE');
  await page.context().close();

  // A fresh window reads the saved track back from the camera; a test run visits its points live.
  const again = await openEditor(`ch:${GATE}:0`);
  const ed = again.getByTestId('ptz-editor');
  await ed.getByRole('tab', { name: /Cruise|巡航/ }).click();
  await ed.getByTestId('cruise-edit-2').click();
  assert.equal(await ed.getByTestId('cruise-name').inputValue(), '周界巡航');
  assert.deepEqual(
    await Promise.all([0, 1, 2].map((i) => ed.locator(numberInput(`cruise-point-dwell-${i}`)).inputValue())),
    ['45', '120', '30'],
  );
  const before = ivm.ptzLog.length;
  await ed.getByTestId('cruise-test').click();
  await again.waitForFunction(
    () => document.querySelector('[data-testid="cruise-point-0"]')?.getAttribute('data-current') === 'true',
  );
  await waitFor(() => ivm.ptzLog.length > before, 'the test run’s first go-to');
  assert.equal(ivm.ptzLog[before]?.direction, 'PRESET_4');
  await ed.getByTestId('cruise-test-stop').click();
  await ed.getByTestId('cruise-cancel').click();
  await again.context().close();
});

test('IVM: the platform’s own error is shown with its code and an explanation, and the editor re-reads', async () => {
  const page = await openEditor(`ch:${GATE}:0`);
  const editor = page.getByTestId('ptz-editor');
  await editor.getByTestId('preset-row-1').waitFor();
  ivm.devices.get(GATE)!.device_state = 'OFFLINE';
  try {
    await editor.getByTestId('preset-goto-1').click();
    const alert = editor.getByTestId('ptz-editor-error');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /IVM\.20000036/);
  } finally {
    ivm.devices.get(GATE)!.device_state = 'ONLINE';
  }
  await page.context().close();
});

test('IVM: PTZ moves hold the control lock (§8.1) until the pane closes, which gives it back', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
  await page.goto(host.url);
  await page.getByTestId('wall-page').waitFor();
  await page.getByTestId('tree-search').locator('input').fill('大门球机');
  const node = page.locator(`[data-node-id="ch:${GATE}:0"]`).first();
  await node.waitFor();
  await page.getByTestId('wall-pane-0').click();
  await node.dblclick();
  await page.getByTestId('wall-pane-0').click();
  const lockPath = new RegExp(`/devices/${GATE}/channels/0/control-lock$`);
  const locks = () => ivm.calls.filter((c) => lockPath.test(c.path));
  const before = locks().length;
  const moves = () =>
    ivm.calls.filter((c) => c.path.endsWith(`/devices/${GATE}/channels/0/ptz/angle-spin`) && c.status === 200);
  const moved = moves().length;
  await page.keyboard.press('ArrowLeft');
  await waitFor(() => moves().length > moved, 'the move reaching the platform');
  assert.ok(
    !locks()
      .slice(before)
      .some((c) => c.method === 'POST'),
    'the lock is kept while the pane is open',
  );
  await page.getByTestId('wall-pane-0').click({ button: 'right' });
  await page.getByRole('menuitem', { name: /^(Close|关闭)$/ }).click();
  await waitFor(
    () =>
      locks()
        .slice(before)
        .some((c) => c.method === 'POST' && c.status === 200),
    'closing the pane releasing the lock',
  );
  // Given back: the next move asks for a fresh lock.
  const released = locks().length;
  await page.getByTestId('wall-pane-0').click();
  await node.dblclick();
  await page.getByTestId('wall-pane-0').click();
  await page.keyboard.press('ArrowRight');
  await waitFor(
    () =>
      locks()
        .slice(released)
        .some((c) => c.method === 'GET' && c.status === 200),
    'a fresh lock for the next move',
  );
});

test('Tencent: presets 1–10 added and gone to from the editor; cruise tracks shown as unavailable', async () => {
  const tencentNode = await (async () => {
    const accounts = (await core.call('accounts:list', {})) as {
      ok: true;
      result: { accounts: Array<{ id: string; config: { platform: string } }> };
    };
    const id = accounts.result.accounts.find((a) => a.config.platform === 'tencent-ivc')!.id;
    const tree = await core.call('tree:load', { accountId: id });
    assert.ok(tree.ok);
    return (
      tree.result as { nodes: Array<{ id: string; kind: string; name: string; ptz: boolean | null }> }
    ).nodes.find((n) => n.kind === 'channel' && n.name === '大门球机' && n.ptz)!.id;
  })();
  const page = await openEditor(tencentNode);
  const editor = page.getByTestId('ptz-editor');
  await editor.getByTestId('preset-manager').waitFor();
  assert.equal(await editor.getByTestId('preset-new-name').count(), 0, 'Tencent presets have numbers, not names');
  await editor.locator(numberInput('preset-new-index')).fill('11');
  await page.waitForFunction(() =>
    /1.*10/.test(document.querySelector('[data-testid="preset-new-problem"]')?.textContent ?? ''),
  );
  assert.equal(await editor.getByTestId('preset-new-save').isDisabled(), true);
  await editor.locator(numberInput('preset-new-index')).fill('7');
  const before = ivc.controlLog.length;
  await editor.getByTestId('preset-new-save').click();
  await editor.getByTestId('preset-row-7').waitFor();
  await editor.getByTestId('preset-goto-7').click();
  await waitFor(() => ivc.controlLog.slice(before).some((c) => c.body.Cmd === 'goto'), 'go-to on Tencent');
  assert.deepEqual(
    ivc.controlLog.slice(before).map((c) => [c.body.Cmd, c.body.Index]),
    [
      ['set', 7],
      ['goto', 7],
    ],
  );
  await editor.getByRole('tab', { name: /Cruise|巡航/ }).click();
  await editor.getByTestId('cruise-unavailable').waitFor();
  await page.context().close();
});

test('a picture from the camera: IVM takes one through the platform (§10.3) and saves it; Tencent’s menu says it cannot', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
  await page.goto(host.url);
  await page.getByTestId('wall-page').waitFor();
  await page.getByTestId('tree-search').locator('input').fill('大门球机');
  const ivmNode = page.locator(`[data-node-id="ch:${GATE}:0"]`).first();
  await ivmNode.waitFor();
  await page.getByTestId('wall-pane-0').click();
  await ivmNode.dblclick();
  const before = ivm.calls.filter((c) => c.path.endsWith('/devices/snap')).length;
  await page.getByTestId('wall-pane-0').click({ button: 'right' });
  await page.getByRole('menuitem', { name: /Picture from the camera|云端抓拍/ }).click();
  // The picture, or the dialog's error (said in the failure, not a bare timeout). Polled on a timer:
  // animation frames can be held back on a loaded machine.
  await page
    .waitForFunction(
      () =>
        ((document.querySelector('[data-testid="camera-snapshot"]') as HTMLImageElement | null)?.naturalWidth ?? 0) >
          0 || document.querySelector('[data-testid="camera-snapshot-error"]') !== null,
      undefined,
      { polling: 100 },
    )
    .catch(async (e: Error) => {
      // Where it stood: asked of the platform or not, a dialog open or not, a picture loading or not.
      const asked = ivm.calls.filter((c) => c.path.endsWith('/devices/snap')).length - before;
      const state = await page.evaluate(() => {
        const img = document.querySelector('[data-testid="camera-snapshot"]') as HTMLImageElement | null;
        return `dialogs ${document.querySelectorAll('.ant-modal').length}, picture ${img ? `complete ${img.complete}, ${img.naturalWidth} px wide` : 'none'}`;
      });
      throw new Error(`${e.message}: snap asked ${asked} time(s), ${state}`);
    });
  // Read only when shown: innerText of an element that is not there waits out Playwright's 30 s.
  const failed = page.getByTestId('camera-snapshot-error');
  if ((await failed.count()) > 0) assert.fail(`the camera picture failed: ${await failed.innerText()}`);
  const snaps = ivm.calls.filter((c) => c.path.endsWith('/devices/snap'));
  assert.equal(snaps.length, before + 1);
  assert.equal(snaps.at(-1)!.query.storage, 'true');
  // A time-out says where it stood (how long the click took, the dialog and its button), not only
  // that no download came.
  const download = page.waitForEvent('download', { timeout: 45_000 }).catch((e: Error) => e);
  const clicked = Date.now();
  await page.getByTestId('camera-snapshot-save').click();
  const clickMs = Date.now() - clicked;
  const saved = await download;
  if (saved instanceof Error) {
    const asked = ivm.calls.filter((c) => c.path.endsWith('/devices/snap')).length - before;
    const state = await page.evaluate(() => {
      const save = document.querySelector('[data-testid="camera-snapshot-save"]') as HTMLButtonElement | null;
      const error = document.querySelector('[data-testid="camera-snapshot-error"]')?.textContent ?? 'none';
      return `dialogs ${document.querySelectorAll('.ant-modal').length}, save ${save ? `disabled ${save.disabled}` : 'gone'}, error ${error}`;
    });
    assert.fail(`${saved.message}: the click took ${clickMs} ms, snap asked ${asked} time(s), ${state}`);
  }
  assert.match(saved.suggestedFilename(), /^大门球机_\d{8}_\d{6}_camera\.jpg$/);
  // Closed as an operator does; Esc reaches the dialog only once its focus is back in it after the
  // download, so the close button is the fallback (either way the dialog must be gone).
  await page.keyboard.press('Escape');
  const shot = page.getByTestId('camera-snapshot');
  if (
    !(await shot.waitFor({ state: 'hidden', timeout: 3000 }).then(
      () => true,
      () => false,
    ))
  )
    await page.locator('.ant-modal-close').first().click();
  await shot.waitFor({ state: 'hidden' });
  // Tencent IVC has no such call: the menu says so (greyed) instead of opening a dialog to refuse.
  await page.getByTestId('wall-pane-1').click();
  await page.getByTestId('tree-search').locator('input').fill('停车场NVR-通道');
  const tencent = page.locator('[data-testid="node-channel"]').first();
  await tencent.waitFor();
  await tencent.dblclick();
  await page.getByTestId('wall-pane-1').click({ button: 'right' });
  const none = page.getByRole('menuitem', { name: /not offered by this platform/ });
  assert.equal(await none.getAttribute('aria-disabled'), 'true');
  // Clicked all the same (a click on the menu while it still animates in read "outside of the viewport").
  await none.dispatchEvent('click');
  await page.waitForTimeout(500);
  assert.equal(await page.getByTestId('camera-snapshot-error').count(), 0, 'no dialog opens');
  await page.context().close();
});
