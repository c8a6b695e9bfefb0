import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import type { Alarm, AlarmReceiverState } from '../../preload/contract';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import { log, registerSecret } from '../log';
import type { PushAlarmOps } from '../platforms/platform';
import { startPushReceiver } from '../net/push-receiver';
import { AlarmJournal } from '../storage/alarm-journal';
import type { AccountsService } from './accounts';
import type { HandlerSlice } from '../ipc/handlers';

/** Pushes one signature may carry (the platform signs per second: a busy second shares one). */
const MAX_SIGNATURE_USES = 50;

const INSECURE_URL =
  'The public URL is plain http: alarms and their signatures cross the internet readable, and a captured signature can carry forged alarms for 5 minutes. Use an https URL (a TLS-terminating proxy or tunnel in front of this port).';

interface Receiver {
  server: http.Server;
  port: number;
  publicUrl: string;
  /** the signing key registered with the platform: main memory only, new on every start */
  authKey: string;
  received: number;
  rejected: number;
  /** Signatures seen (timestamp|signature): how often, and when they lapse. A repeat is flagged. */
  signatures: Map<string, { uses: number; lapsesAt: number }>;
}

/**
 * Alarm pushes (Huawei IVM §10.1): one receiver per account on a local port, registered at the
 * public URL that forwards to it, with a fresh signing key. A push is checked before its body is
 * read (rate per source, signature within ±5 min, size), written to the journal on disk, then
 * acknowledged (the platform waits 5 s and never retries), de-duplicated on its 64-bit message id
 * and handed to every window as `main:alarm`. Unacknowledged alarms are never dropped.
 */
export class AlarmService {
  private readonly receivers = new Map<string, Receiver>();
  private readonly journal: AlarmJournal;

  constructor(
    private readonly accounts: AccountsService,
    private readonly events: EventBus,
    dataDir: string,
  ) {
    this.journal = new AlarmJournal(dataDir);
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
      received: r?.received ?? 0,
      rejected: r?.rejected ?? 0,
      warning: r && !r.publicUrl.startsWith('https://') ? INSECURE_URL : null,
    };
  }

  /** Listens first (the platform tests the URL while registering), then registers; undone if registration fails. */
  async start(accountId: string, publicUrl: string, port: number): Promise<AlarmReceiverState> {
    const ops = await this.ops(accountId);
    if (this.receivers.has(accountId)) await this.stop(accountId);
    if ([...this.receivers.values()].some((r) => r.port === port))
      throw new AppError('VALIDATION', `Port ${port} already receives another account's alarms`);
    const authKey = randomBytes(12).toString('base64url').slice(0, 16);
    registerSecret(authKey);
    const receiver: Receiver = {
      server: null as unknown as http.Server,
      port,
      publicUrl,
      authKey,
      received: 0,
      rejected: 0,
      signatures: new Map(),
    };
    receiver.server = await startPushReceiver({
      port,
      checkHeaders: (headers) =>
        ops.checkHeaders(headers, publicUrl, authKey, Date.now()) ??
        this.countSignature(receiver, ops.signatureOf(headers)),
      onBody: (body, headers) => this.onPush(ops, accountId, receiver, body, headers),
      onRefused: (status, reason) => {
        receiver.rejected++;
        log.warn(`alarm push refused for ${accountId} (${status}): ${reason}`);
      },
    }).catch((e: NodeJS.ErrnoException) => {
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
    return { alarms: this.journal.list() };
  }

  acknowledgeAll(): { alarms: Alarm[] } {
    const done = this.journal.acknowledgeAll();
    for (const a of done) this.events.emit('main:alarm', a);
    return { alarms: this.journal.list() };
  }

  acknowledge(id: string): Alarm {
    const alarm = this.journal.acknowledge(id);
    if (!alarm) throw new AppError('NOT_FOUND', 'No such alarm');
    this.events.emit('main:alarm', alarm);
    return alarm;
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

  /** The body of a push whose headers passed; answers the status the platform gets. */
  private onPush(
    ops: PushAlarmOps,
    accountId: string,
    r: Receiver,
    body: Buffer,
    headers: http.IncomingHttpHeaders,
  ): number {
    const push = ops.readPush(body.toString('utf8'));
    if (push.kind === 'invalid') {
      r.rejected++;
      log.warn(`alarm push for ${accountId} not understood: ${push.reason}`);
      return 400;
    }
    if (push.kind === 'test') return 200; // the platform's check while registering
    r.received++;
    if (push.kind !== 'alarm') return 200;
    const replayed = (r.signatures.get(ops.signatureOf(headers).key)?.uses ?? 0) > 1;
    const { messageId, ...rest } = push.alarm;
    const id = `${accountId}/${messageId}`;
    const known = this.journal.get(id);
    // A repeat is dropped, except that a push on a fresh signature replaces one that came on a
    // reused signature: a forged push cannot claim a message id ahead of the real alarm.
    if (known && !(known.replayedSignature && !replayed)) return 200;
    const alarm: Alarm = { id, messageId, accountId, ...rest, ...(replayed ? { replayedSignature: true } : {}) };
    let status = 200;
    try {
      this.journal.add(alarm);
    } catch (e) {
      // Shown all the same; the platform is told it was not kept (its breaker counts failures).
      log.error(`alarm ${id} could not be written to disk: ${(e as Error).message}`);
      status = 500;
    }
    this.events.emit('main:alarm', this.journal.get(id) ?? alarm);
    return status;
  }

  /**
   * Counts a valid signature's uses while it lapses (±5 min). A captured one could carry forged
   * alarms at will: past MAX_SIGNATURE_USES pushes it is refused (real alarms sharing one
   * second's signature stay far below that).
   */
  private countSignature(r: Receiver, signature: { key: string; lapsesAt: number }): string | null {
    const now = Date.now();
    for (const [k, v] of r.signatures) if (v.lapsesAt < now) r.signatures.delete(k);
    const seen = r.signatures.get(signature.key) ?? { uses: 0, lapsesAt: signature.lapsesAt };
    seen.uses++;
    r.signatures.set(signature.key, seen);
    return seen.uses > MAX_SIGNATURE_USES ? `one signature carried more than ${MAX_SIGNATURE_USES} pushes` : null;
  }
}

/** The alarm receiver and the alarm list. */
export function alarmHandlers(alarms: AlarmService): HandlerSlice {
  return {
    'alarms:state': ({ accountId }) => alarms.state(accountId),
    'alarms:start': ({ accountId, publicUrl, port }) => alarms.start(accountId, publicUrl, port),
    'alarms:stop': ({ accountId }) => alarms.stop(accountId),
    'alarms:list': () => alarms.list(),
    'alarms:acknowledge': ({ id }) => alarms.acknowledge(id),
    'alarms:acknowledgeAll': () => alarms.acknowledgeAll(),
    'alarms:picture': ({ accountId, uuid }) => alarms.picture(accountId, uuid),
  };
}
