import { fail, itemResult } from './errors';

/**
 * Huawei IVM chapter 11: recording configuration per channel — the recorded stream (11.1/11.2),
 * the continuous weekly plan (11.3/11.4/11.5), retention (11.6/11.7) and the motion plan
 * (11.8/11.9). Request-level rules answer a 400; service rules (FULL_RECORD / EVENT_RECORD grants,
 * package vs on-demand) answer per channel inside HTTP 200, as §0.5 and the tables say.
 */
export interface RecordingChannel {
  resources: string[];
}
interface Section {
  day_of_week: number;
  start_time: string;
  end_time: string;
}
interface State {
  stream: string;
  plan: { all_day: boolean; sections: Section[] } | null;
  alarm: {
    all_day: boolean;
    sections: Section[];
    plans: Array<{ alarm_type: string; advance_time: number; after_time: number }>;
  } | null;
  days: { PLAN_RECORD: number; MOTION_RECORD: number };
}

const STREAMS = ['PRIMARY_STREAM', 'SECONDARY_STREAM_1', 'SECONDARY_STREAM_2'];
export const ALARM_TYPES =
  'motion_detection io_event target_alarm mask_alarm people_queue_alarm people_count_region_alarm people_count_line_alarm over_line_alarm region_invasion_alarm region_in_alarm region_out_alarm fast_move_alarm linger_alarm thirdparty_intelligent face_alarm abandon_alarm removed_alarm electric_bicycle_alarm people_leave_station_alarm lift_electric_alarm occlusion_alarm'.split(
    ' ',
  );
const TIME = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;

export class RecordingConfig {
  private readonly state = new Map<string, State>();
  /**
   * §11.6 without `record_type`: the example answers both kinds ('both', the default here), the
   * query table says the parameter defaults to `normal` (then only PLAN_RECORD comes back). The
   * document contradicts itself, so a test can switch to the table's reading.
   */
  timePolicyDefault: 'both' | 'normal' = 'both';

  constructor(
    /** The channel, or a thrown documented error (device/channel unknown). */
    private readonly channel: (deviceId: unknown, channelId: unknown) => RecordingChannel,
    /** `packageStorage`: the channel's storage of that kind is a package, whose retention is fixed (§11.7). */
    private readonly options: {
      packageStorage?: (deviceId: string, channelId: string, type: 'PLAN_RECORD' | 'MOTION_RECORD') => boolean;
      betaLimit?: boolean;
    } = {},
  ) {}

  private of(deviceId: string, channelId: string): State {
    const key = `${deviceId}/${channelId}`;
    let s = this.state.get(key);
    if (!s)
      this.state.set(
        key,
        (s = { stream: 'PRIMARY_STREAM', plan: null, alarm: null, days: { PLAN_RECORD: 0, MOTION_RECORD: 0 } }),
      );
    return s;
  }

  route(
    method: string,
    rest: string,
    q: Map<string, string>,
    body: unknown,
  ): { matched: true; body: unknown } | { matched: false } {
    const b = (body ?? {}) as Record<string, unknown>;
    const done = (out: unknown) => ({ matched: true as const, body: out });
    const one =
      /^\/devices\/([^/]+)\/channels\/([^/]+)\/(record-config|record-plan|time-policy|record-alarm-plan)$/.exec(rest);
    if (one && method === 'GET') {
      const [, d, c, what] = one as unknown as [string, string, string, string];
      this.channel(d, c);
      const s = this.of(d, c);
      const ids = { device_id: d, channel_id: c };
      if (what === 'record-config') return done({ ...ids, stream_type: s.stream });
      if (what === 'record-plan')
        return done({
          ...ids,
          all_day: s.plan?.all_day ?? false,
          is_upload_record: false,
          ...(s.plan?.all_day ? {} : { time_sections: s.plan?.sections ?? [] }),
        });
      if (what === 'record-alarm-plan')
        return done({
          ...ids,
          plans: s.alarm?.plans ?? [],
          all_day: s.alarm?.all_day ?? false,
          ...(s.alarm?.all_day ? {} : { time_sections: s.alarm?.sections ?? [] }),
        });
      const type = q.get('record_type');
      if (type !== undefined && type !== 'normal' && type !== 'alarm') fail('IVM.10026002');
      const kinds =
        type === 'normal' || (type === undefined && this.timePolicyDefault === 'normal')
          ? ['PLAN_RECORD']
          : type === 'alarm'
            ? ['MOTION_RECORD']
            : ['PLAN_RECORD', 'MOTION_RECORD'];
      return done({
        ...ids,
        time_policies: kinds.map((k) => ({ storage_days: s.days[k as 'PLAN_RECORD'], storage_type: k })),
      });
    }
    if (rest === '/devices/channels/record-config' && method === 'PUT') return done(this.setConfig(b));
    if (rest === '/devices/channels/record-plan' && method === 'PUT') return done(this.setPlans(b));
    if (rest === '/devices/channels/record-plan' && method === 'POST') return done(this.deletePlans(b));
    if (rest === '/devices/channels/time-policy' && method === 'PUT') return done(this.setPolicies(b));
    if (rest === '/devices/channels/record-alarm-plan' && method === 'PUT') return done(this.setAlarmPlans(b));
    return { matched: false };
  }

  /** 1–100 distinct channels per call (IVM.10024000–10024002). */
  private batch(list: unknown): Array<Record<string, unknown>> {
    if (list === undefined || list === null || (Array.isArray(list) && list.length === 0)) fail('IVM.10024002');
    if (!Array.isArray(list)) return fail('IVM.10020001');
    if (list.length > 100) fail('IVM.10024000');
    const seen = new Set<string>();
    for (const item of list as Array<Record<string, unknown>>) {
      const key = `${String(item?.device_id)}/${String(item?.channel_id)}`;
      if (seen.has(key)) fail('IVM.10024001');
      seen.add(key);
    }
    return list as Array<Record<string, unknown>>;
  }

  /** Runs `apply` per channel: a documented per-channel code, or IVM.0. */
  private each(
    items: Array<Record<string, unknown>>,
    apply: (s: State, ch: RecordingChannel, item: Record<string, unknown>) => string | void,
  ) {
    const channels = items.map((item) => {
      const ids = { device_id: item.device_id, channel_id: item.channel_id };
      let code = 'IVM.0';
      try {
        const ch = this.channel(item.device_id, item.channel_id);
        code = apply(this.of(String(item.device_id), String(item.channel_id)), ch, item) ?? 'IVM.0';
      } catch (e) {
        code = (e as { code?: string }).code ?? 'IVM.20010018';
      }
      return { ...ids, result: itemResult(code) };
    });
    return { failed_num: channels.filter((c) => c.result.code !== 'IVM.0').length, channels };
  }

  /** Continuous (FULL_RECORD) and motion (EVENT_RECORD) grants decide what a channel may set. */
  private service(ch: RecordingChannel, kind: 'FULL_RECORD' | 'EVENT_RECORD'): 'ok' | 'closed' | 'arrear' {
    if (ch.resources.includes(`${kind}_GRANT`)) return 'ok';
    return ch.resources.includes(`${kind}_ARREAR`) ? 'arrear' : 'closed';
  }

  private setConfig(b: Record<string, unknown>) {
    if (b.record_type !== undefined && b.record_type !== 'NORMAL_RECORD') fail('IVM.10026002');
    const items = this.batch(b.channel_record_configs);
    for (const i of items)
      if (i.stream_type !== undefined && !STREAMS.includes(String(i.stream_type))) fail('IVM.10026000');
    return this.each(items, (s, ch, i) => {
      const svc = this.service(ch, 'FULL_RECORD');
      if (svc !== 'ok') return svc === 'arrear' ? 'IVM.20010016' : 'IVM.20010017';
      s.stream = (i.stream_type as string | undefined) ?? 'PRIMARY_STREAM';
    });
  }

  private setPlans(b: Record<string, unknown>) {
    if (b.record_type !== undefined && b.record_type !== 'NORMAL_RECORD') fail('IVM.10026002');
    const items = this.batch(b.plans);
    const plans = items.map((i) => ({
      all_day: this.allDay(i.all_day),
      sections: this.allDay(i.all_day) ? [] : sections(i.time_sections),
    }));
    let k = 0;
    return this.each(items, (s, ch) => {
      const plan = plans[k++]!;
      const svc = this.service(ch, 'FULL_RECORD');
      if (svc !== 'ok') return svc === 'arrear' ? 'IVM.20010010' : 'IVM.20010011';
      s.plan = plan;
    });
  }

  private deletePlans(b: Record<string, unknown>) {
    const items = this.batch(b.channels);
    for (const i of items)
      if (i.record_type !== undefined && i.record_type !== 'normal' && i.record_type !== 'alarm') fail('IVM.10026002');
    return this.each(items, (s, ch, i) => {
      if (i.record_type === 'alarm') {
        if (this.service(ch, 'EVENT_RECORD') !== 'ok') return 'IVM.20010026';
        s.alarm = null;
      } else {
        const svc = this.service(ch, 'FULL_RECORD');
        if (svc !== 'ok') return svc === 'arrear' ? 'IVM.20010012' : 'IVM.20010013';
        s.plan = null;
      }
    });
  }

  /** 11.7: days 1–365 (≤ 7 in the public beta), on-demand storage only. */
  private setPolicies(b: Record<string, unknown>) {
    const items = this.batch(b.channel_time_policies);
    const parsed = items.map((i) => {
      const list = i.time_policies;
      if (!Array.isArray(list) || list.length === 0) return fail('IVM.10024010');
      return (list as Array<Record<string, unknown>>).map((p) => {
        if (p?.storage_type === undefined || p?.storage_type === null) fail('IVM.10024013');
        if (p.storage_type !== 'PLAN_RECORD' && p.storage_type !== 'MOTION_RECORD') fail('IVM.10024006');
        const days = p.storage_days;
        if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 365) fail('IVM.10024005');
        if (this.options.betaLimit && (days as number) > 7) fail('IVM.10024011');
        return { type: p.storage_type as 'PLAN_RECORD' | 'MOTION_RECORD', days: days as number };
      });
    });
    let k = 0;
    return this.each(items, (s, ch, i) => {
      const policies = parsed[k++]!;
      if (policies.some((p) => this.options.packageStorage?.(String(i.device_id), String(i.channel_id), p.type)))
        return 'IVM.20010009';
      for (const p of policies) {
        const svc = this.service(ch, p.type === 'PLAN_RECORD' ? 'FULL_RECORD' : 'EVENT_RECORD');
        if (svc !== 'ok')
          return p.type === 'PLAN_RECORD'
            ? svc === 'arrear'
              ? 'IVM.20010023'
              : 'IVM.20010015'
            : svc === 'arrear'
              ? 'IVM.20010031'
              : 'IVM.20010030';
      }
      for (const p of policies) s.days[p.type] = p.days;
    });
  }

  /** 11.9: the listed alarm types on, every other off; pre + post ≤ 60 s. */
  private setAlarmPlans(b: Record<string, unknown>) {
    const items = this.batch(b.channels);
    const parsed = items.map((i) => {
      const list = i.plans;
      if (!Array.isArray(list) || list.length < 1 || list.length > 21) return fail('IVM.10020001');
      const seen = new Set<string>();
      const plans = (list as Array<Record<string, unknown>>).map((p) => {
        if (typeof p?.alarm_type !== 'string' || !ALARM_TYPES.includes(p.alarm_type) || seen.has(p.alarm_type))
          fail('IVM.20010027');
        seen.add(p.alarm_type as string);
        const before = Number(p.advance_time);
        const after = Number(p.after_time);
        if (!Number.isInteger(before) || !Number.isInteger(after)) fail('IVM.10020001');
        if (before < 1 || after < 1) fail('IVM.20010028');
        if (before > 59 || after > 59 || before + after > 60) fail('IVM.20010029');
        return { alarm_type: p.alarm_type as string, advance_time: before, after_time: after };
      });
      const allDay = this.allDay(i.all_day);
      return { all_day: allDay, sections: allDay ? [] : sections(i.time_sections), plans };
    });
    let k = 0;
    return this.each(items, (s, ch) => {
      const plan = parsed[k++]!;
      const svc = this.service(ch, 'EVENT_RECORD');
      if (svc !== 'ok') return svc === 'arrear' ? 'IVM.20010025' : 'IVM.20010024';
      s.alarm = plan;
    });
  }

  private allDay(v: unknown): boolean {
    if (v === undefined || v === null) return false;
    if (typeof v !== 'boolean') fail('IVM.10020001');
    return v as boolean;
  }
}

/** TimeSection rules of §11.0: day 1–7 (Monday = 1), `HH:mm:ss`, start before end, no overlap per day. */
function sections(raw: unknown): Section[] {
  if (!Array.isArray(raw) || raw.length === 0) return fail('IVM.10024009');
  const out = (raw as Array<Record<string, unknown>>).map((t) => {
    if (t?.day_of_week === undefined || t.day_of_week === null) fail('IVM.10024012');
    if (typeof t.day_of_week !== 'number' || !Number.isInteger(t.day_of_week) || t.day_of_week < 1 || t.day_of_week > 7)
      fail('IVM.10024003');
    if (
      typeof t.start_time !== 'string' ||
      typeof t.end_time !== 'string' ||
      !TIME.test(t.start_time) ||
      !TIME.test(t.end_time) ||
      t.start_time >= t.end_time
    )
      fail('IVM.10024007');
    return { day_of_week: t.day_of_week as number, start_time: t.start_time as string, end_time: t.end_time as string };
  });
  for (let day = 1; day <= 7; day++) {
    const list = out.filter((s) => s.day_of_week === day).sort((x, y) => x.start_time.localeCompare(y.start_time));
    for (let i = 1; i < list.length; i++) if (list[i]!.start_time < list[i - 1]!.end_time) fail('IVM.10024004');
  }
  return out;
}
