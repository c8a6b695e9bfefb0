import { createHash, randomUUID } from 'node:crypto';
import type { IClientOptions, MqttClient } from 'mqtt';
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
  type MemberKind,
  type AgentHealth,
  type PinnedKey,
} from '../../preload/contract';
import { log, redact } from '../log';
import { commandFresh, type AlarmDb } from '../storage/alarm-db';
import { platformFields } from './lifecycle';
import {
  actionTimeRefused,
  actionValid,
  envelopeValid,
  fingerprint,
  openEnvelope,
  PublicKey,
  seal,
  signAction,
  type Envelope,
  type SeatKey,
} from './signing';

/** A message bigger than this is not ours: dropped unread. */
const MAX_MESSAGE = 64 * 1024;
/** Actions one alarm's shared state carries (acknowledge, a few assignments, close), and one alarm keeps. */
export const MAX_ACTIONS = 100;
/** Seats a site lists (far past a control room's); PTZ holders and receiver claims at most 4× this. */
export const MAX_SEATS = 256;

/**
 * What this seat keeps of what other members send, per member and in total. Past a bound the
 * message is refused with a notice naming its sender: one member (or its stolen key) cannot fill
 * every seat's disk, list and wall.
 */
export const BOUNDS = {
  /**
   * Unacknowledged alarms that came from one member through the broker within BURST_MS (a flood
   * of retained states arrives at once), and in all. A bound on the whole count alone refused a
   * seat's genuine alarms for good once its control room fell behind: at 60 a minute with a
   * quarter acknowledged, after 22 minutes (the shift soak).
   */
  newBurstPerSeat: 1000,
  newBurstTotal: 5000,
  newPerSeat: 50_000,
  newTotal: 100_000,
  /** Actions waiting for an alarm this seat does not have (pruned after a day). */
  orphansPerSeat: 200,
  orphansTotal: 1000,
  /** Commands waiting for a window of this seat. */
  pendingPerSeat: 20,
  pendingTotal: 100,
  /** Messages of a member whose key is not known yet, held until its presence comes. */
  heldPerSeat: 200,
  heldTotal: 2000,
} as const;
/** The window of the burst bounds on alarms. */
export const BURST_MS = 10 * 60_000;
/** How long a message of an unknown member waits for its presence before it is dropped (with a notice). */
export const HOLD_MS = 30_000;
/** Notices the status carries (the newest). */
const MAX_NOTICES = 20;

export const AlarmState = z.object({ alarm: Alarm, actions: z.array(AlarmAction).max(MAX_ACTIONS) });
export type AlarmState = z.infer<typeof AlarmState>;
const ReceiverClaim = z.object({ seat: z.string().max(64), at: z.number() });
// What other seats say of themselves, as long as this seat's own settings allow (seat and user ≤ 64),
// with the public key that signs everything the seat publishes.
const Presence = SeatPresence.extend({ seat: z.string().max(64), user: z.string().max(64), key: PublicKey });
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
    /** The maps a seat publishes: manifests and chunks under its branch (main/control-room/map-publication.ts). */
    mapOf: (seat: string, rest: readonly string[]) => `${p}/maps/${enc(seat)}/${rest.map(enc).join('/')}`,
    maps: `${p}/maps/#`,
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
  /**
   * The last outbox row handed to the client on this connection: a flush reads only what came
   * after it (reading the whole queue on every enqueue made a long queue quadratic).
   */
  private flushedSeq = 0;
  private readonly seats = new Map<string, SeatPresence>();
  private readonly ptz = new Map<string, PtzHolder>();
  private readonly receivers = new Map<string, string>();
  private hasPassword = false;
  /** Where bookmark messages go (main/control-room/bookmarks.ts reads and checks them). */
  private bookmarkInbox: ((seat: string, id: string, text: string) => void) | null = null;
  /** Where map messages go (main/control-room/map-sharing.ts): the seat, the levels after it, the payload ('' cleared). */
  private mapInbox: ((seat: string, rest: readonly string[], text: string) => void) | null = null;

  constructor(
    private readonly db: AlarmDb,
    private readonly on: LinkEvents,
    /** What this member is: a seat (a desk) or an agent (the always-on member without a window). */
    private readonly member: { kind: MemberKind } = { kind: 'seat' },
  ) {}

  get seat(): { seat: string; user: string } {
    return { seat: this.settings?.seat ?? '', user: this.settings?.user ?? '' };
  }

  /** True when a broker is configured: what this seat does is queued for it, online or not. */
  get sharing(): boolean {
    return !!this.client;
  }

  /** This member's signing key (from the keychain): everything it publishes is sealed with it. */
  private key: SeatKey | null = null;
  /** Members' public keys as pinned on first sight (this site's, from the database). */
  private readonly pins = new Map<string, string>();
  /** A key another than the pinned one that a member announced (refused; shown for review). */
  private readonly offered = new Map<string, { key: string; at: number }>();
  /** Messages of members whose key is not known yet, until their presence arrives. */
  private readonly held = new Map<string, Array<{ topic: string; payload: Buffer; at: number }>>();
  private heldCount = 0;
  private sweeper: NodeJS.Timeout | null = null;
  /**
   * Each alarm topic's state as last taken here (a digest of its bytes). Every (re)connect brings
   * the site's whole retained set again, and checking each state's signatures and actions anew
   * cost about 0.35 ms apiece: seconds of main's time with thousands of alarms, the relay's streams
   * waiting behind it. A state taken before, byte for byte, is skipped (kept while the site stays).
   */
  private readonly taken = new Map<string, string>();
  /** What was refused, once per kind and sender (a flood would flood the log too), with a count. */
  private readonly notices = new Map<string, { at: number; text: string; count: number }>();

  /** This member's public key's fingerprint (null before the first configure with a key). */
  get fingerprint(): string | null {
    return this.key ? fingerprint(this.key.publicKey) : null;
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
      notices: [...this.notices.values()]
        .slice(-MAX_NOTICES)
        .reverse()
        .map((n) => ({ at: n.at, text: n.count > 1 ? `${n.text} (${n.count} times)` : n.text })),
    };
  }

  /** Says once per kind and sender (counted after that) what this seat refused, and why. */
  private notice(kind: string, text: string): void {
    const seen = this.notices.get(kind);
    if (seen) {
      seen.count++;
      return;
    }
    log.warn(`control room: ${text}`);
    this.notices.set(kind, { at: Date.now(), text, count: 1 });
    if (this.notices.size > 50) this.notices.delete(this.notices.keys().next().value!);
    this.on.status(this.status());
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

  /**
   * (Re)connects with these settings; off or without a URL, the seat works alone. `key` signs
   * what this seat publishes (the service keeps it in the keychain).
   */
  configure(settings: ControlRoomSettings, password: string | null, key: SeatKey | null = null): Promise<void> {
    return this.inTurn(() => this.connect(settings, password, key));
  }

  private async connect(settings: ControlRoomSettings, password: string | null, key: SeatKey | null): Promise<void> {
    await this.end();
    if (this.settings?.site !== settings.site) this.taken.clear();
    this.settings = settings;
    this.hasPassword = !!password;
    this.t = topics(settings.site);
    this.seats.clear();
    this.ptz.clear();
    this.receivers.clear();
    this.overBound.clear();
    this.notices.clear();
    this.held.clear();
    this.heldCount = 0;
    this.offered.clear();
    this.pins.clear();
    this.error = null;
    if (!settings.enabled || !settings.brokerUrl) return this.setState('off', null);
    if (!key) throw new Error('a control room needs this seat’s signing key');
    this.key = key;
    for (const p of this.db.pins(settings.site)) this.pins.set(p.seat, p.key);
    const own = this.pins.get(settings.seat);
    if (own !== key.publicKey) {
      // This seat trusts its own key; other seats that pinned an older one refuse it until revoked there.
      if (own)
        this.notice(
          `own-key`,
          `this seat's signing key changed (now ${fingerprint(key.publicKey)}): other seats refuse its messages until a supervisor revokes its old key there`,
        );
      this.db.unpin(settings.site, settings.seat);
      this.db.pin(settings.site, settings.seat, key.publicKey);
      this.pins.set(settings.seat, key.publicKey);
    }
    this.sweeper = setInterval(() => this.sweepHeld(), 5000);
    this.sweeper.unref();
    const me = { seat: settings.seat, user: settings.user, kind: this.member.kind };
    const presenceTopic = this.t.presenceOf(settings.seat);
    const presence = (online: boolean) =>
      this.sealed(
        presenceTopic,
        JSON.stringify({
          ...me,
          online,
          at: Date.now(),
          key: key.publicKey,
          ...(online && this.health ? { health: this.health } : {}),
        }),
      );
    this.presenceNow = () => presence(true);
    const options: IClientOptions = {
      clientId: `vigil-${settings.site}-${settings.seat}`.slice(0, 128),
      clean: true,
      protocolVersion: 4,
      keepalive: 10,
      reconnectPeriod: 1000,
      connectTimeout: 5000,
      resubscribe: false, // subscribed on every connect, then the outbox is flushed
      will: { topic: presenceTopic, payload: Buffer.from(presence(false)), qos: 1, retain: true },
      ...(settings.username ? { username: settings.username } : {}),
      ...(password ? { password } : {}),
      ...(settings.ca ? { ca: settings.ca } : {}),
    };
    this.setState('connecting', null);
    // Loaded with the first connection, not at start-up: the largest module main has, and a seat
    // without a control room never needs it (start-up waits for what the core imports).
    const { connect } = await import('mqtt');
    const client = connect(settings.brokerUrl, options);
    this.client = client;
    client.on('connect', () => {
      if (this.client !== client) return;
      this.inflight.clear();
      this.flushedSeq = 0;
      const subs = [
        this.t.alarms,
        this.t.actions,
        this.t.commandsOf(settings.seat),
        this.t.ptz,
        this.t.receivers,
        this.t.bookmarks,
        this.t.maps,
      ];
      // Presences first, on their own: the broker sends their retained copies (the members' keys)
      // before any message those keys sign, which would otherwise wait for them.
      client.subscribe(this.t.presence, { qos: 1 }, (first) => {
        if (this.client !== client) return;
        if (first) return log.warn(`control room: subscribing failed: ${first.message}`);
        client.subscribe(subs, { qos: 1 }, (err) => {
          if (this.client !== client) return;
          if (err) return log.warn(`control room: subscribing failed: ${err.message}`);
          client.publish(presenceTopic, presence(true), { qos: 1, retain: true });
          this.setState('online', null);
          this.flush();
        });
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

  /** The health an agent announces with its presence (seats announce none). */
  private health: AgentHealth | null = null;
  /** This member's online presence, sealed now (null before the first connect). */
  private presenceNow: (() => string) | null = null;

  /**
   * An agent's health, published with its retained presence (straight to the broker, not through
   * the outbox: only the latest counts, and a presence queued while offline would be stale).
   */
  announce(health: AgentHealth): void {
    this.health = health;
    const client = this.client;
    if (!client?.connected || !this.settings || !this.presenceNow) return;
    client.publish(this.t.presenceOf(this.settings.seat), this.presenceNow(), { qos: 1, retain: true });
  }

  /** Says this seat leaves (presence offline), then disconnects; what is queued stays queued. */
  close(): Promise<void> {
    return this.inTurn(() => this.end());
  }

  private async end(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    const client = this.client;
    this.client = null;
    if (!client) return;
    client.options.reconnectPeriod = 0; // no reconnect scheduled while it ends
    if (client.connected && this.settings && this.key) {
      const topic = this.t.presenceOf(this.settings.seat);
      const body = JSON.stringify({ ...this.seat, online: false, at: Date.now(), key: this.key.publicKey });
      await client.publishAsync(topic, this.sealed(topic, body), { qos: 1, retain: true }).catch(() => undefined);
    }
    await client.endAsync(!client.connected).catch(() => undefined);
    this.state = 'off';
  }

  /** Sends what waits, in order; a row leaves the outbox once the broker acknowledged it. */
  private flush(all = false): void {
    const client = this.client;
    if (!client?.connected) return;
    for (const row of this.db.outbox(all ? 0 : this.flushedSeq)) {
      if (this.inflight.has(row.seq)) continue;
      this.inflight.add(row.seq);
      if (row.seq > this.flushedSeq) this.flushedSeq = row.seq;
      client.publish(row.topic, row.payload, { qos: 1, retain: row.retain }, (err) => {
        this.inflight.delete(row.seq);
        if (err) {
          // Sent again by the next flush (or connect), as before the cursor.
          this.flushedSeq = Math.min(this.flushedSeq, row.seq - 1);
          return;
        }
        // Replaced while in flight (same key, newer payload, same seq): the newer one goes now, not at the next enqueue.
        if (this.db.sent(row)) this.delivered(row.topic);
        else if (this.client === client) this.flush(true);
        if (this.db.queued() === 0 || this.inflight.size === 0) this.on.status(this.status());
      });
    }
  }

  /** A payload sealed by this member for `topic` (an empty one clears a retained message: nothing to sign). */
  private sealed(topic: string, payload: string): string {
    if (!payload || !this.key || !this.settings) return payload;
    return seal(topic, payload, this.settings.seat, this.key);
  }

  /** Every message this member publishes goes through here: sealed, then queued. */
  private queue(topic: string, payload: string, retain: boolean, key: string | null = null): void {
    this.db.enqueue(topic, this.sealed(topic, payload), retain, key);
    this.flush();
  }

  /** An action this seat takes, signed by it (unsigned while it has no key: signed when shared). */
  signAction(action: AlarmAction): AlarmAction {
    return this.key && action.seat === this.settings?.seat ? signAction(action, this.key) : action;
  }

  /**
   * An alarm's shared state: each action with its seat's signature. This seat's own actions kept
   * unsigned (taken before it had a key) are signed now; another seat's without one are left out,
   * as every seat would refuse them.
   */
  private stateOf(id: string): AlarmState | null {
    const alarm = this.db.get(id);
    if (!alarm) return null;
    const actions = this.db
      .actions(id)
      .map((a) => (a.sig ? a : this.signAction(a)))
      .filter((a) => a.sig)
      .slice(-MAX_ACTIONS);
    return { alarm: platformFields(alarm), actions };
  }

  /** Who waits for a topic's queued message to reach the broker (see whenShared). */
  private readonly waiting = new Map<string, Array<() => void>>();

  private delivered(topic: string): void {
    const list = this.waiting.get(topic);
    if (!list) return;
    this.waiting.delete(topic);
    for (const done of list) done();
  }

  /**
   * Settles true once the alarm's retained state queued now has reached the broker (QoS 1
   * acknowledged), false after `withinMs` (it stays in the outbox); true at once without a broker.
   * A receiver answers a push only then, so a member killed before sharing has answered nothing.
   */
  whenShared(accountId: string, messageId: string, withinMs: number): Promise<boolean> {
    if (!this.sharing) return Promise.resolve(true);
    const topic = this.t.alarm(accountId, messageId);
    return new Promise((resolve) => {
      const list = this.waiting.get(topic) ?? [];
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        const left = (this.waiting.get(topic) ?? []).filter((d) => d !== done);
        if (left.length) this.waiting.set(topic, left);
        else this.waiting.delete(topic);
        resolve(false);
      }, withinMs);
      list.push(done);
      this.waiting.set(topic, list);
    });
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
    for (const a of actions)
      this.queue(this.t.actionsOf(this.settings.seat), JSON.stringify(a.sig ? a : this.signAction(a)), false);
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

  /** Map messages from the broker go to `inbox`; attached while connected, the retained ones come anew. */
  onMaps(inbox: ((seat: string, rest: readonly string[], text: string) => void) | null): void {
    this.mapInbox = inbox;
    if (inbox && this.client?.connected) this.client.subscribe(this.t.maps, { qos: 1 });
  }

  /**
   * Queues one retained map message of this seat (`''` clears it); a newer payload for the same
   * topic replaces one still waiting. False when no broker is configured.
   */
  shareMap(rest: readonly string[], payload: string): boolean {
    if (!this.sharing || !this.settings) return false;
    const topic = this.t.mapOf(this.settings.seat, rest);
    this.queue(topic, payload, true, `map:${topic}`);
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
  private bounded(map: Map<string, unknown>, key: string, max: number, kind: string, from: string): boolean {
    if (map.has(key) || map.size < max) return true;
    this.overBound.add(kind);
    this.notice(`bound:${kind}`, `more than ${max} ${kind} on the broker: ${kind} from ${from} and later ones refused`);
    return false;
  }

  /** The member a topic speaks for (its own actions and presence), or null where any member may publish. */
  private static author(rel: readonly string[]): string | null {
    if (rel[0] === 'actions') return rel[1] ?? null;
    if (rel[0] === 'seats' && rel[2] === 'presence') return rel[1] ?? null;
    if (rel[0] === 'maps') return rel[1] ?? null;
    return null;
  }

  /**
   * Every message from the broker: its envelope is checked here, before any topic reads it — the
   * member it names must have signed it with the key this seat pinned for that member (and a topic
   * that speaks for a member must name that member). A presence carries its member's key and is
   * signed by it; the first key seen for a member is pinned, another one refused. A message of a
   * member whose key is not known yet waits (bounded) for its presence.
   */
  private receive(topic: string, payload: Buffer): void {
    const rel = topic
      .slice(this.t.prefix.length + 1)
      .split('/')
      .map(decodeURIComponent);
    const author = ControlRoomLink.author(rel);
    if (payload.length > MAX_MESSAGE)
      return this.notice(`size:${topic}`, `a message of ${payload.length} bytes on ${topic} refused (too big)`);
    const text = payload.toString('utf8');
    // This seat's command topic: whatever came is read now or never, its retained copy goes.
    if (rel[0] === 'seats' && rel[2] === 'commands' && rel[1] === this.settings?.seat && text)
      this.queue(topic, '', true, `clear:${topic}`);
    if (!text) {
      this.taken.delete(topic);
      return this.cleared(rel);
    }
    const digest = rel[0] === 'alarms' ? createHash('sha256').update(payload).digest('base64') : null;
    if (digest && this.taken.get(topic) === digest) return;
    const envelope = openEnvelope(text);
    if (!envelope) return this.notice(`unsigned:${rel[0]}:${author ?? '?'}`, `an unsigned message on ${topic} refused`);
    if (author !== null && author !== envelope.by)
      return this.notice(
        `other:${envelope.by}:${author}`,
        `a message of ${envelope.by} on ${author}'s topic ${topic} refused (a member speaks for itself only)`,
      );
    if (rel[0] === 'seats' && rel[2] === 'presence') return this.receivePresence(topic, envelope);
    const key = this.pins.get(envelope.by);
    if (!key) return this.hold(envelope.by, topic, payload);
    if (!envelopeValid(topic, envelope, key))
      return this.notice(
        `forged:${envelope.by}`,
        `a message on ${topic} naming ${envelope.by} refused: not signed by ${envelope.by}'s key`,
      );
    try {
      if (this.dispatch(rel, topic, envelope.body, envelope.by) && digest) this.taken.set(topic, digest);
    } catch (e) {
      // Signed, but not what its topic reads (or naming another member): said, naming the sender.
      const why = e instanceof z.ZodError ? `not a valid ${rel[0]} message` : (e as Error).message;
      this.notice(`bad:${rel[0]}:${envelope.by}`, `a message of ${envelope.by} on ${topic} refused: ${why}`);
    }
  }

  /**
   * An empty retained message: how MQTT deletes a retained copy, so it carries no signature. It
   * can only end a claim (a PTZ hold, an account's receiver); it never adds an action, an alarm, a
   * command or a presence.
   */
  private cleared(rel: readonly string[]): void {
    if (rel[0] === 'ptz') {
      if (this.ptz.delete(`${rel[1]}/${rel[2]}`)) this.on.status(this.status());
    } else if (rel[0] === 'receivers') this.receivers.delete(rel[1]!);
    else if (rel[0] === 'maps' && rel[1]) this.mapInbox?.(rel[1], rel.slice(2), '');
  }

  /**
   * A member's message whose signature was checked: each kind as its topic says. `by` signed it.
   * True when an alarm state was taken (not refused): the same bytes again need no second look.
   */
  private dispatch(rel: readonly string[], topic: string, text: string, by: string): boolean {
    const json = () => JSON.parse(text) as unknown;
    switch (rel[0]) {
      case 'alarms':
        return this.receiveState(AlarmState.parse(json()), rel[1]!, rel[2]!, by);
      case 'actions': {
        const action = AlarmAction.parse(json());
        if (action.seat !== by) throw new Error(`an action of seat ${action.seat} signed by ${by}`);
        this.applyTheirs([action], by, null);
        return false;
      }
      case 'seats':
        if (rel[2] === 'commands' && rel[1] === this.settings?.seat)
          this.receiveCommand(SeatCommand.parse(json()), rel[3]!, by);
        return false;
      case 'ptz': {
        const key = `${rel[1]}/${rel[2]}`;
        const holder = Holder.parse(json());
        if (holder.accountId !== rel[1] || holder.channelId !== rel[2]) throw new Error('PTZ holder and topic differ');
        if (holder.seat !== by) throw new Error(`a PTZ hold of seat ${holder.seat} signed by ${by}`);
        if (!this.bounded(this.ptz, key, 4 * MAX_SEATS, 'PTZ holders', by)) return false;
        this.ptz.set(key, holder);
        this.on.status(this.status());
        return false;
      }
      case 'bookmarks':
        // A bookmark counts only on its author's topic, sealed by that author.
        if (rel[1] !== by) throw new Error(`a bookmark on ${rel[1]}'s topic signed by ${by}`);
        this.bookmarkInbox?.(rel[1]!, rel[2]!, text);
        return false;
      case 'maps':
        // Author-only branch: the link checked above that the topic's seat signed it.
        this.mapInbox?.(rel[1]!, rel.slice(2), text);
        return false;
      case 'receivers': {
        const claim = ReceiverClaim.parse(json());
        if (claim.seat !== by) throw new Error(`a receiver claim of seat ${claim.seat} signed by ${by}`);
        if (!this.bounded(this.receivers, rel[1]!, 4 * MAX_SEATS, 'receiver claims', by)) return false;
        this.receivers.set(rel[1]!, claim.seat);
        return false;
      }
    }
    // A kind a later version shares: signed and checked like every other, read by nobody here.
    return false;
  }

  /** A member's presence, signed by the key it announces: pinned on first sight, another key refused. */
  private receivePresence(topic: string, envelope: Envelope): void {
    const presence = Presence.parse(JSON.parse(envelope.body));
    if (presence.seat !== envelope.by) throw new Error(`a presence of seat ${presence.seat} signed as ${envelope.by}`);
    const seat = presence.seat;
    if (!envelopeValid(topic, envelope, presence.key))
      return this.notice(`forged:${seat}`, `a presence of ${seat} refused: not signed by the key it announces`);
    const pinned = this.pins.get(seat);
    if (pinned && pinned !== presence.key) {
      if (this.offered.size < MAX_SEATS || this.offered.has(seat))
        this.offered.set(seat, { key: presence.key, at: Date.now() });
      return this.notice(
        `key:${seat}:${presence.key}`,
        `${seat} announced another signing key (${fingerprint(presence.key)}) than the one pinned here (${fingerprint(pinned)}): its messages are refused until a supervisor revokes the pinned key`,
      );
    }
    if (!this.bounded(this.seats, seat, MAX_SEATS, 'seats', seat)) return;
    if (!pinned && !this.bounded(this.pins, seat, MAX_SEATS, 'pinned keys', seat)) return;
    if (!pinned) this.pins.set(seat, presence.key);
    this.db.pin(this.settings!.site, seat, presence.key); // first sight pins; later ones note the time
    const { key: _k, ...shown } = presence;
    this.seats.set(seat, shown);
    this.on.status(this.status());
    this.release(seat);
  }

  /** Keeps a message of a member whose key is not known yet (bounded), until its presence comes. */
  private hold(seat: string, topic: string, payload: Buffer): void {
    const list = this.held.get(seat) ?? [];
    if (
      list.length >= BOUNDS.heldPerSeat ||
      this.heldCount >= BOUNDS.heldTotal ||
      (!list.length && this.held.size >= MAX_SEATS)
    )
      return this.notice(
        `held:${seat}`,
        `messages naming ${seat}, whose signing key is not known here, refused (too many waiting)`,
      );
    list.push({ topic, payload, at: Date.now() });
    this.held.set(seat, list);
    this.heldCount++;
  }

  /** A member's key is known now: what waited for it is read (and checked) in order. */
  private release(seat: string): void {
    const list = this.held.get(seat);
    if (!list) return;
    this.held.delete(seat);
    this.heldCount -= list.length;
    for (const m of list)
      try {
        this.receive(m.topic, m.payload);
      } catch (e) {
        log.warn(`control room: message on ${m.topic} not handled: ${(e as Error).message}`);
      }
  }

  /** Drops what waited longer than HOLD_MS for a member's presence, saying whose it was. */
  private sweepHeld(now = Date.now()): void {
    for (const [seat, list] of this.held) {
      const keep = list.filter((m) => now - m.at < HOLD_MS);
      if (keep.length === list.length) continue;
      this.notice(
        `unknown:${seat}`,
        `${list.length - keep.length} message(s) naming ${seat} dropped: no presence (signing key) of ${seat} came within ${HOLD_MS / 1000} s`,
      );
      this.heldCount -= list.length - keep.length;
      if (keep.length) this.held.set(seat, keep);
      else this.held.delete(seat);
    }
  }

  /**
   * Actions another member shared (`from`: on its actions topic, or in an alarm state) that count
   * here: each signed by the seat it names, dated sanely (`alarmAt` for an alarm that is not kept
   * yet), and within the bounds. Answers nothing; the alarms they changed are announced.
   */
  private applyTheirs(actions: readonly AlarmAction[], from: string, alarmAt: number | null): void {
    const now = Date.now();
    const counts = this.db.counts(from);
    const ok: AlarmAction[] = [];
    for (const a of actions) {
      const key = this.pins.get(a.seat);
      if (!key || !actionValid(a, key)) {
        this.notice(
          `action-sig:${a.seat}:${from}`,
          `an action naming ${a.seat} (from ${from}) refused: not signed by ${a.seat}'s key`,
        );
        continue;
      }
      const at = this.db.alarmAt(a.alarmId) ?? alarmAt;
      const late = actionTimeRefused(a.at, at, now);
      if (late) {
        this.notice(`action-time:${a.seat}`, `an action of ${a.seat} (from ${from}) refused: ${late}`);
        continue;
      }
      if (at === null) {
        // For an alarm not here (yet): kept apart, bounded per member and in total.
        if (counts.orphansOfSeat >= BOUNDS.orphansPerSeat || counts.orphans >= BOUNDS.orphansTotal) {
          this.notice(
            `orphans:${a.seat}`,
            `actions of ${a.seat} for alarms this seat does not have refused (more than ${BOUNDS.orphansPerSeat} of a member or ${BOUNDS.orphansTotal} in all wait)`,
          );
          continue;
        }
        counts.orphansOfSeat++;
        counts.orphans++;
      } else if (
        this.db.actionCount(a.alarmId) >= MAX_ACTIONS &&
        !this.db.actions(a.alarmId).some((x) => x.id === a.id)
      ) {
        this.notice(
          `actions:${a.seat}`,
          `an action of ${a.seat} refused: its alarm already has ${MAX_ACTIONS} actions`,
        );
        continue;
      }
      ok.push(a);
    }
    if (ok.length) for (const alarm of this.db.applyActions(ok, now)) this.on.alarm(alarm);
  }

  /** A command to this seat from `by` (it names its sender): kept once, fresh and within bounds. */
  private receiveCommand(cmd: SeatCommand, id: string, by: string): void {
    if (cmd.from.seat !== by) throw new Error(`a command from seat ${cmd.from.seat} signed by ${by}`);
    if (cmd.id !== id) throw new Error('command id and topic differ');
    const now = Date.now();
    if (!commandFresh(now, cmd.at, now))
      return this.notice(`stale:${by}`, `a command from ${by} sent ${new Date(cmd.at).toISOString()} refused (stale)`);
    const counts = this.db.counts(by);
    if (counts.pendingFromSeat >= BOUNDS.pendingPerSeat || counts.pending >= BOUNDS.pendingTotal)
      return this.notice(
        `pending:${by}`,
        `a command from ${by} refused: ${counts.pendingFromSeat} of its commands (${counts.pending} in all) wait for a window here`,
      );
    // Kept in the database until a window takes it: none may be open yet.
    if (this.db.keepCommand(cmd)) this.on.command(cmd);
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
    for (const a of alarms) {
      const topic = this.t.alarm(a.accountId, a.messageId);
      this.taken.delete(topic);
      this.queue(topic, '', true, `state:${a.id}`);
    }
  }

  /** The members' keys pinned here, for a supervisor to compare and revoke. */
  pinnedKeys(): { own: string | null; keys: PinnedKey[] } {
    const site = this.settings?.site ?? '';
    return {
      own: this.fingerprint,
      keys: this.db.pins(site).map((p) => {
        const offer = this.offered.get(p.seat);
        return {
          seat: p.seat,
          fingerprint: fingerprint(p.key),
          firstSeen: p.firstSeen,
          lastSeen: p.lastSeen,
          offered: offer ? { fingerprint: fingerprint(offer.key), at: offer.at } : null,
        };
      }),
    };
  }

  /**
   * Forgets a member's pinned key. The key it offered since (the one the supervisor saw in the
   * list) is pinned at once; without one, the next presence it announces is pinned.
   */
  revoke(seat: string): void {
    const site = this.settings?.site;
    if (!site) return;
    this.db.unpin(site, seat);
    this.pins.delete(seat);
    for (const k of [...this.notices.keys()]) if (k.startsWith(`key:${seat}:`)) this.notices.delete(k);
    const offer = this.offered.get(seat);
    this.offered.delete(seat);
    if (offer) {
      this.db.pin(site, seat, offer.key);
      this.pins.set(seat, offer.key);
    }
    log.info(
      `control room: the pinned signing key of ${seat} revoked${offer ? `; ${fingerprint(offer.key)} pinned` : ''}`,
    );
    this.on.status(this.status());
  }

  /**
   * Another seat's view of an alarm (`by` shared it): the alarm is kept if new here (within the
   * bounds of unacknowledged alarms per member and in total), its actions join ours when each is
   * signed by its seat. When this seat knows actions the shared state lacks (two seats acted at
   * once), it shares the union. True when taken; false when refused (expired here, or past a bound).
   */
  private receiveState(state: AlarmState, accountId: string, messageId: string, by: string): boolean {
    const { alarm } = state;
    if (alarm.accountId !== accountId || alarm.messageId !== messageId || alarm.id !== `${accountId}/${messageId}`)
      throw new Error('alarm id and topic differ');
    const known = this.db.get(alarm.id);
    // Pruned here, or older than this seat keeps: not brought back (the seat that prunes it clears the broker's copy).
    if (!known && this.expired(state)) return false;
    const theirs = state.actions.filter((a) => a.alarmId === alarm.id);
    if (!known) {
      const recent = this.db.newSince(by, Date.now() - BURST_MS);
      // An agent receives for the whole site while every desk is closed: its share is the total.
      const agent = this.seats.get(by)?.kind === 'agent';
      const burst = agent ? BOUNDS.newBurstTotal : BOUNDS.newBurstPerSeat;
      const all = agent ? BOUNDS.newTotal : BOUNDS.newPerSeat;
      if (recent.fromSeat >= burst || recent.fromBroker >= BOUNDS.newBurstTotal) {
        this.notice(
          `alarms:${by}`,
          `alarms shared by ${by} refused: ${recent.fromSeat} unacknowledged alarms from ${by} (${recent.fromBroker} from the broker in all) came in the last ${BURST_MS / 60_000} minutes`,
        );
        return false;
      }
      const counts = this.db.counts(by);
      if (counts.newFromSeat >= all || counts.newFromBroker >= BOUNDS.newTotal) {
        this.notice(
          `alarms:${by}`,
          `alarms shared by ${by} refused: ${counts.newFromSeat} unacknowledged alarms from ${by} (${counts.newFromBroker} from the broker in all) are kept here already`,
        );
        return false;
      }
    }
    // A push on a fresh signature replaces one that claimed its id on a reused signature. Only the
    // receiving seat knows which signature a push came on: what this seat received itself, or
    // flagged, no other seat's message can un-flag (local wins).
    const replace =
      !known || (known.replayedSignature && !alarm.replayedSignature && known.receivedBy !== this.settings?.seat);
    if (replace) {
      this.db.putAlarm(known?.replayedSignature ? { ...alarm, replayedSignature: true } : alarm, Date.now(), by);
      this.on.alarm(this.db.get(alarm.id)!);
    }
    this.applyTheirs(theirs, by, alarm.at);
    const shared = new Set(theirs.map((a) => a.id));
    if (this.db.actions(alarm.id).some((a) => !shared.has(a.id))) this.shareAlarm(alarm.id);
    return true;
  }
}
