import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AccountConfig } from '../../preload/contract';
import { Core } from '../../main/core';
import { fileBackend } from '../../main/settings/file-backend';
import { KeyringVault, type Vault } from '../../main/vault/vault';

export function tempDir(prefix = 'vigil-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A core on a fresh settings folder with the real OS keychain (unless a vault is given). */
export function makeCore(
  options: { dataDir?: string; vault?: Vault; exportDir?: string; relayLoopbackUrls?: boolean } = {},
): { core: Core; dataDir: string } {
  const dataDir = options.dataDir ?? tempDir();
  const core = new Core({
    host: 'web',
    dataDir,
    settingsBackend: fileBackend,
    vault: options.vault ?? new KeyringVault(),
    relayLoopbackUrls: options.relayLoopbackUrls,
    ...(options.exportDir ? { exportDir: options.exportDir } : {}),
  });
  return { core, dataDir };
}

/** Adds an account through the contract, as the Accounts page does, and answers its id. */
export async function addAccount(
  core: Core,
  name: string,
  account: { config: AccountConfig; secret: string },
): Promise<string> {
  const r = await core.call('accounts:add', { name, ...account });
  if (!r.ok) throw new Error(`account ${name} not added: ${JSON.stringify(r.error)}`);
  return (r.result as { id: string }).id;
}

/** Every byte of every file under `dir`, for "the secret is not on disk" checks. */
export function readAllFiles(dir: string): string {
  let out = '';
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    out += e.isDirectory() ? readAllFiles(p) : fs.readFileSync(p, 'latin1');
  }
  return out;
}

/** A fake vault for unit tests of services (the vault itself is tested against the real keychain). */
export class MemoryVault implements Vault {
  readonly data = new Map<string, string>();
  failNext: Error | null = null;
  private check() {
    if (this.failNext) {
      const e = this.failNext;
      this.failNext = null;
      throw e;
    }
  }
  async set(id: string, secret: string) {
    this.check();
    this.data.set(id, secret);
  }
  async get(id: string) {
    this.check();
    return this.data.get(id) ?? null;
  }
  async delete(id: string) {
    this.check();
    return this.data.delete(id);
  }
  async has(id: string) {
    return (await this.get(id)) !== null;
  }
}

export const samples = {
  ivm: {
    platform: 'huawei-ivm',
    endpoint: 'https://api-ivm.myhuaweicloud.com',
    userId: '123456789012345678901234',
    ak: 'IVMAKEXAMPLE',
  },
  visToken: {
    platform: 'huawei-vis',
    region: 'cn-north-4',
    projectId: 'e9993fc787d94b6c886cbaa340f9c0f4',
    authMode: 'token',
    domain: 'acme',
    user: 'operator',
  },
  visAksk: {
    platform: 'huawei-vis',
    region: 'cn-east-3',
    projectId: 'e9993fc787d94b6c886cbaa340f9c0f4',
    authMode: 'aksk',
    ak: 'VISAKEXAMPLE',
  },
  tencent: {
    platform: 'tencent-ivc',
    endpoint: 'https://ivc.myqcloud.com',
    appId: '1250000000',
    secretId: 'AKIDEXAMPLE',
  },
  aliyun: {
    platform: 'aliyun-vcs',
    regionId: 'cn-hangzhou',
    endpoint: 'https://vcs.cn-hangzhou.aliyuncs.com',
    accessKeyId: 'LTAIEXAMPLE',
  },
} as const;
