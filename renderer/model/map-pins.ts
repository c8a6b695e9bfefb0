import type { MapNode, MapPin, TreeNode } from '../../preload/contract';

/**
 * The maps' pure part: where dropped cameras land, the field-of-view wedge, which maps hold an
 * alarmed camera, and the tree's order. No React, no stores: unit-tested as it is.
 */

export const pinKey = (p: { accountId: string; channelId: string }) => `${p.accountId}|${p.channelId}`;

/** Clamped into the plan with a margin, so a pin dropped on the edge stays clickable. */
const clamp = (v: number) => Math.min(0.98, Math.max(0.02, v));

/**
 * Where `n` cameras dropped together at (x, y) go: the first at the point, the others in a row to
 * its right (wrapping down), so none hides another.
 */
export function spreadDrop(x: number, y: number, n: number, step = 0.04): Array<{ x: number; y: number }> {
  const perRow = 6;
  return Array.from({ length: n }, (_, i) => ({
    x: clamp(x + (i % perRow) * step),
    y: clamp(y + Math.floor(i / perRow) * step),
  }));
}

/**
 * The field-of-view wedge as an SVG path in a box `w` × `h` (pixels): from the pin, `range` of the
 * larger side long, `fov` degrees wide around `direction` (clockwise from up). 360° is a circle.
 */
export function wedgePath(pin: Pick<MapPin, 'x' | 'y' | 'direction' | 'fov' | 'range'>, w: number, h: number): string {
  const cx = pin.x * w;
  const cy = pin.y * h;
  const r = pin.range * Math.max(w, h);
  const f = (n: number) => Number(n.toFixed(2));
  if (pin.fov >= 360)
    return `M${f(cx - r)} ${f(cy)}a${f(r)} ${f(r)} 0 1 0 ${f(2 * r)} 0a${f(r)} ${f(r)} 0 1 0 ${f(-2 * r)} 0Z`;
  const at = (deg: number) => {
    const rad = (deg * Math.PI) / 180;
    return [cx + r * Math.sin(rad), cy - r * Math.cos(rad)] as const;
  };
  const [x1, y1] = at(pin.direction - pin.fov / 2);
  const [x2, y2] = at(pin.direction + pin.fov / 2);
  const large = pin.fov > 180 ? 1 : 0;
  return `M${f(cx)} ${f(cy)}L${f(x1)} ${f(y1)}A${f(r)} ${f(r)} 0 ${large} 1 ${f(x2)} ${f(y2)}Z`;
}

/** The direction (degrees clockwise from up, 0–359) from a pin to a point, both in pixels. */
export function bearing(fromX: number, fromY: number, toX: number, toY: number): number {
  const deg = (Math.atan2(toX - fromX, fromY - toY) * 180) / Math.PI;
  return Math.round((deg + 360) % 360);
}

/** Maps (ids) with a pin of an alarmed camera, each map's ancestors too: the tree shows where to look. */
export function alarmedMaps(
  nodes: readonly MapNode[],
  pins: readonly MapPin[],
  alarmed: ReadonlySet<string>,
): Set<string> {
  const parent = new Map(nodes.map((n) => [n.id, n.parentId]));
  const out = new Set<string>();
  for (const p of pins) {
    if (!alarmed.has(pinKey(p))) continue;
    for (let id: string | null | undefined = p.mapId; id && !out.has(id); id = parent.get(id)) out.add(id);
  }
  return out;
}

/**
 * The map to bring forward for cameras that just raised an alarm: the first with a pin of one of
 * them, the one shown now when it has one.
 */
export function mapForAlarm(
  pins: readonly MapPin[],
  cameras: ReadonlySet<string>,
  current: string | null,
): string | null {
  const hit = pins.filter((p) => cameras.has(pinKey(p)));
  if (!hit.length) return null;
  return hit.some((p) => p.mapId === current) ? current : hit[0]!.mapId;
}

export interface MapTreeItem {
  node: MapNode;
  children: MapTreeItem[];
}

/** The nodes as a tree: sites first, children by kind then name (a node whose parent is gone is a root). */
export function mapTree(nodes: readonly MapNode[]): MapTreeItem[] {
  const ids = new Set(nodes.map((n) => n.id));
  const byParent = new Map<string | null, MapNode[]>();
  for (const n of nodes) {
    const p = n.parentId !== null && ids.has(n.parentId) ? n.parentId : null;
    byParent.set(p, [...(byParent.get(p) ?? []), n]);
  }
  const rank = { site: 0, building: 1, floor: 2 } as const;
  const build = (p: string | null, seen: Set<string>): MapTreeItem[] =>
    (byParent.get(p) ?? [])
      .filter((n) => !seen.has(n.id))
      .sort((a, b) => rank[a.kind] - rank[b.kind] || a.name.localeCompare(b.name, undefined, { numeric: true }))
      .map((node) => ({ node, children: build(node.id, new Set([...seen, node.id])) }));
  return build(null, new Set());
}

/** A camera its platform places on the earth (Alibaba VCS longitude and latitude), as the geographic map draws it. */
export interface GeoCamera {
  key: string;
  accountId: string;
  channelId: string;
  name: string;
  status: TreeNode['status'];
  lat: number;
  lng: number;
}

/** Every channel of the device trees with a place, once each. */
export function geoCameras(nodes: readonly TreeNode[]): GeoCamera[] {
  const out = new Map<string, GeoCamera>();
  for (const n of nodes) {
    if (n.kind !== 'channel' || !n.geo) continue;
    const key = pinKey({ accountId: n.accountId, channelId: n.id });
    out.set(key, {
      key,
      accountId: n.accountId,
      channelId: n.id,
      name: n.name,
      status: n.status,
      lat: n.geo.lat,
      lng: n.geo.lng,
    });
  }
  return [...out.values()];
}
