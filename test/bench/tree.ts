import { Core } from '../../main/core';
import { fileBackend } from '../../main/settings/file-backend';
import type { TreeNode } from '../../preload/contract';
import { buildTree, filterTree } from '../../renderer/model/tree';
import { IvcEmulator } from '../emulators/tencent-ivc/emulator';
import { MemoryVault, tempDir } from '../helpers/core';

/**
 * `npm run bench -- tree [--scale 10000]`: loads a Tencent IVC emulator account of N channels
 * through Vigil's platform client (the same path the wall uses), then times building the tree
 * model and filtering it with several queries. One JSON line.
 */
export async function runTree(scale: number): Promise<object> {
  const emu = await new IvcEmulator({ scale }).start();
  const core = new Core({ host: 'web', dataDir: tempDir(), settingsBackend: fileBackend, vault: new MemoryVault() });
  try {
    const r = await core.call('accounts:add', {
      name: 'bench',
      config: {
        platform: 'tencent-ivc',
        endpoint: emu.baseUrl,
        appId: emu.credentials.appId,
        secretId: emu.credentials.secretId,
      },
      secret: emu.credentials.secretKey,
    });
    if (!r.ok) throw new Error(r.error.message);
    const accountId = (r.result as { id: string }).id;
    const t0 = performance.now();
    const tree = await core.wall.tree(accountId, true);
    const loadMs = performance.now() - t0;
    if (tree.error) throw new Error(tree.error);
    const nodes = tree.nodes as TreeNode[];
    const t1 = performance.now();
    const model = buildTree(nodes);
    const buildMs = performance.now() - t1;
    const queries = ['Scale-1', 'scale-99', '通道', 'zzz-no-match', '大门'];
    const filter: Record<string, number> = {};
    for (const q of queries) {
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        filterTree(model, q);
        runs.push(performance.now() - t);
      }
      filter[q] = Math.round(Math.max(...runs) * 10) / 10;
    }
    return {
      bench: 'tree',
      channels: nodes.filter((n) => n.kind === 'channel').length,
      nodes: nodes.length,
      load_ms: Math.round(loadMs),
      build_ms: Math.round(buildMs * 10) / 10,
      filter_max_ms: filter,
      filter_p_max_ms: Math.max(...Object.values(filter)),
    };
  } finally {
    await emu.stop();
  }
}
