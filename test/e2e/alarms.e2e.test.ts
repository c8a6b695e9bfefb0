import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Core } from '../../main/core';
import type { WebHost } from '../../main/host/web';
import type { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import { closePagesAfterEach } from '../helpers/browser';
import { startStack, type Stack } from '../helpers/stack';

// Huawei IVM alarm pushes (§10.1–10.2): Vigil's receiver registers with the emulator, which
// pushes signed alarms to it like the platform does; forged posts are refused.

let ivm: IvmEmulator;
let browser: Browser;
let host: WebHost;
let core: Core;

let stack: Stack;
before(async () => {
  stack = await startStack({ ivm: {} });
  ({ core, host, browser } = stack);
  ivm = stack.ivm!;
});

closePagesAfterEach(() => browser);
after(() => stack?.stop());

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((ok) => s.close(ok));
  return port;
}

/** `yyyy-MM-ddTHH:mm:ss+08:00` as the platform writes alarm times. */
const beijing = (ms: number) => `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;

test('alarms: the receiver registers a signed callback, pushed alarms appear with their picture and a jump to the recording; forged posts are refused; stopping unregisters', async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/vigil/ivm`;
  const page = await (await browser.newContext({ viewport: { width: 1500, height: 900 } })).newPage();
  await page.goto(host.url);
  await page.getByRole('menuitem', { name: /Alarms|告警/ }).click();
  await page.getByTestId('alarms-status').waitFor();
  await page.getByTestId('alarms-url').fill(url);
  await page.locator('input[data-testid="alarms-port"], [data-testid="alarms-port"] input').first().fill(String(port));
  await page.getByTestId('alarms-start').click();
  await page.getByTestId('alarms-stop').waitFor();
  const reg = ivm.dataflow.callbacks.get('DEVICE_ALARM')!;
  assert.equal(reg.callback_url, url);
  assert.ok(
    reg.auth_key && reg.auth_key.length >= 6 && reg.auth_key.length <= 18,
    'a signing key within 6–18 characters',
  );

  const at = Date.now() - 60_000;
  const uuid = `21A0123456SMY01_0_over_line_alarm_${beijing(at).slice(0, 19).replace(/\D/g, '')}_1`;
  const status = await ivm.dataflow.push('DEVICE_ALARM', {
    device_id: '21A0123456SMY01',
    device_name: '大门球机',
    channel_type: 'video_input',
    channel_id: '0',
    channel_name: '大门球机',
    classification: 'PERIMETER',
    alarm_type: 'over_line_alarm',
    alarm_status: 'pulse',
    alarm_time: beijing(at),
    alarm_uuid: uuid,
  });
  assert.equal(status, 200);
  await page.getByTestId('alarm-type').filter({ hasText: 'over_line_alarm' }).waitFor();
  await page.getByTestId('alarms-counts').filter({ hasText: /1\D+0/ }).waitFor();
  const forged = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      message_id: 1,
      message_type: 'device_alarm',
      data: { device_id: 'x', channel_id: '0', alarm_type: 'fake', alarm_time: beijing(at), alarm_uuid: 'x_0_fake' },
      test: false,
    }),
  });
  assert.equal(forged.status, 401, 'unsigned posts are refused');
  assert.equal(core.alarms.list().alarms.length, 1);

  await page.getByTestId('alarms-insecure').waitFor(); // the public URL is plain http
  // Acknowledged by the operator: kept on disk, so a restarted Vigil shows it acknowledged.
  await page.getByTestId('alarm-ack').first().click();
  await page.getByTestId('alarm-acked').first().waitFor();
  assert.ok(core.alarms.list().alarms[0]!.acknowledgedAt, 'main recorded the acknowledgement');
  await page.reload();
  await page.getByRole('menuitem', { name: /Alarms|告警/ }).click();
  await page.getByTestId('alarm-acked').first().waitFor();
  // In a 1,024-px window every action is in view, as an icon named on hover (it scrolled sideways).
  await page.setViewportSize({ width: 1024, height: 640 });
  await page.locator('[data-testid="alarms-list"][data-compact="true"]').waitFor();
  const more = (await page.getByTestId('alarm-more').first().boundingBox())!;
  assert.ok(more.x + more.width <= 1024, `the last action ends at ${more.x + more.width} px`);
  assert.ok(
    await page.evaluate(() =>
      [document.scrollingElement!, document.querySelector('[data-testid="alarms-scroller"]')!].every(
        (el) => el.scrollWidth <= el.clientWidth,
      ),
    ),
    'nothing scrolls sideways',
  );
  await page.getByTestId('alarm-picture').first().hover();
  await page.locator('.ant-tooltip').getByText('Picture', { exact: true }).waitFor();
  await page.setViewportSize({ width: 1500, height: 900 });

  await page.getByTestId('alarm-picture').first().click();
  await page.waitForFunction(
    () =>
      ((document.querySelector('[data-testid="alarm-picture-img"]') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0,
  );
  await page.keyboard.press('Escape');
  await page.getByTestId('alarm-playback').first().click();
  await page.getByTestId('playback-page').waitFor();
  const cursor = await page.evaluate(() =>
    Number(document.querySelector('[data-testid="playback-cursor"]')?.getAttribute('data-ms') ?? 'NaN'),
  );
  assert.ok(
    Math.abs(cursor - (Math.floor(at / 1000) * 1000 - 10_000)) < 2000,
    `the recording opens 10 s before the alarm (${new Date(cursor).toISOString()})`,
  );

  await page.getByRole('menuitem', { name: /Alarms|告警/ }).click();
  await page.getByTestId('alarms-stop').click();
  await page.getByTestId('alarms-start').waitFor();
  assert.equal(ivm.dataflow.callbacks.get('DEVICE_ALARM'), undefined, 'the registration is removed');
  await page.context().close();
});
