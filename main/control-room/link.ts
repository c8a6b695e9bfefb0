import { randomUUID } from 'node:crypto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { z } from 'zod';
import {
  Alarm,
  AlarmAction,
  type ControlRoomSettings,
  type ControlRoomStatus,
  PtzHolder,
  SeatCommand,
  type SeatCommandBody,
  SeatPresence,
} from '../../preload/contract';
import { log, redact } from '../log';
import type { AlarmDb } from '../storage/alarm-db';
import { platformFields } from './lifecycle';

/** A message bigger than this is not ours: dropped unread. */
const MAX_MESSAGE = 64 * 1024;
/** Actions one alarm's shared state carries (acknowledge, a few assignments, close). */
const MAX_ACTIONS = 100;
/** Seats a site lists (far past a control room's); PTZ holders and receiver claims at most 4× this. */
export const MAX_SEATS = 256;

export const AlarmState = z.object({ alarm: Alarm, actions: z.array(AlarmAction).max(MAX_ACTIONS) });
export type AlarmState = z.infer<typeof AlarmState>;
const ReceiverClaim = z.object({ seat: z.string().max(64), at: z.number() });
// What other seats say of themselves, as long as this seat's own settings allow (seat and user ≤ 64).
const Presence = SeatPresence.extend({ seat: z.string().max(64), user: z.string().max(64) });
const Holder = PtzHolder.extend({
  accountId: z.string().max(64),
  channelId: z.string().max(256),
  seat: z.string().max(64),
  user: z.string().max(64),
});

/** Topic levels are the ids percent-encoded, so no id can carry `/`, `+` or `#` into a topic. */
const enc = (s: string) => encodeURIComponent(s);

/** Every topic of one site, in one place (README lists them for a site's broker ACLs). */
export function topics(site: string) {
  const p = `vigil/${enc(site)}`;
  return {
    prefix: p,
    alarm: (accountId: string, messageId: string) => `${p}/alarms/${enc(accountId)}/${enc(messageId)}`,
    alarms: `${p}/alarms/+/+`,
    actionsOf: (seat: string) => `${p}/actions/${enc(seat)}`,
    actions: `${p}/actions/+`,
    presenceOf: (seat: string) => `${p}/seats/${enc(seat)}/presence`,
    presence: `${p}/seats/+/presence`,
    commandTo: (seat: string, id: string) => `${p}/seats/${enc(seat)}/commands/${enc(id)}`,
    commandsOf: (seat: string) => `${p}/seats/${enc(seat)}/commands/+`,
    ptzOf: (accountId: string, channelId: string) => `${p}/ptz/${enc(accountId)}/${enc(channelId)}`,
    ptz: `${p}/ptz/+/+`,
    receiverOf: (accountId: string) => `${p}/receivers/${enc(accountId)}`,
    receivers: `${p}/receivers/+`,
    /** One bookmark, retained (a deleted one as its tombstone), on its author seat's branch. */
    bookmarkOf: (seat: string, id: string) => `${p}/bookmarks/${enc(seat)}/${enc(id)}`,
    bookmarks: `${p}/bookmarks/+/+`,
  };
}

export interface LinkEvents {
  /** An alarm this seat did not have, or whose lifecycle changed. */
  alarm(alarm: Alarm): void;
  status(status: ControlRoomStatus): void;
  command(command: SeatCommand): void;
}

/**
 * Explains a connection failure in a sentence the operator can act on. MQTT.js reports refused
 * logins as CONNACK codes (3.1.1: 4 bad user or password, 5 not authorised; 5.0: 134, 135) and
 * TLS and socket failures with Node's codes.
 */
export function explain(e: Error & { code?: string | number }, url: string): { message: string; fatal: boolean } {
  const code = e.code;
  const where = safeUrl(url);
  if (code === 4 || code === 134)
    return { message: `The broker ${where} refused the login: wrong user name or password`, fatal: true };
  // Mosquitto 2 answers 5 to a wrong password too.
  if (code === 5 || code === 135)
    return {
      message: `The broker ${where} refused the login: wrong user name or password, or this user may not connect`,
      fatal: true,
    };
  if (code === 2 || code === 133)
    return { message: `The broker ${where} refused the client id of this seat`, fatal: true };
  const tls: Record<string, string> = {
    DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed: add its CA in the settings',
    SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain ends in an unknown CA: add that CA in the settings',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is signed by an unknown CA: add that CA in the settings',
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate is signed by an unknown CA: add that CA in the settings',
    CERT_HAS_EXPIRED: 'its certificate has expired',
    ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for another host name',
    EPROTO: 'the TLS handshake failed (is this port plain MQTT rather than TLS?)',
    ERR_SSL_WRONG_VERSION_NUMBER: 'the TLS handshake failed (is this port plain MQTT rather than TLS?)',
  };
  if (typeof code === 'string' && tls[code])
    return { message: `TLS to the broker ${where} failed: ${tls[code]}`, fatal: false };
  if (code === 'ECONNRESET' && /^(mqtts|wss):/.test(url))
    return {
      message: `TLS to the broker ${where} failed: the connection was reset (is this port plain MQTT rather than TLS?)`,
      fatal: false,
    };
  if (code === 'ECONNREFUSED')
    return { message: `The broker ${where} refuses connections (is it running?)`, fatal: false };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return { message: `The broker's host name in ${where} is not known`, fatal: false };
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return { message: `The broker ${where} cannot be reached`, fatal: false };
  return { message: `The broker ${where}: ${redact(e.message)}`, fatal: false };
}

function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(bad URL)';
  }
}

/**
 * One seat's link to the site's broker (MQTT.js, QoS 1). What this seat shares goes through its
 * database's outbox first, so an outage only delays it: the queue is sent in order on every
 * (re)connect and a row leaves it when the broker acknowledged it. Everything received is
 * idempotent: alarm state is the union of actions (keyed by id), commands are carried out once
 * (their ids are recorded) and their retained copy is then cleared.
 */
export class ControlRoomLink {
  private client: MqttClient | null = null;
  private settings: ControlRoomSettings | null = null;
  private t = topics('site');
  private state: ControlRoomStatus['state'] = 'off';
  private error: string | null = null;
  private readonly inflight = new Set<number>();
  private readonly seats = new Map<string, SeatPresence>();
  private readonly ptz = new Map<string, PtzHolder>();
  private readonly receivers = new Map<string, string>();
  private hasPassword = false;
  /** Where bookmark messages go (main/control-room/bookmarks.ts reads and checks them). */
  private bookmarkInbox: ((seat: string, id: string, text: string) => void) | null = null;

  constructor(
    private readonly db: AlarmDb,
    private readonly on: LinkEvents,
  ) {}

  get seat(): { seat: string; user: string } {
    return { seat: this.settings?.seat ?? '', user: this.settings?.user ?? '' };
  }

  /** True when a broker is configured: what this seat does is queued for it, online or not. */
  get sharing(): boolean {
    return !!this.client;
  }

  status(): ControlRoomStatus {
    return {
      enabled: !!this.settings?.enabled,
      state: this.state,
      error: this.error,
      site: this.settings?.site ?? '',
      seat: this.settings?.seat ?? '',
      user: this.settings?.user ?? '',
      queued: this.db.queued(),
      hasPassword: this.hasPassword,
      seats: [...this.seats.values()].sort((a, b) => a.seat.localeCompare(b.seat)),
      ptz: [...this.ptz.values()],
    };
  }

  private setState(state: ControlRoomStatus['state'], error: string | null = this.error): void {
    this.state = state;
    this.error = error;
    this.on.status(this.status());
  }

  /** configure() and close() one at a time: two at once each made a client, and one was never ended. */
  private serial: Promise<unknown> = Promise.resolve();
  private inTurn<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.serial.then(fn, fn);
    this.serial = run.catch(() => undefined);
    return run;
  }

  /** (Re)connects with these settings; off or without a URL, the seat works alone. */
  configure(settings: ControlRoomSettings, password: string | null): Promise<void> {
    return this.inTurn(() => this.connect(settings, password));
  }

  private async connect(settings: ControlRoomSettings, password: string | null): Promise<void> {
    await this.end();
    this.settings = settings;
    this.hasPassword = !!password;
    this.t = topics(settings.site);
    this.seats.clear();
    this.ptz.clear();
    this.receivers.clear();
    this.overBound.clear();
    this.error = null;
    if (!settings.enabled || !settings.brokerUrl) return this.setState('off', null);
    const me = { seat: settings.seat, user: settings.user };
    const presence = (online: boolean) => JSON.stringify({ ...me, online, at: Date.now() });
    const options: IClientOptions = {
      clientId: `vigil-${settings.site}-${settings.seat}`.slice(0, 128),
      clean: true,
      protocolVersion: 4,
      keepalive: 10,
      reconnectPeriod: 1000,
      connectTimeout: 5000,
      resubscribe: false, // subscribed on every connect, then the outbox is flushed
      will: { topic: this.t.presenceOf(settings.seat), payload: Buffer.from(presence(false)), qos: 1, retain: true },
      ...(settings.username ? { username: settings.username } : {}),
      ...(password ? { password } : {}),
      ...(settings.ca ? { ca: settings.ca } : {}),
    };
    this.setState('connecting', null);
    const client = mqtt.connect(settings.brokerUrl, options);
    this.client = client;
    client.on('connect', () => {
      if (this.client !== client) return;
      this.inflight.clear();
      const subs = [
        this.t.alarms,
        this.t.actions,
        this.t.presence,
        this.t.commandsOf(settings.seat),
        this.t.ptz,
        this.t.receivers,
        this.t.bookmarks,
      ];
      client.subscribe(subs, { qos: 1 }, (err) => {
        if (this.client !== client) return;
        if (err) return log.warn(`control room: subscribing failed: ${err.message}`);
        client.publish(this.t.presenceOf(settings.seat), presence(true), { qos: 1, retain: true });
        this.setState('online', null);
        this.flush();
      });
    });
    client.on('message', (topic, payload) => {
      if (this.client !== client) return;
      try {
        this.receive(topic, payload);
      } catch (e) {
        log.warn(`control room: message on ${topic} not handled: ${(e as Error).message}`);
      }
    });
    client.on('error', (e: Error & { code?: string | number }) => {
      if (this.client !== client) return;
      const { message, fatal } = explain(e, settings.brokerUrl);
      if (message !== this.error) log.warn(`control room: ${message}`); // once, not on every retry
      if (fatal) client.end(true);
      this.setState(fatal ? 'error' : 'offline', message);
    });
    client.on('close', () => {
      if (this.client !== client) return;
      if (this.state === 'online' || this.state === 'connecting') this.setState('offline');
    });
    client.on('reconnect', () => {
      if (this.client === client && this.state !== 'error') this.setState('connecting');
    });
  }

  /** Says this seat leaves (presence offline), then disconnects; what is queued stays queued. */
  close(): Promise<void> {
    return this.inTurn(() => this.end());
  }

  private async end(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    client.options.reconnectPeriod = 0; // no reconnect scheduled while it ends
    if (client.connected && this.settings)
      await client
        .publishAsync(
          this.t.presenceOf(this.settings.seat),
          JSON.stringify({ ...this.seat, online: false, at: Date.now() }),
          { qos: 1, retain: true },
        )
        .catch(() => undefined);
    await client.endAsync(!client.connected).catch(() => undefined);
    this.state = 'off';
  }

  /** Sends what waits, in order; a row leaves the outbox once the broker acknowledged it. */
  private flush(): void {
    const client = this.client;
    if (!client?.connected) return;
    for (const row of this.db.outbox()) {
      if (this.inflight.has(row.seq)) continue;
      this.inflight.add(row.seq);
      client.publish(row.topic, row.payload, { qos: 1, retain: row.retain }, (err) => {
        this.inflight.delete(row.seq);
        if (err) return; // sent again on the next connect
        // Replaced while in flight (same key, newer payload): the newer one goes now, not at the next enqueue.
        if (!this.db.sent(row) && this.client === client) this.flush();
        if (this.db.queued() === 0 || this.inflight.size === 0) this.on.status(this.status());
      });
    }
  }

  private queue(topic: string, payload: string, retain: boolean, key: string | null = null): void {
    this.db.enqueue(topic, payload, retain, key);
    this.flush();
  }

  private stateOf(id: string): AlarmState | null {
    const alarm = this.db.get(id);
    return alarm ? { alarm: platformFields(alarm), actions: this.db.actions(id) } : null;
  }

  /** Shares an alarm (new or replaced) as its retained state. */
  shareAlarm(id: string): void {
    if (!this.sharing) return;
    const state = this.stateOf(id);
    if (!state) return;
    this.queue(this.t.alarm(state.alarm.accountId, state.alarm.messageId), JSON.stringify(state), true, `state:${id}`);
  }

  /** Shares actions this seat took: each on the actions topic, and the alarm's new retained state. */
  shareActions(actions: readonly AlarmAction[]): void {
    if (!this.sharing || !this.settings) return;
    for (const a of actions) this.queue(this.t.actionsOf(this.settings.seat), JSON.stringify(a), false);
    for (const id of new Set(actions.map((a) => a.alarmId))) this.shareAlarm(id);
    this.on.status(this.status());
  }

  sendToSeat(seat: string, command: SeatCommandBody): SeatCommand {
    const cmd: SeatCommand = { id: randomUUID(), from: this.seat, at: Date.now(), command };
    // Retained until the seat carried it out: it reaches a seat that (re)subscribes after it was sent.
    this.queue(this.t.commandTo(seat, cmd.id), JSON.stringify(cmd), true);
    this.on.status(this.status());
    return cmd;
  }

  holdPtz(accountId: string, channelId: string, hold: boolean): void {
    const payload = hold ? JSON.stringify({ accountId, channelId, ...this.seat, at: Date.now() }) : '';
    this.queue(this.t.ptzOf(accountId, channelId), payload, true, `ptz:${accountId}/${channelId}`);
  }

  /** Bookmark messages from the broker (the topic's seat and id, and the payload) go to `inbox`. */
  onBookmark(inbox: ((seat: string, id: string, text: string) => void) | null): void {
    this.bookmarkInbox = inbox;
    // Attached while connected: subscribing again has the broker send every retained bookmark anew.
    if (inbox && this.client?.connected) this.client.subscribe(this.t.bookmarks, { qos: 1 });
  }

  /** Queues a bookmark of this seat as its retained message; false when no broker is configured. */
  shareBookmark(id: string, payload: string): boolean {
    if (!this.sharing || !this.settings) return false;
    this.queue(this.t.bookmarkOf(this.settings.seat, id), payload, true, `bookmark:${id}`);
    return true;
  }

  /** The seat that receives an account's alarms, when another seat does and is online. */
  receiverElsewhere(accountId: string): string | null {
    const seat = this.receivers.get(accountId);
    if (!seat || seat === this.settings?.seat) return null;
    return this.seats.get(seat)?.online ? seat : null;
  }

  claimReceiver(accountId: string, on: boolean): void {
    if (!this.sharing || !this.settings) return;
    const payload = on ? JSON.stringify({ seat: this.settings.seat, at: Date.now() }) : '';
    this.queue(this.t.receiverOf(accountId), payload, true, `receiver:${accountId}`);
  }

  /** What was over a bound, said once per kind and connection (a flood would flood the log too). */
  private readonly overBound = new Set<string>();

  /** May `key` be set in `map`: already there, or room for one more (else said once, dropped). */
  private bounded(map: Map<string, unknown>, key: string, max: number, kind: string): boolean {
    if (map.has(key) || map.size < max) return true;
    if (!this.overBound.has(kind))
      log.warn(`control room: more than ${max} ${kind} on the broker; the rest are ignored`);
    this.overBound.add(kind);
    return false;
  }

  private receive(topic: string, payload: Buffer): void {
    if (payload.length > MAX_MESSAGE) return log.warn(`control room: ${payload.length} bytes on ${topic} dropped`);
    const rel = topic
      .slice(this.t.prefix.length + 1)
      .split('/')
      .map(decodeURIComponent);
    const text = payload.toString('utf8');
    const json = () => JSON.parse(text) as unknown;
    switch (rel[0]) {
      case 'alarms':
        if (text) this.receiveState(AlarmState.parse(json()), rel[1]!, rel[2]!);
        return;
      case 'actions': {
        const action = AlarmAction.parse(json());
        // A seat speaks for itself only: an action on seat B's topic must be B's.
        if (action.seat !== rel[1]) throw new Error(`an action of seat ${action.seat} on seat ${rel[1]}'s topic`);
        for (const alarm of this.db.applyActions([action])) this.on.alarm(alarm);
        return;
      }
      case 'seats':
        if (rel[2] === 'presence') {
          if (!text) this.seats.delete(rel[1]!);
          else {
            const presence = Presence.parse(json());
            // A seat speaks for itself only, and a site lists a bounded number of seats.
            if (presence.seat !== rel[1])
              throw new Error(`a presence of seat ${presence.seat} on another seat's topic`);
            if (!this.bounded(this.seats, presence.seat, MAX_SEATS, 'seats')) return;
            this.seats.set(presence.seat, presence);
          }
          this.on.status(this.status());
        } else if (rel[2] === 'commands' && rel[1] === this.settings?.seat && text) {
          const cmd = SeatCommand.parse(json());
          // Kept in the database until a window takes it: none may be open yet.
          if (cmd.id === rel[3] && this.db.keepCommand(cmd)) this.on.command(cmd);
          this.queue(topic, '', true, `clear:${topic}`); // carried out: the retained copy goes
        }
        return;
      case 'ptz': {
        const key = `${rel[1]}/${rel[2]}`;
        if (!text) this.ptz.delete(key);
        else {
          const holder = Holder.parse(json());
          if (holder.accountId !== rel[1] || holder.channelId !== rel[2])
            throw new Error('PTZ holder and topic differ');
          if (!this.bounded(this.ptz, key, 4 * MAX_SEATS, 'PTZ holders')) return;
          this.ptz.set(key, holder);
        }
        this.on.status(this.status());
        return;
      }
      case 'bookmarks':
        if (text) this.bookmarkInbox?.(rel[1]!, rel[2]!, text);
        return;
      case 'receivers':
        if (!text) this.receivers.delete(rel[1]!);
        else {
          const claim = ReceiverClaim.parse(json());
          if (!this.bounded(this.receivers, rel[1]!, 4 * MAX_SEATS, 'receiver claims')) return;
          this.receivers.set(rel[1]!, claim.seat);
        }
        return;
    }
  }

  /** Acknowledged (by its shared actions) and older than this seat's retention. */
  private expired(state: AlarmState): boolean {
    const days = this.settings?.retentionDays;
    if (!days || state.alarm.at >= Date.now() - days * 86_400_000) return false;
    return state.actions.some((a) => a.alarmId === state.alarm.id);
  }

  /** Alarms retention deleted here: their retained state is cleared so a reconnect does not bring them back. */
  forget(alarms: ReadonlyArray<{ id: string; accountId: string; messageId: string }>): void {
    if (!this.sharing) return;
    for (const a of alarms) this.queue(this.t.alarm(a.accountId, a.messageId), '', true, `state:${a.id}`);
  }

  /**
   * Another seat's view of an alarm: the alarm is kept if new here, its actions join ours. When
   * this seat knows actions the shared state lacks (two seats acted at once), it shares the union.
   */
  private receiveState(state: AlarmState, accountId: string, messageId: string): void {
    const { alarm } = state;
    if (alarm.accountId !== accountId || alarm.messageId !== messageId || alarm.id !== `${accountId}/${messageId}`)
      throw new Error('alarm id and topic differ');
    const known = this.db.get(alarm.id);
    // Pruned here, or older than this seat keeps: not brought back (the seat that prunes it clears the broker's copy).
    if (!known && this.expired(state)) return;
    // A push on a fresh signature replaces one that claimed its id on a reused signature. Only the
    // receiving seat knows which signature a push came on: what this seat received itself, or
    // flagged, no other seat's message can un-flag (local wins).
    const replace =
      !known || (known.replayedSignature && !alarm.replayedSignature && known.receivedBy !== this.settings?.seat);
    if (replace) this.db.putAlarm(known?.replayedSignature ? { ...alarm, replayedSignature: true } : alarm);
    const changed = this.db.applyActions(state.actions.filter((a) => a.alarmId === alarm.id));
    if (replace || changed.length) this.on.alarm(this.db.get(alarm.id)!);
    const theirs = new Set(state.actions.map((a) => a.id));
    if (this.db.actions(alarm.id).some((a) => !theirs.has(a.id))) this.shareAlarm(alarm.id);
  }
}
