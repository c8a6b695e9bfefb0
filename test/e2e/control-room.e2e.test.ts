import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import fs from 'node:fs';
import type { Core } from '../../main/core';
import type { WebHost } from '../../main/host/web';
import type { SeatCommand } from '../../preload/contract';
import { freePort } from '../emulators/media/simulator';
import { MemoryVault, tempDir } from '../helpers/core';
import { mosquittoBinary, startMosquitto, type Broker } from '../helpers/mosquitto';
import { startStack, type Stack } from '../helpers/stack';

// The control room as issue 25 describes it: three browser-host seats (separate data folders)
// on Debian's mosquitto. A push to A's receiver appears on A, B and C; B acknowledges and A and
// C show "acknowledged by B"; C restarts and still shows it; the broker stops for 10 s while B
// closes the alarm and A sends the camera to C's wall, and both arrive exactly once; A sends its
// whole wall to C, which C can undo; C's audit export holds the alarm and both actions; B's PTZ
// hold shows on A's pad and A's steering on B; a killed seat turns offline through its last will.

const skip = mosquittoBinary() ? false : 'mosquitto is not installed (.ci/run installs it)';

interface Seat {
  name: string;
  core: Core;
  host: WebHost;
  dataDir: string;
  page: Page;
  commands: SeatCommand[];
  stop(): Promise<void>;
}

let broker: Broker;
let stackA: Stack;
let browser: Browser;
const seats: Seat[] = [];

async function configure(core: Core, name: string): Promise<void> {
  const r = await core.call('controlRoom:set', {
    enabled: true,
    brokerUrl: broker.url,
    site: 'e2e',
    seat: name,
    user: `op-${name}`,
    escalateAfterSec: 600,
  });
  assert.ok(r.ok, JSON.stringify(r));
}

async function openPage(host: WebHost): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1500, height: 900 } })).newPage();
  await page.goto(host.url);
  await page.getByRole('menuitem', { name: /Alarms|告警/ }).click();
  await page.getByTestId('alarms-page').waitFor();
  return page;
}

/**
 * A seat on its own stack (core, host, data folder; A's has the IVM emulator), its page in A's
 * Chromium. `dataDir` restarts a seat on its folder.
 */
async function seat(name: string, dataDir?: string, from?: Stack): Promise<Seat> {
  const stack =
    from ?? (await startStack({ browser: false, core: { vault: new MemoryVault(), ...(dataDir ? { dataDir } : {}) } }));
  const { core, host } = stack;
  const commands: SeatCommand[] = [];
  core.events.subscribe((event, payload) => {
    if (event === 'main:seatCommand') commands.push(payload as SeatCommand);
  });
  await configure(core, name);
  const page = await openPage(host);
  const s: Seat = {
    name,
    core,
    host,
    dataDir: stack.dataDir,
    page,
    commands,
    async stop() {
      await page.context().close();
      if (!from) await stack.stop();
    },
  };
  seats.push(s);
  return s;
}

const row = (s: Seat, id: string) => s.page.locator(`[data-testid="alarm-row"][data-alarm-id="${id}"]`);

before(async () => {
  if (skip) return;
  broker = await startMosquitto();
  stackA = await startStack({ ivm: {}, core: { vault: new MemoryVault() } });
  browser = stackA.browser;
});
after(async () => {
  for (const s of seats.reverse()) await s.stop().catch(() => undefined);
  await stackA?.stop();
  await broker?.stop();
});

test(
  'control room: three seats share an alarm, its acknowledgement, a restart, a 10 s broker outage and a killed seat',
  { skip },
  async () => {
    const a = await seat('A', undefined, stackA);
    const b = await seat('B');
    let c = await seat('C');
    for (const s of [a, b, c]) {
      await s.page.locator('[data-testid="broker-status"][data-state="online"]').waitFor();
      await s.page.waitForFunction(
        () => document.querySelectorAll('[data-testid="seat"][data-online="true"]').length === 3,
      );
    }

    // A push to A's receiver (the IVM emulator signs it as the platform does).
    const port = await freePort();
    const accountId = stackA.accounts.ivm!;
    await a.core.alarms.start(accountId, `http://127.0.0.1:${port}/ivm`, port);
    const beijing = (ms: number) => `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
    const status = await stackA.ivm!.dataflow.push('DEVICE_ALARM', {
      device_id: '21A0123456SMY01',
      device_name: '大门球机',
      channel_type: 'video_input',
      channel_id: '0',
      channel_name: '大门球机',
      classification: 'PERIMETER',
      alarm_type: 'over_line_alarm',
      alarm_status: 'pulse',
      alarm_time: beijing(Date.now() - 5_000),
      alarm_uuid: '21A0123456SMY01_0_over_line_alarm_e2e_1',
    });
    assert.equal(status, 200);
    const id = a.core.alarms.list().alarms[0]!.id;
    for (const s of [a, b, c]) await row(s, id).waitFor();

    // B acknowledges; A and C say who.
    await row(b, id).getByTestId('alarm-ack').click();
    for (const s of [a, c]) await row(s, id).getByText('Acknowledged by B (op-B)').waitFor();

    // C restarts (a new core and host on its data folder) and still shows it.
    const cDir = c.dataDir;
    await c.stop();
    seats.splice(seats.indexOf(c), 1);
    c = await seat('C', cDir);
    await row(c, id).getByText('Acknowledged by B (op-B)').waitFor();
    await c.page.locator('[data-testid="broker-status"][data-state="online"]').waitFor();

    // The broker stops for 10 s: B closes the alarm, A sends the camera to C's wall.
    await broker.stop();
    for (const s of [a, b, c]) await s.page.locator('[data-testid="broker-status"][data-state="offline"]').waitFor();
    await row(b, id).getByTestId('alarm-close').click();
    await b.page.getByTestId('alarm-close-note').fill('A delivery van, checked on camera');
    await b.page.getByTestId('alarm-close-ok').click();
    await row(b, id).locator('[data-state="closed"]').waitFor();
    await row(a, id).getByTestId('alarm-more').click();
    await a.page.getByText('Send the camera to').hover();
    await a.page.getByRole('menuitem', { name: /^C/ }).click();
    await a.page
      .getByTestId('broker-status')
      .getByText(/queued/)
      .waitFor();
    await b.page
      .getByTestId('broker-status')
      .getByText(/queued/)
      .waitFor();
    await new Promise((r) => setTimeout(r, 10_000));
    await broker.start();

    // C's wall opened the camera A sent (the command brings the wall forward); then back to its alarms.
    await c.page.locator('[data-channel="ch:21A0123456SMY01:0"]').first().waitFor();
    await c.page.getByRole('menuitem', { name: /Alarms|告警/ }).click();
    for (const s of [a, c])
      await row(s, id)
        .getByText('Closed by B (op-B)')
        .waitFor()
        .catch((e: Error) => {
          const room = s.core.alarms.link.status();
          const alarm = s.core.alarms.list().alarms.find((x) => x.id === id);
          throw new Error(
            `${s.name}: ${e.message}; room ${JSON.stringify(room)}; alarm ${JSON.stringify(alarm)}; B room ${JSON.stringify(b.core.alarms.link.status())}`,
          );
        });
    for (const s of [a, b, c]) await s.page.locator('[data-testid="broker-status"][data-state="online"]').waitFor();
    await a.page.waitForFunction(
      () => !/queued/.test(document.querySelector('[data-testid="broker-status"]')!.textContent ?? ''),
    );
    await new Promise((r) => setTimeout(r, 2000)); // room for a duplicate to arrive
    assert.equal(c.commands.length, 1, 'the command reached C exactly once');
    assert.deepEqual(c.commands[0]!.from, { seat: 'A', user: 'op-A' });
    for (const s of [a, b, c]) {
      const r = await s.core.call('alarms:history', { id });
      assert.ok(r.ok);
      assert.deepEqual(
        (r.result as { actions: Array<{ kind: string; seat: string }> }).actions.map((x) => `${x.kind}:${x.seat}`),
        ['acknowledge:B', 'close:B'],
        `${s.name} recorded each action once`,
      );
    }

    // A sends its whole wall (9 panes, nothing on them) to C, whose wall held the camera: C shows
    // A's wall and says who sent it; Undo puts C's own wall back.
    const camera = '[data-channel="ch:21A0123456SMY01:0"]';
    await a.page.getByRole('menuitem', { name: /Live wall|实况|电视墙/ }).click();
    await a.page.getByTestId('wall-page').waitFor();
    await a.page.keyboard.press('5'); // layout 9
    await a.page.getByTestId('wall-pane-8').waitFor();
    await a.page.getByRole('menuitem', { name: /Alarms|告警/ }).click();
    await c.page.getByRole('menuitem', { name: /Live wall|实况|电视墙/ }).click();
    await c.page.locator(camera).first().waitFor();
    assert.equal(await c.page.locator('[data-testid^="wall-pane-"]').count(), 4);
    await a.page.locator('[data-testid="seat"][data-seat="C"]').getByTestId('seat-send-wall').click();
    await c.page.getByTestId('wall-pane-8').waitFor();
    await c.page
      .locator('[data-testid="seat-command"][data-kind="open-view"]')
      .getByText('A (op-A) sent a wall here')
      .waitFor();
    assert.equal(await c.page.locator(camera).count(), 0, "A's wall replaced C's");
    await c.page.getByTestId('seat-command-undo').click();
    await c.page.locator(camera).first().waitFor();
    assert.equal(await c.page.locator('[data-testid^="wall-pane-"]').count(), 4, "C's own wall is back");
    assert.equal(await c.page.getByTestId('seat-command').count(), 0);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(c.commands.length, 2, 'the wall came once');

    // PTZ: B says it steers the camera and A's pad on it says so; A's pad steering shows on B.
    await a.page.getByRole('menuitem', { name: /Live wall|实况|电视墙/ }).click();
    await a.page.keyboard.press('2'); // layout 4
    await a.page.getByTestId('wall-pane-0').click();
    await a.page.locator('[data-testid="device-tree"] input').first().fill('大门球机');
    await a.page.locator('[data-testid="node-channel"]').filter({ hasText: '大门球机' }).first().dblclick();
    await a.page.getByTestId('wall-pane-0').click();
    await a.page.getByTestId('ptz-pad').waitFor();
    const r = await b.core.call('controlRoom:ptz', { accountId, channelId: 'ch:21A0123456SMY01:0', hold: true });
    assert.ok(r.ok, JSON.stringify(r));
    await a.page.getByTestId('ptz-holder').getByText('B (op-B) is steering').waitFor();
    await b.core.call('controlRoom:ptz', { accountId, channelId: 'ch:21A0123456SMY01:0', hold: false });
    await a.page.getByTestId('ptz-holder').waitFor({ state: 'detached' });
    await a.page.getByTestId('ptz-up').dispatchEvent('mousedown');
    await a.page.getByTestId('ptz-up').dispatchEvent('mouseup');
    const steering = () =>
      b.core.alarms.link.status().ptz.find((p) => p.channelId === 'ch:21A0123456SMY01:0')?.seat === 'A';
    for (let i = 0; i < 50 && !steering(); i++) await new Promise((res) => setTimeout(res, 100));
    assert.ok(steering(), 'B sees A steering');
    // Keys steer as the pad does: A leaves the wall (its pad closes: B sees nobody steer), comes
    // back and presses ↑ on the wall.
    await a.page.getByRole('menuitem', { name: /Alarms|告警/ }).click();
    for (let i = 0; i < 50 && steering(); i++) await new Promise((res) => setTimeout(res, 100));
    assert.ok(!steering(), 'A stopped steering when its pad closed');
    await a.page.getByRole('menuitem', { name: /Live wall|实况|电视墙/ }).click();
    await a.page.getByTestId('wall-pane-0').click();
    await a.page.getByTestId('ptz-pad').waitFor();
    await a.page.keyboard.down('ArrowUp');
    await a.page.keyboard.up('ArrowUp');
    for (let i = 0; i < 50 && !steering(); i++) await new Promise((res) => setTimeout(res, 100));
    assert.ok(steering(), 'B sees A steering from the keyboard');
    await a.page.getByRole('menuitem', { name: /Alarms|告警/ }).click();

    // C's audit export (CSV): the receipt on A and B's two actions, with the closing note.
    const [download] = await Promise.all([
      c.page.waitForEvent('download'),
      c.page
        .getByRole('menuitem', { name: /Alarms|告警/ })
        .click()
        .then(() => c.page.getByTestId('alarms-audit-csv').click()),
    ]);
    assert.match(download.suggestedFilename(), /^vigil-alarm-audit-\d{14}\.csv$/);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    assert.equal(lines.length, 4, csv);
    assert.match(lines[1]!, new RegExp(`received,${id.replace('/', '\\/')},大门球机,over_line_alarm,A,`));
    assert.match(lines[2]!, /acknowledge,.*,B,op-B,/);
    assert.match(lines[3]!, /close,.*,B,op-B,,"A delivery van, checked on camera"$/);

    // A seat killed without a goodbye turns offline on the others through its last will.
    const script = path.join(path.dirname(fileURLToPath(import.meta.url)), '../helpers/seat-process.ts');
    const k = spawn(process.execPath, ['--import', 'tsx', script, broker.url, 'e2e', 'K', tempDir()], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await a.page.locator('[data-testid="seat"][data-seat="K"][data-online="true"]').waitFor();
    } finally {
      k.kill('SIGKILL');
    }
    await a.page.locator('[data-testid="seat"][data-seat="K"][data-online="false"]').waitFor();
  },
);
