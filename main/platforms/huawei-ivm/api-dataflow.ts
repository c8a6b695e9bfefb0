import { z } from 'zod';
import { registerSecret } from '../../log';
import { malformedReply } from '../errors';
import { itemError, type IvmClient } from './client';

/**
 * Huawei IVM chapter 10, the calls a client makes: push-callback registration (10.1.1–10.1.3),
 * short-lived picture URLs for pushed alarms and TLV data (10.2), the cloud snapshot (10.3) and
 * people-flow / heat-map statistics (10.4, HOLO devices only). Receiving pushes is push.ts.
 */
const int = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);
const Result = z.looseObject({ code: z.string(), msg: z.string().optional() });

export type Subscription =
  | 'DEVICE_ALARM'
  | 'DEVICE_EXCEPTION'
  | 'DEVICE_UNBIND'
  | 'TARGET_DATA'
  | 'THIRD_DATA'
  | 'VEHICLE_DATA'
  | 'HEAD_SHOULDER_DATA'
  | 'BEHAVIOR_ANALYSIS_DATA'
  | 'MICRO_CHECKPOINT_DATA';
export type Period = 'DAY' | 'WEEK' | 'MONTH' | 'YEAR';

export const CallbackReply = z.looseObject({
  callback_url: z.string(),
  subscription_type: z.string(),
  create_time: z.string().optional(),
});
/** 10.1.3: `{}` when nothing is configured. */
export const CallbackQuery = z.looseObject({
  callback_url: z.string().optional(),
  subscription_type: z.string().optional(),
  create_time: z.string().optional(),
  update_time: z.string().optional(),
  auth_key: z.string().optional(),
});
export const AlarmPictures = z.looseObject({
  failed_num: int.optional(),
  alarms: z
    .array(
      z.looseObject({
        alarm_uuid: z.string(),
        url: z.string().default(''),
        targetgroup_url: z.string().default(''),
        result: Result,
      }),
    )
    .nullish(),
});
export const TlvPictures = z.looseObject({
  failed_num: int.optional(),
  data: z
    .array(
      z.looseObject({
        data_id: z.string(),
        urls: z.array(z.looseObject({ type: z.string(), url: z.string() })).nullish(),
        result: Result,
      }),
    )
    .nullish(),
});
export const Snapshot = z.looseObject({ pic_url: z.string().default(''), pic_data: z.string().default('') });
export const PeopleFlow = z.looseObject({ in: z.array(int).default([]), out: z.array(int).default([]) });
export const TimeHeatmap = z.looseObject({ data: z.array(int).default([]) });
export const SpaceHeatmap = z.looseObject({ width: int, height: int, rawbase64: z.string() });

const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47];

export class IvmDataFlowApi {
  constructor(private readonly client: IvmClient) {}

  /** 10.1.1: the platform tests the URL at once (it must answer 200 within 5 s). */
  setCallback(subscription: Subscription, callbackUrl: string, authKey?: string) {
    if (authKey) registerSecret(authKey);
    return this.client.call(CallbackReply, {
      method: 'POST',
      path: '/v1/messages/callback',
      body: { callback_url: callbackUrl, subscription_type: subscription, ...(authKey ? { auth_key: authKey } : {}) },
      what: 'set push callback',
    });
  }

  /** 10.1.3: null when not configured. The auth key comes back in clear: it is kept out of the answer (only whether one is set). */
  async callback(subscription: Subscription) {
    const r = await this.client.call(CallbackQuery, {
      method: 'GET',
      path: '/v1/messages/callback',
      query: { subscription_type: subscription },
      what: 'push callback',
    });
    if (r.auth_key) registerSecret(r.auth_key);
    if (!r.callback_url) return null;
    return {
      callbackUrl: r.callback_url,
      subscription,
      createTime: r.create_time ?? '',
      updateTime: r.update_time ?? '',
      authKeySet: Boolean(r.auth_key),
    };
  }

  /** 10.1.2 */
  async deleteCallback(subscription: Subscription) {
    await this.client.call(z.looseObject({}), {
      method: 'DELETE',
      path: '/v1/messages/callback',
      query: { subscription_type: subscription },
      what: 'delete push callback',
    });
  }

  /** 10.2.2: picture URLs (valid 5 minutes) of pushed alarms, 1–100 per call. */
  alarmPictures(alarmUuids: string[]) {
    return this.client
      .call(AlarmPictures, {
        method: 'POST',
        path: '/v1/alarms/pictures',
        body: { alarm_uuids: alarmUuids },
        what: 'alarm pictures',
      })
      .then((r) => r.alarms ?? []);
  }

  /** 10.2.2 then the picture itself (sniffed, not trusted by extension); null when the platform has none (unknown, gone, older than 7 days). */
  async alarmPicture(alarmUuid: string): Promise<{ contentType: string; bytes: Buffer } | null> {
    const [item] = await this.alarmPictures([alarmUuid]);
    if (!item || ['IVM.10027007', 'IVM.10027008', 'IVM.20040004'].includes(item.result.code)) return null;
    const failure = itemError(item.result, 'alarm picture');
    if (failure) throw failure;
    return picture((await this.client.download(item.url, 'alarm picture')).bytes, 'alarm picture');
  }

  /** 10.2.1: picture URLs of TLV records (face or vehicle data), 1–100 per call. */
  tlvPictures(classification: 'TARGET' | 'VEHICLE', type: string, dataIds: string[]) {
    return this.client
      .call(TlvPictures, {
        method: 'POST',
        path: '/v1/intelligence-data/pictures',
        body: { data_classification: classification, type, data_ids: dataIds },
        what: 'smart-data pictures',
      })
      .then((r) => r.data ?? []);
  }

  /**
   * 10.3.1 with storage=true, then the stored picture (JSON `{pic_data}` or raw bytes, decided by
   * Content-Type, then by a leading `{`). At most one per channel per 10 s (IVM.20040009).
   */
  async snapshot(deviceId: string, channelId: string): Promise<{ contentType: string; bytes: Buffer }> {
    const r = await this.client.call(Snapshot, {
      method: 'GET',
      path: '/v1/devices/snap',
      query: { device_id: deviceId, channel_id: channelId, storage: 'true' },
      what: 'cloud snapshot',
    });
    if (r.pic_data) return picture(Buffer.from(r.pic_data, 'base64'), 'cloud snapshot');
    if (!r.pic_url) throw malformedReply('Huawei IVM', 'cloud snapshot', 'neither pic_url nor pic_data came back');
    const res = await this.client.download(r.pic_url, 'snapshot download');
    if (res.contentType === 'application/json' || res.bytes[0] === 0x7b) {
      const body = Snapshot.safeParse(parseOrNull(res.bytes.toString('utf8')));
      if (!body.success || !body.data.pic_data)
        throw malformedReply('Huawei IVM', 'snapshot download', 'the JSON has no pic_data');
      return picture(Buffer.from(body.data.pic_data, 'base64'), 'snapshot download');
    }
    return picture(res.bytes, 'snapshot download');
  }

  /** 10.4.1: `start`/`end` as yyyyMMdd; buckets by hour, day or month. WEEK spans ≥ 7 days come back as MONTH. */
  peopleFlow(deviceId: string, channelId: string, type: Period, startDate: string, endDate?: string) {
    return this.client.call(PeopleFlow, {
      method: 'GET',
      path: '/v1/statistics/people',
      query: { device_id: deviceId, channel_id: channelId, type, start_date: startDate, end_date: endDate },
      what: 'people flow',
    });
  }

  /** 10.4.2: `startTime` as `yyyy-MM-dd HH:mm:ss`. */
  timeHeatmap(deviceId: string, channelId: string, type: Period, startTime: string) {
    return this.client
      .call(TimeHeatmap, {
        method: 'GET',
        path: '/v1/time-heatmap',
        query: { device_id: deviceId, channel_id: channelId, type, start_time: startTime },
        what: 'time heat map',
      })
      .then((r) => r.data);
  }

  /** 10.4.3: a width×height grey map (0–255, hotter higher); a length that does not match is refused, not guessed. */
  async spaceHeatmap(deviceId: string, channelId: string, type: Period, startTime: string) {
    const r = await this.client.call(SpaceHeatmap, {
      method: 'GET',
      path: '/v1/space-heatmap',
      query: { device_id: deviceId, channel_id: channelId, type, start_time: startTime },
      what: 'space heat map',
    });
    return decodeHeatmap(r.width, r.height, r.rawbase64);
  }
}

/**
 * The 10.4.3 grid, row-major, top row first. A byte count that does not match the stated size
 * is rendered as far as it goes (§20.3) and reported in `complete`; a size that is not one fails.
 */
export function decodeHeatmap(
  width: number,
  height: number,
  rawbase64: string,
): { width: number; height: number; cells: Uint8Array; complete: boolean } {
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width <= 0 ||
    height <= 0 ||
    width * height > 4096 * 4096
  )
    throw malformedReply('Huawei IVM', 'space heat map', `a ${width}×${height} map is not a size`);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(rawbase64.replace(/\s+/g, '')))
    throw malformedReply('Huawei IVM', 'space heat map', 'rawbase64 is not base64');
  const bytes = Buffer.from(rawbase64, 'base64');
  const cells = new Uint8Array(width * height);
  cells.set(bytes.subarray(0, cells.length));
  return { width, height, cells, complete: bytes.length === cells.length };
}

/** §20.3 as published (packed ARGB, or 0 for the lowest bucket): the table lives in common/, the renderer paints with it. */
export { heatColour } from '../../../common/heatmap';

function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** Sniffs JPEG or PNG (the document says not to trust extensions such as `.jav`). */
function picture(bytes: Buffer, what: string): { contentType: string; bytes: Buffer } {
  const starts = (sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(JPEG)) return { contentType: 'image/jpeg', bytes };
  if (starts(PNG)) return { contentType: 'image/png', bytes };
  throw malformedReply('Huawei IVM', what, 'the picture is neither JPEG nor PNG');
}
