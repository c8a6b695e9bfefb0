import { randomBytes, randomUUID } from 'node:crypto';
import type http from 'node:http';
import path from 'node:path';
import type { AlarmReceiverState } from '../../../preload/contract';
import type { ControlRoomLink } from '../../control-room/link';
import { AppError } from '../../errors';
import type { EventBus } from '../../events';
import { log, registerSecret } from '../../log';
import type { PushAlarmOps } from '../../platforms/platform';
import { PushIntake } from '../../net/push-intake';
import { startPushReceiver, type PushTls } from '../../net/push-receiver';
import type { AccountsService } from '../accounts';
import type { AlarmHistory } from './history';

const INSECURE_URL =
  'The public URL is plain http: alarms and their signatures cross the internet readable, and a captured signature can carry forged alarms for the seconds it is valid. Use an https URL (a TLS-terminating proxy or tunnel in front of this port).';

interface Receiver {
  server: http.Server;
  port: number;
  publicUrl: string;
  /** the signing key registered with the platform: main memory only, new on every start */
  authKey: string;
  /** Requests refused before their body was read (bad signature, replay, method). */
  rejected: number;
  /** What is done with the signed pushes: queued, de-duplicated, kept, flagged or set aside. */
  intake: PushIntake;
}

/**
 * Alarm pushes (Huawei IVM §10.1): one receiver per account on a local port, registered at the
 * public URL that forwards to it, with a fresh signing key. A push's signature is checked before
 * its body is read; a signed push is acknowledged at once (the platform waits 5 s, never retries
 * and stops pushing after 6 failures), then de-duplicated on its 64-bit message id, written to
 * disk and handed to every window as `main:alarm` (PushIntake).
 */
export class PushReceivers {
  private readonly receivers = new Map<string, Receiver>();

  constructor(
    private readonly accounts: AccountsService,
    private readonly history: AlarmHistory,
    private readonly link: ControlRoomLink,
    private readonly events: EventBus,
    private readonly dataDir: string,
  ) {}

  has(accountId: string): boolean {
    return this.receivers.has(accountId);
  }

  /** Accounts whose pushes this member receives now. */
  running(): string[] {
    return [...this.receivers.keys()];
  }

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
      received: r?.intake.received ?? 0,
      rejected: (r?.rejected ?? 0) + (r?.intake.setAside ?? 0),
      warning: r && !r.publicUrl.startsWith('https://') ? INSECURE_URL : null,
    };
  }

  /**
   * Listens first (the platform tests the URL while registering), then registers; undone if
   * registration fails. `tls` serves HTTPS itself (an agent given a certificate and key).
   */
  async start(accountId: string, publicUrl: string, port: number, tls?: PushTls): Promise<AlarmReceiverState> {
    const ops = await this.ops(accountId);
    if (this.receivers.has(accountId)) await this.stop(accountId);
    const elsewhere = this.link.receiverElsewhere(accountId);
    if (elsewhere)
      throw new AppError(
        'VALIDATION',
        `Seat ${elsewhere} receives this account's alarms: one seat per account receives them (every seat sees them). Stop it there first.`,
      );
    if ([...this.receivers.values()].some((r) => r.port === port))
      throw new AppError('VALIDATION', `Port ${port} already receives another account's alarms`);
    const authKey = randomBytes(12).toString('base64url').slice(0, 16);
    registerSecret(authKey);
    const receiver: Receiver = {
      server: null as unknown as http.Server,
      port,
      publicUrl,
      authKey,
      rejected: 0,
      intake: this.intake(ops, accountId),
    };
    receiver.server = await startPushReceiver({
      port,
      ...(tls ? { tls } : {}),
      checkHeaders: (headers) =>
        ops.checkHeaders(headers, publicUrl, authKey, Date.now()) ?? receiver.intake.checkSignatureWindow(headers),
      onBody: (body, headers) => receiver.intake.accept(body, headers),
      onTooLarge: (reason) => receiver.intake.tooLarge(reason),
      onRefused: (status, reason) => {
        receiver.rejected++;
        log.warn(`alarm push refused for ${accountId} (${status}): ${reason}`);
      },
    }).catch((e: NodeJS.ErrnoException) => {
      receiver.intake.close();
      throw new AppError(
        'VALIDATION',
        e.code === 'EADDRINUSE'
          ? `Port ${port} is in use on this computer`
          : `Cannot listen on port ${port}: ${e.message}`,
      );
    });
    if (!publicUrl.startsWith('https://')) log.warn(`alarm receiver for ${accountId}: ${INSECURE_URL}`);
    this.receivers.set(accountId, receiver);
    try {
      await ops.register(publicUrl, authKey);
    } catch (e) {
      this.receivers.delete(accountId);
      receiver.server.close();
      receiver.intake.close();
      throw e;
    }
    this.link.claimReceiver(accountId, true);
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
      r.intake.close();
      this.link.claimReceiver(accountId, false);
    }
    return this.state(accountId);
  }

  /**
   * Stops listening for an account another member now receives (two standby agents took over at
   * once; the broker's last claim won): its registration and that member's claim are left alone.
   */
  async yieldTo(accountId: string, member: string): Promise<void> {
    const r = this.receivers.get(accountId);
    if (!r) return;
    this.receivers.delete(accountId);
    r.server.closeAllConnections();
    await new Promise((ok) => r.server.close(ok));
    r.intake.close();
    log.info(`alarm receiver for ${accountId} stopped: ${member} receives its alarms`);
  }

  /** Settles once every push answered so far has been judged (kept, flagged or set aside). */
  async settled(): Promise<void> {
    await Promise.all([...this.receivers.values()].map((r) => r.intake.settled()));
  }

  /** Stops listening without touching the registration (quitting: what was answered is judged first). */
  close(): void {
    for (const r of this.receivers.values()) {
      r.server.closeAllConnections();
      r.server.close();
      r.intake.close(); // what was answered is judged before the history closes
    }
    this.receivers.clear();
  }

  /** When and where an alarm was received. */
  receipt(): { receivedAt: number; receivedBy?: string } {
    return { receivedAt: Date.now(), ...(this.link.seat.seat ? { receivedBy: this.link.seat.seat } : {}) };
  }

  /**
   * What becomes of an account's signed pushes (see PushIntake): alarms are kept under
   * `<account>/<message id>`; one whose id came again with other content is kept under a suffixed
   * id and both are flagged; what is set aside goes to a file beside the history, with a notice.
   */
  private intake(ops: PushAlarmOps, accountId: string): PushIntake {
    const stored = (messageId: string) => this.history.stored(`${accountId}/${messageId}`);
    return new PushIntake({
      ops,
      known: (messageId) => {
        const a = stored(messageId);
        return a && { ...a, suspect: !!a.replayedSignature };
      },
      // The platform was answered 200 already: a disk that refuses the alarm keeps it listed in
      // memory (keep() says so); a 500 would only count towards the platform's breaker.
      keep: (alarm, suspect) =>
        void this.history.keep({
          id: `${accountId}/${alarm.messageId}`,
          ...alarm,
          accountId,
          ...(suspect ? { replayedSignature: true } : {}),
          ...this.receipt(),
        }),
      flag: (messageId) => {
        const a = stored(messageId);
        if (a) this.history.keep({ ...a, replayedSignature: true });
      },
      setAsideFile: path.join(this.dataDir, `alarm-pushes-set-aside-${accountId}.jsonl`),
      notice: (code, message) => {
        const name = this.accounts.records().find((a) => a.id === accountId)?.name ?? accountId;
        this.events.emit('main:notice', {
          id: randomUUID(),
          level: 'warning',
          code,
          message: `${name}: ${message}`,
          at: new Date().toISOString(),
        });
      },
      log: (message) => log.warn(`${accountId}: ${message}`),
    });
  }
}
