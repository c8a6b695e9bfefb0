import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { freePort } from '../emulators/media/simulator';
import { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import { ivmAccount } from '../helpers/accounts';
import { agentCommand, agentFiles, startAgent, type AgentFiles, type AgentProcess } from '../helpers/agent';
import { startAlarmSeat, waitFor, sleep, type AlarmSeat } from '../helpers/control-room';
import { startFailoverProxy, type FailoverProxy } from '../helpers/failover-proxy';
import { mosquittoBinary, startMosquitto, type Broker } from '../helpers/mosquitto';
import { startTcpRelay, type TcpRelay } from '../helpers/tcp-relay';

// Two agents behind one failover proxy with a shared push key, as deploy/nginx shows: the
// standby keeps the pushes the proxy hands it, and a push is answered only once its alarm is on
// the broker, so an agent killed between receiving a push and sharing it has answered nothing:
// the proxy hands the push to the standby, and the alarm reaches the seats once.

const skip = mosquittoBinary() ? false : 'mosquitto is not installed (.ci/run installs it)';
const ACCOUNT = 'acc_00000000agentfo1';
const SITE = 'agent-failover';
const PUSH_KEY = 'shared-push-Key_01';
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

async function until(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const alarm = (i: number) => ({
  device_id: '21A0123456SMY01',
  channel_id: '0',
  channel_name: '大门',
  alarm_type: 'over_line_alarm',
  alarm_status: 'pulse',
  alarm_time: '2026-11-23T08:00:00+08:00',
  alarm_uuid: `21A0123456SMY01_0_over_line_alarm_20261123080000_fo${i}`,
});

async function agentSetUp(
  seat: 'agent-1' | 'agent-2',
  o: { port: number; publicUrl: string; brokerUrl: string; pushKey: string },
): Promise<AgentFiles> {
  const files = agentFiles(
    {
      controlRoom: { brokerUrl: o.brokerUrl, site: SITE, seat, username: seat },
      receivers: [{ accountId: ACCOUNT, publicUrl: o.publicUrl, port: o.port }],
      healthPort: 0,
      takeoverEveryMs: 500,
      // The kill below lands while agent-1 waits for the broker: room for a loaded machine.
      pushAnswerWithinMs: 4_000,
    },
    { 'control-room:broker': PW[seat], 'alarm-push-key:acc_00000000agentfo1': o.pushKey },
  );
  const list = path.join(files.dataDir, 'accounts.json');
  fs.writeFileSync(list, JSON.stringify([{ id: ACCOUNT, name: 'IVM site', ...ivmAccount(emu) }]), { mode: 0o600 });
  const r = await agentCommand(['import', list, '--data', files.dataDir, '--credentials', files.credentials]);
  assert.equal(r.code, 0, r.stderr);
  fs.rmSync(list);
  return files;
}

test(
  'an agent killed between receiving a push and sharing it: the proxy hands the push to the standby, the alarm reaches a seat once',
  { skip },
  async () => {
    const [p1, p2] = [await freePort(), await freePort()];
    const proxy: FailoverProxy = await startFailoverProxy([p1, p2]);
    // agent-1 reaches the broker through a relay the test can hold.
    const relay: TcpRelay = await startTcpRelay(broker.port);
    const files1 = await agentSetUp('agent-1', {
      port: p1,
      publicUrl: proxy.url,
      brokerUrl: relay.url('mqtt'),
      pushKey: PUSH_KEY,
    });
    const files2 = await agentSetUp('agent-2', {
      port: p2,
      publicUrl: proxy.url,
      brokerUrl: broker.url,
      pushKey: PUSH_KEY,
    });
    let a: AgentProcess | null = await startAgent(files1);
    let b: AgentProcess | null = null;
    let seat: AlarmSeat | null = null;
    try {
      await until('agent-1 receiving', async () => (await a!.health()).receiving.includes(ACCOUNT));
      b = await startAgent(files2);
      await until('agent-2 standing by', async () => (await b!.health()).standingBy.includes(ACCOUNT));
      assert.deepEqual((await b.health()).receiving, [], 'one receiver per account');

      for (let i = 0; i < 5; i++) assert.equal(await emu.dataflow.push('DEVICE_ALARM', alarm(i)), 200);
      assert.equal((await a.health()).unacknowledged, 5);

      // agent-1's link to the broker stalls; a push arrives; agent-1 keeps it and waits for the broker.
      relay.pause();
      let answered: number | string | null = null;
      const pushed = emu.dataflow.push('DEVICE_ALARM', alarm(5)).then((s) => (answered = s));
      await until('agent-1 kept the push and waits for the broker', async () => (await a!.health()).queued >= 1, 3_000);
      assert.equal(answered, null, 'the platform is not answered before the alarm is on the broker');
      a.child.kill('SIGKILL');
      relay.cut(); // what agent-1 sent died with it
      a = null;
      assert.equal(await pushed, 200, 'the proxy handed the push to the standby, which answered');
      assert.ok(proxy.failovers >= 1);
      for (let i = 6; i < 10; i++) assert.equal(await emu.dataflow.push('DEVICE_ALARM', alarm(i)), 200);

      seat = await startAlarmSeat('seat-a', {
        room: { brokerUrl: broker.url, site: SITE, username: 'seat-a', password: PW['seat-a'] },
      });
      await waitFor('seat has the 10 alarms', () => seat!.service.list().alarms.length === 10, 20_000).catch(
        (e: Error) => {
          throw new Error(
            `${e.message}: has ${seat!.service
              .list()
              .alarms.map((x) => x.uuid.slice(-3))
              .join(',')}`,
          );
        },
      );
      const sixth = seat.service.list().alarms.find((x) => x.uuid.endsWith('_fo5'))!;
      assert.ok(sixth, 'the push agent-1 died with reached the seat');
      assert.equal(sixth.receivedBy, 'agent-2');

      // agent-1 comes back on its data folder: its outbox still holds that alarm and sends it; the
      // seat keeps one (idempotent by id).
      relay.resume();
      a = await startAgent(files1);
      await until('agent-1 sent its outbox', async () => (await a!.health()).queued === 0, 20_000);
      await sleep(1_000);
      assert.equal(seat.service.list().alarms.length, 10);
      const news = seat.alarms.filter((x) => x.id === sixth.id && x.state === 'new');
      assert.equal(news.length, 1, 'announced once');
      const stderr = a.stderr() + b.stderr();
      for (const secret of [...Object.values(PW), PUSH_KEY, ivmAccount(emu).secret])
        assert.ok(!stderr.includes(secret));
    } finally {
      if (a) a.child.kill('SIGKILL');
      await b?.stop();
      await seat?.service.closeAll();
      await proxy.close();
      await relay.close();
    }
  },
);

test(
  'a shared push key that is too short is refused with the entry named, and the agent stands by for nothing',
  { skip },
  async () => {
    const port = await freePort();
    const files = await agentSetUp('agent-2', {
      port,
      publicUrl: `http://127.0.0.1:${port}/push`,
      brokerUrl: broker.url,
      pushKey: 'k9x7q',
    });
    const a = await startAgent(files);
    try {
      await until('the refusal is logged', async () => a.stderr().includes('alarm-push-key:'), 10_000);
      assert.match(a.stderr(), /alarm-push-key:acc_00000000agentfo1: a shared push key is 12 to 18 letters/);
      assert.deepEqual((await a.health()).receiving, []);
    } finally {
      await a.stop();
    }
  },
);
