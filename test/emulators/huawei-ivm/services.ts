import { fail, itemResult } from './errors';

/**
 * Huawei IVM chapters 12 and 13: the enterprise's resources (one on-demand resource per service
 * type, created with the enterprise, plus the packages it bought) and which channel is bound to
 * which. A channel holds at most one resource per type; binding another resource of the type
 * switches it (§12 model). Binding keeps the channel's `channel_resource_state` grants (part 1
 * A.10) in step, so live view, recording plans and the target library see the change.
 */
export type ServiceType = 'MANAGE' | 'NORMAL' | 'MOTION' | 'DATAFLOW';
export interface Resource {
  resource_id: string;
  resource_type_code: ServiceType;
  resource_name: string;
  mode: 'PACKAGE' | 'ONDEMAND';
  /** channel quota; -1 on demand */
  total_num: number;
  version: 'ENTERPRISE' | 'ADVANCED' | 'OTHER';
  resource_state: 'NORMAL' | 'ARREARS' | 'UNAVAILABLE';
  Exp_time: string;
}
/** What the module needs of a channel: its grants (mutated here) and names for §13.2. */
export interface ServiceChannel {
  resources: string[];
  channel_name: string;
  channel_state: string;
  device_name: string;
}
interface Binding {
  resourceId: string;
  storageDay: number;
}

const TYPES: ServiceType[] = ['MANAGE', 'NORMAL', 'MOTION', 'DATAFLOW'];
/** Service type → the channel grant prefix of part 1 A.10. */
const GRANT: Record<ServiceType, string> = {
  MANAGE: 'MANAGEMENT',
  NORMAL: 'FULL_RECORD',
  MOTION: 'EVENT_RECORD',
  DATAFLOW: 'INDUSTRY_DATA',
};
/** §12.2 names continuous storage RECORD (gotcha 33). */
const UNBIND_TYPES: Record<string, ServiceType> = {
  MANAGE: 'MANAGE',
  RECORD: 'NORMAL',
  MOTION: 'MOTION',
  DATAFLOW: 'DATAFLOW',
};
const RESOURCE_ID = /^[A-Za-z0-9]{32}$/;

export class Services {
  readonly resources: Resource[] = [];
  /** `${device}/${channel}` → type → binding */
  private readonly bindings = new Map<string, Map<ServiceType, Binding>>();

  constructor(
    /** The channel, or a thrown documented error (device/channel unknown). */
    private readonly channel: (deviceId: unknown, channelId: unknown) => ServiceChannel,
    expires: string,
  ) {
    const names: Record<ServiceType, string> = {
      MANAGE: '按需接入调阅',
      NORMAL: '按需连续云存储',
      MOTION: '按需动检云存储',
      DATAFLOW: '按需行业数据流',
    };
    TYPES.forEach((t, i) =>
      this.resources.push({
        resource_id: resourceId(`ondemand${t.toLowerCase()}${i}`),
        resource_type_code: t,
        resource_name: names[t],
        mode: 'ONDEMAND',
        total_num: -1,
        version: 'ENTERPRISE',
        resource_state: 'NORMAL',
        Exp_time: expires,
      }),
    );
    this.resources.push({
      resource_id: resourceId('pkgnormal90d'),
      resource_type_code: 'NORMAL',
      resource_name: '90天连续云存储月套餐',
      mode: 'PACKAGE',
      total_num: 5,
      version: 'ADVANCED',
      resource_state: 'NORMAL',
      Exp_time: expires,
    });
    this.resources.push({
      resource_id: resourceId('pkgmotion30d'),
      resource_type_code: 'MOTION',
      resource_name: '30天动检云存储月套餐',
      mode: 'PACKAGE',
      total_num: 2,
      version: 'ENTERPRISE',
      resource_state: 'UNAVAILABLE',
      Exp_time: expires,
    });
  }

  /** Seeds a channel's bindings from its grants: on demand (7 days), or the given package. */
  adopt(
    deviceId: string,
    channelId: string,
    ch: Pick<ServiceChannel, 'resources'>,
    packages: Partial<Record<ServiceType, string>> = {},
  ): void {
    const map = this.of(deviceId, channelId);
    for (const t of TYPES) {
      if (map.has(t) || !ch.resources.some((r) => r === `${GRANT[t]}_GRANT` || r === `${GRANT[t]}_ARREAR`)) continue;
      map.set(t, { resourceId: packages[t] ?? this.onDemand(t).resource_id, storageDay: packages[t] ? 0 : 7 });
    }
  }

  /** A deleted device's channels let go of their resources. */
  forget(deviceId: string): void {
    for (const key of [...this.bindings.keys()]) if (key.startsWith(`${deviceId}/`)) this.bindings.delete(key);
  }

  /** True when the channel's continuous storage is a package (retention then fixed, §11.7). */
  isPackage(deviceId: string, channelId: string, type: ServiceType): boolean {
    const b = this.bindings.get(`${deviceId}/${channelId}`)?.get(type);
    return b ? this.resource(b.resourceId)?.mode === 'PACKAGE' : false;
  }

  route(
    method: string,
    rest: string,
    q: Map<string, string>,
    body: unknown,
  ): { matched: true; body: unknown } | { matched: false } {
    const done = (out: unknown) => ({ matched: true as const, body: out });
    const b = (body ?? {}) as Record<string, unknown>;
    let r: RegExpExecArray | null;
    if (rest === '/devices/channels/resources' && method === 'POST') return done(this.bind(b));
    if (rest === '/devices/channels/resources' && method === 'DELETE') return done(this.unbind(b));
    if (rest === '/resources' && method === 'GET') return done(this.list(q));
    if ((r = /^\/resources\/([^/]+)\/channels$/.exec(rest)) && method === 'GET')
      return done(this.channelsOf(decodeURIComponent(r[1]!), q));
    if ((r = /^\/devices\/([^/]+)\/channels\/([^/]+)\/resources$/.exec(rest)) && method === 'GET')
      return done(this.ofChannel(decodeURIComponent(r[1]!), decodeURIComponent(r[2]!)));
    return { matched: false };
  }

  private of(deviceId: string, channelId: string): Map<ServiceType, Binding> {
    const key = `${deviceId}/${channelId}`;
    let m = this.bindings.get(key);
    if (!m) this.bindings.set(key, (m = new Map()));
    return m;
  }
  private resource(id: string): Resource | undefined {
    return this.resources.find((x) => x.resource_id === id);
  }
  private onDemand(t: ServiceType): Resource {
    return this.resources.find((x) => x.resource_type_code === t && x.mode === 'ONDEMAND')!;
  }
  private usage(id: string): number {
    let n = 0;
    for (const m of this.bindings.values()) for (const b of m.values()) if (b.resourceId === id) n++;
    return n;
  }

  /** Channels of a batch: 1–100, no repeats (IVM.20060015/16/22). */
  private batch(list: unknown): Array<{ device_id: unknown; channel_id: unknown }> {
    if (!Array.isArray(list) || list.length === 0) return fail('IVM.20060016');
    if (list.length > 100) fail('IVM.20060015');
    const seen = new Set<string>();
    for (const item of list as Array<Record<string, unknown>>) {
      if (!item || typeof item !== 'object') fail('IVM.10020001');
      const key = `${String(item.device_id)}/${String(item.channel_id)}`;
      if (seen.has(key)) fail('IVM.20060022');
      seen.add(key);
    }
    return list as Array<{ device_id: unknown; channel_id: unknown }>;
  }

  /** §12.1: request rules answer 400; per-channel outcomes ride in HTTP 200. */
  private bind(b: Record<string, unknown>) {
    if (typeof b.resource_id !== 'string' || !RESOURCE_ID.test(b.resource_id)) fail('IVM.20060013');
    const res = this.resource(b.resource_id as string) ?? fail('IVM.20060001');
    if (res.resource_state === 'UNAVAILABLE') fail('IVM.20060005');
    if (res.resource_state === 'ARREARS') fail('IVM.20060002');
    // Table 12-3: required in [1,365] for the three on-demand recording/data types; a package takes
    // none ("传非0值报错"). On-demand MANAGE is named by neither rule, and the section's own example
    // binds it with "storage_day": 7: taken (in range), not refused.
    const needsDays = res.mode === 'ONDEMAND' && res.resource_type_code !== 'MANAGE';
    const day = b.storage_day;
    const given = day !== undefined && day !== null;
    const inRange = typeof day === 'number' && Number.isFinite(day) && day >= 1 && day <= 365;
    if (needsDays) {
      if (!inRange) fail('IVM.20060017');
    } else if (res.mode === 'ONDEMAND') {
      if (given && day !== 0 && !inRange) fail('IVM.20060017');
    } else if (given && day !== 0) fail(typeof day === 'number' ? 'IVM.20060018' : 'IVM.20060017');
    const items = this.batch(b.channels);
    const chans = items.map((i) => ({ ids: i, ch: this.channel(i.device_id, i.channel_id) }));
    const type = res.resource_type_code;
    if (
      type !== 'MANAGE' &&
      chans.some(({ ids }) => !this.of(String(ids.device_id), String(ids.channel_id)).has('MANAGE'))
    )
      fail('IVM.20060026');
    if (res.mode === 'PACKAGE') {
      const adding = chans.filter(
        ({ ids }) => this.of(String(ids.device_id), String(ids.channel_id)).get(type)?.resourceId !== res.resource_id,
      ).length;
      if (this.usage(res.resource_id) + adding > res.total_num) fail('IVM.20060004');
    }
    const channels = chans.map(({ ids, ch }) => {
      const map = this.of(String(ids.device_id), String(ids.channel_id));
      const current = map.get(type);
      const was = current ? this.resource(current.resourceId) : undefined;
      let code = 'IVM.0';
      if (current?.resourceId === res.resource_id) code = 'IVM.20060007';
      else if (was?.resource_state === 'UNAVAILABLE') code = 'IVM.20060012';
      else if (was?.mode === 'PACKAGE' && res.mode === 'PACKAGE') code = 'IVM.20060011';
      else {
        map.set(type, { resourceId: res.resource_id, storageDay: needsDays ? (day as number) : 0 });
        setGrant(ch, type, 'GRANT');
      }
      return { device_id: ids.device_id, channel_id: ids.channel_id, result: itemResult(code) };
    });
    return { failed_num: channels.filter((c) => c.result.code !== 'IVM.0').length, channels };
  }

  /** §12.2: MANAGE goes last; a type that is not bound is not an error. */
  private unbind(b: Record<string, unknown>) {
    const type = typeof b.resource_type_code === 'string' ? UNBIND_TYPES[b.resource_type_code] : undefined;
    if (!type) return fail('IVM.20060014');
    const items = this.batch(b.channels);
    const chans = items.map((i) => ({ ids: i, ch: this.channel(i.device_id, i.channel_id) }));
    if (
      type === 'MANAGE' &&
      chans.some(({ ids }) =>
        TYPES.some((t) => t !== 'MANAGE' && this.of(String(ids.device_id), String(ids.channel_id)).has(t)),
      )
    )
      fail('IVM.20060023');
    const channels = chans.map(({ ids, ch }) => {
      if (this.of(String(ids.device_id), String(ids.channel_id)).delete(type)) setGrant(ch, type, 'CLOSED');
      return { device_id: ids.device_id, channel_id: ids.channel_id, result: itemResult('IVM.0') };
    });
    return { failed_num: 0, channels };
  }

  /** limit [1,300] (default 10), offset a record offset [0,2147483646] (§13.1 emulator note). */
  private page(q: Map<string, string>): { limit: number; offset: number } {
    const num = (name: string, fallback: number, min: number, max: number, code: string) => {
      const raw = q.get(name);
      if (raw === undefined || raw === '') return fallback;
      if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) fail(code);
      return Number(raw);
    };
    return { limit: num('limit', 10, 1, 300, 'IVM.10020009'), offset: num('offset', 0, 0, 2147483646, 'IVM.10020010') };
  }

  /** §13.1. */
  private list(q: Map<string, string>) {
    const { limit, offset } = this.page(q);
    const id = q.get('resource_id');
    if (id !== undefined && !RESOURCE_ID.test(id)) fail('IVM.20060013');
    const type = q.get('resource_type_code');
    if (type !== undefined && !TYPES.includes(type as ServiceType)) fail('IVM.20060014');
    const all = this.resources.filter(
      (x) => (id === undefined || x.resource_id === id) && (type === undefined || x.resource_type_code === type),
    );
    return {
      total: all.length,
      resources: all.slice(offset, offset + limit).map((x) => ({ ...x, usage_num: this.usage(x.resource_id) })),
    };
  }

  /** §13.2. */
  private channelsOf(id: string, q: Map<string, string>) {
    if (!RESOURCE_ID.test(id)) fail('IVM.20060013');
    const res = this.resource(id) ?? fail('IVM.20060001');
    const { limit, offset } = this.page(q);
    const bound: Array<{ key: string; b: Binding }> = [];
    for (const [key, m] of this.bindings) for (const b of m.values()) if (b.resourceId === id) bound.push({ key, b });
    const channels = bound.slice(offset, offset + limit).map(({ key, b }) => {
      const [deviceId, channelId] = key.split('/') as [string, string];
      const ch = this.channel(deviceId, channelId);
      const state =
        ch.channel_state === 'ONLINE' ? 'ONLINE' : ch.channel_state === 'OFFLINE' ? 'OFFLINE' : 'UNALLOCATED';
      return {
        attrs: res.resource_type_code === 'MANAGE' ? [] : [{ attr_code: 'storage_day', attr_value: b.storageDay }],
        device_name: ch.device_name,
        device_id: deviceId,
        channel_id: channelId,
        channel_state: state,
        channel_name: ch.channel_name,
        bind_state: 'NORMAL',
      };
    });
    const manage = bound.filter(({ key }) => this.bindings.get(key)?.has('MANAGE')).length;
    return {
      channels,
      resource_type_code: res.resource_type_code,
      resource_name: res.resource_name,
      resource_id: res.resource_id,
      resource_state: res.resource_state,
      mode: res.mode,
      total: bound.length,
      invalid_num: 0,
      manage_num: manage,
    };
  }

  /** §13.3. */
  private ofChannel(deviceId: string, channelId: string) {
    this.channel(deviceId, channelId);
    const resources = [...this.of(deviceId, channelId).values()]
      .map((b) => this.resource(b.resourceId)!)
      .map((x) => ({
        resource_id: x.resource_id,
        resource_name: x.resource_name,
        resource_type_code: x.resource_type_code,
        resource_state: x.resource_state,
      }));
    return { device_id: deviceId, channel_id: channelId, resources };
  }
}

/** A 32-character alphanumeric id (IVM.20060013), readable in logs. */
export const resourceId = (name: string): string => name.padEnd(32, '0');

function setGrant(ch: ServiceChannel, type: ServiceType, state: 'GRANT' | 'CLOSED'): void {
  const prefix = GRANT[type];
  const kept = ch.resources.filter((r) => !r.startsWith(`${prefix}_`));
  ch.resources.splice(0, ch.resources.length, ...kept, `${prefix}_${state}`);
}
