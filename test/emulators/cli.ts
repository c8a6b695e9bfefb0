import { parseArgs } from 'node:util';
import { VisEmulator } from './huawei-vis/emulator';
import { IvcEmulator } from './tencent-ivc/emulator';

/**
 * `npm run emulator -- <platform> [--port P] [--iam-port Q] [--scale N]`: starts one platform
 * emulator on 127.0.0.1, prints one JSON line (base URL and credentials) and serves until stopped.
 */
const platforms: Record<string, (o: { port: number; iamPort: number; scale: number }) => Promise<{ line: object; stop(): Promise<void> }>> = {
  'huawei-vis': async ({ port, iamPort, scale }) => {
    const emu = await new VisEmulator({ scale }).start(port, iamPort);
    return {
      line: { platform: 'huawei-vis', baseUrl: emu.baseUrl, iamBaseUrl: emu.iamBaseUrl, credentials: emu.credentials },
      stop: () => emu.stop(),
    };
  },
  'tencent-ivc': async ({ port, scale }) => {
    const emu = await new IvcEmulator({ scale }).start(port);
    return {
      line: { platform: 'tencent-ivc', baseUrl: emu.baseUrl, credentials: { secretId: emu.credentials.secretId, secretKey: emu.credentials.secretKey } },
      stop: () => emu.stop(),
    };
  },
};

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { port: { type: 'string' }, 'iam-port': { type: 'string' }, scale: { type: 'string' } },
  });
  const name = positionals[0];
  const start = name ? platforms[name] : undefined;
  if (!start) {
    process.stderr.write(`usage: npm run emulator -- <${Object.keys(platforms).join('|')}> [--port P] [--scale N]\n`);
    process.exit(2);
  }
  const num = (v: string | undefined, flag: string) => {
    const n = v === undefined ? 0 : Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 65535 * 100) {
      process.stderr.write(`${flag} must be a non-negative integer\n`);
      process.exit(2);
    }
    return n;
  };
  const running = await start({ port: num(values.port, '--port'), iamPort: num(values['iam-port'], '--iam-port'), scale: num(values.scale, '--scale') });
  process.stdout.write(`${JSON.stringify(running.line)}\n`);
  const stop = () => void running.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
