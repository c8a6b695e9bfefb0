import { parseArgs } from 'node:util';
import { Core } from '../core';
import { log } from '../log';
import { confBackend } from '../settings/conf-backend';
import { acquireDataFolderLock } from '../settings/lock';
import { SettingsStartupError } from '../settings/settings';
import { KeyringVault } from '../vault/vault';
import { defaultDataDir } from './paths';
import { startWebHost } from './web';

/**
 * `npm run start:web [-- --port N] [--data-dir DIR] [--developer]`: prints one line with the tokened URL.
 * `--developer` lets the stream-test page play typed stream addresses on this machine (main's relay
 * then carries loopback URLs nobody issued: an emulator's or a local media server's).
 */
export async function runWebHost(argv: string[] = process.argv.slice(2)): Promise<void> {
  // Start-up marks (ms since this process started): the start-up bench asks for them.
  const marks: Array<[string, number]> = [['modules', performance.now()]];
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, developer: { type: 'boolean' } },
    allowPositionals: false,
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be 0–65535, got ${values.port}\n`);
    process.exit(2);
  }
  const dataDir = values['data-dir'] ?? defaultDataDir();
  let lock: ReturnType<typeof acquireDataFolderLock> | undefined;
  let core: Core;
  try {
    // One Vigil per data folder: a second host on the same settings would lose the first's writes.
    lock = acquireDataFolderLock(dataDir, 'web');
    core = new Core({
      host: 'web',
      dataDir,
      settingsBackend: confBackend,
      vault: new KeyringVault(),
      relayLoopbackUrls: values.developer === true,
    });
  } catch (e) {
    lock?.release();
    if (!(e instanceof SettingsStartupError)) throw e;
    process.stderr.write(`Vigil did not start: ${e.message}\n`);
    process.exit(3);
  }
  process.on('exit', () => lock.release());
  marks.push(['core', performance.now()]);
  const host = await startWebHost({ core, port });
  marks.push(['listening', performance.now()]);
  process.stdout.write(`Vigil browser host: ${host.url}\n`);
  if (process.env.VIGIL_STARTUP_MARKS)
    process.stdout.write(`Vigil start-up marks: ${marks.map(([k, ms]) => `${k}=${Math.round(ms)}`).join(' ')}\n`);
  const stop = () => {
    void host
      .close()
      .then(() => core.dispose())
      .then(() => {
        lock.release();
        process.exit(0);
      });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && /web-cli\.(c|m)?[jt]s$/.test(process.argv[1])) {
  runWebHost().catch((e: unknown) => {
    log.error('browser host failed to start', e);
    process.exit(1);
  });
}
