import { parseArgs } from 'node:util';
import type { Core } from '../core';
import { log } from '../log';
import { acquireDataFolderLock } from '../settings/lock';
import { SettingsStartupError } from '../settings/startup-error';
import { defaultDataDir } from './paths';
import { startWebHost } from './web';
import { savedTileSources } from '../services/map-tiles';

/**
 * `npm run start:web [-- --port N] [--data-dir DIR] [--developer]`: prints one line with the tokened URL.
 * `--developer` lets the stream-test page play typed stream addresses on this machine (main's relay
 * then carries loopback URLs nobody issued: an emulator's or a local media server's).
 *
 * Start-up order: the data folder's lock, then the HTTP server (the URL printed), then the core,
 * loaded and made while the browser fetches the page: the page's first requests wait on main's
 * side for the core, never fail for it. Only this module's own imports (http, ws, the lock) load
 * before the URL; the core's come with `./web-core`.
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
  // One Vigil per data folder: a second host on the same settings would lose the first's writes.
  // Taken before the URL is printed, so a second host never prints one.
  let lock: ReturnType<typeof acquireDataFolderLock>;
  try {
    lock = acquireDataFolderLock(dataDir, 'web');
  } catch (e) {
    if (!(e instanceof SettingsStartupError)) throw e;
    process.stderr.write(`Vigil did not start: ${e.message}\n`);
    process.exit(3);
  }
  process.on('exit', () => lock.release());
  let made: (core: Core) => void = () => undefined;
  let failed: (e: unknown) => void = () => undefined;
  const core = new Promise<Core>((resolve, reject) => {
    made = resolve;
    failed = reject;
  });
  // Settled below; the host's sockets and `stop` handle a failure, so none is left unhandled.
  core.catch(() => undefined);
  const host = await startWebHost({ core, port, savedTileSources: () => savedTileSources(dataDir) });
  marks.push(['listening', performance.now()]);
  process.stdout.write(`Vigil browser host: ${host.url}\n`);
  // Asked to stop while the core is being made: it is closed once made.
  const stop = () => {
    void host
      .close()
      .then(() => core)
      .then((c) => c.dispose())
      .then(() => {
        lock.release();
        process.exit(0);
      });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    await loadInSteps();
    const { makeWebCore } = await import('./web-core');
    made(makeWebCore({ dataDir, developer: values.developer === true }));
  } catch (e) {
    failed(e);
    lock.release();
    if (!(e instanceof SettingsStartupError)) throw e;
    process.stderr.write(`Vigil did not start: ${e.message}\n`);
    process.exit(3);
  }
  marks.push(['core', performance.now()]);
  if (process.env.VIGIL_STARTUP_MARKS)
    process.stdout.write(`Vigil start-up marks: ${marks.map(([k, ms]) => `${k}=${Math.round(ms)}`).join(' ')}\n`);
}

/**
 * The core's heaviest packages, loaded one at a time before the core's own chunk. Node evaluates a
 * module graph in one go, holding the event loop: loaded as one import, the page's HTML and scripts
 * (asked for meanwhile) waited for all of it; between these steps they are served. Order matters
 * little; a package missing here is loaded with the core, as before.
 */
const CORE_PACKAGES = ['zod', '@napi-rs/keyring', 'libsql'] as const;

async function loadInSteps(): Promise<void> {
  for (const name of CORE_PACKAGES) {
    await import(name);
    await new Promise<void>((r) => setImmediate(r));
  }
}

if (process.argv[1] && /web-cli\.(c|m)?[jt]s$/.test(process.argv[1])) {
  runWebHost().catch((e: unknown) => {
    log.error('browser host failed to start', e);
    process.exit(1);
  });
}
