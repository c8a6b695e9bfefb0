import { randomUUID } from 'node:crypto';
import type { GbAddOf, GbAddResponse, IvcImportRow } from '../../../preload/contract';
import { AppError } from '../../errors';
import { registerSecret } from '../../log';
import type { DeviceAdminOps } from '../platform';
import type { IvcApi } from './api';
import { fillTemplate, readResults } from './import';

/**
 * Tencent IVC installer operations: E15 adds a GB28181 device (the platform generates its 20-digit
 * code), E18 gives the SIP values to type into the camera, and its `Status` is watched until the
 * device registers (0 not registered, 1 online, 2 offline, 3 disabled).
 */
export class IvcDeviceAdmin implements DeviceAdminOps {
  constructor(private readonly api: IvcApi) {}

  async options() {
    const [orgs, nodes] = await Promise.all([this.api.listOrganizations(), this.api.listUserRegions()]);
    return {
      organizations: orgs.map((o) => ({ id: String(o.Id), name: o.Name })),
      clusters: nodes.map((n) => ({ id: n.Value, name: n.Label })),
    };
  }

  async addGeneratedCode(req: GbAddOf<'generatedCode'>): Promise<GbAddResponse> {
    registerSecret(req.password);
    const d = await this.api.addDevice({
      Name: req.name,
      AccessProtocol: 2,
      Type: req.type === 'NVR' ? 2 : 1,
      TransportProtocol: req.transport === 'TCP' ? 2 : 1,
      Password: req.password,
      OrganizationId: req.organizationId,
      ClusterId: req.clusterId,
      ...(req.description ? { Description: req.description } : {}),
    });
    // The device exists from here on: a failed read of its SIP values must not hide it, or Create
    // would add a second one (E15 names may repeat).
    let detail: Partial<Awaited<ReturnType<IvcApi['describeDevice']>>> = {};
    let warning: string | undefined;
    try {
      detail = await this.api.describeDevice(d.Id);
    } catch (e) {
      warning = `Device ${d.Code} was created, but its SIP server values could not be read (${(e as Error).message}). Do not add it again: the values are in its details on the platform.`;
    }
    return {
      results: [
        {
          deviceId: d.Id,
          ok: true,
          ...(warning ? { warning } : {}),
          settings: {
            sipServerId: detail.SipId ?? null,
            sipDomain: detail.SipDomain ?? null,
            sipHost: detail.SipIp ?? null,
            sipPort: detail.SipPort !== undefined ? String(detail.SipPort) : null,
            deviceId: d.Code,
            username: d.Code,
          },
        },
      ],
    };
  }

  /** E23 moves the batch as a whole: every device is moved or the call fails. */
  async move(deviceIds: string[], organizationId: string) {
    await this.api.moveDevices(deviceIds, organizationId);
    return deviceIds.map((deviceId) => ({ deviceId, ok: true }));
  }

  /** E16 deletes one device per call; each device gets its own result (a device in a recording plan is refused, 42205). */
  async remove(deviceIds: string[]) {
    const out: Array<{ deviceId: string; ok: boolean; code?: string; message?: string }> = [];
    for (const deviceId of deviceIds) {
      try {
        await this.api.deleteDevice(deviceId);
        out.push({ deviceId, ok: true });
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        out.push({ deviceId, ok: false, code: e.details?.vendorCode ?? e.code, message: e.message });
      }
    }
    return out;
  }

  /** E27 template filled with the rows, uploaded with a fresh JobId (E24); the service node by its label, as the template shows it. */
  async importDevices(rows: IvcImportRow[], organizationId: string, clusterId: string) {
    const clusters = await this.api.listUserRegions();
    const cluster = clusters.find((c) => c.Value === clusterId);
    if (!cluster) throw new AppError('VALIDATION', 'This service node is not offered to the account');
    const file = await fillTemplate(await this.api.importTemplate(2), rows, cluster.Label);
    const jobId = randomUUID();
    await this.api.importDevices({
      JobId: jobId,
      AccessProtocol: '2',
      OrganizationId: organizationId,
      File: new Blob([new Uint8Array(file)], {
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      }),
    });
    return { jobId };
  }

  /** E25 (Rate is a fraction 0–1). */
  async importProgress(jobId: string) {
    const p = await this.api.importProgress(jobId);
    return { finished: p.State === 1, rate: p.Rate, total: p.Total, succeeded: p.Succeed, failed: p.Failed };
  }

  /** E26: the platform's result workbook and each row's outcome. */
  async importResult(jobId: string) {
    const file = await this.api.importResult(jobId);
    return { rows: await readResults(file), file };
  }

  async status(deviceId: string) {
    const d = await this.api.describeDevice(deviceId);
    const state =
      d.Status === 1
        ? 'online'
        : d.Status === 2 || d.Status === 3
          ? 'offline'
          : d.Status === 0
            ? 'unregistered'
            : 'unknown';
    return { state, name: d.Name } as const;
  }
}
