import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ControlRoomSettings, type AgentHealth } from '../../preload/contract';
import { EventBus } from '../events';
import { log } from '../log';
import type { PushTls } from '../net/push-receiver';
import { AccountsService } from '../services/accounts';
import { AlarmService } from '../services/alarms';
import { pushKeyRefusal, pushKeySecret } from '../services/alarms/receivers';
import { fileBackend } from '../settings/file-backend';
import { Settings } from '../settings/settings';
import type { Vault } from '../vault/vault';
import type { AgentConfig } from './config';

/** How often the agent's health rides on its presence (seats show it in the side bar). */
const ANNOUNCE_EVERY = 30_000;
/** After an alarm is kept, the health is announced again this soon (once per burst): seats see the queue move. */
const ANNOUNCE_AFTER_CHANGE = 3_000;
/**
 * After (re)connecting, the broker's retained claims and presences arrive just after the
 * subscription is acknowledged: no account is taken over before this has passed.
 */
const SETTLE_MS = 1_500;

export interface AgentHealthAnswer extends AgentHealth {
  status: 'ok' | 'degraded';
  site: string;
  agent: string;
  broker: string;
  brokerError: string | null;
  /** ISO time of the last alarm received from a platform (null: none this run). */
  lastPush: string | null;
  /** Configured accounts another member receives now (this agent stands by for them). */
  standby: string[];
  /**
   * Of those, the accounts whose pushes this agent keeps while standing by (a shared push key:
   * a failover proxy may hand it any push).
   */
  standingBy: string[];
  uptimeS: number;
}

/**
 * The always-on member of a control room: main's accounts, alarm history, push receivers, event
 * poller and broker link without a window. It receives an account's alarms when no other online
 * member does (the receiver claim; a dead member's last will frees it), keeps every alarm until
 * acknowledged and shares it as retained state, and answers `/healthz` on loopback.
 */
export class Agent {
  readonly events = new EventBus();
  readonly settings: Settings;
  readonly accounts: AccountsService;
  readonly alarms: AlarmService;
  private health: http.Server | null = null;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly started = Date.now();
  private onlineSince: number | null = null;
  private taking: Promise<void> | null = null;
  /** Why an account's receiver could not start, said once per reason. */
  private readonly failed = new Map<string, string>();
  private closed = false;
  /** Accounts registered with their platform by this agent (a receiver listening but not yet registered is not one). */
  private readonly registered = new Set<string>();
  /** The announce due after a change (one per burst of alarms). */
  private announceSoon: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly config: AgentConfig,
    private readonly vault: Vault,
  ) {
    this.settings = new Settings(dataDir, fileBackend);
    const room = ControlRoomSettings.parse({
      ...config.controlRoom,
      enabled: true,
      user: config.controlRoom.user ?? '',
    });
    this.settings.update((s) => ({ ...s, controlRoom: room }));
    this.accounts = new AccountsService(this.settings, vault, this.events);
    this.alarms = new AlarmService(
      this.accounts,
      this.events,
      dataDir,
      { settings: this.settings, vault },
      {
        memberKind: 'agent',
        answerWithinMs: config.pushAnswerWithinMs,
      },
    );
    this.events.subscribe((event, payload) => {
      if (event === 'main:alarm') return this.announceAfterChange();
      if (event !== 'main:controlRoom') return;
      const online = (payload as { state: string }).state === 'online';
      if (online && this.onlineSince === null) {
        this.onlineSince = Date.now();
        this.announce();
      } else if (!online) this.onlineSince = null;
    });
  }

  /** Connects, listens for `/healthz`, starts taking over accounts; answers the ready line's fields. */
  async start(): Promise<{ healthUrl: string }> {
    await this.alarms.ready;
    this.health = await this.listenHealth(this.config.healthPort);
    const port = (this.health.address() as AddressInfo).port;
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(fn, ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.config.takeoverEveryMs, () => void this.takeOver());
    every(ANNOUNCE_EVERY, () => this.announce());
    return { healthUrl: `http://127.0.0.1:${port}/healthz` };
  }

  /**
   * Each configured account: taken when no online member holds its claim (on start, or when the
   * holder's last will says it died); given up when another member's claim won a race.
   */
  takeOver(): Promise<void> {
    this.taking ??= this.takeOverOnce().finally(() => (this.taking = null));
    return this.taking;
  }

  private async takeOverOnce(): Promise<void> {
    if (this.closed || this.onlineSince === null || Date.now() - this.onlineSince < SETTLE_MS) return;
    const { link, receivers } = this.alarms;
    for (const r of this.config.receivers) {
      const elsewhere = link.receiverElsewhere(r.accountId);
      if (receivers.has(r.accountId)) {
        if (elsewhere) {
          this.registered.delete(r.accountId);
          await receivers.yieldTo(r.accountId, elsewhere);
          this.announce();
        }
        continue;
      }
      if (this.closed) continue;
      try {
        const sharedKey = await this.pushKey(r.accountId);
        if (elsewhere) {
          // Standing by: with a shared key the pushes a failover proxy hands this agent are kept.
          const listening = receivers.standingBy().includes(r.accountId);
          if (
            sharedKey &&
            !listening &&
            (await receivers.standBy(r.accountId, r.publicUrl, r.port, this.tls(r), sharedKey))
          )
            this.announce();
          this.failed.delete(r.accountId);
          continue;
        }
        await this.alarms.start(r.accountId, r.publicUrl, r.port, this.tls(r), sharedKey);
        this.registered.add(r.accountId);
        this.failed.delete(r.accountId);
        log.info(`agent: receiving the alarms of ${r.accountId} at ${r.publicUrl}`);
        this.announce();
      } catch (e) {
        const reason = (e as Error).message;
        if (this.failed.get(r.accountId) !== reason) log.warn(`agent: ${r.accountId} not received: ${reason}`);
        this.failed.set(r.accountId, reason);
      }
    }
  }

  /** The account's shared push key from the vault (undefined: none; a bad one is refused with why). */
  private async pushKey(accountId: string): Promise<string | undefined> {
    const entry = pushKeySecret(accountId);
    const key = await this.vault.get(entry);
    if (key === null) return undefined;
    const refused = pushKeyRefusal(key);
    if (refused) throw new Error(`the vault entry ${entry}: ${refused}`);
    return key;
  }

  private tls(r: AgentConfig['receivers'][number]): PushTls | undefined {
    if (!r.certFile || !r.keyFile) return undefined;
    return { cert: fs.readFileSync(r.certFile), key: fs.readFileSync(r.keyFile) };
  }

  /** What the agent's presence carries and `/healthz` answers: no secret, no alarm content. */
  snapshot(now = Date.now()): AgentHealthAnswer {
    const status = this.alarms.link.status();
    const receiving = this.alarms.receivers.running().filter((id) => this.registered.has(id));
    const standingBy = this.alarms.receivers.standingBy();
    const last = this.alarms.store.lastKeptAt;
    return {
      status: status.state === 'online' ? 'ok' : 'degraded',
      site: status.site,
      agent: status.seat,
      broker: status.state,
      brokerError: status.error,
      queued: status.queued,
      unacknowledged: this.alarms.unacknowledged(),
      lastAlarmAt: last,
      lastPush: last === null ? null : new Date(last).toISOString(),
      alarmsPerMinute: this.alarms.store.perMinute(now),
      receiving,
      standby: this.config.receivers.map((r) => r.accountId).filter((id) => !receiving.includes(id)),
      standingBy,
      uptimeS: Math.round((now - this.started) / 1000),
    };
  }

  private announceAfterChange(): void {
    if (this.announceSoon || this.closed) return;
    this.announceSoon = setTimeout(() => {
      this.announceSoon = null;
      this.announce();
    }, ANNOUNCE_AFTER_CHANGE);
    this.announceSoon.unref();
  }

  private announce(): void {
    const s = this.snapshot();
    this.alarms.link.announce({
      queued: s.queued,
      unacknowledged: s.unacknowledged,
      lastAlarmAt: s.lastAlarmAt,
      alarmsPerMinute: s.alarmsPerMinute,
      receiving: s.receiving,
      standingBy: s.standingBy,
    });
  }

  /** `/healthz` on loopback only: 200 while the broker is reached, 503 otherwise (probes restart on it). */
  private listenHealth(port: number): Promise<http.Server> {
    const server = http.createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (req.method !== 'GET' || path !== '/healthz') {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('only GET /healthz\n');
        return;
      }
      const body = this.snapshot();
      res
        .writeHead(body.status === 'ok' ? 200 : 503, {
          'Content-Type': 'application/json',
          'Cache-Control': 'no-store',
        })
        .end(`${JSON.stringify(body)}\n`);
    });
    return new Promise((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(
          new Error(
            e.code === 'EADDRINUSE'
              ? `the health port ${port} is in use on this machine (set healthPort in agent.json)`
              : `the health port ${port} cannot be opened: ${e.message}`,
          ),
        ),
      );
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
  }

  /**
   * Stops cleanly: no new takeover, receivers closed (what they answered is judged and kept), the
   * presence said offline, the history closed. Registrations stay: a standby agent re-registers
   * its own URL when it takes over.
   */
  async stop(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    if (this.announceSoon) clearTimeout(this.announceSoon);
    await this.taking?.catch(() => undefined);
    if (this.health) await new Promise((ok) => this.health!.close(ok));
    await this.alarms.closeAll();
  }

  get folder(): string {
    return this.dataDir;
  }
}
