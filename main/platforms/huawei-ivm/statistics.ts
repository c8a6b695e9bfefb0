import type { FlowQuery } from '../../../common/stats-periods';
import type { StatisticsOps } from '../platform';
import type { IvmDataFlowApi } from './api-dataflow';
import { parseChannel } from './map';

/**
 * §10.4 smart statistics of HOLO cameras, by channel node id: people flow (§10.4.1), the time
 * heat map (§10.4.2) and the space heat map (§10.4.3). The platform counts by Beijing day.
 */
export class IvmStatistics implements StatisticsOps {
  readonly utcOffsetMinutes = 480;

  constructor(private readonly dataflow: IvmDataFlowApi) {}

  peopleFlow(nodeId: string, query: FlowQuery) {
    const { deviceId, channelId } = parseChannel(nodeId);
    return this.dataflow.peopleFlow(deviceId, channelId, query.type, query.startDate, query.endDate);
  }

  timeHeat(nodeId: string, type: FlowQuery['type'], startTime: string) {
    const { deviceId, channelId } = parseChannel(nodeId);
    return this.dataflow.timeHeatmap(deviceId, channelId, type, startTime);
  }

  spaceHeat(nodeId: string, type: FlowQuery['type'], startTime: string) {
    const { deviceId, channelId } = parseChannel(nodeId);
    return this.dataflow.spaceHeatmap(deviceId, channelId, type, startTime);
  }
}
