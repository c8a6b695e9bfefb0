import type { AccountsTestResponse } from '../../../preload/contract';
import { AppError } from '../../errors';
import type { Capability, Platform, PlatformFactory } from '../platform';
import { IvcApi } from './api';
import { IvcClient, type IvcConfig } from './client';

/** Tencent IVC adapter: what Vigil can do with an IVC account. */
export class TencentIvcPlatform implements Platform {
  readonly id = 'tencent-ivc' as const;
  readonly capabilities: ReadonlySet<Capability> = new Set<Capability>(['live', 'playback.cloud', 'playback.device', 'ptz', 'presets', 'deviceAdmin']);
  readonly api: IvcApi;

  constructor(config: IvcConfig, secretKey: string, fetchImpl?: typeof fetch) {
    this.api = new IvcApi(new IvcClient(config, secretKey, fetchImpl));
  }

  /** §5: a signed E13 (organizations) is the cheapest proof that SecretId/SecretKey work. */
  async testConnection(): Promise<AccountsTestResponse> {
    const started = Date.now();
    try {
      const orgs = await this.api.listOrganizations();
      const devices = orgs.filter((o) => o.Level === 1).reduce((n, o) => n + (o.Total ?? 0), 0);
      return { status: 'ok', message: `Signed in; ${orgs.length} organizations, ${devices} devices at the top level.`, latencyMs: Date.now() - started };
    } catch (e) {
      if (e instanceof AppError) return { status: 'failed', message: e.message, latencyMs: Date.now() - started };
      throw e;
    }
  }
}

export const tencentIvcFactory: PlatformFactory = (config, secret) => {
  if (config.platform !== 'tencent-ivc') throw new AppError('INTERNAL', 'not a Tencent IVC account');
  return new TencentIvcPlatform(config, secret);
};
