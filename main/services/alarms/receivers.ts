import { randomBytes, randomUUID } from 'node:crypto';
import type http from 'node:http';
import path from 'node:path';
import type { AlarmReceiverState } from '../../../preload/contract';
import type { ControlRoomLink } from '../../control-room/link';
import { AppError } from '../../errors';
import type { EventBus } from '../../events';
import { log, registerSecret } from '../../log';
import type { PushAlarmOps } from '../../platforms/platform';
import { ANSWER_WITHIN_MS, PushIntake } from '../../net/push-intake';
import { startPushReceiver, type PushTls } from '../../net/push-receiver';
import type { AccountsService } from '../accounts';
import type { AlarmHistory } from './history';

/**
 * The vault entry of an account's shared push key: two agents behind one failover proxy register
 * one URL with one key, so the standby verifies (and keeps) the pushes the proxy hands it.
 */
export const pushKeySecret = (accountId: string) => `alarm-push-key:${accountId}`;

/** Why a shared push key is refused (IVM takes 6–18 characters; Vigil asks 12 or more of a plain alphabet), or null. */
export function pushKeyRefusal(key: string): string | null {
  if (!/^[A-Za-z0-9_-]{12,18}$/.test(key))
    return `a shared push key is 12 to 18 letters, digits, "-" or "_" (this one has ${key.length} characters${/[^A-Za-z0-9_-]/.test(key) ? ', some of them others' : ''})`;
  return null;
}

const INSECURE_URL =
  'The public URL is plain http: alarms and their signatures cross the internet readable, and a captured signature can carry forged alarms for the seconds it is valid. Use an https URL (a TLS-terminating proxy or tunnel in front of this port).';

interface Receiver {
  server: http.Server;
  port: number;
  publicUrl: string;
  /**
   * The signing key registered with the platform: main memory only, new on every start, unless
   * the account has a shared push key (an agent behind a failover proxy; from the vault).
   */
  authKey: string;
  /** The key is the account's shared push key (not one made for this start). */
  shared: boolean;
  /**
   * Listening and keeping the pushes a failover proxy hands it, but neither registered nor
   * claimed: another member receives this account's alarms (an agent standing by).
   */
  standby: boolean;
  /** Requests refused before their body was read (bad signature, replay, method). */
  rejected: number;
  /** What is done with the signed pushes: queued, de-duplicated, kept, flagged or set aside. */
  intake: PushIntake;
}

/**
 * Alarm pushes (Huawei IVM §10.1): one receiver per account on a local port, registered at the
 * public URL that forwards to it, with a fresh signing key (or the account's shared one). A push's
 * signature is checked before its body is read; a signed push is de-duplicated on its 64-bit
 * message id, written to disk, handed to every window as `main:alarm` and shared, and answered
 * once the broker has it or within 2 s (the platform waits 5 s, never retries and stops pushing
 * after 6 failures) (PushIntake).
 */
export class PushReceivers {
  private readonly receivers = new Map<string, Receiver>();

  constructor(
    private readonly accounts: AccountsService,
    private readonly history: AlarmHistory,
    private readonly link: ControlRoomLink,
    private readonly events: EventBus,
    private readonly dataDir: string,
    /** How long a push's answer waits for the broker (see ANSWER_WITHIN_MS). */
    private readonly answerWithinMs = ANSWER_WITHIN_MS,
  ) {}

  /** This member receives the account's alarms (registered and claimed; a standby is not). */
  has(accountId: string): boolean {
    const r = this.receivers.get(accountId);
    return !!r && !r.standby;
  }

  /** Accounts whose pushes this member receives now. */
  running(): string[] {
    return [...this.receivers].filter(([, r]) => !r.standby).map(([id]) => id);
  }

  /** Accounts whose pushes this member keeps while another receives them (see standBy). */
  standingBy(): string[] {
    return [...this.receivers].filter(([, r]) => r.standby).map(([id]) => id);
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
      running: !!r && !r.standby,
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
   * registration fails. `tls` serves HTTPS itself (an agent given a certificate and key);
   * `sharedKey` is the account's shared push key (else a fresh one). A standby listening with the
   * same URL, port and key is promoted: it goes on listening, and registers and claims.
   */
  async start(
    accountId: string,
    publicUrl: string,
    port: number,
    tls?: PushTls,
    sharedKey?: string,
  ): Promise<AlarmReceiverState> {
    const ops = await this.ops(accountId);
    const elsewhere = this.link.receiverElsewhere(accountId);
    if (elsewhere)
      throw new AppError(
        'VALIDATION',
        `Seat ${elsewhere} receives this account's alarms: one seat per account receives them (every seat sees them). Stop it there first.`,
      );
    const old = this.receivers.get(accountId);
    const promoted =
      old?.standby && old.port === port && old.publicUrl === publicUrl && old.authKey === sharedKey ? old : null;
    if (old && !promoted) await this.stop(accountId);
    const receiver = promoted ?? (await this.listen(ops, accountId, publicUrl, port, tls, sharedKey));
    receiver.standby = false;
    try {
      await ops.register(publicUrl, receiver.authKey);
    } catch (e) {
      if (promoted)
        receiver.standby = true; // still listening for what the proxy hands it
      else {
        this.receivers.delete(accountId);
        receiver.server.close();
        receiver.intake.close();
      }
      throw e;
    }
    this.link.claimReceiver(accountId, true);
    log.info(`alarm receiver for ${accountId} on port ${port}`);
    return this.state(accountId);
  }

  /**
   * Listens for the pushes a failover proxy hands this member while another receives the
   * account's alarms (its registration and claim are left alone): each is verified with the
   * shared key and kept and shared like any other, so a push reaching either agent counts once.
   * Answers whether it started listening now (false: it stood by already).
   */
  async standBy(
    accountId: string,
    publicUrl: string,
    port: number,
    tls: PushTls | undefined,
    sharedKey: string,
  ): Promise<boolean> {
    const old = this.receivers.get(accountId);
    if (old?.standby && old.port === port && old.publicUrl === publicUrl && old.authKey === sharedKey) return false;
    if (old) await this.stop(accountId);
    const receiver = await this.listen(await this.ops(accountId), accountId, publicUrl, port, tls, sharedKey);
    receiver.standby = true;
    log.info(`alarm receiver for ${accountId} standing by on port ${port} (another member receives its alarms)`);
    return true;
  }

  /** A receiver listening on `port` (not registered yet): stopped again by stop() or close(). */
  private async listen(
    ops: PushAlarmOps,
    accountId: string,
    publicUrl: string,
    port: number,
    tls: PushTls | undefined,
    sharedKey: string | undefined,
  ): Promise<Receiver> {
    if ([...this.receivers.values()].some((r) => r.port === port))
      throw new AppError('VALIDATION', `Port ${port} already receives another account's alarms`);
    const authKey = sharedKey ?? randomBytes(12).toString('base64url').slice(0, 16);
    registerSecret(authKey);
    const receiver: Receiver = {
      server: null as unknown as http.Server,
      port,
      publicUrl,
      authKey,
      shared: sharedKey !== undefined,
      standby: true,
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
    return receiver;
  }

  /**
   * Removes the registration when it is still this receiver's, then stops listening. A standby's
   * URL is the receiving member's too: its registration and claim are that member's.
   */
  async stop(accountId: string): Promise<AlarmReceiverState> {
    const r = this.receivers.get(accountId);
    const ops = await this.ops(accountId);
    if (r) {
      if (!r.standby) {
        const reg = await ops.registration().catch(() => null);
        if (reg?.url === r.publicUrl) await ops.unregister();
      }
      this.receivers.delete(accountId);
      r.server.closeAllConnections();
      await new Promise((ok) => r.server.close(ok));
      r.intake.close();
      if (!r.standby) this.link.claimReceiver(accountId, false);
    }
    return this.state(accountId);
  }

  /**
   * Gives an account up to the member that now receives it (two standby agents took over at once;
   * the broker's last claim won): its registration and that member's claim are left alone. With a
   * shared push key the receiver stands by (the proxy may hand it pushes); else it stops listening.
   */
  async yieldTo(accountId: string, member: string): Promise<void> {
    const r = this.receivers.get(accountId);
    if (!r) return;
    if (r.standby) return;
    if (r.shared) {
      r.standby = true;
      log.info(`alarm receiver for ${accountId} standing by: ${member} receives its alarms`);
      return;
    }
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

  /**
   * Stops listening without touching the registration (quitting): what arrived is judged, and
   * the answers waiting for the broker go out (within answerWithinMs) before the link closes.
   */
  async close(): Promise<void> {
    const all = [...this.receivers.values()];
    this.receivers.clear();
    for (const r of all) {
      r.server.close();
      r.server.closeIdleConnections();
      r.intake.close();
    }
    await Promise.all(all.map((r) => r.intake.answered()));
    for (const r of all) r.server.closeAllConnections();
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
      // A disk that refuses the alarm keeps it listed in memory (keep() says so) and the platform
      // is answered 200 all the same: a 500 would only count towards the platform's breaker. The
      // answer waits for the broker's acknowledgement of the alarm's state (see PushIntake).
      keep: (alarm, suspect) => {
        this.history.keep({
          id: `${accountId}/${alarm.messageId}`,
          ...alarm,
          accountId,
          ...(suspect ? { replayedSignature: true } : {}),
          ...this.receipt(),
        });
        return this.link.whenShared(accountId, alarm.messageId, this.answerWithinMs);
      },
      flag: (messageId) => {
        const a = stored(messageId);
        if (a) this.history.keep({ ...a, replayedSignature: true });
      },
      setAsideFile: path.join(this.dataDir, `alarm-pushes-set-aside-${accountId}.jsonl`),
      answerWithinMs: this.answerWithinMs,
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
