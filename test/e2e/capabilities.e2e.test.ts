import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { Capability, RegistrationModel } from '../../preload/contract';
import { closePagesAfterEach, pickOption } from '../helpers/browser';
import { startStack, type Stack } from '../helpers/stack';

// The UI gates features on the capabilities main derives from each account's adapter, not on
// platform ids: a Tencent IVC account (no alarm push, no target library, no image search, cloud
// plans rather than per-channel ones) hides what it cannot do and shows what it can. The add
// form follows each account's registration model, which main derives the same way.

let ivcOnly: Stack;
let all: Stack;
before(async () => {
  ivcOnly = await startStack({ ivc: {} });
  // One account per platform, served by a second host; the first stack's Chromium opens it.
  all = await startStack({ ivm: {}, vis: {}, ivc: {}, vcs: {}, browser: false });
});
closePagesAfterEach(() => ivcOnly?.browser);
after(async () => {
  await all?.stop();
  await ivcOnly?.stop();
});

async function openApp(stack: Stack): Promise<Page> {
  const context = await ivcOnly.browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(stack.host.url);
  return page;
}

test('the accounts list carries what the account can do', async () => {
  const r = await ivcOnly.core.call('accounts:list', {});
  assert.ok(r.ok);
  const [account] = (r.result as { accounts: Array<{ capabilities: Capability[] }> }).accounts;
  for (const c of ['live', 'ptz', 'cloudPlans', 'deviceAdmin.move'] as const)
    assert.ok(account!.capabilities.includes(c), c);
  for (const c of ['alarms', 'targets', 'imageSearch', 'recordingPlans', 'deviceAdmin.rename'] as const)
    assert.ok(!account!.capabilities.includes(c), c);
});

test('an account without alarm push, target library or image search: those pages say none can', async () => {
  const page = await openApp(ivcOnly);
  await page.getByRole('menuitem', { name: /Alarms|告警/ }).click();
  await page.getByTestId('alarms-unavailable').waitFor();
  await page.getByRole('menuitem', { name: /Target library|目标库/ }).click();
  await page.getByTestId('library-unavailable').waitFor();
  await page.getByRole('menuitem', { name: /Target search|目标检索/ }).click();
  await page.getByTestId('search-page').waitFor();
  assert.match(await page.getByTestId('search-page').innerText(), /needs an/);
  assert.equal(await page.getByTestId('search-scope').count(), 0);
});

test('an account with cloud plans gets the templates and plans editor; one with device admin gets Configure', async () => {
  const page = await openApp(ivcOnly);
  await page.getByRole('menuitem', { name: /Recording plans|录像计划/ }).click();
  await page.getByTestId('plans-cloud-tab').waitFor();
  await page.getByRole('menuitem', { name: /Add devices|添加设备/ }).click();
  await page.getByRole('tab', { name: /Configure/ }).click();
  await page.getByTestId('configure-channel').waitFor();
});

/** Per account of `all`: its registration models as main lists them, and a field only that form has. */
const forms: Array<{ account: string; models: RegistrationModel[]; field: string }> = [
  { account: 'IVM', models: ['installerIds', 'labelCode'], field: 'gb-deviceId-0' },
  { account: 'VIS', models: ['credential'], field: 'vis-credential' },
  { account: 'IVC', models: ['generatedCode'], field: 'ivc-name' },
  { account: 'VCS', models: ['projectDevice'], field: 'vcs-project' },
];
const fields = forms.map((f) => f.field);

test('each platform’s account gets the add form of its registration model, and only that one', async () => {
  const r = await all.core.call('accounts:list', {});
  assert.ok(r.ok);
  const listed = (r.result as { accounts: Array<{ name: string; registrationModels: RegistrationModel[] }> }).accounts;
  assert.deepEqual(
    listed.map((a) => [a.name, a.registrationModels]),
    forms.map((f) => [f.account, f.models]),
  );
  // A page per account, as an installer opens the page for the account at hand.
  const addDevices = async (account: string) => {
    const page = await openApp(all);
    await page.getByRole('menuitem', { name: /Add devices|添加设备/ }).click();
    await pickOption(page, page.getByTestId('installer-account'), new RegExp(`^${account} ·`));
    return page;
  };
  for (const { account, models, field } of forms) {
    const page = await addDevices(account);
    await page.getByTestId(`add-${models[0]}`).waitFor();
    await page.getByTestId(field).waitFor();
    for (const other of fields.filter((f) => f !== field))
      assert.equal(await page.getByTestId(other).count(), 0, `${account} shows no ${other}`);
    // A choice between models only where the platform has more than one.
    assert.equal(await page.getByTestId('add-registration').count(), models.length > 1 ? 1 : 0, account);
    // The generated-code form offers the spreadsheet import where the account can import (Tencent E24).
    if (account === 'IVC') await page.getByTestId('ivc-import').waitFor();
    else assert.equal(await page.getByTestId('ivc-import').count(), 0, account);
    await page.context().close();
  }
  // IVM's second model, the HoloSens label code, is its own form.
  const page = await addDevices('IVM');
  await page
    .getByTestId('add-registration')
    .getByText(/HoloSens|好望/)
    .click();
  await page.getByTestId('add-labelCode').waitFor();
  await page.getByTestId('holo-id').waitFor();
  assert.equal(await page.getByTestId('gb-deviceId-0').count(), 0);
});
