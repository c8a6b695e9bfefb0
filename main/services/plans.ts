import type {
  AlarmTrigger,
  ChannelPlans,
  CloudPlanSave,
  PlanKind,
  PlanSection,
  TemplateSave,
} from '../../preload/contract';
import { AppError } from '../errors';
import type { AccountsService } from './accounts';
import type { HandlerSlice } from '../ipc/handlers';

/**
 * Cloud-recording plans: schedules are checked (start before end, no overlap on a day, alarm
 * seconds and retention days in their documented ranges) before anything is sent to the
 * platform, which then answers per channel.
 */
export class PlansService {
  constructor(private readonly accounts: AccountsService) {}

  private async ops(accountId: string) {
    const platform = await this.accounts.platform(accountId);
    if (!platform.recordingPlans || !platform.capabilities.has('recordingPlans'))
      throw new AppError('NOT_AVAILABLE', 'This platform’s recording plans are not editable in Vigil yet');
    return platform.recordingPlans;
  }

  private async templateOps(accountId: string, kind: PlanKind) {
    const ops = (await this.accounts.platform(accountId)).recordingTemplates?.[kind];
    if (!ops)
      throw new AppError(
        'NOT_AVAILABLE',
        kind === 'realtime' ? 'This platform has no recording templates' : 'This platform has no upload templates',
      );
    return ops;
  }

  async templates(accountId: string, kind: PlanKind = 'realtime') {
    return { templates: await (await this.templateOps(accountId, kind)).list() };
  }

  async saveTemplate(accountId: string, kind: PlanKind, id: string | undefined, template: TemplateSave) {
    const ops = await this.templateOps(accountId, kind);
    checkSections(template.sections);
    if (template.devSections) checkSections(template.devSections);
    await ops.save(id, template);
    return this.templates(accountId, kind);
  }

  async deleteTemplate(accountId: string, kind: PlanKind, id: string) {
    await (await this.templateOps(accountId, kind)).remove(id);
    return this.templates(accountId, kind);
  }

  private async cloudOps(accountId: string, kind: PlanKind) {
    const ops = (await this.accounts.platform(accountId)).cloudPlans?.[kind];
    if (!ops) throw new AppError('NOT_AVAILABLE', 'This platform has no plans that bind channels to templates');
    return ops;
  }

  async cloudPlans(accountId: string, kind: PlanKind = 'realtime') {
    return (await this.cloudOps(accountId, kind)).list();
  }

  async cloudPlanChannels(accountId: string, kind: PlanKind, planId: string) {
    return (await this.cloudOps(accountId, kind)).channels(planId);
  }

  /**
   * Checked against the platform's current state before sending: the name unique, the template
   * there, and no added channel held by another plan (a channel records under one plan only).
   */
  async saveCloudPlan(accountId: string, kind: PlanKind, plan: CloudPlanSave) {
    const ops = await this.cloudOps(accountId, kind);
    const now = await ops.list();
    if (plan.id && !now.plans.some((p) => p.id === plan.id && p.active))
      throw new AppError('NOT_FOUND', 'This plan is gone or being deleted; reload the list');
    if (now.plans.some((p) => p.name === plan.name && p.id !== plan.id))
      throw new AppError('VALIDATION', `A plan named “${plan.name}” already exists`);
    if (!now.templates.some((t) => t.id === plan.templateId))
      throw new AppError('VALIDATION', 'The chosen template no longer exists');
    const held = plan.add.flatMap((c) => now.planned.filter((x) => x.channel === c && x.planId !== plan.id));
    if (held.length) {
      const names = held
        .slice(0, 3)
        .map((x) => `${x.channel.split(':')[2]} (in “${now.plans.find((p) => p.id === x.planId)?.name ?? x.planId}”)`);
      throw new AppError(
        'VALIDATION',
        `${held.length} channel(s) already record under another plan: ${names.join(', ')}${held.length > 3 ? ', …' : ''}`,
      );
    }
    await ops.save(plan);
    return ops.list();
  }

  async deleteCloudPlan(accountId: string, kind: PlanKind, id: string) {
    const ops = await this.cloudOps(accountId, kind);
    await ops.remove(id);
    return ops.list();
  }

  async get(accountId: string, channelId: string) {
    return (await this.ops(accountId)).get(channelId);
  }

  async save(
    accountId: string,
    channelIds: string[],
    kind: 'continuous' | 'motion',
    plan: { allDay: boolean; sections: PlanSection[]; alarms?: AlarmTrigger[] },
  ) {
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
      if (d !== undefined && (d < limits.minDays || d > limits.maxDays))
        throw new AppError('VALIDATION', `Recordings are kept ${limits.minDays}–${limits.maxDays} days`);
    }
    return ops.retention(channelIds, days);
  }
}

/** §11.0: a schedule has sections, each starting before it ends, none overlapping on its day. */
export function checkSections(sections: PlanSection[]): void {
  if (sections.length === 0)
    throw new AppError('VALIDATION', 'The schedule is empty: paint some hours, choose “all day”, or clear the plan');
  for (const s of sections)
    if (s.start >= s.end)
      throw new AppError('VALIDATION', `Day ${s.day}: ${s.start}–${s.end} does not start before it ends`);
  for (let day = 1; day <= 7; day++) {
    const list = sections.filter((s) => s.day === day).sort((a, b) => a.start.localeCompare(b.start));
    for (let i = 1; i < list.length; i++)
      if (list[i]!.start < list[i - 1]!.end)
        throw new AppError(
          'VALIDATION',
          `Day ${day}: ${list[i - 1]!.start}–${list[i - 1]!.end} and ${list[i]!.start}–${list[i]!.end} overlap`,
        );
  }
}

export function checkAlarms(alarms: AlarmTrigger[], limits: ChannelPlans['limits']): void {
  if (alarms.length === 0)
    throw new AppError('VALIDATION', 'Choose at least one alarm type that starts motion recording');
  const seen = new Set<string>();
  for (const a of alarms) {
    if (!limits.alarmTypes.includes(a.type)) throw new AppError('VALIDATION', `Unknown alarm type ${a.type}`);
    if (seen.has(a.type)) throw new AppError('VALIDATION', `${a.type} is listed twice`);
    seen.add(a.type);
    if (
      a.before < limits.minSeconds ||
      a.before > limits.maxSeconds ||
      a.after < limits.minSeconds ||
      a.after > limits.maxSeconds
    )
      throw new AppError(
        'VALIDATION',
        `${a.type}: seconds before and after run ${limits.minSeconds}–${limits.maxSeconds}`,
      );
    if (a.before + a.after > limits.maxTotalSeconds)
      throw new AppError('VALIDATION', `${a.type}: before and after together at most ${limits.maxTotalSeconds} s`);
  }
}

/** Recording and alarm plans, local templates and the platform's plans. */
export function plansHandlers(plans: PlansService): HandlerSlice {
  return {
    'plans:get': ({ accountId, channelId }) => plans.get(accountId, channelId),
    'plans:save': ({ accountId, channelIds, kind, allDay, sections, alarms }) =>
      plans.save(accountId, channelIds, kind, { allDay, sections, ...(alarms ? { alarms } : {}) }),
    'plans:clear': ({ accountId, channelIds, kind }) => plans.clear(accountId, channelIds, kind),
    'plans:retention': ({ accountId, channelIds, continuousDays, motionDays }) =>
      plans.retention(accountId, channelIds, {
        ...(continuousDays !== undefined ? { continuousDays } : {}),
        ...(motionDays !== undefined ? { motionDays } : {}),
      }),
    'plans:templates': ({ accountId, kind }) => plans.templates(accountId, kind),
    'plans:saveTemplate': ({ accountId, kind, id, ...template }) => plans.saveTemplate(accountId, kind, id, template),
    'plans:deleteTemplate': ({ accountId, kind, id }) => plans.deleteTemplate(accountId, kind, id),
    'plans:cloudPlans': ({ accountId, kind }) => plans.cloudPlans(accountId, kind),
    'plans:cloudPlanChannels': ({ accountId, kind, planId }) => plans.cloudPlanChannels(accountId, kind, planId),
    'plans:saveCloudPlan': ({ accountId, kind, ...plan }) => plans.saveCloudPlan(accountId, kind, plan),
    'plans:deleteCloudPlan': ({ accountId, kind, id }) => plans.deleteCloudPlan(accountId, kind, id),
  };
}
