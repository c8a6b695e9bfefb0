/**
 * node-media-server in its own process: RTMP in, HTTP-FLV and WS-FLV out, 127.0.0.1 only.
 * Run by simulator.ts so that "restart the whole server" is a real process restart and the
 * server's own process.exit on errors cannot take the tests down. Args: RTMP_PORT HTTP_PORT STORE_DIR [held]
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const NodeMediaServer = require('node-media-server') as new (
  config: object,
  configPath?: string,
) => { run(): Promise<void>; stop(): Promise<void> };
const logger = require('node-media-server/src/core/logger.js') as { level: string };

const [rtmpPort, httpPort, storeDir, held] = process.argv.slice(2);
const nms = new NodeMediaServer({
  bind: '127.0.0.1',
  rtmp: { port: Number(rtmpPort), chunk_size: 60000, gop_cache: true, ping: 30, ping_timeout: 60 },
  http: { port: Number(httpPort), allow_origin: '*' },
  store: { path: storeDir },
  webadmin: { enable: false },
  auth: { play: false, publish: false },
});
logger.level = process.env.NMS_LOG_LEVEL ?? 'error';
const context = require('node-media-server/src/core/context.js') as {
  eventEmitter: { on(event: 'postPublish', listener: (session: { streamPath: string }) => void): void };
};
// One line per stream that starts publishing: the simulator's onPublish.
context.eventEmitter.on('postPublish', (session) => process.stdout.write(`published ${session.streamPath}\n`));
const listen = () => void nms.run().then(() => process.stdout.write('ready\n'));
// `held` (a restart): loaded while the old server still serves, it opens its ports when told.
if (held === 'held') {
  // A signal handler alone does not keep Node running.
  const waiting = setInterval(() => undefined, 60_000);
  process.once('SIGUSR2', () => {
    clearInterval(waiting);
    listen();
  });
  process.stdout.write('loaded\n');
} else listen();
const stop = () => void nms.stop().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
