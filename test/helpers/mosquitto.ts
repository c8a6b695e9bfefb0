import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../emulators/media/simulator';
import { tempDir } from './core';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Debian's mosquitto (installed by .ci/run), or null where it is not installed. */
export function mosquittoBinary(): string | null {
  for (const p of [process.env.MOSQUITTO, '/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto'])
    if (p && fs.existsSync(p)) return p;
  return null;
}

export interface Broker {
  port: number;
  url: string;
  /** Stops the broker (SIGTERM) and waits for the port to close; retained messages go with it. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  readonly running: boolean;
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function until(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`mosquitto: ${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The limits of the site configuration Vigil ships (deploy/mosquitto/mosquitto.conf): the tests'
 * broker runs with them, as a site's does. Mosquitto's defaults would drop a rejoining seat's
 * retained alarm states past 1,000, and the configuration saying otherwise would go untested.
 */
function siteLimits(): string[] {
  const conf = fs.readFileSync(path.join(repoRoot, 'deploy', 'mosquitto', 'mosquitto.conf'), 'utf8');
  return conf.split('\n').filter((line) => /^(max_queued_messages|message_size_limit)\s/.test(line));
}

/**
 * Starts mosquitto on a free loopback port with a temporary config, persistent as README asks a
 * site's broker to be (retained messages survive its restart; `persistence: false` loses them),
 * with the site configuration's limits (`defaultLimits`: mosquitto's own). With `users`, logins
 * are checked.
 */
export async function startMosquitto(
  options: {
    users?: Record<string, string>;
    persistence?: boolean;
    tls?: boolean;
    aclFile?: string;
    defaultLimits?: boolean;
  } = {},
): Promise<Broker & { ca: string | null }> {
  const bin = mosquittoBinary();
  if (!bin) throw new Error('mosquitto is not installed (apt-get install mosquitto; .ci/run does)');
  const dir = tempDir('vigil-mosquitto-');
  const port = await freePort();
  const lines = [`listener ${port} 127.0.0.1`, 'log_dest stderr', 'log_type error'];
  // Started as root (CI), mosquitto would switch to its own user, which cannot read this temp folder.
  if (process.getuid?.() === 0) lines.push('user root');
  if (options.persistence === false) lines.push('persistence false');
  else lines.push('persistence true', `persistence_location ${dir}/`, 'autosave_interval 1');
  if (!options.defaultLimits) lines.push(...siteLimits());
  if (options.users) {
    const file = path.join(dir, 'passwd');
    fs.writeFileSync(file, '');
    for (const [user, password] of Object.entries(options.users))
      execFileSync('mosquitto_passwd', ['-b', file, user, password]);
    fs.chmodSync(file, 0o600);
    lines.push('allow_anonymous false', `password_file ${file}`);
  } else lines.push('allow_anonymous true');
  if (options.aclFile) lines.push(`acl_file ${options.aclFile}`);
  let ca: string | null = null;
  if (options.tls) {
    // A self-signed certificate for 127.0.0.1: refused without it as the CA, accepted with it.
    const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=vigil-test-broker',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    lines.push(`certfile ${cert}`, `keyfile ${key}`);
    ca = fs.readFileSync(cert, 'utf8');
  }
  const conf = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(conf, `${lines.join('\n')}\n`);
  let child: ChildProcess | null = null;
  const broker: Broker & { ca: string | null } = {
    port,
    url: `${options.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`,
    ca,
    get running() {
      return !!child;
    },
    async start() {
      if (child) return;
      const c = spawn(bin, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
      c.stderr!.on('data', (d: Buffer) => {
        if (process.env.VIGIL_TEST_VERBOSE) process.stderr.write(`[mosquitto] ${String(d)}`);
      });
      c.once('exit', () => {
        if (child === c) child = null;
      });
      child = c;
      await until(() => portOpen(port), 'listening');
    },
    async stop() {
      const c = child;
      if (!c) return;
      child = null;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await exited;
      await until(async () => !(await portOpen(port)), 'port closed');
    },
  };
  await broker.start();
  return broker;
}
