import { parseArgs } from 'node:util';
import { VcsEmulator } from './aliyun-vcs/emulator';
import { IvmEmulator } from './huawei-ivm/emulator';
import { VisEmulator } from './huawei-vis/emulator';
import { platformMedia } from './media/platform-media';
import { MediaSimulator } from './media/simulator';
import { IvcEmulator } from './tencent-ivc/emulator';

/**
 * `npm run emulator -- <platform> [--port P] [--iam-port Q] [--scale N] [--no-media]`: starts one
 * platform emulator on 127.0.0.1 with the media simulator behind its play URLs (publishers start
 * on first use), prints one JSON line (base URL and credentials) and serves until stopped.
 */
type Started = { line: object; stop(): Promise<void> };
type Options = { port: number; iamPort: number; scale: number; media: MediaSimulator | null };

const platforms: Record<string, (o: Options) => Promise<Started>> = {
  'aliyun-vcs': async ({ port, media }) => {
    const emu = await new VcsEmulator(media ? { media: platformMedia(media) } : {}).start(port);
    return {
      line: { platform: 'aliyun-vcs', baseUrl: emu.baseUrl, credentials: emu.credentials },
      stop: () => emu.stop(),
    };
  },
  'huawei-ivm': async ({ port, scale, media }) => {
    const emu = await new IvmEmulator({ scale, ...(media ? { media: platformMedia(media) } : {}) }).start(port);
    return {
      line: { platform: 'huawei-ivm', baseUrl: emu.baseUrl, credentials: emu.credentials },
      stop: () => emu.stop(),
    };
  },
  'huawei-vis': async ({ port, iamPort, scale, media }) => {
    const channels = media ? [...media.channels.keys()] : [];
    const pick = (key: string) =>
      channels[[...key].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % channels.length]!;
    const emu = await new VisEmulator({
      scale,
      ...(media ? { media: { flv: (ch) => media.flv(pick(ch), 'sub'), hls: (ch) => media.hls(pick(ch), 'sub') } } : {}),
    }).start(port, iamPort);
    return {
      line: { platform: 'huawei-vis', baseUrl: emu.baseUrl, iamBaseUrl: emu.iamBaseUrl, credentials: emu.credentials },
      stop: () => emu.stop(),
    };
  },
  'tencent-ivc': async ({ port, scale, media }) => {
    const emu = await new IvcEmulator({
      scale,
      ...(media ? { media: platformMedia(media) } : {}),
    }).start(port);
    return {
      line: {
        platform: 'tencent-ivc',
        baseUrl: emu.baseUrl,
        credentials: { secretId: emu.credentials.secretId, secretKey: emu.credentials.secretKey },
      },
      stop: () => emu.stop(),
    };
  },
};

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      'iam-port': { type: 'string' },
      scale: { type: 'string' },
      'no-media': { type: 'boolean' },
    },
  });
  const name = positionals[0];
  const start = name ? platforms[name] : undefined;
  if (!start) {
    process.stderr.write(
      `usage: npm run emulator -- <${Object.keys(platforms).join('|')}> [--port P] [--scale N] [--no-media]\n`,
    );
    process.exit(2);
  }
  const num = (v: string | undefined, flag: string) => {
    const n = v === undefined ? 0 : Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 6_553_500) {
      process.stderr.write(`${flag} must be a non-negative integer\n`);
      process.exit(2);
    }
    return n;
  };
  const media = values['no-media']
    ? null
    : await MediaSimulator.start({
        channels: Array.from({ length: 8 }, (_, i) => ({ id: `sim${i + 1}`, name: `Sim ${i + 1}`, audio: i === 1 })),
      });
  const running = await start({
    port: num(values.port, '--port'),
    iamPort: num(values['iam-port'], '--iam-port'),
    scale: num(values.scale, '--scale'),
    media,
  });
  process.stdout.write(`${JSON.stringify(running.line)}\n`);
  const stop = () => void Promise.allSettled([running.stop(), media?.stop()]).then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
