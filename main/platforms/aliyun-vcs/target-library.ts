import type { ItemOutcome, LibraryState, Target } from '../../../preload/contract';
import { AppError } from '../../errors';
import type { TargetLibraryOps } from '../platform';
import type { TargetType, VcsDataServiceApi } from './api-dataservice';
import { fetchImage } from './images';

/** Watch lists live on the account, not on a device: one scope. */
const SCOPE = 'account';
const TARGET_TYPES: TargetType[] = ['Face', 'Body', 'Motor', 'NonMotor'];
const PAGE_MAX = 100; // DescribeWatchPolicies / DescribeWatchItems PageSize maximum

/**
 * Alibaba VCS watch lists (§3.5.6–3.5.11) in Vigil's target-library editor: a watch policy is a
 * group (create, rename, delete), its watch items are targets (list and remove: the API has no
 * action that adds or edits items). Item pictures are fetched in main as data: URLs.
 */
export class VcsTargetLibrary implements TargetLibraryOps {
  constructor(
    private readonly data: VcsDataServiceApi,
    private readonly fetchImpl: typeof fetch,
  ) {}

  async scopes() {
    return [{ id: SCOPE, name: 'Watch policies' }];
  }

  async state(scope: string): Promise<LibraryState> {
    checkScope(scope);
    const policies = [];
    for (let page = 1; ; page++) {
      const r = await this.data.describeWatchPolicies({ PageNumber: page, PageSize: PAGE_MAX });
      policies.push(...r.Records);
      if (r.Records.length < PAGE_MAX || policies.length >= r.TotalCount) break;
    }
    const groups = [];
    for (const p of policies) {
      const items = await this.data.describeWatchItems({ WatchPolicyId: p.WatchPolicyId, PageNumber: 1, PageSize: 1 });
      groups.push({
        id: p.WatchPolicyId,
        name: p.WatchPolicyName || p.WatchPolicyId,
        enabled: null,
        fixed: false,
        hidden: false,
        builtin: false,
        count: items.TotalCount,
      });
    }
    return {
      family: 'VCS',
      maxGroups: -1,
      maxGroupName: 64,
      groupTypes: TARGET_TYPES,
      actions: { addTargets: false, editTargets: false, enableGroups: false },
      attributes: [],
      limits: { batch: 0, maxImageBytes: 0, maxImageSide: 0, batchImageBytes: null, deleteBatch: 1000 },
      groups,
    };
  }

  /** CreateWatchPolicy: notify when a listed target appears, matching items by image. */
  async createGroup(scope: string, name: string, type?: string): Promise<void> {
    checkScope(scope);
    if (!/^[\p{Script=Han}A-Za-z0-9_-]{0,64}$/u.test(name))
      throw new AppError('VALIDATION', 'Watch policy names: Chinese, letters, digits, _ and - only, at most 64');
    const targetType = (TARGET_TYPES as string[]).includes(type ?? '') ? (type as TargetType) : 'Face';
    await this.data.createWatchPolicy({
      WatchPolicyName: name,
      WatchMode: 'NotifyIfInList',
      TargetType: targetType,
      ItemMatchType: 'ByImage',
    });
  }

  async updateGroup(scope: string, groupId: string, name: string): Promise<void> {
    checkScope(scope);
    if (!/^[\p{Script=Han}A-Za-z0-9_-]{0,64}$/u.test(name))
      throw new AppError('VALIDATION', 'Watch policy names: Chinese, letters, digits, _ and - only, at most 64');
    await this.data.updateWatchPolicy({ WatchPolicyId: groupId, WatchPolicyName: name });
  }

  async deleteGroup(scope: string, groupId: string): Promise<void> {
    checkScope(scope);
    await this.data.deleteWatchPolicies([groupId]);
  }

  /** Page numbers from the editor's index range (its pages are multiples of the page size). */
  async targets(
    scope: string,
    groupId: string,
    start: number,
    count: number,
  ): Promise<{ targets: Target[]; total: number }> {
    checkScope(scope);
    const size = Math.min(count, PAGE_MAX);
    const r = await this.data.describeWatchItems({
      WatchPolicyId: groupId,
      PageNumber: Math.floor(start / size) + 1,
      PageSize: size,
    });
    const targets: Target[] = [];
    for (const item of r.Records) {
      const t: Target = { id: item.WatchItemId, name: item.WatchItemName || item.WatchItemId };
      if (item.ItemAttributes) t.details = attributesText(item.ItemAttributes);
      if (item.ItemImageUrl) {
        const picture = await fetchImage(this.fetchImpl, item.ItemImageUrl);
        if (picture) t.picture = picture;
      }
      targets.push(t);
    }
    return { targets, total: r.TotalCount };
  }

  async picture(scope: string, groupId: string, id: string): Promise<string | null> {
    checkScope(scope);
    const r = await this.data.describeWatchItems({ WatchPolicyId: groupId, PageNumber: 1, PageSize: 1, ids: [id] });
    const url = r.Records[0]?.ItemImageUrl;
    return url ? fetchImage(this.fetchImpl, url) : null;
  }

  /** RemoveWatchItems answers the deleted and the failed IDs (§3.5.11). */
  async remove(scope: string, groupId: string, ids: string[]): Promise<ItemOutcome[]> {
    checkScope(scope);
    const { failed } = await this.data.removeWatchItems(groupId, ids);
    return ids.map((id, index) =>
      failed.includes(id)
        ? { index, ok: false, code: 'FAILED', message: 'The platform could not remove this item' }
        : { index, ok: true, id },
    );
  }
}

function checkScope(scope: string): void {
  if (scope !== SCOPE) throw new AppError('VALIDATION', 'Alibaba watch lists belong to the account, not to a device');
}

/** `[{Key, Value: [...], Score}]` as `Key=v1,v2` text; anything else verbatim (trimmed). */
function attributesText(raw: string): string {
  try {
    const list = JSON.parse(raw.slice(raw.indexOf('['))) as Array<{ Key?: string; Value?: unknown }>;
    return list.map((a) => `${a.Key}=${Array.isArray(a.Value) ? a.Value.join(',') : String(a.Value)}`).join('; ');
  } catch {
    return raw.trim().slice(0, 500);
  }
}
