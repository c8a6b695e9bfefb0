import type { GbAddRequest, GbAddResponse } from '../../../preload/contract';
import { AppError } from '../../errors';
import type { DeviceAdminOps } from '../platform';
import type { IvmApi } from './api';
import { explainIvmCode } from './client';

/**
 * Huawei IVM installer operations: GB28181 pre-registration (§6.7, up to 100 devices, a result
 * and the SIP values per device) and the device state to watch until the camera registers.
 */
export class IvmInstaller implements DeviceAdminOps {
  constructor(private readonly api: IvmApi) {}

  async addGb(req: GbAddRequest): Promise<GbAddResponse> {
    if (req.platform !== 'huawei-ivm') throw new AppError('BAD_REQUEST', 'Not a Huawei IVM request');
    const devices = req.devices;
    const r = await this.api.addGbDevices(devices.map((d) => ({ device_id: d.deviceId, device_name: d.name, device_password: d.password, ...(d.username ? { device_username: d.username } : {}), ...(d.description ? { description: d.description } : {}) })));
    return {
      results: devices.map((d) => {
        const item = r.devices.find((x) => x.device_id === d.deviceId);
        if (!item) return { deviceId: d.deviceId, ok: false, code: 'MISSING', message: 'The platform returned no result for this device' };
        if (item.result.code !== 'IVM.0') {
          const explanation = explainIvmCode(item.result.code, item.result.msg);
          return { deviceId: d.deviceId, ok: false, code: item.result.code, message: `${item.result.msg ?? item.result.code}${explanation ? ` — ${explanation}` : ''}` };
        }
        return {
          deviceId: d.deviceId,
          ok: true,
          settings: { sipServerId: item.sip_server_id ?? null, sipDomain: item.sip_server_domain ?? null, sipHost: item.sip_server_host ?? null, sipPort: item.sip_server_port ?? null, deviceId: d.deviceId, username: d.username ?? null },
        };
      }),
    };
  }

  async status(deviceId: string) {
    const d = await this.api.device(deviceId);
    const state = d.device_state === 'ONLINE' ? 'online' : d.device_state === 'OFFLINE' ? 'offline' : d.device_state === 'UNREGISTERED' ? 'unregistered' : 'unknown';
    return { state, name: d.device_name || null } as const;
  }
}
