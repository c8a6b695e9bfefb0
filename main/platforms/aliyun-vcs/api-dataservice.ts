import { z } from 'zod';
import { registerSecret } from '../../log';
import type { VcsClient } from './client';

/**
 * VCS data service (spec aliyun-vcs.md §3.5): target search and watch tasks, policies and items.
 * Responses carry several JSON-in-a-string fields (§7.5), parsed here a second time.
 */

const num = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);
const str = z.union([z.string(), z.number().transform(String)]);
const Ok = z.looseObject({});
const jsonText = <T extends z.ZodType>(inner: T) =>
  z.string().transform((s, ctx): z.infer<T> => {
    let v: unknown;
    try {
      v = JSON.parse(s);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected JSON text' });
      return z.NEVER;
    }
    const r = inner.safeParse(v);
    if (!r.success) {
      ctx.addIssue({ code: 'custom', message: r.error.issues[0]?.message ?? 'unexpected JSON' });
      return z.NEVER;
    }
    return r.data;
  });

export type TargetType = 'Face' | 'Body' | 'Motor' | 'NonMotor' | 'Event' | 'AIoT';
export type AttributeFilter = { Key: string; Value: string[]; Score?: number };
export type Period = { StartTime: string; EndTime: string };
export type KafkaReceiver = {
  MessageQueue: 'Kafka';
  Config: {
    BootstrapServers: string;
    Topic: string;
    Authorization?: 'SASL';
    SASL?: { Type: 'PLAIN' | 'SCRAM'; Username: string; Password: string };
  };
};

export const SearchHit = z.looseObject({
  TargetType: z.string(),
  Timestamp: z.string(),
  DeviceId: str,
  TargetAttributes: z
    .union([
      jsonText(z.array(z.looseObject({ Key: z.string(), Value: z.unknown(), Score: num.optional() }))),
      z.literal(''),
    ])
    .optional(),
  TargetImageUrl: z.string().optional(),
  SourceImageUrl: z.string().optional(),
  LeftTopX: num.optional(),
  LeftTopY: num.optional(),
  RightBottomX: num.optional(),
  RightBottomY: num.optional(),
  TargetImageSimilarity: num.optional(),
});
export type SearchHit = z.infer<typeof SearchHit>;

const Page = <T extends z.ZodType>(record: T) =>
  z.looseObject({ Data: z.looseObject({ TotalCount: num, Records: z.array(record).default([]) }) });

const WatchTask = z.looseObject({
  WatchTaskId: str,
  TaskName: z.string().optional(),
  CorpId: str.optional(),
  DeviceList: z.union([z.literal('ALL'), jsonText(z.array(str))]).optional(),
  ScheduleType: z.string().optional(),
  ScheduleCycleDates: jsonText(z.array(num)).optional(),
  ScheduleTimes: jsonText(z.array(z.looseObject({ StartTime: z.string(), EndTime: z.string() }))).optional(),
  WatchPolicyIds: jsonText(z.array(str)).optional(),
  MessageReceiver: jsonText(z.looseObject({})).optional(),
  Description: z.string().optional(),
});

const WatchPolicy = z.looseObject({
  WatchPolicyId: str,
  WatchPolicyName: z.string().optional(),
  WatchMode: z.string(),
  TargetType: z.string(),
  SimilarityThreshold: num.optional(),
  ItemMatchType: z.string(),
});
const WatchItem = z.looseObject({
  WatchItemId: str,
  WatchItemName: z.string().optional(),
  ItemAttributes: z.string().optional(),
  ItemImageUrl: z.string().optional(),
});

export interface WatchTaskFields {
  TaskName?: string;
  DeviceList?: string[] | 'ALL';
  ScheduleType?: 'ONCE' | 'EVERYDAY' | 'EVERY_WEEK' | 'EVERY_MONTH' | 'LONG_RUNNING';
  ScheduleCycleDates?: number[];
  ScheduleTimes?: Period[];
  WatchPolicyIds?: string[];
  MessageReceiver?: KafkaReceiver;
  Description?: string;
}

export class VcsDataServiceApi {
  constructor(readonly client: VcsClient) {}

  /**
   * §3.5.1: by attributes (≤ 20, AND) or by image (URL ≤ 1024 characters, or Base64 ≤ 500 KB,
   * sent as a POST form). Begin/End only together.
   */
  search(p: {
    CorpId: string;
    TargetType: TargetType;
    PageNumber: number;
    PageSize: number;
    attributes?: AttributeFilter[];
    imageUrl?: string;
    imageBase64?: string;
    similarity?: number;
    devices?: string[];
    range?: { begin: string; end: string };
    order?: 'Asc' | 'Desc';
  }) {
    const params = {
      CorpId: p.CorpId,
      TargetType: p.TargetType,
      PageNumber: p.PageNumber,
      PageSize: p.PageSize,
      TargetAttributes: p.attributes ? JSON.stringify(p.attributes) : undefined,
      TargetImageUrl: p.imageUrl,
      TargetImageData: p.imageBase64,
      SimilarityThreshold: p.similarity,
      DeviceList: p.devices ? JSON.stringify(p.devices) : undefined,
      BeginTime: p.range?.begin,
      EndTime: p.range?.end,
      OrderBy: p.order ? JSON.stringify([{ Key: 'Timestamp', Type: p.order }]) : undefined,
    };
    return this.client
      .call(Page(SearchHit), { action: 'SearchTarget', params, method: p.imageBase64 ? 'POST' : 'GET', read: true })
      .then((r) => r.Data);
  }

  createWatchTask(
    corpId: string,
    f: WatchTaskFields & Required<Pick<WatchTaskFields, 'ScheduleType' | 'WatchPolicyIds' | 'MessageReceiver'>>,
  ) {
    return this.client
      .call(z.looseObject({ Data: z.looseObject({ WatchTaskId: str }) }), {
        action: 'CreateWatchTask',
        params: { CorpId: corpId, ...taskParams(f) },
        read: false,
      })
      .then((r) => r.Data.WatchTaskId);
  }
  async updateWatchTask(id: string, f: WatchTaskFields) {
    await this.client.call(Ok, {
      action: 'UpdateWatchTask',
      params: { WatchTaskId: id, ...taskParams(f) },
      read: false,
    });
  }
  describeWatchTasks(p: { PageNumber: number; PageSize: number; ids?: string[] }) {
    return this.client
      .call(Page(WatchTask), {
        action: 'DescribeWatchTasks',
        params: {
          PageNumber: p.PageNumber,
          PageSize: p.PageSize,
          WatchTaskIds: p.ids ? JSON.stringify(p.ids) : undefined,
        },
        read: true,
      })
      .then((r) => r.Data);
  }
  async deleteWatchTasks(ids: string[]) {
    await this.client.call(Ok, {
      action: 'DeleteWatchTasks',
      params: { WatchTaskIds: JSON.stringify(ids) },
      read: false,
    });
  }

  createWatchPolicy(p: {
    WatchPolicyName?: string;
    WatchMode: 'NotifyIfInList' | 'NotifyIfNotInList' | 'NotifyAnyway';
    TargetType: TargetType;
    SimilarityThreshold?: number;
    ItemMatchType: 'ByAttributes' | 'ByImage';
  }) {
    return this.client
      .call(z.looseObject({ Data: z.looseObject({ WatchPolicyId: str }) }), {
        action: 'CreateWatchPolicy',
        params: p,
        read: false,
      })
      .then((r) => r.Data.WatchPolicyId);
  }
  async updateWatchPolicy(p: {
    WatchPolicyId: string;
    WatchPolicyName?: string;
    WatchMode?: 'NotifyIfInList' | 'NotifyIfNotInList' | 'NotifyAnyway';
    TargetType?: TargetType;
    SimilarityThreshold?: number;
    ItemMatchType?: 'ByAttributes' | 'ByImage';
  }) {
    await this.client.call(Ok, { action: 'UpdateWatchPolicy', params: p, read: false });
  }
  describeWatchPolicies(p: { PageNumber: number; PageSize: number; ids?: string[] }) {
    return this.client
      .call(Page(WatchPolicy), {
        action: 'DescribeWatchPolicies',
        params: {
          PageNumber: p.PageNumber,
          PageSize: p.PageSize,
          WatchPolicyIds: p.ids ? JSON.stringify(p.ids) : undefined,
        },
        read: true,
      })
      .then((r) => r.Data);
  }
  async deleteWatchPolicies(ids: string[]) {
    await this.client.call(Ok, {
      action: 'DeleteWatchPolicies',
      params: { WatchPolicyIds: JSON.stringify(ids) },
      read: false,
    });
  }

  describeWatchItems(p: { WatchPolicyId: string; PageNumber: number; PageSize: number; ids?: string[] }) {
    return this.client
      .call(Page(WatchItem), {
        action: 'DescribeWatchItems',
        params: {
          WatchPolicyId: p.WatchPolicyId,
          PageNumber: p.PageNumber,
          PageSize: p.PageSize,
          WatchItemIds: p.ids ? JSON.stringify(p.ids) : undefined,
        },
        read: true,
      })
      .then((r) => r.Data);
  }
  /** §3.5.11: IDs that did not exist count as removed. */
  removeWatchItems(policyId: string, ids: string[]) {
    const Result = z.looseObject({
      Data: z.looseObject({
        DeletedItemIds: jsonText(z.array(str)).optional(),
        FailedItemIds: jsonText(z.array(str)).optional(),
      }),
    });
    return this.client
      .call(Result, {
        action: 'RemoveWatchItems',
        params: { WatchPolicyId: policyId, WatchItemIds: JSON.stringify(ids) },
        read: false,
      })
      .then((r) => ({ deleted: r.Data.DeletedItemIds ?? [], failed: r.Data.FailedItemIds ?? [] }));
  }
}

function taskParams(f: WatchTaskFields): Record<string, string | undefined> {
  // The Kafka password travels in MessageReceiver (§7.17): never let it reach a log line.
  const password = f.MessageReceiver?.Config.SASL?.Password;
  if (password) registerSecret(password);
  return {
    TaskName: f.TaskName,
    DeviceList: f.DeviceList === undefined ? undefined : f.DeviceList === 'ALL' ? 'ALL' : JSON.stringify(f.DeviceList),
    ScheduleType: f.ScheduleType,
    ScheduleCycleDates: f.ScheduleCycleDates ? JSON.stringify(f.ScheduleCycleDates) : undefined,
    ScheduleTimes: f.ScheduleTimes ? JSON.stringify(f.ScheduleTimes) : undefined,
    WatchPolicyIds: f.WatchPolicyIds ? JSON.stringify(f.WatchPolicyIds) : undefined,
    MessageReceiver: f.MessageReceiver ? JSON.stringify(f.MessageReceiver) : undefined,
    Description: f.Description,
  };
}
