import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { WebHost } from '../../main/host/web';
import { IvmClient } from '../../main/platforms/huawei-ivm/client';
import { IvmTargetApi } from '../../main/platforms/huawei-ivm/api-targets';
import type { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import { ivmAccount } from '../helpers/accounts';
import { closePagesAfterEach, pickOption } from '../helpers/browser';
import { tempDir } from '../helpers/core';
import { png } from '../helpers/images';
import { startStack, type Stack } from '../helpers/stack';

// Issue 11: the target-library editor against the Huawei IVM emulator's NVR800. What the page
// shows is compared with the emulator's state read through the documented chapter-14 API.

let ivm: IvmEmulator;
let api: IvmTargetApi;
let browser: Browser;
let host: WebHost;
const NVR = '21A0123456NVR01';
const files = tempDir();

let stack: Stack;
before(async () => {
  stack = await startStack({ ivm: {}, vcs: {} });
  ({ host, browser } = stack);
  ({ ivm } = stack as Required<Stack>);
  api = new IvmTargetApi(new IvmClient(ivmAccount(ivm).config, ivm.credentials.sk));
  // 27 good rows, then a bad gender, a missing picture and a picture over 50 KB.
  const lines = ['file,name,gender,age,phone,remark'];
  for (let i = 1; i <= 27; i++) {
    const file = `p${String(i).padStart(2, '0')}.png`;
    fs.writeFileSync(path.join(files, file), png(48 + i, 64));
    lines.push(
      `${file},人员 ${i},${i % 2 ? 'male' : 'female'},${20 + i},1380000${String(i).padStart(4, '0')},第 ${i} 行`,
    );
  }
  fs.writeFileSync(path.join(files, 'big.png'), png(200, 200, true));
  fs.writeFileSync(path.join(files, 'wide.png'), png(1300, 20));
  lines.push('p01.png,性别错误,x,,,', 'missing.png,没有图片,male,,,', 'big.png,图片太大,female,,,');
  fs.writeFileSync(path.join(files, 'people.csv'), lines.join('\n'));
});

closePagesAfterEach(() => browser);
after(() => stack?.stop());

const importFiles = () => [
  path.join(files, 'people.csv'),
  path.join(files, 'big.png'),
  ...Array.from({ length: 27 }, (_, i) => path.join(files, `p${String(i + 1).padStart(2, '0')}.png`)),
];
const summary = async (page: Page) => (await page.getByTestId('import-summary').textContent()) ?? '';

test('create a group, import 30 CSV rows (3 refused, 27 added), page through, edit one, delete one, re-run skips imported rows, delete the group', async () => {
  const page = await (
    await browser.newContext({ viewport: { width: 1600, height: 900 }, acceptDownloads: true })
  ).newPage();
  await page.goto(host.url);
  await page.getByRole('menuitem', { name: /Target library|目标库/ }).click();
  await pickOption(page, page.getByTestId('library-device'), '园区 NVR800', '园区 NVR800');
  await page.getByTestId('group-row-2').waitFor();
  assert.equal(await page.getByTestId('group-delete-0').count(), 0, 'NVR800 built-in groups offer no delete');

  await page.getByTestId('group-new-name').fill('访客名单');
  await page.getByTestId('group-new-save').click();
  await page.getByTestId('group-row-3').waitFor();
  await page.getByTestId('group-row-3').click();
  await page.getByTestId('library-group-title').waitFor();

  // Import: the report comes first; nothing is sent before "Import".
  await page.getByTestId('library-import').click();
  await page.getByTestId('import-files').setInputFiles(importFiles());
  await page.waitForFunction(() =>
    /27/.test(document.querySelector('[data-testid="import-summary"]')?.textContent ?? ''),
  );
  assert.match(await summary(page), /(ready|待导入): 27.*(invalid|无效): 3/);
  assert.equal(await api.count(NVR, 3), 0);
  await page.getByTestId('import-run').click();
  await page.getByTestId('import-results').waitFor({ timeout: 20_000 });
  assert.match(await summary(page), /(added|已添加): 27/);
  const download = page.waitForEvent('download');
  await page.getByTestId('import-results').click();
  const results = fs.readFileSync((await (await download).path())!, 'utf8');
  assert.equal(results.match(/,added,/g)?.length, 27);
  assert.equal(results.match(/,invalid,/g)?.length, 3);
  assert.match(results, /missing\.png/);
  assert.equal(await api.count(NVR, 3), 27);
  await page.keyboard.press('Escape');

  // Page through: 20 per index range, then the rest.
  await page.waitForFunction(() =>
    /20\D+27/.test(document.querySelector('[data-testid="library-loaded"]')?.textContent ?? ''),
  );
  await page.getByTestId('library-more').click();
  await page.waitForFunction(() =>
    /27\D+27/.test(document.querySelector('[data-testid="library-loaded"]')?.textContent ?? ''),
  );
  await page.getByTestId('library-filter').locator('input').fill('人员 27');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid^="target-row-"]').length === 1);
  await page.getByTestId('library-filter').locator('input').fill('');
  const detailsHeader = page.locator('.ant-table-thead th').filter({ hasText: /^(Details|详情)$/ });
  assert.equal(await detailsHeader.count(), 0, 'IVM targets carry no details text: no such column');

  // Edit one (the enrolled picture is resent), then delete one.
  const [first] = await api.list(NVR, 3, 0, 1);
  await page.getByTestId(`target-edit-${first!.target_id}`).click();
  await page.getByTestId('target-field-name').fill('人员 1 已改');
  await page.getByTestId('target-save').click();
  await page.getByTestId('target-form').waitFor({ state: 'hidden' });
  assert.equal((await api.list(NVR, 3, 0, 1))[0]!.name, '人员 1 已改');
  await page.getByTestId(`target-row-${first!.target_id}`).locator('input[type="checkbox"]').check();
  await page.getByTestId('library-delete-selected').click();
  await page.getByTestId('library-delete-selected-ok').click();
  await page.waitForFunction(() =>
    /26/.test(document.querySelector('[data-testid="group-count-3"]')?.textContent ?? ''),
  );
  assert.equal(await api.count(NVR, 3), 26);

  // A picture over the limit is refused in the form before any upload.
  const adds = ivm.calls.filter((c) => c.path.endsWith('/targets/batch-add')).length;
  await page.getByTestId('library-add').click();
  await page.getByTestId('target-field-name').fill('宽图');
  await page.getByTestId('target-picture-input').setInputFiles(path.join(files, 'wide.png'));
  await page.getByTestId('target-picture-problem').waitFor();
  assert.match(
    (await page.getByTestId('target-picture-problem').textContent()) ?? '',
    /1300×20 px is over the 1200×1200/,
  );
  assert.equal(await page.getByTestId('target-save').isDisabled(), true);
  await page.getByTestId('target-picture-input').setInputFiles(path.join(files, 'big.png'));
  await page.waitForFunction(() =>
    /over the 50 KB limit/.test(document.querySelector('[data-testid="target-picture-problem"]')?.textContent ?? ''),
  );
  assert.equal(ivm.calls.filter((c) => c.path.endsWith('/targets/batch-add')).length, adds, 'nothing was uploaded');
  // A good picture dropped on the preview replaces the refused one.
  const dropped = await page.evaluateHandle((b64) => {
    const dt = new DataTransfer();
    dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'drop.png', { type: 'image/png' }));
    return dt;
  }, png(64, 64).toString('base64'));
  await page.getByTestId('target-picture-drop').dispatchEvent('drop', { dataTransfer: dropped });
  await page.getByTestId('target-picture-problem').waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('target-save').isDisabled(), false);
  await page.keyboard.press('Escape');

  // Re-running the same import skips the 26 rows still there and adds back the deleted one.
  await page.getByTestId('library-import').click();
  await page.getByTestId('import-files').setInputFiles(importFiles());
  await page.waitForFunction(() =>
    /26/.test(document.querySelector('[data-testid="import-summary"]')?.textContent ?? ''),
  );
  assert.match(await summary(page), /(ready|待导入): 1.*(invalid|无效): 3.*(already imported|已导入过): 26/);
  await page.getByTestId('import-run').click();
  await page.getByTestId('import-results').waitFor({ timeout: 20_000 });
  assert.equal(await api.count(NVR, 3), 27);
  await page.keyboard.press('Escape');

  // Delete the group: the confirmation says how many targets go with it.
  await page.waitForFunction(() =>
    /27/.test(document.querySelector('[data-testid="group-count-3"]')?.textContent ?? ''),
  );
  await page.getByTestId('group-delete-3').click();
  assert.match(
    (await page.locator('.ant-popconfirm:not(.ant-popover-hidden)').filter({ hasText: '访客名单' }).textContent()) ??
      '',
    /27/,
  );
  await page.getByTestId('group-delete-ok-3').click();
  await page.getByTestId('group-row-3').waitFor({ state: 'detached' });
  assert.ok(!(await api.groups(NVR)).groups.some((g) => g.group_id === 3));
  await page.context().close();
});

test('the device picker offers devices holding a library first; one without is greyed with why; GB devices are not offered', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await page.goto(host.url);
  await page.getByRole('menuitem', { name: /Target library|目标库/ }).click();
  await page.getByTestId('library-device').click();
  await page.keyboard.type('停车场');
  await page.waitForTimeout(300);
  assert.equal(
    await page.locator('.ant-select-item-option').filter({ hasText: '停车场 NVR' }).count(),
    0,
    'the GB NVR holds no library (§14.0.2)',
  );
  await page.keyboard.press('Escape');
  await page.getByTestId('library-device').click();
  const options = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option');
  await options.first().waitFor();
  // The list is virtualized: its head shows the order.
  const labels = await options.allTextContents();
  const firstWithout = labels.findIndex((l) => /no target library|无目标库/.test(l));
  assert.ok(firstWithout > 0, `devices holding a library come first: ${labels.join(' | ')}`);
  assert.ok(
    labels.slice(firstWithout).every((l) => /no target library|无目标库/.test(l)),
    `then the others: ${labels.join(' | ')}`,
  );
  await page.keyboard.type('大门球机');
  const gate = options.filter({ hasText: '大门球机' });
  await gate.waitFor();
  assert.match((await gate.textContent()) ?? '', /no target library|无目标库/, 'with why');
  assert.match((await gate.getAttribute('class')) ?? '', /option-disabled/, 'greyed: it cannot be chosen');
  assert.match((await gate.getAttribute('title')) ?? '', /IVM\.10020019/, 'the platform code in the tooltip');
  await page.keyboard.press('Escape');
  await page.context().close();
});

test('Alibaba watch policies open in the same editor: items listed with their pictures, removed; adding is shown as not offered', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await page.goto(host.url);
  await page.getByRole('menuitem', { name: /Target library|目标库/ }).click();
  await pickOption(page, page.getByTestId('library-account'), 'VCS');
  const policy = page.locator('[data-testid^="group-row-"]').filter({ hasText: '重点人员' });
  await policy.waitFor();
  await policy.click();
  await page.getByTestId('library-list-only').waitFor();
  assert.equal(await page.getByTestId('library-add').count(), 0);
  const rows = page.locator('[data-testid^="target-row-"]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid^="target-row-"]').length === 3);
  assert.ok((await rows.locator('img').count()) >= 2, 'item pictures shown');
  // Watch items carry their attributes as text: the column comes with the data.
  await page
    .locator('.ant-table-thead th')
    .filter({ hasText: /^(Details|详情)$/ })
    .waitFor();
  await rows.first().locator('input[type="checkbox"]').check();
  await page.getByTestId('library-delete-selected').click();
  await page.getByTestId('library-delete-selected-ok').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid^="target-row-"]').length === 2);
  await page.context().close();
});
