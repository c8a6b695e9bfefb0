import type { GbAddRequest } from '../../preload/contract';
import { AppError } from '../errors';
import { registerSecret } from '../log';
import type { AccountsService } from './accounts';

/**
 * Installer workflows: GB28181 pre-registration on the account's platform, credentials (VIS),
 * and the registration state the wizard watches. The request's platform must be the account's.
 */
export class InstallerService {
  constructor(private readonly accounts: AccountsService) {}

  private async ops(accountId: string) {
    const platform = await this.accounts.platform(accountId);
    if (!platform.deviceAdmin || !platform.capabilities.has('deviceAdmin')) throw new AppError('NOT_AVAILABLE', 'Adding devices is not available for this platform in Vigil yet');
    return { platform: platform.id, ops: platform.deviceAdmin };
  }

  async addGb(req: GbAddRequest) {
    const { platform, ops } = await this.ops(req.accountId);
    if (platform !== req.platform) throw new AppError('VALIDATION', `This account is on ${platform}, not ${req.platform}`);
    if (!ops.addGb) throw new AppError('NOT_AVAILABLE', 'GB28181 devices cannot be added on this platform through Vigil yet');
    if (req.platform === 'huawei-ivm') {
      // Device passwords go to the platform only: never into a log line or an error message.
      for (const d of req.devices) registerSecret(d.password);
      const ids = req.devices.map((d) => d.deviceId);
      const dup = ids.find((id, i) => ids.indexOf(id) !== i);
      if (dup) throw new AppError('VALIDATION', `Device ${dup} is listed twice`);
    }
    return ops.addGb(req);
  }

  async status(accountId: string, deviceId: string) {
    return (await this.ops(accountId)).ops.status(deviceId);
  }

  async credentials(accountId: string) {
    const { ops } = await this.ops(accountId);
    if (!ops.credentials) throw new AppError('NOT_AVAILABLE', 'This platform has no GB28181 credentials');
    return { credentials: await ops.credentials() };
  }

  async createCredential(accountId: string, type: 'NORMAL' | 'ANONYMOUS', password: string, username?: string) {
    const { ops } = await this.ops(accountId);
    if (!ops.createCredential) throw new AppError('NOT_AVAILABLE', 'This platform has no GB28181 credentials');
    registerSecret(password);
    return ops.createCredential(type, password, username);
  }
}
