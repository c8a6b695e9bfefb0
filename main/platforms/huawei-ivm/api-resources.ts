import { z } from 'zod';
import type { IvmClient } from './client';

/**
 * Huawei IVM chapters 12 and 13: the enterprise's paid services ("resources": packages with a
 * channel quota, or pay-per-use) and which channels use them. A channel needs MANAGE before
 * anything else (live view), NORMAL for continuous cloud recording, MOTION for motion recording
 * and DATAFLOW for alarms, smart data and the target library (§0.9).
 */
const int = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);
const num = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);
const Result = z.looseObject({ code: z.string(), msg: z.string().optional() });
const ChannelResult = z.looseObject({ device_id: z.string(), channel_id: z.string(), result: Result });
const BatchReply = z.looseObject({ failed_num: int.optional(), channels: z.array(ChannelResult).nullish() });
/** The 13.1 example prints `"PACKAGE "` with a trailing space (gotcha 39): trimmed here. */
const trimmed = z.string().transform((s) => s.trim());

export type ServiceType = 'MANAGE' | 'NORMAL' | 'MOTION' | 'DATAFLOW';
export const Resource = z.looseObject({
  resource_id: z.string(),
  resource_type_code: trimmed,
  resource_name: z.string().default(''),
  total_num: int.optional(),
  usage_num: int.optional(),
  mode: trimmed.optional(),
  version: trimmed.optional(),
  resource_state: trimmed.optional(),
  /** capital E, as documented */
  Exp_time: z.string().optional(),
});
export type Resource = z.infer<typeof Resource>;
export const ResourcePage = z.looseObject({ total: int.default(0), resources: z.array(Resource).nullish() });
export const ResourceChannels = z.looseObject({
  channels: z
    .array(
      z.looseObject({
        attrs: z.array(z.looseObject({ attr_code: z.string(), attr_value: num })).nullish(),
        device_name: z.string().optional(),
        device_id: z.string(),
        channel_id: z.string(),
        channel_state: z.string().optional(),
        channel_name: z.string().optional(),
        bind_state: z.string().optional(),
      }),
    )
    .nullish(),
  resource_type_code: trimmed.optional(),
  resource_name: z.string().optional(),
  resource_id: z.string().optional(),
  resource_state: trimmed.optional(),
  mode: trimmed.optional(),
  total: int.default(0),
  invalid_num: int.optional(),
  manage_num: int.optional(),
});
export const ChannelResources = z.looseObject({
  device_id: z.string().optional(),
  channel_id: z.string().optional(),
  resources: z
    .array(
      z.looseObject({
        resource_id: z.string(),
        resource_name: z.string().default(''),
        resource_type_code: trimmed,
        resource_state: trimmed.optional(),
      }),
    )
    .nullish(),
});
type Channel = { device_id: string; channel_id: string };

/** 13.1 page size limit. */
const PAGE = 300;

export class IvmResourcesApi {
  /** 13.1 leaves open whether `offset` counts records or pages; learnt once per client (see `allResources`). */
  private offsetCounts: 'records' | 'pages' | null = null;

  constructor(private readonly client: IvmClient) {}

  /** 12.1: bind up to 100 channels to a resource. `storageDay` (1–365) only for on-demand NORMAL/MOTION/DATAFLOW. */
  enable(resourceId: string, channels: Channel[], storageDay?: number) {
    return this.batch(
      'POST',
      { resource_id: resourceId, ...(storageDay !== undefined ? { storage_day: storageDay } : {}), channels },
      'enable services',
    );
  }

  /** 12.2: unbind a service type; continuous storage is `RECORD` here. MANAGE goes last. */
  disable(type: 'MANAGE' | 'RECORD' | 'MOTION' | 'DATAFLOW', channels: Channel[]) {
    return this.batch('DELETE', { resource_type_code: type, channels }, 'disable services');
  }

  /** 13.1: one page. */
  resources(q: { limit?: number; offset?: number; resource_id?: string; resource_type_code?: ServiceType } = {}) {
    return this.client
      .call(ResourcePage, { method: 'GET', path: '/v1/resources', query: q, what: 'resources' })
      .then((r) => ({ total: r.total, resources: r.resources ?? [] }));
  }

  /**
   * 13.1, every page. The offset is probed once: if `offset=1` starts at the second resource the
   * service counts records, if at the next page it counts pages (the spec's detection rule).
   */
  async allResources(type?: ServiceType, pageSize = PAGE): Promise<Resource[]> {
    const filter = type ? { resource_type_code: type } : {};
    const first = await this.resources({ ...filter, limit: pageSize, offset: 0 });
    const out = [...first.resources];
    if (out.length >= first.total || first.resources.length === 0) return out;
    if (!this.offsetCounts) {
      const probe = await this.resources({ ...filter, limit: pageSize, offset: 1 });
      this.offsetCounts = probe.resources[0]?.resource_id === first.resources[1]?.resource_id ? 'records' : 'pages';
    }
    for (let page = 1; out.length < first.total; page++) {
      const next = await this.resources({
        ...filter,
        limit: pageSize,
        offset: this.offsetCounts === 'records' ? out.length : page,
      });
      if (next.resources.length === 0) break; // the total was stale
      out.push(...next.resources);
    }
    return out;
  }

  /** 13.2: channels bound to a resource, one page. */
  resourceChannels(resourceId: string, q: { limit?: number; offset?: number } = {}) {
    return this.client
      .call(ResourceChannels, {
        method: 'GET',
        path: `/v1/resources/${encodeURIComponent(resourceId)}/channels`,
        query: q,
        what: 'channels of a resource',
      })
      .then((r) => ({ ...r, channels: r.channels ?? [] }));
  }

  /** 13.3: the resources a channel is bound to. */
  channelResources(deviceId: string, channelId: string) {
    return this.client
      .call(ChannelResources, {
        method: 'GET',
        path: `/v1/devices/${encodeURIComponent(deviceId)}/channels/${encodeURIComponent(channelId)}/resources`,
        what: 'channel services',
      })
      .then((r) => r.resources ?? []);
  }

  private batch(method: 'POST' | 'DELETE', body: unknown, what: string) {
    return this.client
      .call(BatchReply, { method, path: '/v1/devices/channels/resources', body, what })
      .then((r) => ({ failed: r.failed_num ?? 0, channels: r.channels ?? [] }));
  }
}
