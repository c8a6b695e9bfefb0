import type { AccountsTestResponse } from '../../../preload/contract';
import { AppError } from '../../errors';
import type { Capability, Platform, PlatformFactory } from '../platform';
import { VisApi } from './api';
import { VisClient, type VisConfig } from './client';

/** Huawei VIS adapter: what Vigil can do with a VIS account. */
export class HuaweiVisPlatform implements Platform {
  readonly id = 'huawei-vis' as const;
  readonly capabilities: ReadonlySet<Capability> = new Set<Capability>(['live', 'deviceAdmin', 'health']);
  readonly api: VisApi;

  constructor(config: VisConfig, secret: string, fetchImpl?: typeof fetch) {
    this.api = new VisApi(new VisClient(config, secret, fetchImpl));
  }

  /** §6: GET /subscription is the cheapest authenticated, project-scoped read. */
  async testConnection(): Promise<AccountsTestResponse> {
    const started = Date.now();
    try {
      const s = await this.api.getSubscription();
      const latencyMs = Date.now() - started;
      if (!s.is_subscribed) return { status: 'failed', message: 'Signed in, but VIS is not subscribed for this project.', latencyMs };
      const devices = s.quota?.device;
      return {
        status: 'ok',
        message: `Signed in; SIP registrar ${s.sip_ip ?? '?'}:${s.sip_port ?? '?'}${devices ? `, devices ${devices.used}/${devices.total}` : ''}.`,
        latencyMs,
      };
    } catch (e) {
      if (e instanceof AppError) return { status: 'failed', message: e.message, latencyMs: Date.now() - started };
      throw e;
    }
  }
}

export const huaweiVisFactory: PlatformFactory = (config, secret) => {
  if (config.platform !== 'huawei-vis') throw new AppError('INTERNAL', 'not a VIS account');
  return new HuaweiVisPlatform(config, secret);
};
