import type { HealthSummary, TreeNode } from '../../preload/contract';
import type { AccountsService } from './accounts';
import type { WallService } from './wall';

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
    return { at: new Date().toISOString(), total: counts(tree.nodes), groups: groupCounts(tree.nodes), lists: extra.lists, packetRates: extra.packetRates, problems: [...problems, ...extra.problems] };
  }
}

export function counts(nodes: TreeNode[]) {
  const devices = nodes.filter((n) => n.kind === 'device');
  const channels = nodes.filter((n) => n.kind === 'channel');
  return { devices: devices.length, devicesOnline: devices.filter((n) => n.status === 'online').length, channels: channels.length, channelsOnline: channels.filter((n) => n.status === 'online').length };
}

/** Counts under each top-level group (nodes without a parent), by walking parents up. */
export function groupCounts(nodes: TreeNode[]) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const top = (n: TreeNode): TreeNode => {
    let cur = n;
    for (let guard = 0; cur.parentId && byId.has(cur.parentId) && guard < 64; guard++) cur = byId.get(cur.parentId)!;
    return cur;
  };
  const groups = new Map<string, TreeNode[]>();
  for (const n of nodes) {
    if (n.kind !== 'device' && n.kind !== 'channel') continue;
    const root = top(n);
    if (root === n) continue;
    groups.set(root.id, [...(groups.get(root.id) ?? []), n]);
  }
  return [...groups].map(([id, members]) => ({ name: byId.get(id)!.name, ...counts(members) })).sort((a, b) => a.name.localeCompare(b.name));
}
