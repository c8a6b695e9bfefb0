import type { CloudPlanSave, PlanKind, PlanSection, TemplateSave } from '../../../preload/contract';
import { AppError } from '../../errors';
import type { CloudPlanOps, RecordingTemplateOps } from '../platform';
import type { IvcApi } from './api';

/** The two plan families share their shapes; these are their endpoints. */
function endpoints(api: IvcApi, kind: PlanKind) {
  return kind === 'realtime'
    ? {
        listPlans: api.listRealtimePlans,
        planChannels: api.realtimePlanChannels,
        addPlan: api.addRealtimePlan,
        modifyPlan: api.modifyRealtimePlan,
        deletePlan: api.deleteRealtimePlan,
        listTemplates: api.listRealtimeTemplates,
      }
    : {
        listPlans: api.listBackupPlans,
        planChannels: api.backupPlanChannels,
        addPlan: api.addBackupPlan,
        modifyPlan: api.modifyBackupPlan,
        deletePlan: api.deleteBackupPlan,
        listTemplates: api.listBackupTemplates,
      };
}

/**
 * Real-time-to-cloud plans (E39–E47) and recording-upload plans (E48–E53) in Vigil's words:
 * node ids in and out, days as numbers. A channel may be in one plan of a kind only, so `list`
 * also answers which channels already are (from each plan's channel list, E44/E53).
 */
export function cloudPlanOps(api: IvcApi, kind: PlanKind): CloudPlanOps {
  const e = endpoints(api, kind);
  const channelsOf = async (planId: string) => {
    const rows = [];
    for (let page = 1; ; page++) {
      const r = await e.planChannels({ PlanId: planId, PageSize: 500, PageNumber: page });
      rows.push(...r.List);
      if (r.List.length === 0 || rows.length >= r.TotalCount) return { rows, total: r.TotalCount };
    }
  };
  return {
    async list() {
      const [plans, templates] = await Promise.all([e.listPlans(), e.listTemplates()]);
      // E42/E43 carry no channel count, and E45 names channels without their device (the tree
      // names both): each plan's E44 list gives the count and which plan holds a channel.
      // A plan being deleted (Status 0) still holds its channels, but may vanish between two calls.
      const members = await Promise.all(
        plans.map((p) => channelsOf(p.PlanId).catch((err: unknown) => (gone(err) ? none : Promise.reject(err)))),
      );
      return {
        plans: plans.map((p, i) => ({
          id: p.PlanId,
          name: p.PlanName,
          describe: p.Describe,
          templateId: p.TemplateId,
          stream: kind === 'realtime' ? p.StreamType || 'default' : '',
          hotDays: p.LifeCycle.Transition,
          coldDays: p.LifeCycle.Expiration,
          active: p.Status === 1,
          channels: members[i]!.total,
        })),
        templates: templates.map((t) => ({ id: t.TemplateId, name: t.TemplateName })),
        planned: plans.flatMap((p, i) =>
          members[i]!.rows.map((r) => ({ channel: `ch:${r.DeviceId}:${r.ChannelId}`, planId: p.PlanId })),
        ),
      };
    },
    async channels(planId) {
      const { rows } = await channelsOf(planId);
      return {
        channels: rows.map((r) => ({
          id: `ch:${r.DeviceId}:${r.ChannelId}`,
          name: r.ChannelName,
          device: r.DeviceName,
          organization: r.OrganizationName ?? '',
        })),
      };
    },
    async save(plan: CloudPlanSave) {
      const Channels = plan.add.map(planChannel);
      const OrganizationId = plan.organizations.map((o) => o.replace(/^org:/, ''));
      const LifeCycle = { Transition: plan.hotDays, Expiration: plan.coldDays };
      // Upload plans have no stream: the device's recording is what is uploaded.
      const common = {
        PlanName: plan.name,
        TemplateId: plan.templateId,
        Describe: plan.describe,
        ...(kind === 'realtime' ? { StreamType: plan.stream } : {}),
        LifeCycle,
      };
      if (!plan.id) {
        await e.addPlan({ ...common, Channels, ...(OrganizationId.length ? { OrganizationId } : {}) });
        return;
      }
      const Del = plan.remove.map((id) => planChannel(id).ChannelId);
      await e.modifyPlan(plan.id, {
        ...common,
        ...(Channels.length ? { Add: Channels } : {}),
        ...(Del.length ? { Del } : {}),
        ...(OrganizationId.length ? { OrganizationId } : {}),
      });
    },
    async remove(planId) {
      await e.deletePlan(planId);
    },
  };
}

const none = { rows: [], total: 0 };
/** 40006 "record not found": the plan went away while it was being read. */
const gone = (e: unknown) => e instanceof AppError && e.details?.vendorCode === '40006';

/** `ch:<DeviceId>:<ChannelId>` → E39's PlanChannel. */
function planChannel(nodeId: string) {
  const [kind, DeviceId, ChannelId] = nodeId.split(':');
  if (kind !== 'ch' || !DeviceId || !ChannelId)
    throw new AppError('VALIDATION', `Not a Tencent IVC channel: ${nodeId}`);
  return { DeviceId, ChannelId };
}

/** Weekly sections: DayOfWeek 1 = Monday … 7 = Sunday, HH:mm:ss (E54, E59). */
const toIvc = (s: PlanSection) => ({ DayOfWeek: s.day, StartTime: s.start, EndTime: s.end });
const fromIvc = (x: { DayOfWeek: number; StartTime: string; EndTime: string }): PlanSection => ({
  day: x.DayOfWeek,
  start: x.StartTime,
  end: x.EndTime,
});

/** Real-time templates (E54–E58: when to record) and upload templates (E59–E63: when to upload which device recordings, at what speed). */
export function templateOps(api: IvcApi, kind: PlanKind): RecordingTemplateOps {
  if (kind === 'realtime') {
    return {
      list: async () =>
        (await api.listRealtimeTemplates()).map((t) => ({
          id: t.TemplateId,
          name: t.TemplateName,
          sections: t.TimeSections.map(fromIvc),
        })),
      save: async (id, t: TemplateSave) => {
        if (id) await api.modifyRealtimeTemplate(id, { TemplateName: t.name, TimeSections: t.sections.map(toIvc) });
        else await api.addRealtimeTemplate({ TemplateName: t.name, TimeSections: t.sections.map(toIvc) });
      },
      remove: async (id) => void (await api.deleteRealtimeTemplate(id)),
    };
  }
  return {
    list: async () =>
      (await api.listBackupTemplates()).map((t) => ({
        id: t.TemplateId,
        name: t.TemplateName,
        sections: t.TimeSections.map(fromIvc),
        devSections: (t.DevTimeSections ?? []).map(fromIvc),
        scale: t.Scale ?? 1,
      })),
    save: async (id, t: TemplateSave) => {
      if (!t.devSections?.length || !t.scale)
        throw new AppError(
          'VALIDATION',
          'An upload template needs the device recordings to upload and a speed (1×, 2× or 4×)',
        );
      const body = { TimeSections: t.sections.map(toIvc), DevTimeSections: t.devSections.map(toIvc), Scale: t.scale };
      if (id) await api.modifyBackupTemplate(id, { TemplateName: t.name, ...body });
      else await api.addBackupTemplate({ TemplateName: t.name, ...body });
    },
    remove: async (id) => void (await api.deleteBackupTemplate(id)),
  };
}
