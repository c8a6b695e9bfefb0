import { z } from 'zod';
import type { IvmClient } from './client';

/**
 * Huawei IVM chapter 11: recording configuration of channels — recorded stream, continuous
 * weekly plan, retention, motion plan. Writes take 1–100 channels and answer a `result` per
 * channel (§0.5); days are 1 = Monday … 7 = Sunday, times `HH:mm:ss` (§11.0).
 */
const int = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);
const Result = z.looseObject({ code: z.string(), msg: z.string().optional() });
const ChannelResult = z.looseObject({ device_id: z.string(), channel_id: z.string(), result: Result });
const BatchReply = z.looseObject({ failed_num: int.optional(), channels: z.array(ChannelResult).nullish() });
export type ChannelResult = z.infer<typeof ChannelResult>;

export const TimeSection = z.looseObject({ day_of_week: int, start_time: z.string(), end_time: z.string() });
export type TimeSection = { day_of_week: number; start_time: string; end_time: string };
export type StreamType = 'PRIMARY_STREAM' | 'SECONDARY_STREAM_1' | 'SECONDARY_STREAM_2';
export type AlarmPlan = { alarm_type: string; advance_time: number; after_time: number };
type Channel = { device_id: string; channel_id: string };

const path = (deviceId: string, channelId: string): `/v1/${string}` =>
  `/v1/devices/${encodeURIComponent(deviceId)}/channels/${encodeURIComponent(channelId)}`;

export class IvmRecordingApi {
  constructor(private readonly client: IvmClient) {}

  /** 11.1 */
  recordConfig(deviceId: string, channelId: string) {
    return this.client
      .call(z.looseObject({ stream_type: z.string().optional() }), {
        method: 'GET',
        path: `${path(deviceId, channelId)}/record-config`,
        what: 'recording parameters',
      })
      .then((r) => r.stream_type ?? 'PRIMARY_STREAM');
  }

  /** 11.2 */
  setRecordConfig(items: Array<Channel & { stream_type?: StreamType }>) {
    return this.batch(
      'PUT',
      '/v1/devices/channels/record-config',
      { channel_record_configs: items },
      'set recording parameters',
    );
  }

  /** 11.3: no plan reads as `all_day: false` with no sections. */
  recordPlan(deviceId: string, channelId: string) {
    const Plan = z.looseObject({
      all_day: z.boolean().nullish(),
      is_upload_record: z.boolean().nullish(),
      time_sections: z.array(TimeSection).nullish(),
    });
    return this.client
      .call(Plan, { method: 'GET', path: `${path(deviceId, channelId)}/record-plan`, what: 'recording plan' })
      .then((r) => ({
        allDay: r.all_day ?? false,
        uploadAfterOutage: r.is_upload_record ?? false,
        sections: (r.time_sections ?? []) as TimeSection[],
      }));
  }

  /** 11.4: full replacement per channel; `time_sections` only when not all day. */
  setRecordPlans(plans: Array<Channel & { all_day: boolean; time_sections?: TimeSection[] }>) {
    return this.batch(
      'PUT',
      '/v1/devices/channels/record-plan',
      {
        plans: plans.map((p) => (p.all_day ? { device_id: p.device_id, channel_id: p.channel_id, all_day: true } : p)),
      },
      'set recording plans',
    );
  }

  /** 11.5: POST on the same path deletes (`normal` continuous, `alarm` motion). */
  deleteRecordPlans(channels: Array<Channel & { record_type?: 'normal' | 'alarm' }>) {
    return this.batch('POST', '/v1/devices/channels/record-plan', { channels }, 'delete recording plans');
  }

  /** 11.6: days 0 = permanent / unset. */
  timePolicy(deviceId: string, channelId: string, recordType?: 'normal' | 'alarm') {
    const Policy = z.looseObject({ storage_days: int, storage_type: z.string() });
    return this.client
      .call(z.looseObject({ time_policies: z.array(Policy).nullish() }), {
        method: 'GET',
        path: `${path(deviceId, channelId)}/time-policy`,
        query: { record_type: recordType },
        what: 'retention policy',
      })
      .then((r) => r.time_policies ?? []);
  }

  /** 11.7: on-demand storage only; days 1–365. */
  setTimePolicies(
    items: Array<
      Channel & { time_policies: Array<{ storage_days: number; storage_type: 'PLAN_RECORD' | 'MOTION_RECORD' }> }
    >,
  ) {
    return this.batch('PUT', '/v1/devices/channels/time-policy', { channel_time_policies: items }, 'set retention');
  }

  /** 11.8: `advance_time`/`after_time` arrive as numbers or numeric strings. */
  alarmPlan(deviceId: string, channelId: string) {
    const Plan = z.looseObject({ alarm_type: z.string(), advance_time: int, after_time: int });
    const Reply = z.looseObject({
      plans: z.array(Plan).nullish(),
      all_day: z.boolean().nullish(),
      time_sections: z.array(TimeSection).nullish(),
    });
    return this.client
      .call(Reply, {
        method: 'GET',
        path: `${path(deviceId, channelId)}/record-alarm-plan`,
        what: 'motion recording plan',
      })
      .then((r) => ({
        plans: (r.plans ?? []) as AlarmPlan[],
        allDay: r.all_day ?? false,
        sections: (r.time_sections ?? []) as TimeSection[],
      }));
  }

  /** 11.9: the listed alarm types on, all others off. */
  setAlarmPlans(items: Array<Channel & { plans: AlarmPlan[]; all_day: boolean; time_sections?: TimeSection[] }>) {
    return this.batch(
      'PUT',
      '/v1/devices/channels/record-alarm-plan',
      {
        channels: items.map((i) =>
          i.all_day ? { device_id: i.device_id, channel_id: i.channel_id, plans: i.plans, all_day: true } : i,
        ),
      },
      'set motion recording plans',
    );
  }

  private batch(method: 'PUT' | 'POST', p: `/v1/${string}`, body: unknown, what: string) {
    return this.client
      .call(BatchReply, { method, path: p, body, what })
      .then((r) => ({ failed: r.failed_num ?? 0, channels: r.channels ?? [] }));
  }
}
