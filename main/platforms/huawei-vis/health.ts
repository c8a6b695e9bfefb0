import type { HealthList } from '../../../preload/contract';
import type { HealthOps } from '../platform';
import { deviceStatisticsLists, type VisApi } from './api';
import { packetRate } from './map';

const KEYS: Record<(typeof deviceStatisticsLists)[number], string> = {
  pastOnlineDeviceList: 'vis.everOnline',
  todayNewOnlineDeviceList: 'vis.newOnline',
  todayDroppedDeviceList: 'vis.dropped',
  longTermOfflineDeviceList: 'vis.longOffline',
  shortTermOfflineDeviceList: 'vis.offline',
  notSendDataDeviceList: 'vis.notStreaming',
};

/**
 * Huawei VIS operation statistics (§4.5.1–4.5.7): the six device lists and today's video packet
 * reception per channel (`received/expected`, parsed with a guard against zero).
 */
export class VisHealthLists implements HealthOps {
  constructor(private readonly api: VisApi) {}

  async lists(): Promise<{
    lists: HealthList[];
    packetRates: Array<{ deviceId: string; channelId: string; received: number; expected: number }>;
    problems: string[];
  }> {
    const problems: string[] = [];
    const lists: HealthList[] = [];
    for (const name of deviceStatisticsLists) {
      try {
        const r = await this.api.deviceStatistics(name);
        lists.push({
          key: KEYS[name],
          items: r.items.map((d) => ({
            deviceId: d.device_id,
            state: d.state,
            ...(d.description ? { detail: d.description } : {}),
          })),
        });
      } catch (e) {
        problems.push(`${name}: ${(e as Error).message}`);
      }
    }
    let packetRates: Array<{ deviceId: string; channelId: string; received: number; expected: number }> = [];
    try {
      packetRates = (await this.api.packetReceivedRates()).items.map((p) => {
        const { received, expected } = packetRate(p.packet_received_rate);
        return { deviceId: p.device_id, channelId: p.channel_id, received, expected };
      });
    } catch (e) {
      problems.push(`todayPacketReceivedRateDeviceList: ${(e as Error).message}`);
    }
    return { lists, packetRates, problems };
  }
}
