import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { WebHost } from '../../main/host/web';
import { KeyringVault, VAULT_SERVICE } from '../../main/vault/vault';
import { closePagesAfterEach, pickOption } from '../helpers/browser';
import { freePort } from '../emulators/media/simulator';
import { readAllFiles } from '../helpers/core';
import { startStack, type Stack } from '../helpers/stack';

// The browser host with the real keychain, driven through the UI in Debian Chromium.

let host: WebHost;
let browser: Browser;
let dataDir: string;
let closed: string;
const vault = new KeyringVault();

let stack: Stack;
before(async () => {
  stack = await startStack({ core: { vault } });
  ({ dataDir, host, browser } = stack);
  closed = `http://127.0.0.1:${await freePort()}`; // nothing listens there
});
closePagesAfterEach(() => browser);
after(() => stack?.stop());

/** Opens the app and records every WebSocket frame the page receives. */
async function openApp(): Promise<{ page: Page; frames: string[] }> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const frames: string[] = [];
  page.on('websocket', (ws) => {
    ws.on('framereceived', (f) => frames.push(String(f.payload)));
    ws.on('framesent', (f) => frames.push(`SENT ${String(f.payload)}`));
  });
  await page.goto(host.url);
  return { page, frames };
}

async function selectOption(page: Page, testId: string, optionText: RegExp) {
  await pickOption(page, page.getByTestId(testId), optionText);
}

const SECRET = 'Tencent-SecretKey-e2e-7Q9xw2Lm';

test('add a Tencent account in the UI: the secret lands in the keychain and nowhere else; remove deletes it', async () => {
  const { page, frames } = await openApp();
  await page.getByTestId('first-run').waitFor();
  await page.getByTestId('first-run-tencent-ivc').click();

  await page.getByTestId('field-name').fill('Shanghai HQ');
  // A closed loopback port: the connection test must fail without any traffic leaving the machine.
  await page.getByTestId('field-config.endpoint').fill(closed);
  await page.getByTestId('field-config.appId').fill('1250000000');
  await page.getByTestId('field-config.secretId').fill('AKIDe2eExample');
  await page.getByTestId('field-secret').fill(SECRET);
  await page.getByTestId('account-save').click();

  const row = page.locator('.ant-table-row').filter({ hasText: 'Shanghai HQ' });
  await row.waitFor();
  const id = (await row.getAttribute('data-row-key'))!;
  assert.match(id, /^acc_[0-9a-f]{16}$/);
  assert.match(await page.getByTestId(`secret-status-${id}`).innerText(), /keychain|钥匙串/i);

  // In the keychain, readable by the vault and by the OS tool.
  assert.equal(await vault.get(id), SECRET);
  if (process.platform === 'linux') {
    const r = spawnSync('secret-tool', ['lookup', 'service', VAULT_SERVICE, 'username', id], { encoding: 'utf8' });
    assert.equal(r.stdout, SECRET);
  }
  // Nowhere else: not on disk, not in the DOM, not in any frame main sent to the page.
  assert.ok(!readAllFiles(dataDir).includes(SECRET), 'secret found in the settings folder');
  assert.ok(!(await page.content()).includes(SECRET), 'secret found in the DOM');
  const received = frames.filter((f) => !f.startsWith('SENT '));
  assert.ok(received.length > 3);
  assert.ok(!received.some((f) => f.includes(SECRET)), 'secret found in a WebSocket frame sent to the page');
  // The renderer did send it exactly once, in the accounts:add request.
  assert.equal(frames.filter((f) => f.startsWith('SENT ') && f.includes(SECRET)).length, 1);

  // The connection test really calls the platform: here nothing listens, and it says so.
  await page.getByTestId(`account-test-${id}`).click();
  await page
    .locator('.ant-message')
    .filter({ hasText: /ECONNREFUSED|refused|fetch failed/i })
    .waitFor({ timeout: 15_000 });
  assert.ok(!(await page.content()).includes(SECRET));

  // Remove: the keychain entry goes with it.
  await page.getByTestId(`account-remove-${id}`).click();
  await page.getByTestId('account-remove-confirm').click();
  await row.waitFor({ state: 'detached' });
  assert.equal(await vault.get(id), null);
  await page.context().close();
});

test('switching the platform in the form: each platform’s default endpoint replaces the last; one the user typed is kept', async () => {
  const { page } = await openApp();
  await page.getByTestId('first-run-huawei-ivm').click();
  const endpoint = page.getByTestId('field-config.endpoint');
  assert.equal(await endpoint.inputValue(), 'https://api-ivm.myhuaweicloud.com');
  // One platform list at a time: the last one's closing animation must not take the click.
  const platform = async (name: RegExp) => {
    await page.waitForFunction(() => !document.querySelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden)'));
    await selectOption(page, 'account-platform', name);
  };
  const endpointBecomes = async (value: string) => {
    for (let i = 0; i < 30 && (await endpoint.inputValue()) !== value; i++) await page.waitForTimeout(100);
    assert.equal(await endpoint.inputValue(), value);
  };
  await platform(/Tencent|腾讯/);
  await endpointBecomes('https://ivc.myqcloud.com');
  await platform(/Alibaba|阿里/);
  await endpointBecomes('https://vcs.cn-hangzhou.aliyuncs.com');
  await endpoint.fill('https://vcs.example.test');
  await platform(/Tencent|腾讯/);
  await page.waitForTimeout(300);
  assert.equal(await endpoint.inputValue(), 'https://vcs.example.test', 'a typed endpoint is the user’s: kept');
  await page.context().close();
});

test('the UI language is one click away in the title bar, and the choice is kept by main', async () => {
  const { page } = await openApp();
  const nav = page.locator('.ant-layout-sider .ant-menu');
  await nav.waitFor();
  const start = (await page.getByTestId('language-switch').innerText()).trim();
  await page.getByTestId('language-switch').click();
  await nav.getByText(start === 'EN' ? 'Accounts' : '账号', { exact: true }).waitFor();
  const other = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await other.goto(host.url);
  await other
    .locator('.ant-layout-sider .ant-menu')
    .getByText(start === 'EN' ? 'Accounts' : '账号', { exact: true })
    .waitFor();
  await page.getByTestId('language-switch').click(); // back, for the tests after this one
  await nav.getByText(start === 'EN' ? '账号' : 'Accounts', { exact: true }).waitFor();
  await page.context().close();
});

test('format errors from main are shown next to the fields and nothing is saved', async () => {
  const { page } = await openApp();
  await page.getByTestId('first-run-huawei-ivm').click();
  await page.getByTestId('field-name').fill('IVM');
  await page.getByTestId('field-config.userId').fill('12345');
  await page.getByTestId('field-config.ak').fill('AK123');
  await page.getByTestId('field-secret').fill('sk-should-not-be-stored');
  await page.getByTestId('account-save').click();
  const fieldError = page.locator('.ant-form-item-explain-error').filter({ hasText: /15–25/ });
  await fieldError.waitFor();
  const list = await fetchAccounts(page);
  assert.equal(list, 0);
  await page.context().close();
});

test('Huawei VIS form switches fields with the sign-in method and saves an AK/SK account', async () => {
  const { page } = await openApp();
  await page.getByTestId('first-run-huawei-vis').click();
  await page.getByTestId('field-name').fill('VIS Beijing');
  await page.getByTestId('field-config.projectId').fill('e9993fc787d94b6c886cbaa340f9c0f4');
  assert.ok(await page.getByTestId('field-config.domain').isVisible());
  await selectOption(page, 'field-config.authMode', /AK\/SK/);
  await page.getByTestId('field-config.ak').waitFor();
  assert.equal(await page.getByTestId('field-config.domain').count(), 0);
  await page.getByTestId('field-config.ak').fill('VISAK');
  await page.getByTestId('field-config.endpoint').fill(closed);
  await page.getByTestId('field-secret').fill('vis-sk-e2e');
  await page.getByTestId('account-save').click();
  const row = page.locator('.ant-table-row').filter({ hasText: 'VIS Beijing' });
  await row.waitFor();
  const id = (await row.getAttribute('data-row-key'))!;
  assert.equal(await vault.get(id), 'vis-sk-e2e');
  assert.ok(!readAllFiles(dataDir).includes('vis-sk-e2e'));
  await page.getByTestId(`account-remove-${id}`).click();
  await page.getByTestId('account-remove-confirm').click();
  await row.waitFor({ state: 'detached' });
  assert.equal(await vault.get(id), null);
  await page.context().close();
});

test('a platform on my network: a LAN http:// endpoint is refused until the choice is ticked, then saved and shown on the account', async () => {
  const { page } = await openApp();
  await page.getByTestId('first-run-tencent-ivc').click();
  await page.getByTestId('field-name').fill('Depot NVR');
  await page.getByTestId('field-config.endpoint').fill('http://10.1.2.3:8080');
  await page.getByTestId('field-config.appId').fill('1250000000');
  await page.getByTestId('field-config.secretId').fill('AKIDdepot');
  await page.getByTestId('field-secret').fill('depot-secret-e2e');
  await page.getByTestId('account-save').click();
  await page
    .locator('.ant-form-item-explain-error')
    .filter({ hasText: /runs on my network|running on your network|部署在我的网络/ })
    .waitFor();
  assert.equal(await fetchAccounts(page), 0, 'nothing saved');
  await page.getByTestId('field-config.onPremises').click();
  await page.getByTestId('account-save').click();
  const row = page.locator('.ant-table-row').filter({ hasText: 'Depot NVR' });
  await row.waitFor();
  const id = (await row.getAttribute('data-row-key'))!;
  await page.getByTestId(`on-premises-${id}`).waitFor();
  assert.match(readAllFiles(dataDir), /"onPremises": true/);
  await page.getByTestId(`account-remove-${id}`).click();
  await page.getByTestId('account-remove-confirm').click();
  await row.waitFor({ state: 'detached' });
  await page.context().close();
});

test('language switch to English and back persists through main', async () => {
  const { page } = await openApp();
  await page.getByRole('menuitem', { name: /Settings|设置/ }).click();
  await page.getByTestId('settings-page').waitFor();
  await page.getByText('English', { exact: true }).click();
  await page.getByText('Language', { exact: true }).waitFor();
  const again = await openApp();
  await again.page.getByRole('menuitem', { name: /Settings/ }).waitFor();
  await again.page.getByRole('menuitem', { name: /Settings/ }).click();
  await again.page.getByText('简体中文').click();
  await again.page.getByText('语言', { exact: true }).waitFor();
  await page.context().close();
  await again.page.context().close();
});

async function fetchAccounts(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const r = await (
      window as unknown as { vigil: { invoke(c: string, p: object): Promise<{ accounts: unknown[] }> } }
    ).vigil.invoke('accounts:list', {});
    return r.accounts.length;
  });
}
