import type { Core } from '../../main/core';
import { startWebHost, type WebHost } from '../../main/host/web';
import type { Alarm } from '../../preload/contract';
import { freePort } from '../emulators/media/simulator';
import { MemoryVault, makeCore } from '../helpers/core';
import { startMosquitto } from '../helpers/mosquitto';
import { startStack } from '../helpers/stack';

/**
 * Alarm fan-out through the control room: `seats` seats on Debian's mosquitto, the IVM emulator
 * pushing `rate` signed alarms a minute to seat A's receiver for `seconds`. Each seat counts the
 * alarms main announces (lost: never seen; duplicated: a new alarm announced twice); fan-out is
 * from A's receipt (the alarm's receivedAt) to the row rendered in the last seat's page.
 */
export async function runAlarms(o: { seats: number; rate: number; seconds: number }) {
  const broker = await startMosquitto();
  const stack = await startStack({ ivm: {}, core: { vault: new MemoryVault() } });
  const cores: Core[] = [stack.core];
  const hosts: WebHost[] = [stack.host];
  try {
    for (let i = 1; i < o.seats; i++) {
      const { core } = makeCore({ vault: new MemoryVault() });
      cores.push(core);
      hosts.push(await startWebHost({ core, port: 0 }));
    }
    const seen = cores.map(() => new Map<string, number>());
    /** When the last seat's main had each alarm (fan-out through the broker, before the page). */
    const inMain = new Map<string, number>();
    for (const [i, core] of cores.entries()) {
      const name = String.fromCharCode(65 + i);
      core.events.subscribe((event, payload) => {
        if (event !== 'main:alarm') return;
        const a = payload as Alarm;
        if (a.state !== 'new' && a.state !== undefined) return;
        seen[i]!.set(a.id, (seen[i]!.get(a.id) ?? 0) + 1);
        if (i === cores.length - 1 && !inMain.has(a.id)) inMain.set(a.id, Date.now());
      });
      const r = await core.call('controlRoom:set', {
        enabled: true,
        brokerUrl: broker.url,
        site: 'bench',
        seat: name,
        user: `op-${name}`,
        escalateAfterSec: 3600,
      });
      if (!r.ok) throw new Error(JSON.stringify(r));
    }
    // The last seat's page records when each alarm's row first appears.
    const page = await (await stack.browser.newContext({ viewport: { width: 1500, height: 1000 } })).newPage();
    await page.goto(hosts.at(-1)!.url);
    await page.getByRole('menuitem', { name: /Alarms|告警/ }).click();
    await page.getByTestId('alarms-scroller').waitFor();
    // The probe's own time is counted (probe_ms): it must not be what delays the rows.
    await page.evaluate(() => {
      const w = window as unknown as { rendered: Record<string, number>; probeMs: number };
      w.rendered = {};
      w.probeMs = 0;
      new MutationObserver(() => {
        const t0 = performance.now();
        const now = Date.now();
        for (const el of document.querySelectorAll('[data-testid="alarm-row"]')) {
          const id = el.getAttribute('data-alarm-id')!;
          w.rendered[id] ??= now;
        }
        w.probeMs += performance.now() - t0;
      }).observe(document.body, { childList: true, subtree: true });
    });
    const port = await freePort();
    await stack.core.alarms.start(stack.accounts.ivm!, `http://127.0.0.1:${port}/ivm`, port);
    const beijing = (ms: number) => `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
    const total = Math.round((o.rate * o.seconds) / 60);
    const gap = 60_000 / o.rate;
    const start = Date.now();
    let sent = 0;
    for (let i = 0; i < total; i++) {
      const wait = start + i * gap - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const status = await stack.ivm!.dataflow.push('DEVICE_ALARM', {
        device_id: '21A0123456SMY01',
        device_name: 'Gate',
        channel_type: 'video_input',
        channel_id: '0',
        channel_name: `Gate ${i}`,
        alarm_type: 'over_line_alarm',
        alarm_time: beijing(Date.now()),
        alarm_uuid: `21A0123456SMY01_0_over_line_alarm_bench_${i}`,
      });
      if (status === 200) sent++;
    }
    // Settle: every seat has them all, or 15 s passed.
    const until = Date.now() + 15_000;
    while (Date.now() < until && seen.some((m) => m.size < sent)) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 1000));
    const { rendered, probeMs } = await page.evaluate(() => {
      const w = window as unknown as { rendered: Record<string, number>; probeMs: number };
      return { rendered: w.rendered, probeMs: w.probeMs };
    });
    const received = new Map(stack.core.alarms.list().alarms.map((a) => [a.id, a.receivedAt ?? a.at]));
    const fanout = Object.entries(rendered)
      .filter(([id]) => received.has(id))
      .map(([id, at]) => at - received.get(id)!)
      .sort((a, b) => a - b);
    const pct = (p: number) =>
      fanout.length ? fanout[Math.min(fanout.length - 1, Math.floor(p * fanout.length))]! : null;
    const mainFanout = [...inMain]
      .filter(([id]) => received.has(id))
      .map(([id, at]) => at - received.get(id)!)
      .sort((a, b) => a - b);
    const mainPct = (p: number) =>
      mainFanout.length ? mainFanout[Math.min(mainFanout.length - 1, Math.floor(p * mainFanout.length))]! : null;
    return {
      bench: 'alarms',
      seats: o.seats,
      rate_per_min: o.rate,
      sent,
      received_per_seat: seen.map((m) => m.size),
      lost: seen.reduce((n, m) => n + Math.max(0, sent - m.size), 0),
      duplicated: seen.reduce((n, m) => n + [...m.values()].filter((c) => c > 1).length, 0),
      rendered_on_last_seat: fanout.length,
      fanout_p50_ms: pct(0.5),
      fanout_p95_ms: pct(0.95),
      main_fanout_p50_ms: mainPct(0.5),
      main_fanout_p95_ms: mainPct(0.95),
      probe_ms: Math.round(probeMs),
    };
  } finally {
    for (const h of hosts.slice(1)) await h.close().catch(() => undefined);
    for (const c of cores.slice(1)) await c.dispose().catch(() => undefined);
    await stack.stop();
    await broker.stop();
  }
}
