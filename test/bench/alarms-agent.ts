import fs from 'node:fs';
import path from 'node:path';
import { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import { freePort } from '../emulators/media/simulator';
import { ivmAccount } from '../helpers/accounts';
import { agentCommand, agentFiles, startAgent, type AgentProcess } from '../helpers/agent';
import { startAlarmSeat, type AlarmSeat } from '../helpers/control-room';
import { startFailoverProxy, type FailoverProxy } from '../helpers/failover-proxy';
import { startMosquitto } from '../helpers/mosquitto';

const ACCOUNT = 'acc_00000000bench001';
const SITE = 'bench-agent';
/** The agents' shared push key with `killAgent` (both behind one failover proxy). */
const PUSH_KEY = 'bench-push-key-001';

/**
 * The agent alone receives `rate` pushes a minute for `offlineS` seconds while no seat runs; then
 * `seats` seats start and catch up while the pushes go on for `seconds` more. caught_up: from a
 * seat's start to holding every alarm sent before it started. Fan-out (agent's receipt → seat's
 * main) is counted for alarms sent after every seat caught up. `killAgent`: a standby agent runs,
 * both behind one failover proxy (the platform pushes to the proxy's URL; the agents share a push
 * key, as deploy/nginx shows), and the first is killed (SIGKILL) halfway through the second phase.
 */
export async function runAgentAlarms(o: {
  seats: number;
  rate: number;
  seconds: number;
  offlineS: number;
  killAgent: boolean;
}) {
  const broker = await startMosquitto();
  const emu = await new IvmEmulator().start();
  const agents: AgentProcess[] = [];
  const seats: AlarmSeat[] = [];
  const ticks: NodeJS.Timeout[] = [];
  const ports = [await freePort(), await freePort()];
  const proxy: FailoverProxy | null = o.killAgent ? await startFailoverProxy(ports) : null;
  /** `<seat>:<uuid>` → when that seat's main had it, and when the agent received it. */
  const fanoutSeen = new Map<string, { at: number; receivedAt: number }>();
  try {
    const setUp = async (seat: string, port: number) => {
      const files = agentFiles(
        {
          controlRoom: { brokerUrl: broker.url, site: SITE, seat },
          receivers: [{ accountId: ACCOUNT, publicUrl: proxy?.url ?? `http://127.0.0.1:${port}/push`, port }],
          healthPort: 0,
          takeoverEveryMs: 500,
        },
        proxy ? { [`alarm-push-key:${ACCOUNT}`]: PUSH_KEY } : {},
      );
      const list = path.join(files.dataDir, 'accounts.json');
      fs.writeFileSync(list, JSON.stringify([{ id: ACCOUNT, name: 'bench', ...ivmAccount(emu) }]), { mode: 0o600 });
      const r = await agentCommand(['import', list, '--data', files.dataDir, '--credentials', files.credentials]);
      if (r.code !== 0) throw new Error(r.stderr);
      return startAgent(files);
    };
    agents.push(await setUp('agent-1', ports[0]!));
    const receiving = async (a: AgentProcess) => {
      for (const end = Date.now() + 30_000; Date.now() < end; await new Promise((r) => setTimeout(r, 100)))
        if ((await a.health().catch(() => null))?.receiving.includes(ACCOUNT)) return true;
      return false;
    };
    if (!(await receiving(agents[0]!))) throw new Error('the agent did not start receiving');
    if (o.killAgent) agents.push(await setUp('agent-2', ports[1]!));

    const beijing = (ms: number) => `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
    /** uuid → when the platform had it answered 200 */
    const sent = new Map<string, number>();
    let failed = 0;
    let i = 0;
    const gap = 60_000 / o.rate;
    let pushing = true;
    const pusher = (async () => {
      const start = Date.now();
      while (pushing) {
        const wait = start + i * gap - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const uuid = `21A0123456SMY01_0_over_line_alarm_bench_${i++}`;
        const status = await emu.dataflow.push('DEVICE_ALARM', {
          device_id: '21A0123456SMY01',
          device_name: 'Gate',
          channel_type: 'video_input',
          channel_id: '0',
          channel_name: `Gate ${i}`,
          alarm_type: 'over_line_alarm',
          alarm_time: beijing(Date.now()),
          alarm_uuid: uuid,
        });
        if (status === 200) sent.set(uuid, Date.now());
        else failed++;
      }
    })();
    await new Promise((r) => setTimeout(r, o.offlineS * 1000));

    const seen = new Map<number, Map<string, number>>();
    const caughtUp: number[] = [];
    for (let s = 0; s < o.seats; s++) {
      const started = Date.now();
      const before = new Set(sent.keys());
      const mine = new Map<string, number>();
      seen.set(s, mine);
      const seat = await startAlarmSeat(`seat-${s + 1}`, {
        room: { brokerUrl: broker.url, site: SITE, escalateAfterSec: 3600 },
        online: false,
      });
      seats.push(seat);
      // Every alarm main announces, counted by uuid (a new one twice is a duplicate).
      const counted = new Set<string>();
      const tick = setInterval(() => {
        for (const a of seat.alarms.splice(0)) {
          if (counted.has(a.id)) continue;
          counted.add(a.id);
          mine.set(a.uuid, (mine.get(a.uuid) ?? 0) + 1);
          fanoutSeen.set(`${s}:${a.uuid}`, { at: Date.now(), receivedAt: a.receivedAt ?? a.at });
        }
      }, 20);
      ticks.push(tick);
      void (async () => {
        for (;;) {
          if ([...before].every((u) => mine.has(u))) return caughtUp.push(Date.now() - started);
          if (Date.now() - started > 60_000) return caughtUp.push(Number.POSITIVE_INFINITY);
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
    }
    for (const end = Date.now() + 60_000; caughtUp.length < o.seats && Date.now() < end; )
      await new Promise((r) => setTimeout(r, 100));
    const afterCatchUp = Date.now();
    if (o.killAgent) {
      await new Promise((r) => setTimeout(r, (o.seconds * 1000) / 2));
      agents[0]!.child.kill('SIGKILL');
      await receiving(agents[1]!);
      await new Promise((r) => setTimeout(r, (o.seconds * 1000) / 2));
    } else await new Promise((r) => setTimeout(r, o.seconds * 1000));
    pushing = false;
    await pusher;
    // Settle: every seat has every alarm sent, or 15 s passed.
    for (const end = Date.now() + 15_000; Date.now() < end; await new Promise((r) => setTimeout(r, 200)))
      if ([...seen.values()].every((m) => [...sent.keys()].every((u) => m.has(u)))) break;
    await new Promise((r) => setTimeout(r, 500));

    const fanout = [...fanoutSeen.entries()]
      .filter(([key, v]) => sent.has(key.slice(key.indexOf(':') + 1)) && v.receivedAt >= afterCatchUp)
      .map(([, v]) => v.at - v.receivedAt)
      .sort((a, b) => a - b);
    const pct = (list: number[], p: number) =>
      list.length ? list[Math.min(list.length - 1, Math.floor(p * list.length))]! : null;
    const sortedCaught = [...caughtUp].sort((a, b) => a - b);
    return {
      bench: 'alarms',
      agent: true,
      offline_s: o.offlineS,
      seats: o.seats,
      rate_per_min: o.rate,
      sent: sent.size,
      push_failed: failed,
      received_per_seat: [...seen.values()].map((m) => m.size),
      lost: [...seen.values()].reduce((n, m) => n + [...sent.keys()].filter((u) => !m.has(u)).length, 0),
      duplicated: [...seen.values()].reduce((n, m) => n + [...m.values()].filter((c) => c > 1).length, 0),
      rendered_on_last_seat: null,
      fanout_p50_ms: pct(fanout, 0.5),
      fanout_p95_ms: pct(fanout, 0.95),
      main_fanout_p50_ms: pct(fanout, 0.5),
      main_fanout_p95_ms: pct(fanout, 0.95),
      caught_up_ms: sortedCaught.map((x) => (Number.isFinite(x) ? x : null)),
      caught_up_p95_ms: (() => {
        const v = pct(sortedCaught, 0.95);
        return v === null || !Number.isFinite(v) ? null : v;
      })(),
      agent_killed: o.killAgent,
      ...(proxy ? { proxy_failovers: proxy.failovers, proxy_unanswered: proxy.unanswered } : {}),
    };
  } finally {
    for (const t of ticks) clearInterval(t);
    for (const s of seats) await s.service.closeAll().catch(() => undefined);
    for (const a of agents) {
      if (a.child.exitCode === null && a.child.signalCode === null) await a.stop();
    }
    await proxy?.close();
    await emu.stop();
    await broker.stop();
  }
}
