import type { GbAddOf, GbAddResponse, GbSettings } from '../../../preload/contract';
import type { DeviceAdminOps, GbSheetEntry, GeneratedPassword } from '../platform';
import type { VcsApi } from './api';

/** CreateDevice's reply and a device listing carry the same registration fields (§3.2.1, §3.2.4). */
function settingsOf(deviceId: string, r: Record<string, unknown>, channelIds: string[]): GbSettings {
  const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
  return {
    sipServerId: str(r.ServerId),
    sipDomain: str(r.ServerRealm),
    sipHost: str(r.ServerIp),
    sipPort: str(r.ServerPort),
    deviceId,
    username: null,
    passwordSheet: Boolean(str(r.Password)),
    ...(channelIds.length ? { channelIds } : {}),
  };
}

/**
 * Alibaba VCS device onboarding (§3.2.1 CreateDevice): the platform assigns the GB IDs and the
 * password, and answers the SIP server values the installer types into the camera. An NVR gets
 * its channel IDs too (the NVR maps its inputs to them).
 */
export class VcsDeviceAdmin implements DeviceAdminOps {
  constructor(
    private readonly api: VcsApi,
    private readonly corps: () => Promise<Array<{ id: string; name: string }>>,
  ) {}

  async options() {
    return { organizations: await this.corps(), clusters: [] };
  }

  async addProjectDevice(req: GbAddOf<'projectDevice'>): Promise<GbAddResponse & { generated: GeneratedPassword[] }> {
    const r = await this.api.createDevice(createParams(req));
    return {
      results: [
        {
          deviceId: r.DeviceId,
          ok: true,
          settings: settingsOf(
            r.DeviceId,
            r,
            r.SubDeviceInfo.map((s) => s.SubDeviceId),
          ),
        },
      ],
      generated: r.Password ? [{ deviceId: r.DeviceId, password: r.Password }] : [],
    };
  }

  private async find(deviceId: string) {
    const ipc = await this.api.describeIpcs({ PageNum: 1, PageSize: 1, DeviceIdList: deviceId });
    return (
      ipc.Records.find((d) => d.DeviceId === deviceId) ??
      (await this.api.describeNvrs({ PageNum: 1, PageSize: 1, NvrDeviceIdList: deviceId })).Records.find(
        (d) => d.DeviceId === deviceId,
      )
    );
  }

  /**
   * §3.2.4/§3.2.5 list a device's registration values with its password: the sheet can be
   * printed for a device added elsewhere (or before Vigil kept passwords). Stays in main.
   */
  async gbSheetData(deviceId: string): Promise<GbSheetEntry | null> {
    const d = await this.find(deviceId);
    const password = typeof d?.Password === 'string' ? d.Password : '';
    if (!d || !password) return null;
    return {
      name: d.DeviceName || null,
      password,
      settings: settingsOf(
        deviceId,
        d,
        (d.SubDeviceInfo ?? []).map((s) => s.SubDeviceId),
      ),
    };
  }

  /** DeviceStatus: 1 online, 0 offline, 2 awaiting registration (§3.2.4/§3.2.5). */
  async status(deviceId: string) {
    const found = await this.find(deviceId);
    if (!found) return { state: 'unknown' as const, name: null };
    const state =
      found.DeviceStatus === '1'
        ? ('online' as const)
        : found.DeviceStatus === '2'
          ? ('unregistered' as const)
          : found.DeviceStatus === '0'
            ? ('offline' as const)
            : ('unknown' as const);
    return { state, name: found.DeviceName || null };
  }
}

/** The installer's form → CreateDevice parameters (a GB/T 28181 video device: DataSourceType VIDEO). */
export function createParams(req: GbAddOf<'projectDevice'>) {
  return {
    CorpId: req.corpId,
    DeviceType: req.type,
    DataSourceType: 'VIDEO' as const,
    DeviceName: req.name,
    DeviceAddress: req.address,
    InProtocol: 'GBT28181' as const,
    ...(req.type === 'NVR' ? { SubDeviceCount: req.channels } : {}),
    ...(req.vendor ? { Vendor: req.vendor } : {}),
    ...(req.model ? { DeviceModel: req.model } : {}),
    ...(req.cityCode ? { CityCode: req.cityCode } : {}),
  };
}
