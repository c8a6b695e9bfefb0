import type {
  ChannelOutcomes,
  ChannelServices,
  HoloAddResponse,
  GbAddOf,
  GbAddResponse,
  ServiceType,
  StreamSetting,
  StreamSettings,
} from '../../../preload/contract';
import { AppError } from '../../errors';
import { registerSecret } from '../../log';
import type { DeviceAdminOps } from '../platform';
import type { IvmApi } from './api';
import { itemFailure, type IvmClient } from './client';
import { parseChannel } from './map';
import { outcomes } from './recording-plans';
import { IvmResourcesApi } from './api-resources';
import { IvmStreamApi } from './streams';

const stateOf = (s: string | undefined) =>
  (s === 'ONLINE' ? 'online' : s === 'OFFLINE' ? 'offline' : s === 'UNREGISTERED' ? 'unregistered' : 'unknown') as
    | 'online'
    | 'offline'
    | 'unregistered'
    | 'unknown';
const SERVICE_TYPES: ServiceType[] = ['MANAGE', 'NORMAL', 'MOTION', 'DATAFLOW'];

/**
 * Huawei IVM installer operations: GB28181 pre-registration (§6.7, up to 100 devices, a result
 * and the SIP values per device), the device state to watch until the camera registers, stream
 * settings (§17), channel names (§7.1), the camera's own password (§16) and deletion (§6.8).
 */
export class IvmDeviceAdmin implements DeviceAdminOps {
  private readonly streamApi: IvmStreamApi;
  private readonly serviceApi: IvmResourcesApi;

  constructor(
    private readonly api: IvmApi,
    client: IvmClient,
  ) {
    this.streamApi = new IvmStreamApi(client);
    this.serviceApi = new IvmResourcesApi(client);
  }

  async addInstallerIds(req: GbAddOf<'installerIds'>): Promise<GbAddResponse> {
    const devices = req.devices;
    // Device passwords go to the platform only: never into a log line or an error message.
    for (const d of devices) registerSecret(d.password);
    const ids = devices.map((d) => d.deviceId);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup) throw new AppError('VALIDATION', `Device ${dup} is listed twice`);
    const r = await this.api.addGbDevices(
      devices.map((d) => ({
        device_id: d.deviceId,
        device_name: d.name,
        device_password: d.password,
        ...(d.username ? { device_username: d.username } : {}),
        ...(d.description ? { description: d.description } : {}),
        algorithm: d.algorithm,
      })),
    );
    return {
      results: devices.map((d) => {
        const item = r.devices.find((x) => x.device_id === d.deviceId);
        if (!item)
          return {
            deviceId: d.deviceId,
            ok: false,
            code: 'MISSING',
            message: 'The platform returned no result for this device',
          };
        if (item.result.code !== 'IVM.0') return { deviceId: d.deviceId, ...itemFailure(item.result) };
        return {
          deviceId: d.deviceId,
          ok: true,
          settings: {
            sipServerId: item.sip_server_id ?? null,
            sipDomain: item.sip_server_domain ?? null,
            sipHost: item.sip_server_host ?? null,
            sipPort: item.sip_server_port ?? null,
            deviceId: d.deviceId,
            username: d.username ?? null,
            algorithm: d.algorithm,
          },
        };
      }),
    };
  }

  /** §6.6: the platform answers with the device's name, type and state. */
  async addHolo(deviceId: string, verificationCode: string, description?: string): Promise<HoloAddResponse> {
    const d = await this.api.addHoloDevice(deviceId, verificationCode, description);
    return {
      deviceId: d.device_id,
      name: d.device_name,
      type: d.device_type ?? 'IPC',
      state: stateOf(d.device_state),
      manufacturer: typeof d.manufacture === 'string' ? d.manufacture : null,
    };
  }

  async status(deviceId: string) {
    const d = await this.api.device(deviceId);
    return { state: stateOf(d.device_state), name: d.device_name || null };
  }

  async streams(node: string): Promise<StreamSettings> {
    const { deviceId, channelId } = parseChannel(node);
    const [ability, detail] = [
      await this.streamApi.ability(deviceId, channelId),
      await this.streamApi.detail(deviceId, channelId),
    ];
    const caps = ability.abilities[0]?.stream_info ?? [];
    return {
      streams: detail.stream_info
        .slice()
        .sort((a, b) => a.stream_type - b.stream_type)
        .map((s) => ({
          current: {
            stream: s.stream_type,
            encoder: s.encode_type,
            resolution: s.resolution ?? '',
            frameRate: s.frame_rate ?? detail.max_frame_rate,
            bitRate: s.bit_rate ?? 0,
          },
          options: (caps.find((c) => c.stream_type === s.stream_type)?.encode_mode ?? [])
            .filter((e) => e.type !== 'MJPEG') // §17.3 sets H.264 or H.265 only
            .map((e) => ({
              encoder: e.type,
              resolutions: e.resolution.map((r) => ({
                size: r.type,
                frameRates: r.frame_rate,
                minBitRate: r.bit_rate?.begin ?? null,
                maxBitRate: r.bit_rate?.end ?? null,
              })),
            })),
        })),
    };
  }

  /** Reads 17.2, changes only the chosen fields, writes the whole structure back (§17.3 advice). */
  async setStreams(node: string, streams: StreamSetting[]): Promise<void> {
    const { deviceId, channelId } = parseChannel(node);
    const detail = await this.streamApi.detail(deviceId, channelId);
    const next = {
      ...detail,
      stream_info: detail.stream_info.map((s) => {
        const change = streams.find((x) => x.stream === s.stream_type);
        return change
          ? {
              ...s,
              encode_type: change.encoder,
              resolution: change.resolution,
              frame_rate: change.frameRate,
              bit_rate: change.bitRate,
              ...(change.encoder === 'H.265' && s.profile !== undefined ? { profile: 0 } : {}),
            }
          : s;
      }),
    };
    await this.streamApi.setDetail(deviceId, channelId, next);
  }

  async renameChannel(node: string, name: string): Promise<void> {
    const { deviceId, channelId } = parseChannel(node);
    await this.api.renameChannel(deviceId, channelId, name);
  }

  async passwordState(node: string): Promise<'SET' | 'MODIFY'> {
    const { deviceId, channelId } = parseChannel(node);
    return this.api.securityKeyState(deviceId, channelId);
  }

  async setPassword(node: string, next: string, current?: string): Promise<void> {
    const { deviceId, channelId } = parseChannel(node);
    await this.api.setSecurityKey(deviceId, next, current, channelId);
  }

  /** §13.3 what the channel is bound to, §13.1 every resource that could serve it. */
  async services(node: string): Promise<ChannelServices> {
    const { deviceId, channelId } = parseChannel(node);
    const [bound, resources] = [
      await this.serviceApi.channelResources(deviceId, channelId),
      await this.serviceApi.allResources(),
    ];
    const known = (t: string): t is ServiceType => (SERVICE_TYPES as string[]).includes(t);
    return {
      bound: bound
        .filter((b) => known(b.resource_type_code))
        .map((b) => ({
          type: b.resource_type_code as ServiceType,
          resourceId: b.resource_id,
          name: b.resource_name,
          state: b.resource_state ?? 'NORMAL',
        })),
      resources: resources
        .filter((r) => known(r.resource_type_code))
        .map((r) => ({
          id: r.resource_id,
          type: r.resource_type_code as ServiceType,
          name: r.resource_name,
          mode: r.mode === 'PACKAGE' ? 'PACKAGE' : 'ONDEMAND',
          quota: r.mode === 'PACKAGE' && r.total_num !== undefined && r.total_num >= 0 ? r.total_num : null,
          used: r.usage_num ?? 0,
          state: r.resource_state ?? 'NORMAL',
          expires: r.Exp_time ?? '',
        })),
    };
  }

  /**
   * §12.1. Retention days go with pay-per-use NORMAL/MOTION/DATAFLOW only (required there,
   * refused elsewhere), checked here so the platform's refusal is not the first word.
   */
  async enableService(nodes: string[], resourceId: string, storageDays?: number): Promise<ChannelOutcomes['results']> {
    const resource = (await this.serviceApi.resources({ resource_id: resourceId })).resources.find(
      (r) => r.resource_id === resourceId,
    );
    if (!resource) throw new AppError('VALIDATION', 'This resource is not in the account (it may have expired)');
    const needsDays = resource.mode !== 'PACKAGE' && resource.resource_type_code !== 'MANAGE';
    if (needsDays && storageDays === undefined)
      throw new AppError('VALIDATION', 'Pay-per-use storage needs a retention of 1–365 days');
    if (!needsDays && storageDays !== undefined)
      throw new AppError(
        'VALIDATION',
        resource.mode === 'PACKAGE'
          ? 'A package keeps recordings for its own fixed time; no retention to choose'
          : 'Live view takes no retention',
      );
    const r = await this.serviceApi.enable(
      resourceId,
      nodes.map(parseChannel).map((c) => ({ device_id: c.deviceId, channel_id: c.channelId })),
      needsDays ? storageDays : undefined,
    );
    return outcomes(nodes, r.channels).results;
  }

  /** §12.2: continuous storage is called RECORD there. */
  async disableService(nodes: string[], type: ServiceType): Promise<ChannelOutcomes['results']> {
    const r = await this.serviceApi.disable(
      type === 'NORMAL' ? 'RECORD' : type,
      nodes.map(parseChannel).map((c) => ({ device_id: c.deviceId, channel_id: c.channelId })),
    );
    return outcomes(nodes, r.channels).results;
  }

  /** §5.6: per-device results. */
  async move(deviceIds: string[], orgId: string) {
    const r = await this.api.moveDevices(orgId, deviceIds);
    return deviceIds.map((deviceId) => {
      const item = r.results.find((d) => d.device_id === deviceId);
      if (!item)
        return { deviceId, ok: false, code: 'MISSING', message: 'The platform returned no result for this device' };
      return item.result.code === 'IVM.0' ? { deviceId, ok: true } : { deviceId, ...itemFailure(item.result) };
    });
  }

  async remove(deviceIds: string[]) {
    const r = await this.api.deleteDevices(deviceIds);
    return deviceIds.map((deviceId) => {
      const item = r.devices.find((d) => d.device_id === deviceId);
      if (!item)
        return { deviceId, ok: false, code: 'MISSING', message: 'The platform returned no result for this device' };
      return item.result.code === 'IVM.0' ? { deviceId, ok: true } : { deviceId, ...itemFailure(item.result) };
    });
  }
}
