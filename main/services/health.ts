import type { HealthSummary, TreeNode } from '../../preload/contract';
import type { AccountsService } from './accounts';
import type { WallService } from './wall';
import type { HandlerSlice } from '../ipc/handlers';

/**
 * The health dashboard: counts from a freshly loaded device tree (every platform has one), per
 * top-level group, plus the platform's own health lists where it offers them (Huawei VIS).
 */
export class HealthService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly wall: WallService,
  ) {}

  async summary(accountId: string): Promise<HealthSummary> {
    const tree = await this.wall.tree(accountId, true);
    const problems = tree.error ? [tree.error] : [];
    const platform = await this.accounts.platform(accountId);
    const extra = platform.health ? await platform.health.lists() : { lists: [], packetRates: [], problems: [] };
    return {
      at: new Date().toISOString(),
      total: counts(tree.nodes),
      groups: groupCounts(tree.nodes),
      lists: extra.lists,
      packetRates: extra.packetRates,
      problems: [...problems, ...extra.problems],
    };
  }
}

export function counts(nodes: TreeNode[]) {
  const devices = nodes.filter((n) => n.kind === 'device');
  const channels = nodes.filter((n) => n.kind === 'channel');
  return {
    devices: devices.length,
    devicesOnline: devices.filter((n) => n.status === 'online').length,
    channels: channels.length,
    channelsOnline: channels.filter((n) => n.status === 'online').length,
  };
}

/**
 * Counts under each top-level group: the highest group above a device or channel, walking up
 * through devices (an NVR's channels count where the NVR is) and nested groups. A device or channel
 * with no group above it — in the platform's root organization (where Huawei IVM puts devices the
 * installer adds), or under a parent the tree does not hold — counts in one "no group" row
 * (`ungrouped`, empty name) instead of being dropped or turned into a group of its own, so the rows
 * always add up to the totals.
 */
export function groupCounts(nodes: TreeNode[]) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const topGroup = (n: TreeNode): TreeNode | null => {
    let top: TreeNode | null = null;
    const seen = new Set<string>([n.id]);
    for (let cur = byId.get(n.parentId ?? ''); cur && !seen.has(cur.id); cur = byId.get(cur.parentId ?? '')) {
      seen.add(cur.id);
      if (cur.kind === 'group') top = cur;
    }
    return top;
  };
  const groups = new Map<string, { group: TreeNode | null; members: TreeNode[] }>();
  for (const n of nodes) {
    if (n.kind !== 'device' && n.kind !== 'channel') continue;
    const group = topGroup(n);
    const key = group ? group.id : '';
    const entry = groups.get(key) ?? { group, members: [] };
    entry.members.push(n);
    groups.set(key, entry);
  }
  const rows = [...groups.values()].map(({ group, members }) => ({
    id: group?.id ?? '',
    name: group?.name ?? '',
    ...(group ? {} : { ungrouped: true }),
    ...counts(members),
  }));
  // Named groups in name order, the "no group" row last.
  return rows.sort(
    (a, b) => Number(!!a.ungrouped) - Number(!!b.ungrouped) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
  );
}

export function healthHandlers(health: HealthService): HandlerSlice {
  return { 'health:summary': ({ accountId }) => health.summary(accountId) };
}
