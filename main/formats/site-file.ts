import { z } from 'zod';
import {
  MAX_MAP_IMAGE_BYTES,
  MAX_MAPS,
  MAX_PINS,
  MapDocument,
  MapImageType,
  type MapNode,
  type MapPin,
} from '../../preload/contract';
import { PlanImageError, readPlanImage, type PlanType } from './map-image';

/**
 * The site file: one JSON that carries a seat's maps to another (the tree, the pins and every
 * plan as base64). What it brings is checked as if uploaded here: each picture read by its bytes
 * again and an SVG sanitised again, the tree's links and the bounds checked; nothing is trusted
 * because another Vigil wrote it.
 */
export const SITE_FILE_FORMAT = 'vigil-site';

const SiteFile = z.object({
  format: z.literal(SITE_FILE_FORMAT),
  version: z.literal(1),
  exportedAt: z.string().max(64),
  doc: MapDocument,
  images: z.record(z.string().max(64), z.object({ type: MapImageType, data: z.string() })),
});

export interface SitePlan {
  type: PlanType;
  bytes: Uint8Array;
}

export function writeSiteFile(doc: MapDocument, images: Map<string, SitePlan>, now = new Date()): string {
  const embedded: Record<string, { type: PlanType; data: string }> = {};
  for (const [id, plan] of images) embedded[id] = { type: plan.type, data: Buffer.from(plan.bytes).toString('base64') };
  return JSON.stringify({ format: SITE_FILE_FORMAT, version: 1, exportedAt: now.toISOString(), doc, images: embedded });
}

/**
 * Nodes whose parent is missing or that sit in a loop (each named once): what neither the tree nor
 * the pins can show. A site has no parent; a building's and a floor's parent is any node.
 */
export function orphanNodes(nodes: readonly MapNode[]): Set<string> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const bad = new Set<string>();
  for (const n of nodes) {
    const seen = new Set<string>([n.id]);
    let p = n.parentId;
    while (p !== null) {
      const parent = byId.get(p);
      if (!parent || seen.has(p)) {
        bad.add(n.id);
        break;
      }
      seen.add(p);
      p = parent.parentId;
    }
  }
  return bad;
}

export interface ReadSite {
  doc: MapDocument;
  images: Map<string, SitePlan>;
  skipped: string[];
}

/**
 * A site file read and checked. A file that is not one (not JSON, another format, a field of the
 * wrong type) is refused whole; within a valid one, a plan that fails its checks leaves its node
 * without a plan, and a node or pin that points nowhere is left out, each said in `skipped`.
 */
export function readSiteFile(text: string): ReadSite {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PlanImageError('The file is not a Vigil site file (it is not JSON)');
  }
  if ((json as { format?: unknown } | null)?.format !== SITE_FILE_FORMAT)
    throw new PlanImageError('The file is not a Vigil site file');
  const parsed = SiteFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PlanImageError(
      `The site file cannot be read: ${issue.path.join('.') || 'the file'}: ${issue.message} (nothing was imported)`,
    );
  }
  const { doc, images: embedded } = parsed.data;
  return checkSite(doc, (n) => {
    const raw = embedded[n.image!.id];
    if (!raw) throw new PlanImageError('its picture is not in the file');
    if (raw.data.length > Math.ceil(MAX_MAP_IMAGE_BYTES / 3) * 4 + 4)
      throw new PlanImageError('its picture is too big');
    return Buffer.from(raw.data, 'base64');
  });
}

/**
 * A site's document checked as a site file's is (second ids, parents, loops, bounds), each plan
 * (`planOf` gives its bytes or throws a PlanImageError) read by its bytes and an SVG sanitised
 * again: for a site file and for maps another seat published through the control room.
 */
export function checkSite(doc: MapDocument, planOf: (n: MapNode) => Uint8Array): ReadSite {
  const skipped: string[] = [];
  const ids = new Set<string>();
  const nodes: MapNode[] = [];
  for (const n of doc.nodes) {
    if (ids.has(n.id)) skipped.push(`“${n.name}”: a second map with the id ${n.id}`);
    else {
      ids.add(n.id);
      nodes.push(n);
    }
  }
  const orphans = orphanNodes(nodes);
  const images = new Map<string, SitePlan>();
  const kept: MapNode[] = [];
  for (const n of nodes) {
    if (orphans.has(n.id)) {
      skipped.push(`“${n.name}”: its parent is not in the file`);
      continue;
    }
    if (!n.image) {
      kept.push(n);
      continue;
    }
    try {
      const plan = readPlanImage(planOf(n), MAX_MAP_IMAGE_BYTES);
      images.set(n.image.id, plan);
      kept.push({ ...n, image: { id: n.image.id, type: plan.type, bytes: plan.bytes.length } });
    } catch (e) {
      skipped.push(`“${n.name}”: plan left out: ${(e as Error).message}`);
      kept.push({ ...n, image: null });
    }
  }
  const keptIds = new Set(kept.map((n) => n.id));
  const pinIds = new Set<string>();
  const pins: MapPin[] = [];
  for (const p of doc.pins) {
    if (!keptIds.has(p.mapId)) skipped.push(`pin “${p.name}”: its map is not in the file`);
    else if (pinIds.has(p.id)) skipped.push(`pin “${p.name}”: a second pin with the id ${p.id}`);
    else {
      pinIds.add(p.id);
      pins.push(p);
    }
  }
  if (kept.length > MAX_MAPS || pins.length > MAX_PINS)
    throw new PlanImageError(`A site holds at most ${MAX_MAPS} maps and ${MAX_PINS} pins`);
  return { doc: { version: 1, nodes: kept, pins }, images, skipped };
}
