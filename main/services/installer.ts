import type { GbAddRequest, IvcImportRow, ServiceType, StreamSetting } from '../../preload/contract';
import { registrationModelsOf, type DeviceAdminOps, type GbAdded, type GbSheetEntry } from '../platforms/platform';
import { devicePasswordsKey, type Vault } from '../vault/vault';
import { gbSheetHtml } from './gb-sheet';
import type { Printables } from './printables';
import { readSheet } from '../formats/sheets';
import { AppError } from '../errors';
import { registerSecret } from '../log';
import type { AccountsService } from './accounts';
import type { HandlerSlice } from '../ipc/handlers';

/**
 * Installer workflows: GB28181 pre-registration on the account's platform by the registration
 * model the request names (dispatched to the adapter's operation for it), credentials, and the
 * registration state the wizard watches.
 */
export class InstallerService {
  /** Keychain writes of generated device passwords, one after another (read–modify–write). */
  private keep = Promise.resolve();

  constructor(
    private readonly accounts: AccountsService,
    private readonly vault: Vault,
    private readonly printables: Printables,
  ) {}

  private async ops(accountId: string) {
    const platform = await this.accounts.platform(accountId);
    if (!platform.deviceAdmin || !platform.capabilities.has('deviceAdmin'))
      throw new AppError('NOT_AVAILABLE', 'Adding devices is not available for this platform in Vigil yet');
    return { platform, ops: platform.deviceAdmin };
  }

  /** The request names a registration model; the account's adapter must offer it (`registrationModelsOf`). */
  async addGb(req: GbAddRequest) {
    const { platform, ops } = await this.ops(req.accountId);
    if (!registrationModelsOf(platform).includes(req.registration))
      throw new AppError(
        'NOT_AVAILABLE',
        `This account's platform does not add devices this way (${req.registration})`,
      );
    const { generated, ...reply } = await addByModel(ops, req);
    if (generated?.length) {
      // A platform-generated password (Alibaba VCS) goes to the OS keychain, for the printed sheet.
      for (const g of generated) registerSecret(g.password);
      const settings = new Map(reply.results.map((r) => [r.deviceId, r.settings]));
      try {
        await this.rememberPasswords(
          req.accountId,
          generated.map((g) => ({ ...g, settings: settings.get(g.deviceId)!, name: 'name' in req ? req.name : null })),
        );
      } catch (e) {
        // The devices exist: their IDs and SIP values still go back, or a retry would create them again.
        const warning = `The device was created, but its generated password could not be kept in the OS keychain (${(e as Error).message}). Its printed sheet reads the password from the platform instead.`;
        return { ...reply, results: reply.results.map((r) => (r.ok ? { ...r, warning } : r)) };
      }
    }
    return reply;
  }

  /** One keychain entry per account (`gb-devices:<account>`), removed with the account. */
  private rememberPasswords(accountId: string, devices: Array<GbSheetEntry & { deviceId: string }>) {
    const write = this.keep.then(async () => {
      const all = await this.devicePasswords(accountId);
      for (const d of devices) all[d.deviceId] = { password: d.password, settings: d.settings, name: d.name };
      await this.vault.set(devicePasswordsKey(accountId), JSON.stringify(all));
    });
    this.keep = write.catch(() => undefined);
    return write;
  }

  private async devicePasswords(accountId: string): Promise<Record<string, GbSheetEntry>> {
    const raw = await this.vault.get(devicePasswordsKey(accountId));
    if (!raw) return {};
    try {
      return JSON.parse(raw) as Record<string, GbSheetEntry>;
    } catch {
      throw new AppError('VAULT_UNAVAILABLE', 'The keychain entry with the generated device passwords is unreadable');
    }
  }

  /**
   * A one-time URL of the device's printable sheet, password included; the password itself stays
   * in main. From the keychain when Vigil added the device, else from the platform's own record.
   */
  async gbSheet(accountId: string, deviceId: string) {
    // An unreadable keychain entry does not stop the sheet of a device the platform knows the password of.
    let entry: GbSheetEntry | null | undefined;
    let keychainError: unknown = null;
    try {
      entry = (await this.devicePasswords(accountId))[deviceId];
    } catch (e) {
      keychainError = e;
    }
    if (!entry) {
      const { ops } = await this.ops(accountId);
      entry = ops.gbSheetData ? await ops.gbSheetData(deviceId) : null;
      if (entry) registerSecret(entry.password);
    }
    if (!entry && keychainError) throw keychainError;
    if (!entry)
      throw new AppError('NOT_FOUND', `No password is known for device ${deviceId}: the platform keeps none for it`);
    return { url: this.printables.issue(await gbSheetHtml(entry.settings, entry.password, entry.name)) };
  }

  async addHolo(accountId: string, deviceId: string, verificationCode: string, description?: string) {
    const { ops } = await this.ops(accountId);
    if (!ops.addHolo) throw new AppError('NOT_AVAILABLE', 'HoloSens devices are added on Huawei IVM accounts only');
    registerSecret(verificationCode); // the label's code binds the device: kept out of logs
    return ops.addHolo(deviceId, verificationCode, description);
  }

  /** Device passwords go to the platform only. */
  async importDevices(accountId: string, rows: IvcImportRow[], organizationId: string, clusterId: string) {
    for (const r of rows) registerSecret(r.password);
    const names = rows.map((r) => r.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) throw new AppError('VALIDATION', `Device name ${dup} is listed twice`);
    return (await this.op(accountId, 'importDevices'))(rows, organizationId, clusterId);
  }

  async importProgress(accountId: string, jobId: string) {
    return (await this.op(accountId, 'importProgress'))(jobId);
  }

  async importResult(accountId: string, jobId: string) {
    const r = await (await this.op(accountId, 'importResult'))(jobId);
    return { rows: r.rows, file: r.file.toString('base64') };
  }

  /** An installer's .xlsx, first sheet as text. */
  async readSheet(data: string) {
    const sheet = await readSheet(Buffer.from(data, 'base64'));
    if (!sheet) throw new AppError('VALIDATION', 'This file is not an Excel workbook (.xlsx)');
    return { header: sheet.header, rows: sheet.rows };
  }

  async options(accountId: string) {
    const { ops } = await this.ops(accountId);
    return ops.options ? ops.options() : { organizations: [], clusters: [] };
  }

  async status(accountId: string, deviceId: string) {
    return (await this.ops(accountId)).ops.status(deviceId);
  }

  async refreshChannels(accountId: string, deviceId: string) {
    const { ops } = await this.ops(accountId);
    if (!ops.refreshChannels)
      throw new AppError('NOT_AVAILABLE', 'This platform reads NVR channels on its own; there is nothing to refresh');
    await ops.refreshChannels(deviceId);
    return ops.status(deviceId);
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

  private async op<
    K extends
      | 'streams'
      | 'setStreams'
      | 'renameChannel'
      | 'passwordState'
      | 'setPassword'
      | 'remove'
      | 'move'
      | 'services'
      | 'enableService'
      | 'disableService'
      | 'importDevices'
      | 'importProgress'
      | 'importResult',
  >(accountId: string, name: K) {
    const { ops } = await this.ops(accountId);
    const fn = ops[name];
    if (!fn) throw new AppError('NOT_AVAILABLE', 'This platform does not offer this device setting through its API');
    return fn.bind(ops) as NonNullable<(typeof ops)[K]>;
  }

  async streams(accountId: string, channelId: string) {
    return (await this.op(accountId, 'streams'))(channelId);
  }

  /** Every value must be one the encoder offers (§17.3), then the settings are read back. */
  async setStreams(accountId: string, channelId: string, streams: StreamSetting[]) {
    const current = await this.streams(accountId, channelId);
    for (const s of streams) {
      const offered = current.streams.find((x) => x.current.stream === s.stream);
      if (!offered) throw new AppError('VALIDATION', `Stream ${s.stream} does not exist on this channel`);
      const res = offered.options
        .find((o) => o.encoder === s.encoder)
        ?.resolutions.find((r) => r.size === s.resolution);
      if (!res)
        throw new AppError(
          'VALIDATION',
          `Stream ${s.stream}: ${s.encoder} at ${s.resolution} is not offered by this camera`,
        );
      if (!res.frameRates.includes(s.frameRate))
        throw new AppError('VALIDATION', `Stream ${s.stream}: ${s.frameRate} fps is not offered at ${s.resolution}`);
      if (
        (res.minBitRate !== null && s.bitRate < res.minBitRate) ||
        (res.maxBitRate !== null && s.bitRate > res.maxBitRate)
      )
        throw new AppError(
          'VALIDATION',
          `Stream ${s.stream}: bit rate ${res.minBitRate}–${res.maxBitRate} kbit/s at ${s.resolution}`,
        );
    }
    await (
      await this.op(accountId, 'setStreams')
    )(channelId, streams);
    return this.streams(accountId, channelId);
  }

  async renameChannel(accountId: string, channelId: string, name: string) {
    await (
      await this.op(accountId, 'renameChannel')
    )(channelId, name);
  }

  async passwordState(accountId: string, channelId: string) {
    return { state: await (await this.op(accountId, 'passwordState'))(channelId) };
  }

  async setPassword(accountId: string, channelId: string, next: string, current?: string) {
    registerSecret(next);
    if (current) registerSecret(current);
    await (
      await this.op(accountId, 'setPassword')
    )(channelId, next, current);
  }

  async services(accountId: string, channelId: string) {
    return (await this.op(accountId, 'services'))(channelId);
  }

  async enableService(accountId: string, channelIds: string[], resourceId: string, storageDays?: number) {
    return { results: await (await this.op(accountId, 'enableService'))(channelIds, resourceId, storageDays) };
  }

  async disableService(accountId: string, channelIds: string[], type: ServiceType) {
    return { results: await (await this.op(accountId, 'disableService'))(channelIds, type) };
  }

  /** Node ids (`dev:<id>`) or platform ids alike. */
  async remove(accountId: string, deviceIds: string[]) {
    return { results: await (await this.op(accountId, 'remove'))(deviceIds.map(deviceOf)) };
  }

  /** Node ids (`dev:<id>`, `org:<id>`) or platform ids alike; the account's tree is re-read next time. */
  async move(accountId: string, deviceIds: string[], groupId: string) {
    const ids = deviceIds.map(deviceOf);
    if (new Set(ids).size !== ids.length) throw new AppError('VALIDATION', 'A device is listed twice');
    return {
      results: await (await this.op(accountId, 'move'))(ids, groupId.startsWith('org:') ? groupId.slice(4) : groupId),
    };
  }
}

const deviceOf = (id: string) => (id.startsWith('dev:') ? id.slice(4) : id);

/** Each registration model to the adapter's operation for it. */
function addByModel(ops: DeviceAdminOps, req: GbAddRequest): Promise<GbAdded> {
  const missing = () =>
    new AppError('NOT_AVAILABLE', `This account's platform does not add devices this way (${req.registration})`);
  switch (req.registration) {
    case 'installerIds':
      return ops.addInstallerIds ? ops.addInstallerIds(req) : Promise.reject(missing());
    case 'credential':
      return ops.addWithCredential ? ops.addWithCredential(req) : Promise.reject(missing());
    case 'generatedCode':
      return ops.addGeneratedCode ? ops.addGeneratedCode(req) : Promise.reject(missing());
    case 'projectDevice':
      return ops.addProjectDevice ? ops.addProjectDevice(req) : Promise.reject(missing());
  }
}

/** Adding devices and administering them (`installer:*`, `device:*`). */
export function installerHandlers(installer: InstallerService): HandlerSlice {
  return {
    'device:streams': ({ accountId, channelId }) => installer.streams(accountId, channelId),
    'device:setStreams': ({ accountId, channelId, streams }) => installer.setStreams(accountId, channelId, streams),
    'device:renameChannel': async ({ accountId, channelId, name }) => {
      await installer.renameChannel(accountId, channelId, name);
      return null;
    },
    'device:passwordState': ({ accountId, channelId }) => installer.passwordState(accountId, channelId),
    'device:setPassword': async ({ accountId, channelId, next, current }) => {
      await installer.setPassword(accountId, channelId, next, current);
      return null;
    },
    'device:delete': ({ accountId, deviceIds }) => installer.remove(accountId, deviceIds),
    'device:move': ({ accountId, deviceIds, groupId }) => installer.move(accountId, deviceIds, groupId),
    'device:services': ({ accountId, channelId }) => installer.services(accountId, channelId),
    'device:enableService': ({ accountId, channelIds, resourceId, storageDays }) =>
      installer.enableService(accountId, channelIds, resourceId, storageDays),
    'device:disableService': ({ accountId, channelIds, type }) => installer.disableService(accountId, channelIds, type),
    'installer:addGb': (req) => installer.addGb(req),
    'installer:import': ({ accountId, rows, organizationId, clusterId }) =>
      installer.importDevices(accountId, rows, organizationId, clusterId),
    'installer:importProgress': ({ accountId, jobId }) => installer.importProgress(accountId, jobId),
    'installer:importResult': ({ accountId, jobId }) => installer.importResult(accountId, jobId),
    'installer:readSheet': ({ data }) => installer.readSheet(data),
    'installer:addHolo': ({ accountId, deviceId, verificationCode, description }) =>
      installer.addHolo(accountId, deviceId, verificationCode, description),
    'installer:options': ({ accountId }) => installer.options(accountId),
    'installer:status': ({ accountId, deviceId }) => installer.status(accountId, deviceId),
    'installer:refreshChannels': ({ accountId, deviceId }) => installer.refreshChannels(accountId, deviceId),
    'installer:gbSheet': ({ accountId, deviceId }) => installer.gbSheet(accountId, deviceId),
    'installer:credentials': ({ accountId }) => installer.credentials(accountId),
    'installer:createCredential': ({ accountId, type, password, username }) =>
      installer.createCredential(accountId, type, password, username),
  };
}
