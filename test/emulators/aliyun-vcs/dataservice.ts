import { createHash, randomUUID } from 'node:crypto';
import { jsonIds, jsonParam, maxLength, paging, required, scheduleTimes, VcsError } from './common';

/**
 * §3.5 data service of the Alibaba VCS emulator: SearchTarget over seeded analysis records, watch
 * tasks, watch policies and their (seeded: no Action adds them) watch items. Every reply carries
 * Success/Code 200/Message OK. Kafka passwords are stored and never returned.
 */
type Params = Map<string, string>;
type Attr = { Key: string; Value: string; Score: number };

interface SearchRecord {
  CorpId: string;
  TargetType: string;
  Timestamp: number;
  DeviceId: string;
  attrs: Attr[];
  /** a stable fingerprint: image queries are "similar" by fingerprint distance */
  fingerprint: number;
}

interface WatchTask {
  WatchTaskId: string;
  CorpId: string;
  TaskName: string;
  DeviceList: string[] | 'ALL';
  ScheduleType: string;
  ScheduleCycleDates: number[];
  ScheduleTimes: Array<{ StartTime: string; EndTime: string }>;
  WatchPolicyIds: string[];
  MessageReceiver: Record<string, unknown>;
  Description: string;
}

interface WatchPolicy {
  WatchPolicyId: string;
  WatchPolicyName: string;
  WatchMode: string;
  TargetType: string;
  SimilarityThreshold: number;
  ItemMatchType: string;
  items: Map<string, { WatchItemId: string; WatchItemName: string; ItemAttributes?: string; ItemImageUrl?: string }>;
}

export const TARGET_TYPES = ['Face', 'Body', 'Motor', 'NonMotor', 'Event', 'AIoT'];
const SCHEDULES = ['ONCE', 'EVERYDAY', 'EVERY_WEEK', 'EVERY_MONTH', 'LONG_RUNNING'];
const MODES = ['NotifyIfInList', 'NotifyIfNotInList', 'NotifyAnyway'];
const MATCH = ['ByAttributes', 'ByImage'];
const NAME64 = /^[\p{Script=Han}A-Za-z0-9_-]{0,64}$/u;
const OK = { Success: true, Code: '200', Message: 'OK' };
const MAX_IMAGE = 500 * 1024;

export class VcsDataService {
  readonly records: SearchRecord[] = [];
  readonly tasks = new Map<string, WatchTask>();
  readonly policies = new Map<string, WatchPolicy>();

  constructor(
    private readonly baseUrl: () => string,
    private readonly corpDevices: (corpId: string) => string[],
    private readonly corpExists: (id: string) => boolean,
  ) {}

  /** Analysis output for the seeded cameras: a few hits per camera and type over the last day. */
  seed(corpId: string, now: number): void {
    const devices = this.corpDevices(corpId);
    devices.forEach((DeviceId, i) => {
      for (let k = 0; k < 6; k++) {
        const TargetType = TARGET_TYPES[(i + k) % 4]!;
        this.records.push({
          CorpId: corpId,
          TargetType,
          Timestamp: now - (k + 1) * 3_600_000 - i * 60_000,
          DeviceId,
          attrs: [
            { Key: 'GenderCode', Value: String(1 + (i % 2)), Score: 0.9 },
            { Key: 'HairColor', Value: String(1 + ((i * 3 + k) % 5)), Score: 0.82 },
          ],
          fingerprint: (i * 7 + k * 13) % 100,
        });
      }
    });
    const policy = this.addPolicy({
      WatchPolicyName: '重点人员',
      WatchMode: 'NotifyIfInList',
      TargetType: 'Face',
      SimilarityThreshold: 0.9,
      ItemMatchType: 'ByImage',
    });
    for (let k = 1; k <= 3; k++) {
      const WatchItemId = `item${k}${randomUUID().slice(0, 4)}`;
      policy.items.set(
        WatchItemId,
        k === 3
          ? {
              WatchItemId,
              WatchItemName: `属性目标${k}`,
              ItemAttributes: JSON.stringify([{ Key: 'GenderCode', Value: ['1'], Score: 0.9 }]),
            }
          : { WatchItemId, WatchItemName: `目标${k}`, ItemImageUrl: `/snapshot/item${k}.jpg` },
      );
    }
  }

  /** An event the platform's analysis reported (TargetType Event or AIoT), as tests and the demo raise them. */
  addEvent(corpId: string, deviceId: string, at: number, TargetType: 'Event' | 'AIoT' = 'Event'): void {
    this.records.push({ CorpId: corpId, TargetType, Timestamp: at, DeviceId: deviceId, attrs: [], fingerprint: 0 });
  }

  handle(action: string, p: Params): Record<string, unknown> | undefined {
    switch (action) {
      case 'SearchTarget':
        return this.search(p);
      case 'CreateWatchTask':
        return this.createTask(p);
      case 'DeleteWatchTasks':
        return this.deleteMany(p, 'WatchTaskIds', this.tasks);
      case 'UpdateWatchTask':
        return this.updateTask(p);
      case 'DescribeWatchTasks':
        return this.describeTasks(p);
      case 'CreateWatchPolicy':
        return this.createPolicy(p);
      case 'DeleteWatchPolicies':
        return this.deleteMany(p, 'WatchPolicyIds', this.policies);
      case 'DescribeWatchPolicies':
        return this.describePolicies(p);
      case 'UpdateWatchPolicy':
        return this.updatePolicy(p);
      case 'DescribeWatchItems':
        return this.describeItems(p);
      case 'RemoveWatchItems':
        return this.removeItems(p);
      default:
        return undefined;
    }
  }

  /** §3.5.1: attributes (AND, ≤ 20) or an image; paging ≤ 100/100; time range only when paired. */
  private search(p: Params) {
    const CorpId = required(p, 'CorpId');
    const { page, size } = paging(p, 'PageNumber', 100);
    if (page > 100) throw new VcsError(400, 'InvalidParameter', 'PageNumber: at most 100.');
    const TargetType = enumParam(p, 'TargetType', TARGET_TYPES, true)!;
    const attrs = p.has('TargetAttributes') ? attributeFilters(jsonParam(p, 'TargetAttributes')) : [];
    maxLength(p, 'TargetImageUrl', 1024);
    const imageData = p.get('TargetImageData');
    if (imageData && Buffer.from(imageData, 'base64').length > MAX_IMAGE)
      throw new VcsError(400, 'InvalidParameter', 'TargetImageData: the image is larger than 500 KB.');
    const image = imageData || p.get('TargetImageUrl');
    const threshold = p.has('SimilarityThreshold') ? Number(p.get('SimilarityThreshold')) : 0;
    if (!(threshold >= 0 && threshold <= 0.99))
      throw new VcsError(400, 'InvalidParameter', 'SimilarityThreshold must be between 0.00 and 0.99.');
    const devices = p.has('DeviceList') ? new Set(jsonIds(p, 'DeviceList', 10_000)) : null;
    const [begin, end] = [p.get('BeginTime'), p.get('EndTime')];
    const range = begin && end ? [isoUtc(begin, 'BeginTime'), isoUtc(end, 'EndTime')] : null;
    const query = image ? parseInt(createHash('md5').update(image).digest('hex').slice(0, 6), 16) % 100 : 0;
    let hits = this.records
      .filter(
        (r) =>
          r.CorpId === CorpId &&
          r.TargetType === TargetType &&
          (!devices || devices.has(r.DeviceId)) &&
          (!range || (r.Timestamp >= range[0]! && r.Timestamp <= range[1]!)),
      )
      .filter((r) =>
        attrs.every((f) => r.attrs.some((a) => a.Key === f.Key && f.Value.includes(a.Value) && a.Score >= f.Score)),
      )
      .map((r) => ({
        r,
        similarity: image ? Math.round((1 - Math.abs(r.fingerprint - query) / 100) * 100) / 100 : undefined,
      }))
      .filter((h) => h.similarity === undefined || h.similarity >= threshold);
    // OrderBy only applies to attribute searches; the example sends it with an image too, so an
    // image search checks its shape and keeps the similarity order.
    const order = orderBy(p);
    hits = image
      ? hits.sort((a, b) => b.similarity! - a.similarity!)
      : hits.sort((a, b) => order * (a.r.Timestamp - b.r.Timestamp));
    // A record's box is its own (it used to follow its place on the page, so one record had two boxes).
    const Records = hits.slice((page - 1) * size, page * size).map(({ r, similarity }) => ({
      TargetType: r.TargetType,
      Timestamp: new Date(r.Timestamp).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      DeviceId: r.DeviceId,
      // Only the attributes named in the query come back (§3.5.1).
      TargetAttributes: JSON.stringify(r.attrs.filter((a) => attrs.some((f) => f.Key === a.Key))),
      TargetImageUrl: `${this.baseUrl()}/snapshot/target-${r.DeviceId}-${r.Timestamp}.jpg`,
      SourceImageUrl: `${this.baseUrl()}/snapshot/frame-${r.DeviceId}-${r.Timestamp}.jpg`,
      LeftTopX: 100 + r.fingerprint,
      LeftTopY: 80,
      RightBottomX: 260 + r.fingerprint,
      RightBottomY: 300,
      ...(similarity !== undefined ? { TargetImageSimilarity: similarity } : {}),
    }));
    return { ...OK, Data: { Records, TotalCount: hits.length, PageSize: size, PageNumber: page } };
  }

  /** §3.5.2: devices must belong to the project (or `ALL`), ≤ 10 policies, a Kafka receiver. */
  private createTask(p: Params) {
    const CorpId = required(p, 'CorpId');
    if (!this.corpExists(CorpId)) throw new VcsError(400, 'InvalidParameter', `Project ${CorpId} does not exist.`);
    const task: WatchTask = {
      WatchTaskId: randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase(),
      CorpId,
      TaskName: '',
      DeviceList: [],
      ScheduleType: '',
      ScheduleCycleDates: [],
      ScheduleTimes: [],
      WatchPolicyIds: [],
      MessageReceiver: {},
      Description: '',
    };
    required(p, 'ScheduleType');
    required(p, 'WatchPolicyIds');
    required(p, 'MessageReceiver');
    this.applyTask(task, p);
    this.tasks.set(task.WatchTaskId, task);
    return { ...OK, Data: { WatchTaskId: task.WatchTaskId } };
  }

  private updateTask(p: Params) {
    const id = required(p, 'WatchTaskId');
    const task = this.tasks.get(id);
    if (!task) throw new VcsError(400, 'InvalidParameter', `Watch task ${id} does not exist.`);
    const copy = structuredClone(task);
    this.applyTask(copy, p);
    this.tasks.set(id, copy);
    return { ...OK };
  }

  /** Validates every given field before changing anything. */
  private applyTask(task: WatchTask, p: Params): void {
    const name = p.get('TaskName');
    if (name !== undefined && !NAME64.test(name))
      throw new VcsError(400, 'InvalidParameter', 'TaskName: 0–64 characters of Chinese, letters, digits, _ or -.');
    const description = p.get('Description');
    if (description !== undefined && !/^[\p{Script=Han}A-Za-z0-9_-]{0,256}$/u.test(description))
      throw new VcsError(400, 'InvalidParameter', 'Description: 0–256 characters of Chinese, letters, digits, _ or -.');
    if (p.has('DeviceList')) {
      const raw = p.get('DeviceList')!;
      if (raw === 'ALL' || raw === '"ALL"' || raw === '["ALL"]') task.DeviceList = 'ALL';
      else {
        const ids = jsonIds(p, 'DeviceList', 10_000);
        const own = new Set(this.corpDevices(task.CorpId));
        const stranger = ids.find((id) => !own.has(id));
        if (stranger)
          throw new VcsError(400, 'InvalidParameter', `Device ${stranger} does not belong to project ${task.CorpId}.`);
        task.DeviceList = ids;
      }
    }
    const type = enumParam(p, 'ScheduleType', SCHEDULES, false);
    if (type) task.ScheduleType = type;
    if (p.has('ScheduleCycleDates') || task.ScheduleType === 'EVERY_WEEK' || task.ScheduleType === 'EVERY_MONTH') {
      if (task.ScheduleType === 'EVERY_WEEK' || task.ScheduleType === 'EVERY_MONTH') {
        const max = task.ScheduleType === 'EVERY_WEEK' ? 7 : 31;
        const dates = p.has('ScheduleCycleDates') ? jsonParam(p, 'ScheduleCycleDates') : task.ScheduleCycleDates;
        if (
          !Array.isArray(dates) ||
          dates.length === 0 ||
          !dates.every((d) => Number.isInteger(d) && d >= 1 && d <= max)
        )
          throw new VcsError(400, 'InvalidParameter', `ScheduleCycleDates: days 1–${max} for ${task.ScheduleType}.`);
        task.ScheduleCycleDates = dates as number[];
      }
    }
    if (p.has('ScheduleTimes')) {
      // Watch tasks allow StartTime = EndTime ("only at that instant"), never overlaps (§3.5.2).
      const times = scheduleTimes(jsonParam(p, 'ScheduleTimes'), 'ScheduleTimes', true).sort((a, b) =>
        a.StartTime.localeCompare(b.StartTime),
      );
      if (times.some((t, i) => i > 0 && t.StartTime < times[i - 1]!.EndTime))
        throw new VcsError(400, 'InvalidParameter', 'ScheduleTimes periods must not overlap.');
      task.ScheduleTimes = times;
    } else if (!task.ScheduleTimes.length && task.ScheduleType !== 'LONG_RUNNING' && task.ScheduleType !== 'ONCE')
      throw new VcsError(403, 'MissingParameter', `ScheduleTimes is mandatory for ${task.ScheduleType}.`);
    if (p.has('WatchPolicyIds')) {
      const ids = jsonIds(p, 'WatchPolicyIds', 10);
      const unknown = ids.find((id) => !this.policies.has(id));
      if (unknown) throw new VcsError(400, 'InvalidParameter', `Watch policy ${unknown} does not exist.`);
      task.WatchPolicyIds = ids;
    }
    if (p.has('MessageReceiver')) task.MessageReceiver = messageReceiver(jsonParam(p, 'MessageReceiver'));
    if (name !== undefined) task.TaskName = name;
    if (description !== undefined) task.Description = description;
  }

  private describeTasks(p: Params) {
    const { page, size } = paging(p, 'PageNumber', 100);
    const ids = p.has('WatchTaskIds') ? new Set(jsonIds(p, 'WatchTaskIds', 100)) : null;
    const all = [...this.tasks.values()].filter((t) => !ids || ids.has(t.WatchTaskId));
    const Records = all.slice((page - 1) * size, page * size).map((t) => ({
      WatchTaskId: t.WatchTaskId,
      TaskName: t.TaskName,
      CorpId: t.CorpId,
      DeviceList: t.DeviceList === 'ALL' ? 'ALL' : JSON.stringify(t.DeviceList),
      ScheduleType: t.ScheduleType,
      ScheduleCycleDates: JSON.stringify(t.ScheduleCycleDates),
      ScheduleTimes: JSON.stringify(t.ScheduleTimes),
      WatchPolicyIds: JSON.stringify(t.WatchPolicyIds),
      MessageReceiver: JSON.stringify(withoutPassword(t.MessageReceiver)),
      Description: t.Description,
    }));
    return { ...OK, Data: { TotalCount: all.length, PageSize: size, PageNumber: page, Records } };
  }

  private addPolicy(f: Omit<WatchPolicy, 'WatchPolicyId' | 'items'>): WatchPolicy {
    const policy: WatchPolicy = { ...f, WatchPolicyId: randomUUID().replace(/-/g, ''), items: new Map() };
    this.policies.set(policy.WatchPolicyId, policy);
    return policy;
  }

  /** §3.5.6: mode, target type and match dimension required; threshold in [0, 1). */
  private createPolicy(p: Params) {
    const policy = this.addPolicy({
      WatchPolicyName: policyName(p) ?? '',
      WatchMode: enumParam(p, 'WatchMode', MODES, true)!,
      TargetType: enumParam(p, 'TargetType', TARGET_TYPES, true)!,
      SimilarityThreshold: threshold(p) ?? 0,
      ItemMatchType: enumParam(p, 'ItemMatchType', MATCH, true)!,
    });
    return { ...OK, Data: { WatchPolicyId: policy.WatchPolicyId } };
  }

  private updatePolicy(p: Params) {
    const id = required(p, 'WatchPolicyId');
    const policy = this.policies.get(id);
    if (!policy) throw new VcsError(400, 'InvalidParameter', `Watch policy ${id} does not exist.`);
    const patch = {
      WatchPolicyName: policyName(p),
      WatchMode: enumParam(p, 'WatchMode', MODES, false),
      TargetType: enumParam(p, 'TargetType', TARGET_TYPES, false),
      SimilarityThreshold: threshold(p),
      ItemMatchType: enumParam(p, 'ItemMatchType', MATCH, false),
    };
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) Object.assign(policy, { [k]: v });
    return { ...OK };
  }

  private describePolicies(p: Params) {
    const { page, size } = paging(p, 'PageNumber', 100);
    const ids = p.has('WatchPolicyIds') ? new Set(jsonIds(p, 'WatchPolicyIds', 100)) : null;
    const all = [...this.policies.values()].filter((x) => !ids || ids.has(x.WatchPolicyId));
    const Records = all.slice((page - 1) * size, page * size).map(({ items: _items, ...x }) => x);
    return { ...OK, Data: { TotalCount: all.length, PageSize: size, PageNumber: page, Records } };
  }

  private policy(p: Params): WatchPolicy {
    const id = required(p, 'WatchPolicyId');
    const policy = this.policies.get(id);
    if (!policy) throw new VcsError(400, 'InvalidParameter', `Watch policy ${id} does not exist.`);
    return policy;
  }

  private describeItems(p: Params) {
    const { page, size } = paging(p, 'PageNumber', 100);
    const policy = this.policy(p);
    const ids = p.has('WatchItemIds') ? new Set(jsonIds(p, 'WatchItemIds', 1000)) : null;
    const all = [...policy.items.values()].filter((i) => !ids || ids.has(i.WatchItemId));
    // Picture URLs are absolute in replies; the seed keeps paths because the port is picked later.
    const records = all
      .slice((page - 1) * size, page * size)
      .map((i) => (i.ItemImageUrl?.startsWith('/') ? { ...i, ItemImageUrl: `${this.baseUrl()}${i.ItemImageUrl}` } : i));
    return { ...OK, Data: { TotalCount: all.length, PageSize: size, PageNumber: page, Records: records } };
  }

  /** §3.5.11: unknown IDs count as removed; the lists come back as JSON text. */
  private removeItems(p: Params) {
    const policy = this.policy(p);
    const ids = jsonIds(p, 'WatchItemIds', 1000);
    for (const id of ids) policy.items.delete(id);
    return { ...OK, Data: { DeletedItemIds: JSON.stringify(ids), FailedItemIds: '[]' } };
  }

  private deleteMany(p: Params, name: string, table: Map<string, unknown>) {
    for (const id of jsonIds(p, name, 100)) table.delete(id);
    return { ...OK };
  }
}

function enumParam(p: Params, name: string, values: string[], mandatory: boolean): string | undefined {
  const v = mandatory ? required(p, name) : p.get(name);
  if (v !== undefined && !values.includes(v))
    throw new VcsError(400, 'InvalidParameter', `${name} must be one of ${values.join(', ')}.`);
  return v;
}

function policyName(p: Params): string | undefined {
  const v = p.get('WatchPolicyName');
  if (v !== undefined && !NAME64.test(v))
    throw new VcsError(
      400,
      'InvalidParameter',
      'WatchPolicyName: 0–64 characters of Chinese, letters, digits, _ or -.',
    );
  return v;
}

function threshold(p: Params): number | undefined {
  if (!p.has('SimilarityThreshold')) return undefined;
  const v = Number(p.get('SimilarityThreshold'));
  if (!(v >= 0 && v < 1)) throw new VcsError(400, 'InvalidParameter', 'SimilarityThreshold must be in [0, 1).');
  return v;
}

function attributeFilters(v: unknown): Array<{ Key: string; Value: string[]; Score: number }> {
  if (
    !Array.isArray(v) ||
    v.length > 20 ||
    !v.every(
      (a) =>
        a &&
        typeof a.Key === 'string' &&
        Array.isArray(a.Value) &&
        (a.Score === undefined || typeof a.Score === 'number'),
    )
  )
    throw new VcsError(
      400,
      'InvalidParameter',
      'TargetAttributes: a JSON array of at most 20 {"Key", "Value": [...], "Score"}.',
    );
  return (v as Array<{ Key: string; Value: unknown[]; Score?: number }>).map((a) => ({
    Key: a.Key,
    Value: a.Value.map(String),
    Score: a.Score ?? 0,
  }));
}

function orderBy(p: Params): 1 | -1 {
  if (!p.has('OrderBy')) return -1;
  const v = jsonParam(p, 'OrderBy');
  const first = Array.isArray(v) ? (v[0] as { Key?: string; Type?: string } | undefined) : undefined;
  if (!first || first.Key !== 'Timestamp' || (first.Type !== 'Asc' && first.Type !== 'Desc'))
    throw new VcsError(400, 'InvalidParameter', 'OrderBy: [{"Key":"Timestamp","Type":"Asc"|"Desc"}].');
  return first.Type === 'Asc' ? 1 : -1;
}

function isoUtc(v: string, name: string): number {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(v))
    throw new VcsError(400, 'InvalidParameter', `${name} must be ISO 8601 UTC (YYYY-MM-ddTHH:mm:ssZ).`);
  return Date.parse(v);
}

/** Kafka only, SASL PLAIN or SCRAM (§3.5.2). */
function messageReceiver(v: unknown): Record<string, unknown> {
  const r = v as {
    MessageQueue?: unknown;
    Config?: {
      BootstrapServers?: unknown;
      Topic?: unknown;
      Authorization?: unknown;
      SASL?: { Type?: unknown; Username?: unknown; Password?: unknown };
    };
  };
  const c = r?.Config;
  const ok =
    r?.MessageQueue === 'Kafka' &&
    typeof c?.BootstrapServers === 'string' &&
    c.BootstrapServers.split(',').every((s) => /^[^:\s]+:\d{1,5}$/.test(s.trim())) &&
    typeof c.Topic === 'string' &&
    c.Topic !== '' &&
    (c.Authorization === undefined ||
      (c.Authorization === 'SASL' &&
        (c.SASL?.Type === 'PLAIN' || c.SASL?.Type === 'SCRAM') &&
        typeof c.SASL.Username === 'string' &&
        typeof c.SASL.Password === 'string'));
  if (!ok)
    throw new VcsError(
      400,
      'InvalidParameter',
      'MessageReceiver: {"MessageQueue":"Kafka","Config":{"BootstrapServers":"ip:port,…","Topic":…,"Authorization":"SASL","SASL":{"Type":"PLAIN"|"SCRAM",…}}}.',
    );
  return r as Record<string, unknown>;
}

function withoutPassword(r: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(r) as { Config?: { SASL?: { Password?: unknown } } };
  if (copy.Config?.SASL) delete copy.Config.SASL.Password;
  return copy as Record<string, unknown>;
}
