import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { freePort } from '../emulators/media/simulator';
import { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import { ivmAccount } from '../helpers/accounts';
import { agentCommand, agentFiles, startAgent, type AgentProcess } from '../helpers/agent';
import { startAlarmSeat, waitFor, sleep, type AlarmSeat } from '../helpers/control-room';
import { mosquittoBinary, startMosquitto, type Broker } from '../helpers/mosquitto';

// The headless agent against Debian's mosquitto and the IVM emulator, as a site runs it: its own
// process, agent.json, a credentials file; seats that start after the alarms came; an agent
// killed with SIGKILL and a standby taking over through its last will.

const skip = mosquittoBinary() ? false : 'mosquitto is not installed (.ci/run installs it)';
const ACCOUNT = 'acc_00000000agent001';
const SITE = 'agent-site';
const TAKEOVER_SITE = 'agent-site-2';
const PW = { 'agent-1': 'pw-agent-1-secret', 'agent-2': 'pw-agent-2-secret', 'seat-a': 'pw-seat-a' };

let broker: Broker;
let emu: IvmEmulator;
before(async () => {
  if (skip) return;
  broker = await startMosquitto({ users: PW });
  emu = await new IvmEmulator().start();
});
after(async () => {
  await broker?.stop();
  await emu?.stop();
});

/** Like waitFor, for a check that asks over the network. */
async function until(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const alarm = (i: number) => ({
  device_id: '21A0123456SMY01',
  channel_id: '0',
  channel_name: '大门',
  alarm_type: 'over_line_alarm',
  alarm_status: 'pulse',
  alarm_time: '2026-11-23T08:00:00+08:00',
  alarm_uuid: `21A0123456SMY01_0_over_line_alarm_20261123080000_${i}`,
});

/** An agent's files with the IVM account imported through `vigil-agent import`. */
async function agentSetUp(seat: 'agent-1' | 'agent-2', site = SITE) {
  const port = await freePort();
  const files = agentFiles(
    {
      controlRoom: { brokerUrl: broker.url, site, seat, username: seat },
      receivers: [{ accountId: ACCOUNT, publicUrl: `http://127.0.0.1:${port}/push`, port }],
      healthPort: 0,
      takeoverEveryMs: 500,
    },
    { 'control-room:broker': PW[seat] },
  );
  const account = ivmAccount(emu);
  const list = path.join(files.dataDir, 'accounts.json');
  fs.writeFileSync(list, JSON.stringify([{ id: ACCOUNT, name: 'IVM site', ...account }]), { mode: 0o600 });
  const r = await agentCommand(['import', list, '--data', files.dataDir, '--credentials', files.credentials]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).accounts[0].id, ACCOUNT);
  fs.rmSync(list);
  assert.ok(!r.stderr.includes(account.secret), 'the secret is not logged');
  return files;
}

test('a credentials file others can read is refused with a sentence, and nothing starts', { skip }, async () => {
  const files = agentFiles(
    { controlRoom: { brokerUrl: broker.url, site: SITE, seat: 'agent-1' }, healthPort: 0 },
    { 'control-room:broker': 'never-shown-secret' },
    0o644,
  );
  const r = await agentCommand(['--data', files.dataDir, '--credentials', files.credentials]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /mode 0644: secrets are read only from a file its owner alone can read \(chmod 600 /);
  assert.ok(!r.stderr.includes('never-shown-secret'));
  assert.equal(r.stdout, '');
});

test(
  'the agent receives while every desk is closed; a seat that starts later gets every alarm once; SIGTERM stops it',
  { skip },
  async () => {
    const files = await agentSetUp('agent-1');
    let agent: AgentProcess | null = await startAgent(files);
    let seat: AlarmSeat | null = null;
    try {
      assert.equal(agent.ready.ready, true);
      assert.equal(agent.ready.agent, 'agent-1');
      await until('agent receiving', async () => (await agent!.health()).receiving.includes(ACCOUNT));
      const statuses = [];
      for (let i = 0; i < 30; i++) statuses.push(await emu.dataflow.push('DEVICE_ALARM', alarm(i)));
      assert.deepEqual([...new Set(statuses)], [200]);
      const health = await agent.health();
      assert.equal(health.broker, 'online');
      assert.equal(health.unacknowledged, 30);
      assert.ok(health.lastPush && health.alarmsPerMinute === 30, JSON.stringify(health));
      const text = JSON.stringify(health) + agent.stderr();
      for (const secret of [...Object.values(PW), ivmAccount(emu).secret]) assert.ok(!text.includes(secret));
      // Its signing key went to its own credentials file, and the log says so (not "the keychain").
      assert.match(
        agent.stderr(),
        /signing key for this member was made and stored in the agent's own credentials file /,
      );
      assert.doesNotMatch(agent.stderr(), /keychain/);

      seat = await startAlarmSeat('seat-a', {
        room: { brokerUrl: broker.url, site: SITE, username: 'seat-a', password: PW['seat-a'] },
      });
      await waitFor('seat has every alarm', () => seat!.service.list().alarms.length === 30, 20_000);
      const ids = seat.alarms.map((a) => a.id);
      assert.equal(new Set(ids).size, 30, 'each alarm once');
      const presence = seat.service.link.status().seats.find((s) => s.seat === 'agent-1');
      assert.equal(presence?.kind, 'agent');
      assert.equal(presence?.online, true);

      // The seat acknowledges: the agent's history has it too.
      seat.service.acknowledge(seat.service.list().alarms[0]!.id);
      await until('agent saw the acknowledgement', async () => (await agent!.health()).unacknowledged === 29);

      const started = Date.now();
      assert.equal(await agent.stop(), 0);
      assert.ok(Date.now() - started < 10_000, 'stops within seconds');
      agent = null;
      await waitFor('agent offline at the seat', () =>
        seat!.service.link.status().seats.some((s) => s.seat === 'agent-1' && !s.online),
      );
    } finally {
      await agent?.stop();
      await seat?.service.closeAll();
    }
  },
);

test(
  'killed with SIGKILL, the agent is replaced by a standby within 30 s; nothing kept is lost',
  { skip },
  async () => {
    const a = await startAgent(await agentSetUp('agent-1', TAKEOVER_SITE));
    let b: AgentProcess | null = null;
    let seat: AlarmSeat | null = null;
    try {
      await until('agent-1 receiving', async () => (await a.health()).receiving.includes(ACCOUNT));
      b = await startAgent(await agentSetUp('agent-2', TAKEOVER_SITE));
      await sleep(2_000);
      const standby = await b.health();
      assert.deepEqual(standby.receiving, [], 'one receiver per account');
      assert.deepEqual(standby.standby, [ACCOUNT]);
      for (let i = 100; i < 110; i++) assert.equal(await emu.dataflow.push('DEVICE_ALARM', alarm(i)), 200);
      // What agent-1 answered is on its disk at once and on the broker once its outbox is sent: a
      // kill before that leaves those alarms in its history until it runs again (docs/agent.md).
      await until('agent-1 sent its outbox', async () => (await a.health()).queued === 0);
      const killed = Date.now();
      a.child.kill('SIGKILL');
      await until('agent-2 took over', async () => (await b!.health()).receiving.includes(ACCOUNT), 30_000);
      const took = Date.now() - killed;
      assert.ok(took < 30_000, `took over in ${took} ms`);
      for (let i = 110; i < 120; i++) assert.equal(await emu.dataflow.push('DEVICE_ALARM', alarm(i)), 200);
      seat = await startAlarmSeat('seat-a', {
        room: { brokerUrl: broker.url, site: TAKEOVER_SITE, username: 'seat-a', password: PW['seat-a'] },
      });
      await waitFor(
        'seat has the 20 alarms of both agents',
        () => seat!.service.list().alarms.length === 20,
        20_000,
      ).catch((e: Error) => {
        throw new Error(
          `${e.message}: has ${seat!.service
            .list()
            .alarms.map((x) => x.uuid.slice(-3))
            .join(',')}`,
        );
      });
      assert.equal(new Set(seat.alarms.map((x) => x.id)).size, 20, 'each once');
      process.stderr.write(`# standby took over in ${took} ms\n`);
    } finally {
      a.child.kill('SIGKILL');
      await b?.stop();
      await seat?.service.closeAll();
    }
  },
);
