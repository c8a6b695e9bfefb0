import Papa from 'papaparse';
import type { HealthSummary } from '../../preload/contract';

/**
 * The dashboard as one CSV: totals, groups, every list row and packet rates, one section column.
 * `ungroupedName` names the row of devices in no group.
 */
export function healthCsv(s: HealthSummary, listName: (key: string) => string, ungroupedName = 'No group'): string {
  const rows: Array<Record<string, string | number>> = [
    {
      section: 'total',
      name: '',
      devices: s.total.devices,
      devices_online: s.total.devicesOnline,
      channels: s.total.channels,
      channels_online: s.total.channelsOnline,
    },
    ...s.groups.map((g) => ({
      section: 'group',
      name: g.ungrouped ? ungroupedName : g.name,
      devices: g.devices,
      devices_online: g.devicesOnline,
      channels: g.channels,
      channels_online: g.channelsOnline,
    })),
    ...s.lists.flatMap((l) =>
      l.items.map((i) => ({
        section: listName(l.key),
        name: i.deviceId,
        state: i.state ?? '',
        detail: i.detail ?? '',
      })),
    ),
    ...s.packetRates.map((p) => ({
      section: 'packets',
      name: `${p.deviceId}/${p.channelId}`,
      received: p.received,
      expected: p.expected,
      rate: p.expected ? (p.received / p.expected).toFixed(4) : '',
    })),
  ];
  return Papa.unparse(rows, {
    // Group and device names come from the platform: a leading = + - @ is text, not a formula.
    escapeFormulae: true,
    columns: [
      'section',
      'name',
      'devices',
      'devices_online',
      'channels',
      'channels_online',
      'state',
      'detail',
      'received',
      'expected',
      'rate',
    ],
  });
}
