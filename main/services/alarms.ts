import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { Alarm, AlarmReceiverState } from '../../preload/contract';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import { log, registerSecret } from '../log';
import type { PushAlarmOps } from '../platforms/platform';
import { checkSignature, readPush } from '../platforms/huawei-ivm/push';
import type { AccountsService } from './accounts';

const KEEP = 500;
const MAX_BODY = 1024 * 1024;

interface Receiver {
  server: http.Server;
  port: number;
  publicUrl: string;
  /** the signing key registered with the platform: main memory only, new on every start */
  authKey: string;
  received: number;
  rejected: number;
}

/**
 * Alarm pushes (Huawei IVM §10.1): one receiver per account on a local port, registered at the
 * public URL that forwards to it, with a fresh signing key. A push is acknowledged at once
 * (the platform waits 5 s and never retries), checked (signature, ±5 min), de-duplicated on its
 * 64-bit message id and handed to every window as `main:alarm`. Unsigned or forged posts get 401.
 */
export class AlarmService {
  private readonly receivers = new Map<string, Receiver>();
  private readonly alarms: Alarm[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly accounts: AccountsService,
    private readonly events: EventBus,
  ) {}

  private async ops(accountId: string): Promise<PushAlarmOps> {
    const platform = await this.accounts.platform(accountId);
    if (!platform.pushAlarms) throw new AppError('NOT_AVAILABLE', 'Alarm pushes are a Huawei IVM feature');
    return platform.pushAlarms;
  }

  async state(accountId: string): Promise<AlarmReceiverState> {
    const reg = await (await this.ops(accountId)).registration();
    const r = this.receivers.get(accountId);
    return {
      accountId,
      running: !!r,
      port: r?.port ?? null,
      publicUrl: r?.publicUrl ?? null,
      registered: reg ? { url: reg.url, updated: reg.updated, ours: !!r && reg.url === r.publicUrl } : null,
      received: r?.received ?? 0,
      rejected: r?.rejected ?? 0,
    };
  }

  /** Listens first (the platform tests the URL while registering), then registers; undone if registration fails. */
  async start(accountId: string, publicUrl: string, port: number): Promise<AlarmReceiverState> {
    const ops = await this.ops(accountId);
    if (this.receivers.has(accountId)) await this.stop(accountId);
    if ([...this.receivers.values()].some((r) => r.port === port)) throw new AppError('VALIDATION', `Port ${port} already receives another account's alarms`);
    const authKey = randomBytes(12).toString('base64url').slice(0, 16);
    registerSecret(authKey);
    const receiver: Receiver = { server: http.createServer((req, res) => this.onPush(accountId, receiver, req, res)), port, publicUrl, authKey, received: 0, rejected: 0 };
    await new Promise<void>((resolve, reject) => {
      receiver.server.once('error', (e: NodeJS.ErrnoException) => reject(new AppError('VALIDATION', e.code === 'EADDRINUSE' ? `Port ${port} is in use on this computer` : `Cannot listen on port ${port}: ${e.message}`)));
      // All interfaces: the push arrives through port forwarding or a tunnel, not from this machine.
      receiver.server.listen(port, () => resolve());
    });
    this.receivers.set(accountId, receiver);
    try {
      await ops.register(publicUrl, authKey);
    } catch (e) {
      this.receivers.delete(accountId);
      receiver.server.close();
      throw e;
    }
    log.info(`alarm receiver for ${accountId} on port ${port}`);
    return this.state(accountId);
  }

  /** Removes the registration when it is still this receiver's, then stops listening. */
  async stop(accountId: string): Promise<AlarmReceiverState> {
    const r = this.receivers.get(accountId);
    const ops = await this.ops(accountId);
    if (r) {
      const reg = await ops.registration().catch(() => null);
      if (reg?.url === r.publicUrl) await ops.unregister();
      this.receivers.delete(accountId);
      r.server.closeAllConnections();
      await new Promise((ok) => r.server.close(ok));
    }
    return this.state(accountId);
  }

  list(): { alarms: Alarm[] } {
    return { alarms: [...this.alarms] };
  }

  /** The alarm's picture (§10.2.2, kept 7 days), fetched in main; null when the platform has none. */
  async picture(accountId: string, uuid: string): Promise<{ picture: string | null }> {
    const pic = await (await this.ops(accountId)).picture(uuid);
    return { picture: pic ? `data:${pic.contentType};base64,${pic.bytes.toString('base64')}` : null };
  }

  async closeAll(): Promise<void> {
    for (const r of this.receivers.values()) {
      r.server.closeAllConnections();
      r.server.close();
    }
    this.receivers.clear();
  }

  private onPush(accountId: string, r: Receiver, req: http.IncomingMessage, res: http.ServerResponse): void {
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      const sig = checkSignature(req.headers, r.publicUrl, r.authKey, Date.now());
      if (!sig.ok || size > MAX_BODY) {
        r.rejected++;
        res.writeHead(sig.ok ? 413 : 401).end();
        log.warn(`alarm push refused for ${accountId}: ${sig.ok ? 'body too large' : sig.reason}`);
        return;
      }
      const push = readPush(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(push.kind === 'invalid' ? 400 : 200).end(); // acknowledge first (§10.1.0)
      if (push.kind === 'invalid') {
        r.rejected++;
        log.warn(`alarm push for ${accountId} not understood: ${push.reason}`);
        return;
      }
      if (push.kind === 'test') return; // the platform's check while registering
      r.received++;
      if (push.kind !== 'alarm' || this.seen.has(push.alarm.messageId)) return;
      this.seen.add(push.alarm.messageId);
      const { messageId, ...rest } = push.alarm;
      const alarm: Alarm = { id: messageId, accountId, ...rest };
      this.alarms.unshift(alarm);
      if (this.alarms.length > KEEP) for (const old of this.alarms.splice(KEEP)) this.seen.delete(old.id);
      this.events.emit('main:alarm', alarm);
    });
  }
}
