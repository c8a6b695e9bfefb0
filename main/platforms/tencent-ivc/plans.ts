import type { CloudPlanSave } from '../../../preload/contract';
import { AppError } from '../../errors';
import type { CloudPlanOps } from '../platform';
import type { IvcApi } from './api';

/**
 * Real-time-to-cloud plans (E39–E47) in Vigil's words: node ids in and out, days as numbers.
 * A channel may be in one plan only, so `list` also answers which channels already are (E45).
 */
export function cloudPlanOps(api: IvcApi): CloudPlanOps {
  const channelsOf = async (planId: string) => {
    const rows = [];
    for (let page = 1; ; page++) {
      const r = await api.realtimePlanChannels({ PlanId: planId, PageSize: 500, PageNumber: page });
      rows.push(...r.List);
      if (r.List.length === 0 || rows.length >= r.TotalCount) return { rows, total: r.TotalCount };
    }
  };
  return {
    async list() {
      const [plans, templates] = await Promise.all([api.listRealtimePlans(), api.listRealtimeTemplates()]);
      // E42/E43 carry no channel count, and E45 names channels without their device (the tree
      // names both): each plan's E44 list gives the count and which plan holds a channel.
      const members = await Promise.all(plans.map((p) => channelsOf(p.PlanId)));
      return {
        plans: plans.map((p, i) => ({ id: p.PlanId, name: p.PlanName, describe: p.Describe, templateId: p.TemplateId, stream: p.StreamType || 'default', hotDays: p.LifeCycle.Transition, coldDays: p.LifeCycle.Expiration, active: p.Status === 1, channels: members[i]!.total })),
        templates: templates.map((t) => ({ id: t.TemplateId, name: t.TemplateName })),
        planned: plans.flatMap((p, i) => members[i]!.rows.map((r) => ({ channel: `ch:${r.DeviceId}:${r.ChannelId}`, planId: p.PlanId }))),
      };
    },
    async channels(planId) {
      const { rows } = await channelsOf(planId);
      return { channels: rows.map((r) => ({ id: `ch:${r.DeviceId}:${r.ChannelId}`, name: r.ChannelName, device: r.DeviceName, organization: r.OrganizationName ?? '' })) };
    },
    async save(plan: CloudPlanSave) {
      const Channels = plan.add.map(planChannel);
      const OrganizationId = plan.organizations.map((o) => o.replace(/^org:/, ''));
      const LifeCycle = { Transition: plan.hotDays, Expiration: plan.coldDays };
      const common = { PlanName: plan.name, TemplateId: plan.templateId, Describe: plan.describe, StreamType: plan.stream, LifeCycle };
      if (!plan.id) {
        await api.addRealtimePlan({ ...common, Channels, ...(OrganizationId.length ? { OrganizationId } : {}) });
        return;
      }
      const Del = plan.remove.map((id) => planChannel(id).ChannelId);
      await api.modifyRealtimePlan(plan.id, { ...common, ...(Channels.length ? { Add: Channels } : {}), ...(Del.length ? { Del } : {}), ...(OrganizationId.length ? { OrganizationId } : {}) });
    },
    async remove(planId) {
      await api.deleteRealtimePlan(planId);
    },
  };
}

/** `ch:<DeviceId>:<ChannelId>` → E39's PlanChannel. */
function planChannel(nodeId: string) {
  const [kind, DeviceId, ChannelId] = nodeId.split(':');
  if (kind !== 'ch' || !DeviceId || !ChannelId) throw new AppError('VALIDATION', `Not a Tencent IVC channel: ${nodeId}`);
  return { DeviceId, ChannelId };
}
