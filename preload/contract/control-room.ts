import { z } from 'zod';
import { isLoopbackHost } from './accounts';
import { SeatRef } from './alarms';
import { SavedView } from './wall';

/**
 * The control room: seats sharing alarms, actions, presence and send-to-seat commands through
 * one MQTT broker per site. Every field is optional to use: one seat needs no broker at all.
 * The broker password is not here: it lives in the OS keychain.
 */
const SeatName = z
  .string()
  .trim()
  .min(1, 'a seat name')
  .max(64)
  .regex(/^[^/#+]+$/, 'no / # + in a seat name');

export const BrokerUrl = z
  .string()
  .trim()
  .max(512)
  .refine((u) => {
    try {
      const url = new URL(u);
      return ['mqtt:', 'mqtts:', 'ws:', 'wss:'].includes(url.protocol) && !!url.hostname;
    } catch {
      return false;
    }
  }, 'a broker URL mqtt://, mqtts://, ws:// or wss:// with a host (e.g. mqtt://broker.site:1883)')
  .refine((u) => {
    try {
      const url = new URL(u);
      return !url.username && !url.password;
    } catch {
      return true;
    }
  }, 'no user or password in the URL: use the fields (the password goes to the keychain)');

export const ControlRoomSettings = z
  .object({
    /** Off: this seat works alone (alarms and their history are local). */
    enabled: z.boolean().default(false),
    brokerUrl: z.union([BrokerUrl, z.literal('')]).default(''),
    /** Topic prefix shared by the site's seats. */
    site: SeatName.default('site'),
    seat: SeatName.default('seat-1'),
    /** The operator signed in at this seat (shown as "acknowledged by …"). */
    user: z.string().trim().max(64).default(''),
    /** Broker login (the password is in the keychain). */
    username: z.string().max(128).default(''),
    /** PEM of the CA that signed the broker's certificate (mqtts/wss with a private CA). */
    ca: z.string().max(65536).default(''),
    /** An unacknowledged alarm escalates (sound, flashing row) after this many seconds. */
    escalateAfterSec: z.number().int().min(5).max(3600).default(60),
    /** Acknowledged alarms and their actions older than this are deleted; unacknowledged ones never. */
    retentionDays: z.number().int().min(1).max(3650).default(90),
    /** Opt-in: an arriving alarm opens its channel live in the alarm pane. */
    alarmPane: z.boolean().default(false),
    /**
     * Opt-in: this seat lists the events of platforms that list rather than push (Alibaba VCS
     * SearchTarget Event/AIoT, every 10 s; each call counts against the account's API quota) as
     * alarms — one seat per account does, the others see them through the broker.
     */
    pollEvents: z.boolean().default(false),
  })
  .strict();
export type ControlRoomSettings = z.infer<typeof ControlRoomSettings>;

/**
 * Where a stored broker password would go: the broker's scheme, host and port, the login and the
 * CA that vouches for it. Changing any of them needs the password typed again (it is sent only to
 * the broker it was typed for), as an account's secret does (issue 20).
 */
export function brokerDestination(s: Pick<ControlRoomSettings, 'brokerUrl' | 'username' | 'ca'>): string {
  let origin = '';
  try {
    const u = new URL(s.brokerUrl);
    origin = `${u.protocol}//${u.host}`;
  } catch {
    origin = s.brokerUrl;
  }
  return JSON.stringify([origin, s.username, s.ca.trim()]);
}

/** A password crosses the network only encrypted: plain mqtt:// and ws:// carry one to this machine only. */
export function brokerCarriesPasswordSafely(brokerUrl: string): boolean {
  try {
    const u = new URL(brokerUrl);
    if (u.protocol === 'mqtts:' || u.protocol === 'wss:') return true;
    return isLoopbackHost(u.hostname);
  } catch {
    return false;
  }
}

export const ControlRoomSetRequest = ControlRoomSettings.extend({
  /** New broker password (kept in the keychain); absent keeps the one stored, '' removes it. */
  password: z.string().max(512).optional(),
}).strict();

/** A seat is a desk with an operator; an agent is the always-on member without a window (`npm run agent`). */
export const MemberKind = z.enum(['seat', 'agent']);
export type MemberKind = z.infer<typeof MemberKind>;
/** An agent's health as its presence carries it (refreshed every half minute while it runs). */
export const AgentHealth = z.object({
  /** Messages waiting for the broker in the agent's outbox. */
  queued: z.number(),
  /** Unacknowledged alarms in its history. */
  unacknowledged: z.number(),
  /** When it last received an alarm from a platform (null: not this run). */
  lastAlarmAt: z.number().nullable(),
  alarmsPerMinute: z.number(),
  /** Accounts whose pushes or events it receives. */
  receiving: z.array(z.string().max(64)).max(256),
  /** Accounts whose pushes it keeps while another member receives them (behind a failover proxy). */
  standingBy: z.array(z.string().max(64)).max(256).optional(),
});
export type AgentHealth = z.infer<typeof AgentHealth>;
export const SeatPresence = z.object({
  seat: z.string(),
  user: z.string(),
  online: z.boolean(),
  at: z.number(),
  /** Absent from members before agents existed: a seat. */
  kind: MemberKind.optional(),
  health: AgentHealth.optional(),
});
export type SeatPresence = z.infer<typeof SeatPresence>;
export const PtzHolder = z.object({
  accountId: z.string(),
  channelId: z.string(),
  seat: z.string(),
  user: z.string(),
  at: z.number(),
});
export type PtzHolder = z.infer<typeof PtzHolder>;

export const BrokerState = z.enum(['off', 'connecting', 'online', 'offline', 'error']);
export const ControlRoomStatus = z.object({
  enabled: z.boolean(),
  state: BrokerState,
  /** Why the broker is not reached, in a sentence (bad URL, refused login, TLS, unreachable). */
  error: z.string().nullable(),
  site: z.string(),
  seat: z.string(),
  user: z.string(),
  /** Messages waiting for the broker (kept in the seat's database). */
  queued: z.number(),
  hasPassword: z.boolean(),
  seats: z.array(SeatPresence),
  ptz: z.array(PtzHolder),
  /** What this seat refused from the broker lately (a forged or unsigned message, a bound), naming the sender. */
  notices: z.array(z.object({ at: z.number(), text: z.string() })).default([]),
});
export type ControlRoomStatus = z.infer<typeof ControlRoomStatus>;
export const ControlRoomState = z.object({ settings: ControlRoomSettings, status: ControlRoomStatus });

/** What one seat asks another's wall to show. */
export const SeatCommandBody = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('open-channel'),
      accountId: z.string().max(64),
      channelId: z.string().max(256),
      name: z.string().max(128),
    })
    .strict(),
  z
    .object({
      kind: z.literal('open-view'),
      /** a wall view as Vigil saves them: layout and the channel of each pane */
      view: SavedView.omit({ id: true }),
    })
    .strict(),
]);
export type SeatCommandBody = z.infer<typeof SeatCommandBody>;
export const SeatCommand = z.object({
  id: z.string().min(8).max(64),
  from: SeatRef,
  at: z.number(),
  command: SeatCommandBody,
});
export type SeatCommand = z.infer<typeof SeatCommand>;
/**
 * A member's signing key as this seat pinned it on first sight: what a supervisor compares with
 * the fingerprint the seat itself shows. `offered` is another key that member announced since,
 * refused while this one is pinned.
 */
export const PinnedKey = z.object({
  seat: z.string(),
  fingerprint: z.string(),
  firstSeen: z.number(),
  lastSeen: z.number(),
  offered: z.object({ fingerprint: z.string(), at: z.number() }).nullable(),
});
export type PinnedKey = z.infer<typeof PinnedKey>;
export const PinnedKeys = z.object({
  /** This seat's own key's fingerprint (null until the control room started once). */
  own: z.string().nullable(),
  keys: z.array(PinnedKey),
});
export const RevokeKeyRequest = z.object({ seat: z.string().min(1).max(64) }).strict();
export const SendToSeatRequest = z.object({ seat: SeatName, command: SeatCommandBody }).strict();
export const PtzHoldRequest = z
  .object({ accountId: z.string().max(64), channelId: z.string().max(256), hold: z.boolean() })
  .strict();
