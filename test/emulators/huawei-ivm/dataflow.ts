import { createHash, randomBytes } from 'node:crypto';
import type { IncomingRequest, Reply } from '../common/http';
import { fail, itemResult } from './errors';
import { PeopleCounts } from './people-counts';

/**
 * Huawei IVM chapter 10: push-message callbacks (10.1, with the connectivity test on
 * registration, signed pushes, no retries and the 6-failure / 10-minute breaker), picture
 * download URLs for pushed alarms and TLV data (10.2, valid 5 minutes, alarm pictures kept 7
 * days), the cloud snapshot (10.3, one per channel per 10 s, stored pictures fetched with the
 * Access-Token as JSON or binary) and people-flow / heat-map statistics (10.4, HOLO only).
 */
export const SUBSCRIPTIONS = [
  'DEVICE_ALARM',
  'DEVICE_EXCEPTION',
  'DEVICE_UNBIND',
  'TARGET_DATA',
  'THIRD_DATA',
  'VEHICLE_DATA',
  'HEAD_SHOULDER_DATA',
  'BEHAVIOR_ANALYSIS_DATA',
  'MICRO_CHECKPOINT_DATA',
] as const;
export type Subscription = (typeof SUBSCRIPTIONS)[number];
const MESSAGE_TYPE: Record<Subscription, string> = {
  DEVICE_ALARM: 'device_alarm',
  DEVICE_EXCEPTION: 'device_status',
  DEVICE_UNBIND: 'device_unbind',
  TARGET_DATA: 'target_data',
  THIRD_DATA: 'third_data',
  VEHICLE_DATA: 'vehicle_data',
  HEAD_SHOULDER_DATA: 'head_shoulder_data',
  BEHAVIOR_ANALYSIS_DATA: 'behavior_analysis_data',
  MICRO_CHECKPOINT_DATA: 'micro_checkpoint_data',
};
const PICTURE_TYPES: Record<string, string[]> = {
  TARGET: ['BODY', 'BACKGROUND', 'TARGET'],
  VEHICLE: ['VEHICLE', 'BODY', 'BACKGROUND', 'PLATE'],
};
const OLD_CLASSIFICATIONS = new Set([
  'INTELLIGENT',
  'TARGET',
  'TARGET_DET',
  'CROWD',
  'THIRD_PARTY',
  'THIRDPARTY_INTELLIGENT',
]);
const PERIODS = new Set(['DAY', 'WEEK', 'MONTH', 'YEAR']);
const DAY_MS = 86400_000;
const URL_TTL_MS = 5 * 60_000;

/** What the module needs of a channel (the caller validates ids and throws documented errors). */
export interface SnapChannel {
  protocol: 'HOLO' | 'GB28181';
  deviceOnline: boolean;
  channelOnline: boolean;
}
interface Callback {
  callback_url: string;
  subscription_type: Subscription;
  auth_key?: string;
  create_time: string;
  update_time: string;
}

export class DataFlow {
  readonly callbacks = new Map<Subscription, Callback>();
  /** URL → consecutive failed pushes and when the breaker opened */
  private readonly breakers = new Map<string, { failures: number; openUntil: number }>();
  /** alarm_uuid → when it fired; data_id → picture types it has */
  private readonly alarms = new Map<string, number>();
  private readonly tlv = new Map<string, { classification: 'TARGET' | 'VEHICLE'; types: string[] }>();
  private readonly lastSnap = new Map<string, number>();
  /** stored snapshots by id; null = the capture failed after the URL was handed out */
  private readonly snaps = new Map<string, Buffer | null>();
  /** pre-signed picture URLs: secret → expiry */
  private readonly signed = new Map<string, number>();
  private snapCount = 0;
  /** Test switches: the next stored snapshot fails to capture; pushes log here. */
  failNextSnapshot = false;
  readonly pushed: Array<{ url: string; status: number | 'timeout' | 'breaker'; body: string }> = [];

  constructor(
    private readonly baseUrl: () => string,
    private readonly clock: () => number,
    private readonly picture: Buffer,
    private readonly beijing: (ms: number) => string,
  ) {
    this.counts = new PeopleCounts(clock, (ms) => beijing(ms).slice(0, 13));
  }

  /** The seeded people counts behind §10.4 (tests read the expected numbers here). */
  readonly counts: PeopleCounts;

  async route(
    method: string,
    rest: string,
    q: Map<string, string>,
    body: unknown,
    snapChannel: (d: unknown, c: unknown) => SnapChannel,
  ): Promise<{ matched: true; body: unknown } | { matched: false }> {
    const done = (out: unknown) => ({ matched: true as const, body: out });
    const b = (body ?? {}) as Record<string, unknown>;
    if (rest === '/messages/callback' && method === 'POST') return done(await this.configure(b));
    if (rest === '/messages/callback' && method === 'DELETE') return done(this.deleteCallback(q));
    if (rest === '/messages/callback' && method === 'GET') return done(this.queryCallback(q));
    if (rest === '/alarms/pictures' && method === 'POST') return done(this.alarmPictures(b));
    if (rest === '/intelligence-data/pictures' && method === 'POST') return done(this.tlvPictures(b));
    if (rest === '/devices/snap' && method === 'GET') return done(this.snap(q, snapChannel));
    if (rest === '/statistics/people' && method === 'GET') return done(this.people(q, snapChannel));
    if ((rest === '/time-heatmap' || rest === '/space-heatmap') && method === 'GET')
      return done(this.heatmap(rest.slice(1), q, snapChannel));
    return { matched: false };
  }

  private subscription(v: unknown): Subscription {
    return SUBSCRIPTIONS.includes(v as Subscription) ? (v as Subscription) : fail('IVM.10027022');
  }

  /** 10.1.1: validates, tests the URL (200 within 5 s), stores; re-configuring clears the breaker. */
  private async configure(b: Record<string, unknown>) {
    const url = b.callback_url;
    if (
      typeof url !== 'string' ||
      url.length < 1 ||
      url.length > 256 ||
      /\p{Script=Han}/u.test(url) ||
      !/^https?:\/\/[^\s/]+/i.test(url)
    )
      fail('IVM.20050003');
    const type = this.subscription(b.subscription_type);
    if (b.auth_key !== undefined && (typeof b.auth_key !== 'string' || b.auth_key.length < 6 || b.auth_key.length > 18))
      fail('IVM.10027061');
    const test = await this.post(
      url as string,
      `{"message_id":${messageId(this.clock())},"test":true}`,
      b.auth_key as string | undefined,
      true,
    );
    if (test !== 200) fail('IVM.20050005');
    this.breakers.delete(url as string);
    const now = this.beijing(this.clock());
    const old = this.callbacks.get(type);
    const rec: Callback = {
      callback_url: url as string,
      subscription_type: type,
      ...(b.auth_key !== undefined ? { auth_key: b.auth_key as string } : {}),
      create_time: old?.create_time ?? now,
      update_time: now,
    };
    this.callbacks.set(type, rec);
    return { callback_url: rec.callback_url, subscription_type: type, create_time: rec.create_time };
  }

  private deleteCallback(q: Map<string, string>) {
    const type = this.subscription(q.get('subscription_type'));
    if (!this.callbacks.delete(type)) fail('IVM.20050004');
    return { subscription_type: type };
  }

  /** 10.1.3: `{}` when nothing is configured; `auth_key` comes back in clear text. */
  private queryCallback(q: Map<string, string>) {
    const type = this.subscription(q.get('subscription_type'));
    return this.callbacks.get(type) ?? {};
  }

  /**
   * Pushes one message of a subscription type to its URL, signed when an auth_key is set
   * (10.1.4.1). `message_id` is a 19-digit integer written as JSON text (beyond 2^53, §0.7).
   * Alarm uuids and TLV data ids become available for picture download. No retries.
   */
  async push(
    type: Subscription,
    data: Record<string, unknown>,
    rawJson?: string,
  ): Promise<number | 'timeout' | 'breaker' | 'unconfigured'> {
    const cb = this.callbacks.get(type);
    if (typeof data.alarm_uuid === 'string') this.alarms.set(data.alarm_uuid, this.clock());
    if (typeof data.data_id === 'string' && (type === 'TARGET_DATA' || type === 'VEHICLE_DATA')) {
      const classification = type === 'TARGET_DATA' ? 'TARGET' : 'VEHICLE';
      this.tlv.set(data.data_id, { classification, types: PICTURE_TYPES[classification]! });
    }
    if (!cb) return 'unconfigured';
    const breaker = this.breakers.get(cb.callback_url);
    if (breaker && breaker.openUntil > this.clock()) {
      this.pushed.push({ url: cb.callback_url, status: 'breaker', body: '' });
      return 'breaker';
    }
    const body = `{"message_id":${messageId(this.clock())},"message_type":"${MESSAGE_TYPE[type]}","data":${rawJson ?? JSON.stringify(data)},"test":false}`;
    const status = await this.post(cb.callback_url, body, cb.auth_key, false);
    const b = this.breakers.get(cb.callback_url) ?? { failures: 0, openUntil: 0 };
    b.failures = status === 200 ? 0 : b.failures + 1;
    if (b.failures >= 6) b.openUntil = this.clock() + 10 * 60_000;
    this.breakers.set(cb.callback_url, b);
    return status;
  }

  private async post(
    url: string,
    body: string,
    authKey: string | undefined,
    isTest: boolean,
  ): Promise<number | 'timeout'> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (authKey) {
      // §10.1.4.1 prints the headers `X-lvm-Timestamp` / `X-lvm-Signature` (lower-case L); the
      // spec reads them as `X-Ivm-…` (gotcha 8). Both spellings go out, with the same values, so a
      // receiver written from either document finds its header.
      const ts = String(Math.floor(this.clock() / 1000));
      const signature = createHash('sha256').update(`${url}|${ts}|${authKey}`).digest('hex');
      for (const prefix of ['X-lvm', 'X-Ivm']) {
        headers[`${prefix}-Timestamp`] = ts;
        headers[`${prefix}-Signature`] = signature;
      }
    }
    let status: number | 'timeout';
    try {
      const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer().catch(() => undefined);
      status = res.status;
    } catch {
      status = 'timeout';
    }
    if (!isTest) this.pushed.push({ url, status, body });
    return status;
  }

  private ids(list: unknown, max: number): string[] {
    if (!Array.isArray(list) || list.length === 0) return fail('IVM.10020001');
    if (list.length > max) fail('IVM.10027006');
    return list as string[];
  }

  /** A pre-signed plain-HTTP `.jav` URL like the document's (valid 5 minutes). */
  private presign(name: string): string {
    const secret = randomBytes(18).toString('base64url');
    const expire = Math.floor((this.clock() + URL_TTL_MS) / 1000);
    this.signed.set(secret, expire * 1000);
    return `${this.baseUrl()}/v1/holo/${encodeURIComponent(name)}.jav?secret=${secret}&type=0&expire=${expire}&extend=0`;
  }

  /** 10.2.2: per-uuid results; pictures are kept 7 days. */
  private alarmPictures(b: Record<string, unknown>) {
    if (b.alarm_classification !== undefined && !OLD_CLASSIFICATIONS.has(String(b.alarm_classification)))
      fail('IVM.10027005');
    const uuids = this.ids(b.alarm_uuids, 100);
    for (const u of uuids) if (typeof u !== 'string' || u.length < 1 || u.length > 128) fail('IVM.10020014');
    const alarms = uuids.map((alarm_uuid) => {
      const at = this.alarms.get(alarm_uuid);
      const code = at === undefined ? 'IVM.10027007' : this.clock() - at > 7 * DAY_MS ? 'IVM.20040004' : 'IVM.0';
      return {
        alarm_uuid,
        url: code === 'IVM.0' ? this.presign(alarm_uuid) : '',
        targetgroup_url: '',
        result: itemResult(code),
      };
    });
    return { failed_num: alarms.filter((a) => a.result.code !== 'IVM.0').length, alarms };
  }

  /** 10.2.1: TARGET or VEHICLE data ids; `ALL` lists every picture the record has. */
  private tlvPictures(b: Record<string, unknown>) {
    const cls = b.data_classification;
    if (cls !== 'TARGET' && cls !== 'VEHICLE') return fail('IVM.10027005');
    const type = b.type;
    if (typeof type !== 'string' || (type !== 'ALL' && !PICTURE_TYPES[cls]!.includes(type))) fail('IVM.10027010');
    const ids = this.ids(b.data_ids, 100);
    for (const id of ids) if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) fail('IVM.10022030');
    const data = ids.map((data_id) => {
      const rec = this.tlv.get(data_id);
      const code = !rec || rec.classification !== cls ? 'IVM.10027009' : 'IVM.0';
      const types = code === 'IVM.0' ? (type === 'ALL' ? rec!.types : [type as string]) : [];
      return {
        data_id,
        urls: types.map((t) => ({ type: t, url: this.presign(`tlv_${data_id}_${t}`) })),
        result: itemResult(code),
      };
    });
    return { failed_num: data.filter((d) => d.result.code !== 'IVM.0').length, data };
  }

  /** 10.3.1: one snapshot per channel per 10 s; the stored URL exists even if the capture fails. */
  private snap(q: Map<string, string>, snapChannel: (d: unknown, c: unknown) => SnapChannel) {
    const storage = q.get('storage');
    const ch = snapChannel(q.get('device_id'), q.get('channel_id'));
    if (storage !== 'true' && storage !== 'false') fail('IVM.20040012');
    if (!ch.deviceOnline) fail('IVM.20000036');
    if (!ch.channelOnline) fail('IVM.20000043');
    const key = `${q.get('device_id')}/${q.get('channel_id')}`;
    const last = this.lastSnap.get(key);
    if (last !== undefined && this.clock() - last < 10_000) fail('IVM.20040009');
    this.lastSnap.set(key, this.clock());
    if (storage === 'false') return { pic_url: '', pic_data: this.picture.toString('base64') };
    const id = `${q.get('device_id')}_${q.get('channel_id')}_${++this.snapCount}`;
    this.snaps.set(id, this.failNextSnapshot ? null : this.picture);
    this.failNextSnapshot = false;
    return { pic_url: `${this.baseUrl()}/v1/holo/${id}/static`, pic_data: '' };
  }

  /**
   * Serves `/v1/holo/…`: stored snapshots (Access-Token checked by the caller; odd ones as JSON
   * `{pic_data}`, even ones as binary, so clients meet both formats) and pre-signed `.jav` pictures.
   */
  serveHolo(req: IncomingRequest, authenticated: () => void): Reply | 'handled' {
    const jav = /^\/v1\/holo\/([^/]+)\.jav$/.exec(req.path);
    if (jav) {
      const secret = req.url.searchParams.get('secret') ?? '';
      const until = this.signed.get(secret);
      if (until === undefined || until < this.clock()) return { status: 403, text: 'expired or unknown signature' };
      return this.binary(req, this.picture);
    }
    const m = /^\/v1\/holo\/([^/]+)\/static$/.exec(req.path);
    if (!m) return fail('IVM.90000007');
    authenticated();
    const id = decodeURIComponent(m[1]!);
    const pic = this.snaps.get(id);
    if (!pic) return fail('IVM.20040011');
    const n = Number(id.split('_').pop());
    return n % 2 === 1 ? { status: 200, body: { pic_data: pic.toString('base64') } } : this.binary(req, pic);
  }

  private binary(req: IncomingRequest, bytes: Buffer): 'handled' {
    req.res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': bytes.length });
    req.res.end(bytes);
    return 'handled';
  }

  private holoOnly(q: Map<string, string>, snapChannel: (d: unknown, c: unknown) => SnapChannel, gbCode: string): void {
    if (snapChannel(q.get('device_id'), q.get('channel_id')).protocol !== 'HOLO') fail(gbCode);
  }

  /** 10.4.1: DAY 24 hours, WEEK 7 days, MONTH its days, YEAR 12 months; WEEK ↔ MONTH by span. */
  private people(q: Map<string, string>, snapChannel: (d: unknown, c: unknown) => SnapChannel) {
    this.holoOnly(q, snapChannel, 'IVM.20020011');
    let type = q.get('type') ?? '';
    if (!PERIODS.has(type) && type !== 'CUSTOMIZE') fail('IVM.20090019');
    const start = ymd(q.get('start_date')) ?? fail('IVM.10020005');
    const endRaw = q.get('end_date');
    const end =
      endRaw === undefined || endRaw === ''
        ? type === 'CUSTOMIZE'
          ? fail('IVM.10020006')
          : start
        : (ymd(endRaw) ?? fail('IVM.10020006'));
    if ((type === 'WEEK' || type === 'MONTH' || type === 'CUSTOMIZE') && end < start) fail('IVM.10020007');
    const span = (end.getTime() - start.getTime()) / DAY_MS;
    if (type === 'WEEK' && span >= 7) type = 'MONTH';
    else if (type === 'MONTH' && span < 7) type = 'WEEK';
    else if (type === 'CUSTOMIZE') type = span >= 7 ? 'MONTH' : 'WEEK';
    const camera = `${q.get('device_id')}/${q.get('channel_id')}`;
    const first = periodStart(type as Period, start);
    return {
      in: this.counts.series(camera, type as Period, first, 'in'),
      out: this.counts.series(camera, type as Period, first, 'out'),
    };
  }

  /** 10.4.2 / 10.4.3: the period containing `start_time`; the space map is width×height bytes. */
  private heatmap(which: string, q: Map<string, string>, snapChannel: (d: unknown, c: unknown) => SnapChannel) {
    this.holoOnly(q, snapChannel, 'IVM.20090022');
    const type = q.get('type') ?? '';
    if (!PERIODS.has(type)) fail('IVM.20090019');
    const start = dateTime(q.get('start_time')) ?? fail('IVM.10020005');
    const camera = `${q.get('device_id')}/${q.get('channel_id')}`;
    const first = periodStart(type as Period, start);
    if (which === 'time-heatmap') {
      const ins = this.counts.series(camera, type as Period, first, 'in');
      const outs = this.counts.series(camera, type as Period, first, 'out');
      return { data: ins.map((v, i) => v + outs[i]!) };
    }
    const [width, height] = SPACE_GRID;
    const period = `${type}/${first.toISOString().slice(0, 10)}`;
    return { width, height, rawbase64: this.counts.space(camera, period, width, height).toString('base64') };
  }
}

/** A 19-digit, time-based, never repeating id (above 2^53: written as JSON text). */
let lastId = 0n;
function messageId(now: number): string {
  let id = BigInt(now) * 1_000_000n + BigInt(Math.floor(Math.random() * 1_000_000));
  if (id <= lastId) id = lastId + 1n;
  lastId = id;
  return id.toString();
}

function ymd(s: string | undefined): Date | null {
  const m = /^(\d{4})(\d\d)(\d\d)$/.exec(s ?? '');
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return d.getUTCDate() === +m[3]! && d.getUTCMonth() === +m[2]! - 1 ? d : null;
}

/** `yyyy-MM-dd HH:mm:ss` (§10.4.2/§10.4.3), a real calendar day and time of day; its day at 00:00 UTC. */
function dateTime(s: string | undefined): Date | null {
  const m = /^(\d{4})-(\d\d)-(\d\d) ([01]\d|2[0-3]):([0-5]\d):([0-5]\d)$/.exec(s ?? '');
  return m ? ymd(`${m[1]}${m[2]}${m[3]}`) : null;
}

type Period = 'DAY' | 'WEEK' | 'MONTH' | 'YEAR';
/** §10.4.3's grid: the document's example is 12 × 15; a 16:9 camera's map, small as the device makes it. */
const SPACE_GRID = [32, 18] as const;

/** The first day of the period holding `day` (a week from its Monday, as chapter 11 counts days). */
function periodStart(type: Period, day: Date): Date {
  const y = day.getUTCFullYear();
  if (type === 'YEAR') return new Date(Date.UTC(y, 0, 1));
  if (type === 'MONTH') return new Date(Date.UTC(y, day.getUTCMonth(), 1));
  if (type === 'WEEK') return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY_MS);
  return day;
}
