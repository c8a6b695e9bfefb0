import { randomBytes, randomUUID } from 'node:crypto';
import type http from 'node:http';
import path from 'node:path';
import type { z } from 'zod';
import {
  brokerCarriesPasswordSafely,
  brokerDestination,
  ControlRoomSettings,
  type Alarm,
  type AlarmAction,
  type AlarmReceiverState,
  type ControlRoomSetRequest,
  type SeatCommand,
  type SeatCommandBody,
} from '../../preload/contract';
import { auditCsv, auditXlsx } from '../control-room/audit-export';
import { ControlRoomLink } from '../control-room/link';
import { exportSeatKey, importSeatKey, newSeatKey, type SeatKey } from '../control-room/signing';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import { log, registerSecret } from '../log';
import type { Platform, PushAlarmOps } from '../platforms/platform';
import { PushIntake } from '../net/push-intake';
import { startPushReceiver } from '../net/push-receiver';
import type { Settings } from '../settings/settings';
import { AlarmDb } from '../storage/alarm-db';
import type { Vault } from '../vault/vault';
import type { AccountsService } from './accounts';
import type { HandlerSlice } from '../ipc/handlers';

/** The keychain entry of the control room's broker password. */
export const BROKER_SECRET = 'control-room:broker';
/**
 * The keychain entry of a member's Ed25519 signing key (made on first use, never anywhere else):
 * one per site and seat, so a seat and an agent on one computer are two members.
 */
export const seatKeySecret = (site: string, seat: string) => `control-room:seat-key:${site}/${seat}`;
const DAY = 86_400_000;
/** How often one seat lists an account's events (platforms that list rather than push). */
const POLL_EVERY = 10_000;
/** Each poll reaches this far behind the last one too: an event the platform indexes late still comes (ids de-duplicate). */
const POLL_OVERLAP = 60_000;
/** The first poll of an account reaches this far back. */
const POLL_FIRST = 10 * 60_000;
/** After downtime a poll reaches back at most this far (days of "new" alarms at once help nobody). */
const POLL_CATCH_UP = DAY;

const INSECURE_URL =
  'The public URL is plain http: alarms and their signatures cross the internet readable, and a captured signature can carry forged alarms for the seconds it is valid. Use an https URL (a TLS-terminating proxy or tunnel in front of this port).';

interface Receiver {
  server: http.Server;
  port: number;
  publicUrl: string;
  /** the signing key registered with the platform: main memory only, new on every start */
  authKey: string;
  /** Requests refused before their body was read (bad signature, replay, method). */
  rejected: number;
  /** What is done with the signed pushes: queued, de-duplicated, kept, flagged or set aside. */
  intake: PushIntake;
}

/**
 * Alarm pushes (Huawei IVM §10.1): one receiver per account on a local port, registered at the
 * public URL that forwards to it, with a fresh signing key. A push's signature is checked before
 * its body is read; a signed push is acknowledged at once (the platform waits 5 s, never retries
 * and stops pushing after 6 failures), then de-duplicated on its 64-bit message id, written to
 * disk and handed to every window as `main:alarm` (PushIntake). Unacknowledged alarms are never dropped.
 */
export class AlarmService {
  private readonly receivers = new Map<string, Receiver>();
  private readonly db: AlarmDb;
  /** The unreadable history file moved aside at start, if any (the core tells the operator). */
  get historySetAside(): string | null {
    return this.db.setAside;
  }
  readonly link: ControlRoomLink;
  /** Alarms the disk refused: listed until a later write succeeds. */
  private readonly unsaved = new Map<string, Alarm>();
  private readonly pruner: NodeJS.Timeout;
  private readonly poller: NodeJS.Timeout | null;
  private polling: Promise<number> | null = null;
  /** Accounts whose events this seat lists (it holds their receiver claim). */
  private readonly polled = new Set<string>();
  /** Settles once the control room has (re)connected with the saved settings. */
  readonly ready: Promise<void>;
  /** Per account, its adapter's alarm operations as first asked this run (null: not available). */
  private readonly namers = new Map<string, Promise<PushAlarmOps | null>>();
  /** Settles once alarms kept from earlier builds have their channelRef (see fillChannelRefs). */
  readonly refsFilled: Promise<void>;

  constructor(
    private readonly accounts: AccountsService,
    private readonly events: EventBus,
    private readonly dataDir: string,
    private readonly control?: { settings: Settings; vault: Vault },
    /** pollEveryMs 0: no background poll (tests call pollEvents() themselves). */
    options: { pollEveryMs?: number } = {},
  ) {
    this.db = new AlarmDb(dataDir);
    this.link = new ControlRoomLink(this.db, {
      alarm: (a) => this.shown(a),
      status: (s) => this.events.emit('main:controlRoom', s),
      command: (c) => this.events.emit('main:seatCommand', c),
    });
    this.pruner = setInterval(() => this.prune(), DAY / 4);
    this.pruner.unref();
    const every = options.pollEveryMs ?? POLL_EVERY;
    this.poller = every > 0 ? setInterval(() => void this.pollEvents().catch(() => undefined), every) : null;
    this.poller?.unref();
    // Pruned once the link is configured: before it, forget() cannot clear the broker's retained
    // copies, and on the usual restart path they would stay there for good.
    this.ready = this.connect()
      .catch((e: Error) => log.warn(`control room not started: ${e.message}`))
      .then(() => this.prune());
    this.refsFilled = this.fillChannelRefs().catch((e: Error) =>
      log.warn(`alarm history: channel references not filled: ${e.message}`),
    );
  }

  /**
   * Alarms kept from builds before main set `channelRef` (all Huawei IVM pushes), or shared by a
   * seat still on one, get it from their account's adapter and keep it, so playback and "send to
   * seat" work on them (the renderer no longer builds vendor ids); each filled alarm goes to the
   * windows again. An account that cannot be opened now (a locked keychain, an account removed)
   * leaves its alarms as they were; the next start tries again.
   */
  private async fillChannelRefs(missing = this.db.withoutChannelRef()): Promise<void> {
    for (const accountId of new Set(missing.map((a) => a.accountId))) {
      const ops = await this.namer(accountId);
      if (!ops) continue;
      for (const a of missing) {
        if (a.accountId !== accountId) continue;
        this.db.setChannelRef(a.id, ops.channelRef(a.deviceId, a.channelId));
        const filled = this.db.get(a.id);
        if (filled) this.events.emit('main:alarm', filled);
      }
    }
  }

  /** Asked once per account per run, shared by lookups in flight: a locked keychain is not asked per alarm. */
  private namer(accountId: string): Promise<PushAlarmOps | null> {
    let ops = this.namers.get(accountId);
    if (!ops) {
      ops = Promise.resolve()
        .then(() => this.accounts.platform(accountId))
        .then(
          (p) => p.pushAlarms ?? null,
          () => null,
        );
      this.namers.set(accountId, ops);
    }
    return ops;
  }

  /** An alarm as the control room stored it, to every window (and again once its channel is named). */
  private shown(alarm: Alarm): void {
    this.events.emit('main:alarm', alarm);
    if (!alarm.channelRef)
      void this.fillChannelRefs([alarm]).catch((e: Error) => log.warn(`alarm channel not named: ${e.message}`));
  }

  private get roomSettings(): ControlRoomSettings | null {
    return this.control?.settings.get().controlRoom ?? null;
  }

  /** The broker with the saved settings and the password from the keychain (a locked keychain is said). */
  private async connect(): Promise<void> {
    const settings = this.roomSettings;
    if (!settings || !this.control) return;
    let password: string | null = null;
    if (settings.enabled && settings.brokerUrl) password = await this.control.vault.get(BROKER_SECRET);
    if (password && !brokerCarriesPasswordSafely(settings.brokerUrl)) {
      // Saved by an older Vigil: the password stays in the keychain and is not sent in clear text.
      log.warn('control room: a broker password is not sent over plain mqtt:// or ws://; connecting without it');
      password = null;
    }
    if (password) registerSecret(password);
    const key =
      settings.enabled && settings.brokerUrl
        ? await this.seatKey(this.control.vault, seatKeySecret(settings.site, settings.seat))
        : null;
    await this.link.configure(settings, password, key);
  }

  private signingKey: { entry: string; key: SeatKey } | null = null;
  /**
   * This seat's signing key: from the keychain, or made and stored there on first use. A stored
   * key that cannot be read is an error, not replaced: every other seat pinned it.
   */
  private async seatKey(vault: Vault, entry: string): Promise<SeatKey> {
    if (this.signingKey?.entry === entry) return this.signingKey.key;
    const stored = await vault.get(entry);
    let key: SeatKey;
    if (stored) {
      try {
        key = importSeatKey(stored);
      } catch (e) {
        throw new AppError(
          'VAULT_UNAVAILABLE',
          `This seat's control-room signing key in the keychain cannot be read (${(e as Error).message}); remove the entry "${entry}" to make a new one, then have a supervisor revoke the old key at the other seats`,
        );
      }
    } else {
      key = newSeatKey();
      await vault.set(entry, exportSeatKey(key));
      log.info('control room: a signing key for this seat was made and stored in the keychain');
    }
    registerSecret(exportSeatKey(key));
    this.signingKey = { entry, key };
    return key;
  }

  private prune(): void {
    try {
      const removed = this.db.prune(this.roomSettings?.retentionDays ?? 90);
      if (removed.length) log.info(`alarm history: ${removed.length} alarm(s) past the retention period deleted`);
      this.link.forget(removed);
    } catch (e) {
      log.warn(`alarm history not pruned: ${(e as Error).message}`);
    }
  }

  private async ops(accountId: string): Promise<PushAlarmOps> {
    const platform = await this.accounts.platform(accountId);
    if (!platform.pushAlarms) throw new AppError('NOT_AVAILABLE', 'Alarm pushes are a Huawei IVM feature');
    return platform.pushAlarms;
  }

  async state(accountId: string): Promise<AlarmReceiverState> {
    const reg = await (await this.ops(accountId)).registration();
    const r = this.receivers.get(accountId);
    return {
      accountId,
      running: !!r,
      port: r?.port ?? null,
      publicUrl: r?.publicUrl ?? null,
      registered: reg ? { url: reg.url, updated: reg.updated, ours: !!r && reg.url === r.publicUrl } : null,
      received: r?.intake.received ?? 0,
      rejected: (r?.rejected ?? 0) + (r?.intake.setAside ?? 0),
      warning: r && !r.publicUrl.startsWith('https://') ? INSECURE_URL : null,
    };
  }

  /** Listens first (the platform tests the URL while registering), then registers; undone if registration fails. */
  async start(accountId: string, publicUrl: string, port: number): Promise<AlarmReceiverState> {
    const ops = await this.ops(accountId);
    if (this.receivers.has(accountId)) await this.stop(accountId);
    const elsewhere = this.link.receiverElsewhere(accountId);
    if (elsewhere)
      throw new AppError(
        'VALIDATION',
        `Seat ${elsewhere} receives this account's alarms: one seat per account receives them (every seat sees them). Stop it there first.`,
      );
    if ([...this.receivers.values()].some((r) => r.port === port))
      throw new AppError('VALIDATION', `Port ${port} already receives another account's alarms`);
    const authKey = randomBytes(12).toString('base64url').slice(0, 16);
    registerSecret(authKey);
    const receiver: Receiver = {
      server: null as unknown as http.Server,
      port,
      publicUrl,
      authKey,
      rejected: 0,
      intake: this.intake(ops, accountId),
    };
    receiver.server = await startPushReceiver({
      port,
      checkHeaders: (headers) =>
        ops.checkHeaders(headers, publicUrl, authKey, Date.now()) ?? receiver.intake.checkSignatureWindow(headers),
      onBody: (body, headers) => receiver.intake.accept(body, headers),
      onTooLarge: (reason) => receiver.intake.tooLarge(reason),
      onRefused: (status, reason) => {
        receiver.rejected++;
        log.warn(`alarm push refused for ${accountId} (${status}): ${reason}`);
      },
    }).catch((e: NodeJS.ErrnoException) => {
      receiver.intake.close();
      throw new AppError(
        'VALIDATION',
        e.code === 'EADDRINUSE'
          ? `Port ${port} is in use on this computer`
          : `Cannot listen on port ${port}: ${e.message}`,
      );
    });
    if (!publicUrl.startsWith('https://')) log.warn(`alarm receiver for ${accountId}: ${INSECURE_URL}`);
    this.receivers.set(accountId, receiver);
    try {
      await ops.register(publicUrl, authKey);
    } catch (e) {
      this.receivers.delete(accountId);
      receiver.server.close();
      receiver.intake.close();
      throw e;
    }
    this.link.claimReceiver(accountId, true);
    log.info(`alarm receiver for ${accountId} on port ${port}`);
    return this.state(accountId);
  }

  /** Removes the registration when it is still this receiver's, then stops listening. */
  async stop(accountId: string): Promise<AlarmReceiverState> {
    const r = this.receivers.get(accountId);
    const ops = await this.ops(accountId);
    if (r) {
      const reg = await ops.registration().catch(() => null);
      if (reg?.url === r.publicUrl) await ops.unregister();
      this.receivers.delete(accountId);
      r.server.closeAllConnections();
      await new Promise((ok) => r.server.close(ok));
      r.intake.close();
      this.link.claimReceiver(accountId, false);
    }
    return this.state(accountId);
  }

  list(): { alarms: Alarm[] } {
    const listed = this.db.list();
    if (this.unsaved.size === 0) return { alarms: listed };
    const ids = new Set(listed.map((a) => a.id));
    const extra = [...this.unsaved.values()].filter((a) => !ids.has(a.id));
    return { alarms: [...extra, ...listed].sort((a, b) => b.at - a.at) };
  }

  /** One page of the history for a window (newest first); alarms the disk refused lead the first page. */
  page(cursor?: string, limit?: number): { alarms: Alarm[]; next: string | null; unacknowledged: number } {
    let page: { alarms: Alarm[]; next: string | null };
    try {
      page = this.db.page(cursor, limit);
    } catch (e) {
      throw new AppError('VALIDATION', (e as Error).message);
    }
    if (!cursor && this.unsaved.size) {
      const ids = new Set(page.alarms.map((a) => a.id));
      const extra = [...this.unsaved.values()].filter((a) => !ids.has(a.id));
      page = { ...page, alarms: [...extra, ...page.alarms].sort((a, b) => b.at - a.at) };
    }
    return { ...page, unacknowledged: this.unacknowledged() };
  }

  unacknowledged(): number {
    return this.db.unacknowledged() + this.unsaved.size;
  }

  /** Records this seat's actions, tells every window, and shares them with the other seats. */
  private act(actions: AlarmAction[]): Alarm[] {
    const changed = this.db.applyActions(actions);
    for (const a of changed) this.events.emit('main:alarm', a);
    this.link.shareActions(actions);
    return changed;
  }

  private action(alarmId: string, kind: AlarmAction['kind'], more: Partial<AlarmAction> = {}): AlarmAction {
    return this.link.signAction({ id: randomUUID(), alarmId, kind, ...this.link.seat, at: Date.now(), ...more });
  }

  private known(id: string): Alarm {
    const alarm = this.db.get(id);
    if (!alarm) throw new AppError('NOT_FOUND', 'No such alarm');
    return alarm;
  }

  acknowledgeAll(): { alarms: Alarm[]; next: string | null; unacknowledged: number } {
    this.act(this.db.newIds().map((id) => this.action(id, 'acknowledge')));
    return this.page();
  }

  /** Acknowledging an alarm someone already acknowledged changes nothing (the first stays). */
  acknowledge(id: string): Alarm {
    const alarm = this.known(id);
    if (alarm.state !== 'new') return alarm;
    this.act([this.action(id, 'acknowledge')]);
    return this.known(id);
  }

  assign(id: string, to: string): Alarm {
    if (this.known(id).state === 'closed') throw new AppError('VALIDATION', 'The alarm is closed');
    this.act([this.action(id, 'assign', { to })]);
    return this.known(id);
  }

  close(id: string, note: string): Alarm {
    if (this.known(id).state === 'closed') throw new AppError('VALIDATION', 'The alarm is already closed');
    this.act([this.action(id, 'close', { note })]);
    return this.known(id);
  }

  history(id: string): { actions: AlarmAction[] } {
    this.known(id);
    return { actions: this.db.actions(id) };
  }

  async exportAudit(format: 'csv' | 'xlsx', from?: number, to?: number) {
    const rows = this.db.audit(from, to);
    const data = format === 'csv' ? auditCsv(rows) : await auditXlsx(rows);
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '');
    return {
      fileName: `vigil-alarm-audit-${stamp}.${format}`,
      mime: format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      base64: data.toString('base64'),
      rows: rows.length,
    };
  }

  async controlRoom() {
    const settings = this.roomSettings ?? ControlRoomSettings.parse({});
    return { settings, status: this.link.status() };
  }

  /**
   * Saves the settings (the password into the keychain, never the settings file) and reconnects.
   * A bad URL is refused by the contract before this runs.
   */
  async setControlRoom(request: z.infer<typeof ControlRoomSetRequest>) {
    if (!this.control) throw new AppError('NOT_AVAILABLE', 'No settings in this host');
    const { password, ...settings } = request;
    if (settings.enabled && !settings.brokerUrl)
      throw new AppError('VALIDATION', 'A broker URL is needed to share alarms with other seats');
    const stored = password === undefined ? await this.control.vault.get(BROKER_SECRET) : null;
    const before = this.roomSettings;
    if (stored && before && brokerDestination(before) !== brokerDestination(settings))
      throw new AppError(
        'VALIDATION',
        'The broker, its login or its CA changed: type the broker password again (a stored password is sent only to the broker it was typed for)',
      );
    if ((password || stored) && settings.brokerUrl && !brokerCarriesPasswordSafely(settings.brokerUrl))
      throw new AppError(
        'VALIDATION',
        'A broker password is sent only over mqtts:// or wss:// (plain mqtt:// and ws:// would carry it readable); use TLS, or a broker without login',
      );
    if (password) await this.control.vault.set(BROKER_SECRET, password);
    else if (password === '') await this.control.vault.delete(BROKER_SECRET);
    this.control.settings.update((f) => ({ ...f, controlRoom: settings }));
    await this.connect();
    this.prune();
    if (!settings.pollEvents) this.releasePolled();
    return this.controlRoom();
  }

  sendToSeat(seat: string, command: SeatCommandBody): { id: string } {
    if (!this.link.sharing) throw new AppError('NOT_AVAILABLE', 'This seat is not in a control room (no broker set)');
    if (seat === this.link.seat.seat) throw new AppError('VALIDATION', 'That is this seat');
    return { id: this.link.sendToSeat(seat, command).id };
  }

  /** Commands other seats sent that no window carried out yet: the window asking takes them. */
  takeCommands(): { commands: SeatCommand[] } {
    return { commands: this.db.takeCommands() };
  }

  /** The members' signing keys this seat pinned, and this seat's own key's fingerprint. */
  pinnedKeys() {
    return this.link.pinnedKeys();
  }

  revokeKey(seat: string) {
    this.link.revoke(seat);
    return this.link.pinnedKeys();
  }

  holdPtz(accountId: string, channelId: string, hold: boolean): null {
    if (this.link.sharing) this.link.holdPtz(accountId, channelId, hold);
    return null;
  }

  /** The alarm's picture (§10.2.2, kept 7 days), fetched in main; null when the platform has none. */
  async picture(accountId: string, uuid: string): Promise<{ picture: string | null }> {
    const platform = await this.accounts.platform(accountId);
    if (!platform.pushAlarms) return { picture: null }; // listed events (Alibaba VCS) carry no picture of their own
    const pic = await platform.pushAlarms.picture(uuid);
    return { picture: pic ? `data:${pic.contentType};base64,${pic.bytes.toString('base64')}` : null };
  }

  async closeAll(): Promise<void> {
    for (const r of this.receivers.values()) {
      r.server.closeAllConnections();
      r.server.close();
      r.intake.close(); // what was answered is judged before the history closes
    }
    this.receivers.clear();
    clearInterval(this.pruner);
    if (this.poller) clearInterval(this.poller);
    await this.polling?.catch(() => undefined);
    await this.ready; // a connect still under way would otherwise leave a client behind
    await this.link.close();
    this.db.close();
  }

  /**
   * Lists the events of every account whose platform lists them (Alibaba VCS) since the last poll
   * and keeps the new ones as alarms. One seat per account polls: the receiver claim IVM pushes use
   * — another online seat holding it polls instead, and a seat whose claimant went offline takes
   * over. Answers how many alarms were new.
   */
  pollEvents(now = Date.now()): Promise<number> {
    this.polling ??= this.poll(now).finally(() => (this.polling = null));
    return this.polling;
  }

  private async poll(now: number): Promise<number> {
    await this.ready;
    if (!this.roomSettings?.pollEvents) {
      this.releasePolled();
      return 0;
    }
    let added = 0;
    const records = this.accounts.records();
    // Accounts removed (or no longer listing events): their claims go, or no seat would list them.
    const listable = new Map<string, NonNullable<Platform['eventAlarms']>>();
    for (const account of records) {
      const ops = await this.accounts
        .platform(account.id)
        .then((p) => p.eventAlarms)
        .catch(() => undefined);
      if (ops) listable.set(account.id, ops);
    }
    this.releasePolled(new Set(listable.keys()));
    for (const account of records) {
      const ops = listable.get(account.id);
      if (!ops) continue;
      if (this.link.receiverElsewhere(account.id)) {
        this.polled.delete(account.id);
        continue;
      }
      if (!this.polled.has(account.id)) {
        this.polled.add(account.id);
        this.link.claimReceiver(account.id, true);
      }
      const cursor = `poll:${account.id}`;
      const last = Number(this.db.meta(cursor) ?? now - POLL_FIRST) - POLL_OVERLAP;
      const since = Math.max(last, now - POLL_CATCH_UP);
      if (since > last)
        log.warn(
          `events of ${account.id}: last listed ${new Date(last).toISOString()}; listing from ${new Date(since).toISOString()} (24 h) — earlier events are not brought in as alarms`,
        );
      try {
        for (const event of await ops.events(since, now)) {
          const { messageId, ...rest } = event;
          const id = `${account.id}/${messageId}`;
          if (this.db.get(id) ?? this.unsaved.get(id)) continue;
          this.keep({ id, messageId, accountId: account.id, ...rest, ...this.receipt() });
          added++;
        }
        this.db.setMeta(cursor, String(now));
      } catch (e) {
        log.warn(`events of ${account.id} not listed: ${(e as Error).message}`);
      }
    }
    return added;
  }

  /**
   * Gives up the receiver claims of accounts this seat lists (all, or those not in `keep`): a seat
   * holding a claim while online keeps every other seat from listing that account's events.
   */
  private releasePolled(keep?: ReadonlySet<string>): void {
    for (const id of this.polled) {
      if (keep?.has(id)) continue;
      this.polled.delete(id);
      if (!this.receivers.has(id)) this.link.claimReceiver(id, false);
    }
  }

  /** When and where an alarm was received. */
  private receipt(): Pick<Alarm, 'receivedAt' | 'receivedBy'> {
    return { receivedAt: Date.now(), ...(this.link.seat.seat ? { receivedBy: this.link.seat.seat } : {}) };
  }

  /**
   * A new alarm: on disk, shared with the other seats, shown. Answers 500 when the disk refused it
   * (it is listed from memory all the same, and written with the next one that succeeds).
   */
  private keep(alarm: Alarm): number {
    let status = 200;
    let shown = alarm;
    try {
      for (const [uid, u] of this.unsaved) {
        this.db.putAlarm(u); // the disk is back: what it refused goes first
        this.unsaved.delete(uid);
      }
      shown = this.db.putAlarm(alarm);
      this.link.shareAlarm(alarm.id);
    } catch (e) {
      // Shown all the same, and listed until a later write succeeds.
      log.error(`alarm ${alarm.id} could not be written to disk: ${(e as Error).message}`);
      this.unsaved.set(alarm.id, { ...alarm, state: 'new' });
      status = 500;
    }
    this.events.emit('main:alarm', shown);
    return status;
  }

  /**
   * What becomes of an account's signed pushes (see PushIntake): alarms are kept under
   * `<account>/<message id>`; one whose id came again with other content is kept under a suffixed
   * id and both are flagged; what is set aside goes to a file beside the history, with a notice.
   */
  private intake(ops: PushAlarmOps, accountId: string): PushIntake {
    const stored = (messageId: string) => {
      const id = `${accountId}/${messageId}`;
      return this.db.get(id) ?? this.unsaved.get(id);
    };
    return new PushIntake({
      ops,
      known: (messageId) => {
        const a = stored(messageId);
        return a && { ...a, suspect: !!a.replayedSignature };
      },
      // The platform was answered 200 already: a disk that refuses the alarm keeps it listed in
      // memory (keep() says so); a 500 would only count towards the platform's breaker.
      keep: (alarm, suspect) =>
        void this.keep({
          id: `${accountId}/${alarm.messageId}`,
          ...alarm,
          accountId,
          ...(suspect ? { replayedSignature: true } : {}),
          ...this.receipt(),
        }),
      flag: (messageId) => {
        const a = stored(messageId);
        if (a) this.keep({ ...a, replayedSignature: true });
      },
      setAsideFile: path.join(this.dataDir, `alarm-pushes-set-aside-${accountId}.jsonl`),
      notice: (code, message) => {
        const name = this.accounts.records().find((a) => a.id === accountId)?.name ?? accountId;
        this.events.emit('main:notice', {
          id: randomUUID(),
          level: 'warning',
          code,
          message: `${name}: ${message}`,
          at: new Date().toISOString(),
        });
      },
      log: (message) => log.warn(`${accountId}: ${message}`),
    });
  }
}

/** The alarm receiver and the alarm list. */
export function alarmHandlers(alarms: AlarmService): HandlerSlice {
  return {
    'alarms:state': ({ accountId }) => alarms.state(accountId),
    'alarms:start': ({ accountId, publicUrl, port }) => alarms.start(accountId, publicUrl, port),
    'alarms:stop': ({ accountId }) => alarms.stop(accountId),
    'alarms:list': async ({ cursor, limit }) => {
      // The history's channel references first, but a slow keychain does not hold the list.
      await Promise.race([alarms.refsFilled, new Promise((r) => setTimeout(r, 2000).unref())]);
      return alarms.page(cursor, limit);
    },
    'alarms:acknowledge': ({ id }) => alarms.acknowledge(id),
    'alarms:acknowledgeAll': () => alarms.acknowledgeAll(),
    'alarms:picture': ({ accountId, uuid }) => alarms.picture(accountId, uuid),
    'alarms:assign': ({ id, to }) => alarms.assign(id, to),
    'alarms:close': ({ id, note }) => alarms.close(id, note),
    'alarms:history': ({ id }) => alarms.history(id),
    'alarms:exportAudit': ({ format, from, to }) => alarms.exportAudit(format, from, to),
    'controlRoom:get': () => alarms.controlRoom(),
    'controlRoom:set': (request) => alarms.setControlRoom(request),
    'controlRoom:sendToSeat': ({ seat, command }) => alarms.sendToSeat(seat, command),
    'controlRoom:takeCommands': () => alarms.takeCommands(),
    'controlRoom:ptz': ({ accountId, channelId, hold }) => alarms.holdPtz(accountId, channelId, hold),
    'controlRoom:keys': () => alarms.pinnedKeys(),
    'controlRoom:revokeKey': ({ seat }) => alarms.revokeKey(seat),
  };
}
