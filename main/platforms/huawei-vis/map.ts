import type { StreamEndpoint } from './schemas';

/** VIS values → Vigil's model: play sources, packet rates, human-formatted quantities. */

export interface LiveSource {
  protocol: 'flv' | 'hls';
  url: string;
  /** VIS addresses carry no expiry but may change after recovery: re-fetch on every reconnect. */
  refetchOnError: true;
}

/** HTTP-FLV for H.264 (`pull_flow_address`, the table's plural too), HLS for H.265 (§4.2.7). */
export function liveSourceFromEndpoint(e: StreamEndpoint): LiveSource | null {
  const flv = e.pull_flow_address ?? e.pull_flow_addresses;
  if (flv) return { protocol: 'flv', url: flv.trim(), refetchOnError: true };
  if (e.hls_pull_flow_address) return { protocol: 'hls', url: e.hls_pull_flow_address.trim(), refetchOnError: true };
  return null;
}

/** A stream's `encode_type` (§3.3: `H264`, `H265` — GB28181 streams — or `""`) → its codec, unknown when empty. */
export function codecOfEncodeType(v: string | undefined): 'h264' | 'h265' | undefined {
  const e = v?.trim().toUpperCase();
  return e === 'H265' ? 'h265' : e === 'H264' ? 'h264' : undefined;
}

/** "4511/4511" → 1; guards expected = 0 and flags received > expected (§4.5.7). */
export function packetRate(text: string): {
  received: number;
  expected: number;
  rate: number | null;
  suspicious: boolean;
} {
  const [r, e] = text.split('/').map(Number) as [number, number];
  return { received: r, expected: e, rate: e > 0 ? r / e : null, suspicious: r > e };
}

const units: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  'Kb/s': 1e3,
  'Mb/s': 1e6,
  'Gb/s': 1e9,
};

/** "102.883 Kb/s" → 102883 (bits/s); "15.775 GB" → bytes. null if not in the documented form. */
export function quantity(text: string | undefined): number | null {
  const m = text ? /^\s*([0-9.]+)\s*(B|KB|MB|GB|TB|Kb\/s|Mb\/s|Gb\/s)\s*$/.exec(text) : null;
  return m ? Number(m[1]) * units[m[2]!]! : null;
}

/** Channel invitation status → Vigil's status language. */
export function channelStatus(invitation: string): 'online' | 'offline' | 'reconnecting' | 'streaming' {
  switch (invitation) {
    case 'INVITE_SUCCESS':
      return 'streaming';
    case 'ONLINE':
    case 'INVITING':
    case 'CANCELING':
      return 'online';
    case 'TEMPORARY_OFFLINE':
      return 'reconnecting';
    default:
      return 'offline';
  }
}
