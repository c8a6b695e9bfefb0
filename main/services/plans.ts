import type { AlarmTrigger, ChannelPlans, PlanSection } from '../../preload/contract';
import { AppError } from '../errors';
import type { AccountsService } from './accounts';

/**
 * Cloud-recording plans: schedules are checked (start before end, no overlap on a day, alarm
 * seconds and retention days in their documented ranges) before anything is sent to the
 * platform, which then answers per channel.
 */
export class PlansService {
  constructor(private readonly accounts: AccountsService) {}

  private async ops(accountId: string) {
    const platform = await this.accounts.platform(accountId);
    if (!platform.recordingPlans || !platform.capabilities.has('recordingPlans')) throw new AppError('NOT_AVAILABLE', 'This platform’s recording plans are not editable in Vigil yet');
    return platform.recordingPlans;
  }

  private async templateOps(accountId: string) {
    const platform = await this.accounts.platform(accountId);
    if (!platform.recordingTemplates) throw new AppError('NOT_AVAILABLE', 'This platform has no recording templates');
    return platform.recordingTemplates;
  }

  async templates(accountId: string) {
    return { templates: await (await this.templateOps(accountId)).list() };
  }

  async saveTemplate(accountId: string, id: string | undefined, name: string, sections: PlanSection[]) {
    const ops = await this.templateOps(accountId);
    checkSections(sections);
    await ops.save(id, name, sections);
    return this.templates(accountId);
  }

  async deleteTemplate(accountId: string, id: string) {
    await (await this.templateOps(accountId)).remove(id);
    return this.templates(accountId);
  }

  async get(accountId: string, channelId: string) {
    return (await this.ops(accountId)).get(channelId);
  }

  async save(accountId: string, channelIds: string[], kind: 'continuous' | 'motion', plan: { allDay: boolean; sections: PlanSection[]; alarms?: AlarmTrigger[] }) {
    const ops = await this.ops(accountId);
    if (!plan.allDay) checkSections(plan.sections);
    if (kind === 'motion') checkAlarms(plan.alarms ?? [], (await ops.get(channelIds[0]!)).limits);
    return ops.save(channelIds, kind, plan);
  }

  async clear(accountId: string, channelIds: string[], kind: 'continuous' | 'motion') {
    return (await this.ops(accountId)).clear(channelIds, kind);
  }

  async retention(accountId: string, channelIds: string[], days: { continuousDays?: number; motionDays?: number }) {
    const ops = await this.ops(accountId);
    const { limits } = await ops.get(channelIds[0]!);
    for (const d of [days.continuousDays, days.motionDays]) {
      if (d !== undefined && (d < limits.minDays || d > limits.maxDays)) throw new AppError('VALIDATION', `Recordings are kept ${limits.minDays}–${limits.maxDays} days`);
    }
    return ops.retention(channelIds, days);
  }
}

/** §11.0: a schedule has sections, each starting before it ends, none overlapping on its day. */
export function checkSections(sections: PlanSection[]): void {
  if (sections.length === 0) throw new AppError('VALIDATION', 'The schedule is empty: paint some hours, choose “all day”, or clear the plan');
  for (const s of sections) if (s.start >= s.end) throw new AppError('VALIDATION', `Day ${s.day}: ${s.start}–${s.end} does not start before it ends`);
  for (let day = 1; day <= 7; day++) {
    const list = sections.filter((s) => s.day === day).sort((a, b) => a.start.localeCompare(b.start));
    for (let i = 1; i < list.length; i++) if (list[i]!.start < list[i - 1]!.end) throw new AppError('VALIDATION', `Day ${day}: ${list[i - 1]!.start}–${list[i - 1]!.end} and ${list[i]!.start}–${list[i]!.end} overlap`);
  }
}

export function checkAlarms(alarms: AlarmTrigger[], limits: ChannelPlans['limits']): void {
  if (alarms.length === 0) throw new AppError('VALIDATION', 'Choose at least one alarm type that starts motion recording');
  const seen = new Set<string>();
  for (const a of alarms) {
    if (!limits.alarmTypes.includes(a.type)) throw new AppError('VALIDATION', `Unknown alarm type ${a.type}`);
    if (seen.has(a.type)) throw new AppError('VALIDATION', `${a.type} is listed twice`);
    seen.add(a.type);
    if (a.before < limits.minSeconds || a.before > limits.maxSeconds || a.after < limits.minSeconds || a.after > limits.maxSeconds) throw new AppError('VALIDATION', `${a.type}: seconds before and after run ${limits.minSeconds}–${limits.maxSeconds}`);
    if (a.before + a.after > limits.maxTotalSeconds) throw new AppError('VALIDATION', `${a.type}: before and after together at most ${limits.maxTotalSeconds} s`);
  }
}
