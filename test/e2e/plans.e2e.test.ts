import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { WebHost } from '../../main/host/web';
import { IvmClient } from '../../main/platforms/huawei-ivm/client';
import { IvmRecordingApi } from '../../main/platforms/huawei-ivm/api-recording';
import type { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import type { IvcEmulator } from '../emulators/tencent-ivc/emulator';
import { ivmAccount } from '../helpers/accounts';
import { closePagesAfterEach, confirmPop, pickOption } from '../helpers/browser';
import { startStack, type Stack } from '../helpers/stack';

// Issue 12 (recording plans): a schedule painted in the week grid is what the Huawei IVM emulator
// stores (read back through the documented chapter-11 API), with per-channel results.

let ivm: IvmEmulator;
let ivc: IvcEmulator;
let api: IvmRecordingApi;
let browser: Browser;
let host: WebHost;

let stack: Stack;
before(async () => {
  stack = await startStack({ ivm: {}, ivc: {} });
  ({ host, browser } = stack);
  ({ ivm, ivc } = stack as Required<Stack>);
  api = new IvmRecordingApi(new IvmClient(ivmAccount(ivm).config, ivm.credentials.sk));
});

closePagesAfterEach(() => browser);
after(() => stack?.stop());

async function pick(page: Page, testId: string, text: string) {
  await pickOption(page, page.getByTestId(testId), text, text);
}

async function drag(page: Page, tab: string, from: string, to: string) {
  await page.getByTestId(tab).getByTestId(from).hover();
  await page.mouse.down();
  const box = (await page.getByTestId(tab).getByTestId(to).boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 12 });
  await page.mouse.up();
}

test('paint a continuous schedule, copy Monday to the week, save to two channels (one without storage reports its code); motion and retention ranges refused as typed', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
  await page.goto(host.url);
  await page.getByRole('menuitem', { name: /Recording plans|录像计划/ }).click();
  await pick(page, 'plans-channel', '大门球机');
  await page.getByTestId('plans-continuous').waitFor();
  await drag(page, 'plans-continuous', 'cell-0-16', 'cell-0-35'); // Monday 08:00–18:00
  assert.equal(await page.getByTestId('plans-continuous').getByTestId('cell-0-35').getAttribute('data-on'), 'true');
  assert.equal(await page.getByTestId('plans-continuous').getByTestId('cell-0-36').getAttribute('data-on'), 'false');
  await page.getByTestId('plans-continuous-copy-monday').click();
  await pick(page, 'plans-also', '停车场 4');
  await page.keyboard.press('Escape');
  await page.getByTestId('plans-continuous-save').click();
  const results = page.getByTestId('plans-results');
  await results.waitFor();
  assert.match((await results.textContent()) ?? '', /Saved on 1 of 2|2 个通道中 1 个已保存/);
  assert.match((await results.textContent()) ?? '', /IVM\.20010011/);
  const stored = await api.recordPlan('21A0123456SMY01', '0');
  assert.deepEqual(
    stored.sections,
    [1, 2, 3, 4, 5].map((day_of_week) => ({ day_of_week, start_time: '08:00:00', end_time: '18:00:00' })),
  );
  // The grid shows the re-read plan.
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid="plans-continuous"] [data-testid="cell-4-20"]')?.getAttribute('data-on') ===
      'true',
  );

  // Motion: pre + post over 60 s is refused where it is typed.
  await page.getByRole('tab', { name: /Motion|动检/ }).click();
  await page.getByTestId('plans-motion').waitFor();
  await drag(page, 'plans-motion', 'cell-5-0', 'cell-5-47'); // Saturday all day
  await page.getByTestId('alarm-motion_detection').click();
  await page.getByTestId('alarm-motion_detection-before').fill('40');
  await page.getByTestId('alarm-motion_detection-after').fill('30');
  await page.getByTestId('alarm-motion_detection-after').blur();
  assert.equal(await page.getByTestId('plans-motion-save').isDisabled(), true);
  await page.getByTestId('alarm-motion_detection-after').fill('20');
  await page.getByTestId('alarm-motion_detection-after').blur();
  await page.waitForFunction(
    () => !document.querySelector('[data-testid="plans-motion-save"]')?.hasAttribute('disabled'),
  );
  await page.getByTestId('plans-motion-save').click();
  // Still applied to the parking channel too, which has no motion storage either.
  await page.waitForFunction(() =>
    /IVM\.20010024/.test(document.querySelector('[data-testid="plans-results"]')?.textContent ?? ''),
  );
  const motion = await api.alarmPlan('21A0123456SMY01', '0');
  assert.deepEqual(motion.plans, [{ alarm_type: 'motion_detection', advance_time: 40, after_time: 20 }]);
  assert.deepEqual(motion.sections, [{ day_of_week: 6, start_time: '00:00:00', end_time: '23:59:59' }]);

  // Retention: 1–365 days.
  await page.getByRole('tab', { name: /Retention|存储时间/ }).click();
  await page.getByTestId('retention-continuous').fill('400');
  await page.getByTestId('retention-continuous').blur();
  assert.equal(await page.getByTestId('retention-save').isDisabled(), true);
  await page.getByTestId('retention-continuous').fill('30');
  await page.getByTestId('retention-motion').fill('7');
  await page.getByTestId('retention-motion').blur();
  await page.getByTestId('retention-save').click();
  for (let i = 0; i < 30 && (await api.timePolicy('21A0123456SMY01', '0', 'normal'))[0]?.storage_days !== 30; i++)
    await page.waitForTimeout(100);
  assert.deepEqual(await api.timePolicy('21A0123456SMY01', '0'), [
    { storage_days: 30, storage_type: 'PLAN_RECORD' },
    { storage_days: 7, storage_type: 'MOTION_RECORD' },
  ]);
  await page.context().close();
});

test('a channel without continuous storage says so, and where to turn it on, instead of offering the grid', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await page.goto(host.url);
  await page.getByRole('menuitem', { name: /Recording plans|录像计划/ }).click();
  await pick(page, 'plans-channel', '停车场 4');
  await page.getByTestId('plans-continuous-unavailable').waitFor();
  // …and where to turn it on.
  assert.match(
    await page.getByTestId('plans-continuous-unavailable').innerText(),
    /Continuous cloud recording.+Add devices → Configure a channel → Paid services/,
  );
  await page.context().close();
});

test('Tencent recording template: a week painted in the grid is the template the emulator stores', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
  await page.goto(host.url);
  await page.getByRole('menuitem', { name: /Recording plans|录像计划/ }).click();
  await pick(page, 'plans-account', 'IVC');
  await page.getByTestId('templates-editor').waitFor();
  await pickOption(page, page.getByTestId('template-pick'), /New template|新建模板/);
  await page.getByTestId('template-name').fill('工作日');
  await drag(page, 'template-grid', 'cell-0-18', 'cell-0-33'); // Monday 09:00–17:00
  await page.getByTestId('template-copy-monday').click();
  await page.getByTestId('template-save').click();
  await page.getByTestId('template-saved').waitFor();
  const stored = [...ivc.realtimeTemplates.values()].find((x) => x.TemplateName === '工作日');
  assert.ok(stored, 'the emulator has the template');
  assert.deepEqual(
    stored!.TimeSections.map((x) => [x.DayOfWeek, x.StartTime, x.EndTime]),
    [1, 2, 3, 4, 5].map((d) => [d, '09:00:00', '17:00:00']),
  );
  await page.context().close();
});

test('Tencent cloud plan: created with two channels (one held by another plan cannot be chosen), edited, deleted — as the emulator stores it', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
  await page.goto(host.url);
  await page.getByRole('menuitem', { name: /Recording plans|录像计划/ }).click();
  await pick(page, 'plans-account', 'IVC');
  await page.getByTestId('plans-cloud-tab').click();
  await page.getByTestId('cloud-plan-table').getByText('重点区域').waitFor();

  const held = new Set([...ivc.realtimePlans.values()].flatMap((p) => [...p.channels.keys()]));
  const online = [...ivc.devices.values()].filter((d) => d.Status === 1);
  const names = [...ivc.devices.values()].flatMap((d) => d.channels.map((c) => c.Name));
  const unique = (c: { Name: string }) => names.filter((n) => n.includes(c.Name)).length === 1;
  const free = online.flatMap((d) => d.channels.filter((c) => !held.has(c.ChannelId) && unique(c)));
  const taken = online.flatMap((d) => d.channels.filter((c) => held.has(c.ChannelId)))[0]!;
  assert.ok(free.length >= 2 && taken);

  await page.getByTestId('cloud-plan-new').click();
  await page.getByTestId('cloud-plan-name').fill('夜班');
  await pickOption(page, page.getByTestId('cloud-plan-stream'), /Sub stream|子码流/);
  // Out-of-range lifecycles are refused while typing.
  await page.locator('input[data-testid=cloud-plan-cold], [data-testid=cloud-plan-cold] input').fill('30');
  await page.getByText(/0 \(none\) or 60–3650|0（不转归档）或 60–3650/).waitFor();
  assert.ok(await page.getByTestId('cloud-plan-save').isDisabled());
  await page.locator('input[data-testid=cloud-plan-cold], [data-testid=cloud-plan-cold] input').fill('60');
  await page.locator('input[data-testid=cloud-plan-hot], [data-testid=cloud-plan-hot] input').fill('7');

  await page.getByTestId('cloud-plan-channels').click();
  await page.keyboard.type(taken.Name);
  const takenOption = page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
    .filter({ hasText: /重点区域/ })
    .first();
  await takenOption.waitFor();
  assert.match(
    (await takenOption.getAttribute('class')) ?? '',
    /disabled/,
    'a channel of another plan cannot be chosen',
  );
  for (const c of free.slice(0, 2)) {
    await page.keyboard.press('Control+A');
    await page.keyboard.type(c.Name);
    await page
      .locator(
        '.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option:not(.ant-select-item-option-disabled)',
      )
      .filter({ hasText: c.Name })
      .first()
      .click();
  }
  await page.keyboard.press('Escape');
  await page.getByTestId('cloud-plan-save').click();
  await page.getByTestId('cloud-plan-notice').waitFor();

  const stored = [...ivc.realtimePlans.values()].find((p) => p.PlanName === '夜班')!;
  assert.ok(stored, 'the emulator has the plan');
  assert.deepEqual(
    { stream: stored.StreamType, life: stored.LifeCycle, channels: [...stored.channels.keys()].sort() },
    {
      stream: 'sub',
      life: { Transition: 7, Expiration: 60 },
      channels: free
        .slice(0, 2)
        .map((c) => c.ChannelId)
        .sort(),
    },
  );
  await page.getByTestId('cloud-plan-table').locator('tr', { hasText: '夜班' }).getByText('7 / 60').waitFor();

  // Edit: one channel out (Backspace removes the last tag), hot storage longer.
  await page.getByTestId('cloud-plan-edit-夜班').click();
  await page.getByTestId('cloud-plan-form').waitFor();
  await page.locator('input[data-testid=cloud-plan-hot], [data-testid=cloud-plan-hot] input').fill('90');
  await page.getByTestId('cloud-plan-channels').click();
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Escape');
  await page.getByTestId('cloud-plan-save').click();
  await page.getByTestId('cloud-plan-notice').waitFor();
  assert.equal(stored.channels.size, 1);
  assert.equal(stored.LifeCycle.Transition, 90);

  await page.getByTestId('cloud-plan-delete-夜班').click();
  await confirmPop(page, 'cloud-plan-delete-ok');
  await page.waitForFunction(() =>
    /deleted|已删除/.test(document.querySelector('[data-testid="cloud-plan-notice"]')?.textContent ?? ''),
  );
  assert.ok(stored.Status === 0 || !ivc.realtimePlans.has(stored.PlanId));
  await page.context().close();
});

test('Tencent upload template and plan: upload windows and device recordings painted, speed chosen; a GB channel uploads under the plan', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1600, height: 1100 } })).newPage();
  await page.goto(host.url);
  await page.getByRole('menuitem', { name: /Recording plans|录像计划/ }).click();
  await pick(page, 'plans-account', 'IVC');
  await page.getByTestId('plans-upload-templates-tab').click();
  // Both template editors stay mounted once visited: work inside the visible tab.
  const pane = page.locator('[data-testid="templates-editor"]:visible');
  await pane.waitFor();
  const paint = async (grid: string, from: string, to: string) => {
    await pane.getByTestId(grid).getByTestId(from).hover();
    await page.mouse.down();
    const box = (await pane.getByTestId(grid).getByTestId(to).boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 12 });
    await page.mouse.up();
  };
  await pane.getByTestId('template-name').fill('夜间上云');
  await paint('template-grid', 'cell-0-0', 'cell-0-11'); // upload 00:00–06:00 …
  assert.ok(await pane.getByTestId('template-save').isDisabled(), 'which recordings to upload is still missing');
  await paint('template-dev-grid', 'cell-0-16', 'cell-0-35'); // … the 08:00–18:00 recordings (10 h ÷ 2× fits 6 h)
  await pickOption(page, pane.getByTestId('template-scale'), '2×');
  await pane.getByTestId('template-save').click();
  await pane.getByTestId('template-saved').waitFor();
  const stored = [...ivc.backupTemplates.values()].find((x) => x.TemplateName === '夜间上云')!;
  assert.ok(stored, 'the emulator has the upload template');
  assert.deepEqual(
    [
      stored.TimeSections.map((x) => [x.DayOfWeek, x.StartTime, x.EndTime]),
      stored.DevTimeSections!.map((x) => [x.DayOfWeek, x.StartTime, x.EndTime]),
      stored.Scale,
    ],
    [[[1, '00:00:00', '06:00:00']], [[1, '08:00:00', '18:00:00']], 2],
  );

  await page.getByTestId('plans-upload-tab').click();
  const plans = page.locator('[data-testid="cloud-plans"]:visible');
  await plans.getByTestId('cloud-plan-new').click();
  await plans.getByTestId('cloud-plan-name').fill('设备录像上云');
  assert.equal(await plans.getByTestId('cloud-plan-stream').count(), 0, 'upload plans have no stream');
  const gb = [...ivc.devices.values()].find(
    (d) => d.AccessProtocol === 2 && d.channels.length === 1 && d.Status === 1,
  )!;
  await pickOption(page, plans.getByTestId('cloud-plan-template'), '夜间上云');
  await plans.getByTestId('cloud-plan-channels').click();
  await page.keyboard.type(gb.channels[0]!.Name);
  await page
    .locator(
      '.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option:not(.ant-select-item-option-disabled)',
    )
    .filter({ hasText: gb.channels[0]!.Name })
    .first()
    .click();
  await page.keyboard.press('Escape');
  await plans.getByTestId('cloud-plan-save').click();
  await plans.getByTestId('cloud-plan-notice').waitFor();
  const plan = [...ivc.backupPlans.values()].find((p) => p.PlanName === '设备录像上云')!;
  assert.deepEqual([...plan.channels.keys()], [gb.channels[0]!.ChannelId]);
  assert.equal(plan.TemplateId, stored.TemplateId);
  await page.context().close();
});
