import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { freePort } from '../emulators/media/simulator';
import { ivmAccount } from '../helpers/accounts';
import { agentCommand, agentFiles, startAgent, type AgentFiles, type AgentProcess } from '../helpers/agent';
import { MemoryVault } from '../helpers/core';
import { mosquittoBinary, startMosquitto, type Broker } from '../helpers/mosquitto';
import { startStack, type Stack } from '../helpers/stack';

// A seat's control-room side bar shows the site's agent as a real agent process announces it on
// Debian's mosquitto: online, receiving the account, its health (queue, unacknowledged alarms) in
// the tooltip; killed, it turns offline through its last will and the seat warns in red that no
// one receives the alarms; started again, the warning goes.

const skip = mosquittoBinary() ? false : 'mosquitto is not installed (.ci/run installs it)';
const SITE = 'e2e-agent';
const ACCOUNT = 'acc_0000000e2eagent1';

let broker: Broker;
let stack: Stack;
let agent: AgentProcess | null = null;

before(async () => {
  if (skip) return;
  broker = await startMosquitto();
  stack = await startStack({ ivm: {}, core: { vault: new MemoryVault() } });
});
after(async () => {
  if (agent) agent.child.kill('SIGKILL');
  await stack?.stop();
  await broker?.stop();
});

async function agentSetUp(): Promise<AgentFiles> {
  const port = await freePort();
  const files = agentFiles(
    {
      controlRoom: { brokerUrl: broker.url, site: SITE, seat: 'agent-1' },
      receivers: [{ accountId: ACCOUNT, publicUrl: `http://127.0.0.1:${port}/push`, port }],
      healthPort: 0,
      takeoverEveryMs: 500,
    },
    {},
  );
  const list = path.join(files.dataDir, 'accounts.json');
  fs.writeFileSync(list, JSON.stringify([{ id: ACCOUNT, name: 'IVM site', ...ivmAccount(stack.ivm!) }]), {
    mode: 0o600,
  });
  const r = await agentCommand(['import', list, '--data', files.dataDir, '--credentials', files.credentials]);
  assert.equal(r.code, 0, r.stderr);
  fs.rmSync(list);
  return files;
}

const agentTag = (page: Page, online: boolean) =>
  page.locator(`[data-testid="agent"][data-agent="agent-1"][data-online="${online}"]`);

test(
  'the side bar shows the agent, its health and queue, and warns when no one receives alarms',
  { skip },
  async () => {
    const r = await stack.core.call('controlRoom:set', {
      enabled: true,
      brokerUrl: broker.url,
      site: SITE,
      seat: 'desk-1',
      user: 'op-1',
      escalateAfterSec: 600,
    });
    assert.ok(r.ok, JSON.stringify(r));
    const files = await agentSetUp();
    agent = await startAgent(files);

    const page = await (await stack.browser.newContext({ viewport: { width: 1500, height: 900 } })).newPage();
    await page.goto(stack.host.url);
    await page.getByRole('menuitem', { name: /Alarms|告警/ }).click();
    await page.getByTestId('alarms-page').waitFor();
    await page.locator('[data-testid="broker-status"][data-state="online"]').waitFor();

    // Online and receiving the account; nothing to warn about.
    await agentTag(page, true).waitFor({ timeout: 20_000 });
    await agentTag(page, true).locator('[data-testid="agent-receiving"][data-count="1"]').waitFor({ timeout: 20_000 });
    assert.equal(await page.getByTestId('agents-warning').count(), 0);

    // Alarms the agent receives reach the seat, and its health follows within seconds.
    const beijing = (ms: number) => `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
    for (let i = 0; i < 3; i++)
      assert.equal(
        await stack.ivm!.dataflow.push('DEVICE_ALARM', {
          device_id: '21A0123456SMY01',
          channel_id: '0',
          channel_name: 'Gate',
          alarm_type: 'over_line_alarm',
          alarm_time: beijing(Date.now() - 5_000),
          alarm_uuid: `21A0123456SMY01_0_over_line_alarm_agent_e2e_${i}`,
        }),
        200,
      );
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="alarm-row"]').length === 3, null, {
      timeout: 20_000,
    });
    const tooltip = page.locator('.ant-tooltip:visible').last();
    // The health rides on the agent's presence (3 s after alarms arrive): read as the operator
    // does, in the tag's tooltip, until it says the three alarms.
    const deadline = Date.now() + 15_000;
    let text = '';
    for (;;) {
      await agentTag(page, true).hover();
      text = (await tooltip.textContent({ timeout: 5_000 }).catch(() => '')) ?? '';
      if (/(Queue|队列) 0 · (unacknowledged|未确认) 3/.test(text) || Date.now() > deadline) break;
      await page.mouse.move(0, 0);
      await page.waitForTimeout(500);
    }
    assert.match(text, /(Queue|队列) 0 · (unacknowledged|未确认) 3/);
    assert.match(text, /(receives|接收) 1/);
    await page.mouse.move(0, 0);

    // Killed: its last will turns it offline and the seat says alarms are received by no one.
    agent.child.kill('SIGKILL');
    agent = null;
    await agentTag(page, false).waitFor({ timeout: 20_000 });
    const warning = page.getByTestId('agents-warning');
    await warning.waitFor({ timeout: 10_000 });
    assert.match((await warning.textContent()) ?? '', /No alarm agent is online|没有在线的告警代理/);
    assert.equal(await agentTag(page, false).locator('[data-testid="agent-receiving"]').count(), 0);
    await page.screenshot({ path: path.join(files.dataDir, 'agent-offline.png') });

    // Started again on its data folder: online, receiving, no warning.
    agent = await startAgent(files);
    await agentTag(page, true).locator('[data-testid="agent-receiving"][data-count="1"]').waitFor({ timeout: 30_000 });
    await warning.waitFor({ state: 'detached', timeout: 10_000 });
    await page.context().close();
    assert.equal(await agent.stop(), 0);
    agent = null;
  },
);
