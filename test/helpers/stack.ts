import type { Browser } from 'playwright-core';
import type { Core } from '../../main/core';
import { startWebHost, type WebHost } from '../../main/host/web';
import type { Vault } from '../../main/vault/vault';
import { VcsEmulator, type VcsEmulatorOptions } from '../emulators/aliyun-vcs/emulator';
import { IvmEmulator, type IvmEmulatorOptions } from '../emulators/huawei-ivm/emulator';
import { VisEmulator, type VisEmulatorOptions } from '../emulators/huawei-vis/emulator';
import { platformMedia } from '../emulators/media/platform-media';
import { MediaSimulator, type MediaSimulatorOptions } from '../emulators/media/simulator';
import { IvcEmulator, type IvcEmulatorOptions } from '../emulators/tencent-ivc/emulator';
import { ivcAccount, ivmAccount, vcsAccount, visAccount } from './accounts';
import { launchChromium } from './browser';
import { addAccount, makeCore } from './core';

/**
 * What an e2e file needs. Each platform named gets its emulator and an account on it (added in
 * the order IVM, VIS, IVC, VCS, named `account` or the platform's short name); `media` starts a
 * media simulator first and hands its streams to every platform that has `media: true`.
 */
export interface StackOptions {
  media?: MediaSimulatorOptions;
  ivm?: Platform<IvmEmulatorOptions>;
  vis?: Platform<VisEmulatorOptions>;
  ivc?: Platform<IvcEmulatorOptions>;
  vcs?: Platform<VcsEmulatorOptions>;
  /** `dataDir`: start on an existing folder (a restart); a fresh one otherwise. */
  core?: { vault?: Vault; relayLoopbackUrls?: boolean; exportDir?: string; dataDir?: string };
  /** Start Debian Chromium (default true). */
  browser?: boolean;
}

type Platform<O> = Omit<O, 'media'> & { account?: string; media?: boolean };

export interface Stack {
  core: Core;
  dataDir: string;
  host: WebHost;
  browser: Browser;
  sim?: MediaSimulator;
  ivm?: IvmEmulator;
  vis?: VisEmulator;
  ivc?: IvcEmulator;
  vcs?: VcsEmulator;
  /** Account ids by platform key. */
  accounts: Partial<Record<'ivm' | 'vis' | 'ivc' | 'vcs', string>>;
  /** Closes the browser, the host, the core, the emulators and the simulator; removes the accounts. */
  stop(): Promise<void>;
}

/** Emulators + core + browser host + Chromium, the set-up every e2e file shares. */
export async function startStack(o: StackOptions = {}): Promise<Stack> {
  const stops: Array<() => Promise<unknown> | unknown> = [];
  const stack = { accounts: {} } as Stack;
  stack.stop = async () => {
    for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => undefined);
    stops.length = 0;
  };
  try {
    if (o.media) {
      const sim = await MediaSimulator.start(o.media);
      stops.push(() => sim.stop());
      stack.sim = sim;
    }
    const media = (wanted?: boolean) => (wanted && stack.sim ? { media: platformMedia(stack.sim) } : {});
    const { account: ivmName, media: ivmMedia, ...ivmOptions } = o.ivm ?? {};
    const { account: visName, media: visMedia, ...visOptions } = o.vis ?? {};
    const { account: ivcName, media: ivcMedia, ...ivcOptions } = o.ivc ?? {};
    const { account: vcsName, media: vcsMedia, ...vcsOptions } = o.vcs ?? {};
    if (o.ivm) stack.ivm = await new IvmEmulator({ ...ivmOptions, ...media(ivmMedia) }).start();
    if (o.vis) stack.vis = await new VisEmulator({ ...visOptions, ...media(visMedia) } as VisEmulatorOptions).start();
    if (o.ivc) stack.ivc = await new IvcEmulator({ ...ivcOptions, ...media(ivcMedia) }).start();
    if (o.vcs) stack.vcs = await new VcsEmulator({ ...vcsOptions, ...media(vcsMedia) }).start();
    for (const e of [stack.ivm, stack.vis, stack.ivc, stack.vcs]) if (e) stops.push(() => e.stop());

    const { core, dataDir } = makeCore(o.core ?? {});
    stack.core = core;
    stack.dataDir = dataDir;
    // Through `stack`: a test may restart the host and core on the same folder (restartHost).
    stops.push(async () => {
      await stack.core.dispose();
      // Keychain entries of the accounts (the real keychain unless a vault was given).
      for (const a of stack.core.settings.get().accounts) await stack.core.accounts.remove(a.id).catch(() => undefined);
    });
    if (stack.ivm) stack.accounts.ivm = await addAccount(core, ivmName ?? 'IVM', ivmAccount(stack.ivm));
    if (stack.vis) stack.accounts.vis = await addAccount(core, visName ?? 'VIS', visAccount(stack.vis));
    if (stack.ivc) stack.accounts.ivc = await addAccount(core, ivcName ?? 'IVC', ivcAccount(stack.ivc));
    if (stack.vcs) stack.accounts.vcs = await addAccount(core, vcsName ?? 'VCS', vcsAccount(stack.vcs));

    const host = await startWebHost({ core, port: 0 });
    stops.push(() => stack.host.close());
    stack.host = host;
    if (o.browser !== false) {
      const browser = await launchChromium();
      stops.push(() => browser.close());
      stack.browser = browser;
    }
    return stack;
  } catch (e) {
    await stack.stop();
    throw e;
  }
}
