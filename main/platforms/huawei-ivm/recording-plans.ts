import type { AlarmTrigger, ChannelOutcomes, ChannelPlans, PlanSection } from '../../../preload/contract';
import { AppError } from '../../errors';
import type { RecordingPlanOps } from '../platform';
import type { IvmApi } from './api';
import { itemFailure, type IvmClient } from './client';
import { parseChannel } from './map';
import { IvmRecordingApi, type ChannelResult, type TimeSection } from './api-recording';

/** §11.8 alarm types that can trigger motion recording. */
const ALARM_TYPES =
  'motion_detection io_event target_alarm mask_alarm people_queue_alarm people_count_region_alarm people_count_line_alarm over_line_alarm region_invasion_alarm region_in_alarm region_out_alarm fast_move_alarm linger_alarm thirdparty_intelligent face_alarm abandon_alarm removed_alarm electric_bicycle_alarm people_leave_station_alarm lift_electric_alarm occlusion_alarm'.split(
    ' ',
  );

/**
 * Huawei IVM recording plans (chapter 11) in Vigil's plan editor. A channel's continuous tab
 * needs its continuous cloud storage (FULL_RECORD_GRANT), the motion tab its motion storage
 * (EVENT_RECORD_GRANT); every write goes out for up to 100 channels with a result per channel.
 */
export class IvmRecordingPlans implements RecordingPlanOps {
  private readonly api: IvmRecordingApi;

  constructor(
    client: IvmClient,
    private readonly channels: IvmApi,
  ) {
    this.api = new IvmRecordingApi(client);
  }

  async get(node: string): Promise<ChannelPlans> {
    const { deviceId, channelId } = parseChannel(node);
    const resources = (await this.channels.channel(deviceId, channelId)).channel_resource_state ?? [];
    const continuous = resources.includes('FULL_RECORD_GRANT');
    const motion = resources.includes('EVENT_RECORD_GRANT');
    const plan = continuous
      ? await this.api.recordPlan(deviceId, channelId)
      : { allDay: false, uploadAfterOutage: false, sections: [] };
    const alarm = motion ? await this.api.alarmPlan(deviceId, channelId) : { allDay: false, sections: [], plans: [] };
    // §11.6: the query table says an omitted record_type means `normal` (continuous only), the
    // example answers both kinds: each kind is asked for by name, so neither reading loses one.
    const policies = [
      ...(continuous ? await this.api.timePolicy(deviceId, channelId, 'normal') : []),
      ...(motion ? await this.api.timePolicy(deviceId, channelId, 'alarm') : []),
    ];
    const days = (type: string) => policies.find((p) => p.storage_type === type)?.storage_days ?? 0;
    return {
      continuous: {
        available: continuous,
        allDay: plan.allDay,
        sections: plan.sections.map(fromIvm),
        uploadAfterOutage: plan.uploadAfterOutage,
      },
      motion: {
        available: motion,
        allDay: alarm.allDay,
        sections: alarm.sections.map(fromIvm),
        alarms: alarm.plans.map((p) => ({ type: p.alarm_type, before: p.advance_time, after: p.after_time })),
      },
      retention: { continuousDays: days('PLAN_RECORD'), motionDays: days('MOTION_RECORD') },
      limits: {
        alarmTypes: ALARM_TYPES,
        minSeconds: 1,
        maxSeconds: 59,
        maxTotalSeconds: 60,
        minDays: 1,
        maxDays: 365,
        batch: 100,
      },
    };
  }

  async save(
    nodes: string[],
    kind: 'continuous' | 'motion',
    plan: { allDay: boolean; sections: PlanSection[]; alarms?: AlarmTrigger[] },
  ): Promise<ChannelOutcomes> {
    const ids = nodes.map(parseChannel);
    const time = plan.allDay ? {} : { time_sections: plan.sections.map(toIvm) };
    if (kind === 'continuous') {
      const r = await this.api.setRecordPlans(
        ids.map((c) => ({ device_id: c.deviceId, channel_id: c.channelId, all_day: plan.allDay, ...time })),
      );
      return outcomes(nodes, r.channels);
    }
    const alarms = plan.alarms ?? [];
    if (!alarms.length) throw new AppError('VALIDATION', 'Choose at least one alarm type that starts motion recording');
    const r = await this.api.setAlarmPlans(
      ids.map((c) => ({
        device_id: c.deviceId,
        channel_id: c.channelId,
        plans: alarms.map((a) => ({ alarm_type: a.type, advance_time: a.before, after_time: a.after })),
        all_day: plan.allDay,
        ...time,
      })),
    );
    return outcomes(nodes, r.channels);
  }

  async clear(nodes: string[], kind: 'continuous' | 'motion'): Promise<ChannelOutcomes> {
    const r = await this.api.deleteRecordPlans(
      nodes.map(parseChannel).map((c) => ({
        device_id: c.deviceId,
        channel_id: c.channelId,
        record_type: kind === 'continuous' ? 'normal' : 'alarm',
      })),
    );
    return outcomes(nodes, r.channels);
  }

  async retention(nodes: string[], days: { continuousDays?: number; motionDays?: number }): Promise<ChannelOutcomes> {
    const policies = [
      ...(days.continuousDays !== undefined
        ? [{ storage_days: days.continuousDays, storage_type: 'PLAN_RECORD' as const }]
        : []),
      ...(days.motionDays !== undefined
        ? [{ storage_days: days.motionDays, storage_type: 'MOTION_RECORD' as const }]
        : []),
    ];
    if (!policies.length) throw new AppError('VALIDATION', 'Nothing to change');
    const r = await this.api.setTimePolicies(
      nodes.map(parseChannel).map((c) => ({ device_id: c.deviceId, channel_id: c.channelId, time_policies: policies })),
    );
    return outcomes(nodes, r.channels);
  }
}

const fromIvm = (t: TimeSection): PlanSection => ({ day: t.day_of_week, start: t.start_time, end: t.end_time });
const toIvm = (s: PlanSection): TimeSection => ({ day_of_week: s.day, start_time: s.start, end_time: s.end });

/** Per-channel results matched by device and channel, in the order the channels were asked. */
export function outcomes(nodes: string[], results: ChannelResult[]): ChannelOutcomes {
  return {
    results: nodes.map((node) => {
      const { deviceId, channelId } = parseChannel(node);
      const r = results.find((x) => x.device_id === deviceId && x.channel_id === channelId);
      if (!r)
        return {
          channelId: node,
          ok: false,
          code: 'MISSING',
          message: 'The platform returned no result for this channel',
        };
      return r.result.code === 'IVM.0' ? { channelId: node, ok: true } : { channelId: node, ...itemFailure(r.result) };
    }),
  };
}
