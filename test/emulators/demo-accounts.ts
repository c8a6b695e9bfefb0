import type { Core } from '../../main/core';
import type { AccountConfigInput } from '../../preload/contract';
import type { VcsEmulator } from './aliyun-vcs/emulator';
import type { IvmEmulator } from './huawei-ivm/emulator';
import type { VisEmulator } from './huawei-vis/emulator';
import type { IvcEmulator } from './tencent-ivc/emulator';

export interface DemoEmulators {
  ivc: IvcEmulator;
  vis: VisEmulator;
  ivm: IvmEmulator;
  vcs: VcsEmulator;
}

/**
 * One account per platform emulator, added through the contract as a user would (secrets into the
 * core's vault), or updated when an account of that name exists. The demo and the start-up bench
 * share it.
 */
export async function addDemoAccounts(
  core: Core,
  { ivc, vis, ivm, vcs }: DemoEmulators,
): Promise<{ ivc: string; vis: string; ivm: string; vcs: string }> {
  const ensure = async (name: string, config: AccountConfigInput, secret: string): Promise<string> => {
    const existing = core.settings.get().accounts.find((a) => a.name === name);
    const r = existing
      ? await core.call('accounts:update', { id: existing.id, config, secret })
      : await core.call('accounts:add', { name, config, secret });
    if (!r.ok)
      throw new Error(`${name}: ${r.error.message}${r.error.details?.hint ? ` — ${r.error.details.hint}` : ''}`);
    return (r.result as { id: string }).id;
  };
  return {
    ivc: await ensure(
      '演示 Tencent IVC',
      {
        platform: 'tencent-ivc',
        endpoint: ivc.baseUrl,
        appId: ivc.credentials.appId,
        secretId: ivc.credentials.secretId,
      },
      ivc.credentials.secretKey,
    ),
    vis: await ensure(
      '演示 Huawei VIS',
      {
        platform: 'huawei-vis',
        region: 'cn-north-4',
        projectId: vis.projectId,
        authMode: 'aksk',
        ak: vis.credentials.ak,
        endpoint: vis.baseUrl,
      },
      vis.credentials.sk,
    ),
    ivm: await ensure(
      '演示 Huawei IVM',
      { platform: 'huawei-ivm', endpoint: ivm.baseUrl, userId: ivm.credentials.userId, ak: ivm.credentials.ak },
      ivm.credentials.sk,
    ),
    vcs: await ensure(
      '演示 Alibaba VCS',
      {
        platform: 'aliyun-vcs',
        regionId: 'cn-hangzhou',
        endpoint: vcs.baseUrl,
        accessKeyId: vcs.credentials.accessKeyId,
      },
      vcs.credentials.accessKeySecret,
    ),
  };
}
