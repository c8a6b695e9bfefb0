import type { Organization } from './schemas';

/** IVC values → Vigil's model: play URLs, playback sessions, organization tree, statuses. */

/** E32's example uses the non-standard `hls://` scheme: read it as https (spec §4.2). */
export function normalizePlayUrl(url: string): string {
  return url.replace(/^hls:\/\//i, 'https://');
}

/** E36 URL → its ChannelId and Session (spec §4.3); accepts the form without `.live.flv`. */
export function parsePlaybackSession(url: string): { channelId: string; session: string } | null {
  const m = /\/live\/([^/@?]+)@([^/?]+?)(?:\.live\.flv)?(?:\?|$)/.exec(url);
  return m ? { channelId: m[1]!, session: m[2]! } : null;
}

export interface OrgNode {
  id: string;
  name: string;
  online?: number;
  total?: number;
  children: OrgNode[];
}

/** E13's flat list → a tree (ParentId "0" is the top level); orphans are kept at the top. */
export function organizationTree(list: Organization[]): OrgNode[] {
  const nodes = new Map<string, OrgNode>(
    list.map((o) => [String(o.Id), { id: String(o.Id), name: o.Name, online: o.Online, total: o.Total, children: [] }]),
  );
  const roots: OrgNode[] = [];
  for (const o of list) {
    const node = nodes.get(String(o.Id))!;
    const parent = nodes.get(String(o.ParentId));
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

export function deviceStatus(status: number): 'unregistered' | 'online' | 'offline' | 'disabled' | 'unknown' {
  return (['unregistered', 'online', 'offline', 'disabled'] as const)[status] ?? 'unknown';
}

/** The first UTC+8 midnight after `s` (Unix s): where Tencent's "may not cross a day" days end. */
export function nextChinaMidnight(s: number): number {
  return Math.floor((s + 8 * 3600) / 86400) * 86400 + 86400 - 8 * 3600;
}

/** Split [start, end] (Unix s) at UTC+8 midnights: cloud timelines and playback may not cross a day. */
export function splitByChinaDay(start: number, end: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let s = start;
  while (s < end) {
    const e = Math.min(end, nextChinaMidnight(s) - 1);
    out.push([s, e]);
    s = e + 1;
  }
  return out;
}

/** E38: "开始和结束时间段最长为30分钟，且不能跨天" (seconds). */
const MAX_DOWNLOAD_S = 1800;

/**
 * [start, end) (Unix s) as E38 downloads: each at most 30 minutes and none across a UTC+8 midnight
 * (a piece may end exactly at one; the next piece begins there).
 */
export function downloadPieces(start: number, end: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let s = start; s < end; ) {
    const e = Math.min(end, s + MAX_DOWNLOAD_S, nextChinaMidnight(s));
    out.push([s, e]);
    s = e;
  }
  return out;
}
