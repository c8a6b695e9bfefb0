import fs from 'node:fs';
import path from 'node:path';
import type { PushAlarmOps, PushedAlarm } from '../platforms/platform';
import { tokenBuckets } from './push-receiver';

/**
 * What the alarm receiver does with a push whose signature is valid. Huawei IVM (§10.1.0) waits
 * 5 s for a 200, never retries, and stops pushing for 10 minutes after 6 failures in a row, so a
 * correctly signed push is always answered 200, within ANSWER_WITHIN_MS of being judged. Judged in
 * arrival order: de-duplicated on its message id, kept as an alarm (answered once the alarm is
 * shared), or — past a rate, or not understood — set aside in a file beside the history with a
 * notice. Nothing a flood sends can make the platform stop pushing, and nothing it sends is lost
 * without a word.
 *
 * IVM signs the URL, the second and the key, not the body (§10.1.4.1): every push of one second
 * carries one signature, and a signature seen in transit could carry a forged body. So a
 * signature is good for its second plus the time the platform waits for an answer; reused after
 * that it cannot be the platform's (whose push would already have failed) and is refused. A
 * message id that arrives again with another body is kept under a suffixed id and both are
 * flagged: one of them is not the platform's.
 */

/** How long after its first push a signature may still carry pushes: its second, IVM's 5-s wait, and margin for a slow tunnel. */
export const SIGNATURE_WINDOW_MS = 10_000;
/** Alarms kept per account at once and per second after (a storm past it is set aside, with a notice). */
export const ALARM_RATE = { burst: 500, perSecond: 50 };
/** The set-aside file stops growing here (then pushes are only counted, and the notice says so). */
export const SET_ASIDE_MAX_BYTES = 20 * 1024 * 1024;
/** A set-aside body is written up to this many characters. */
const SET_ASIDE_BODY_CHARS = 64 * 1024;
/** Different bodies one message id may carry (each kept under its own suffix) before more are set aside. */
const MAX_VARIANTS = 20;
/** Pushes waiting to be judged, at most (past it they are counted, not kept). */
const MAX_QUEUED = 5_000;
/**
 * How long a push's answer waits for its alarm to be shared (on the broker, QoS 1 acknowledged).
 * IVM waits 5 s; past this the alarm is on disk and in the outbox, and the platform is answered.
 */
export const ANSWER_WITHIN_MS = 2_000;
/** Notices of one kind are grouped per this interval (the first at once, then a count). */
const NOTICE_EVERY_MS = 60_000;

type Headers = Record<string, string | string[] | undefined>;
/** What sameAlarm compares, and whether it is flagged already. */
export type KnownAlarm = Omit<PushedAlarm, 'channelRef'> & { suspect?: boolean };

export interface PushIntakeOptions {
  ops: Pick<PushAlarmOps, 'signatureOf' | 'readPush'>;
  /** The alarm kept under this message id (on disk or in memory), if any, and whether it is flagged. */
  known(messageId: string): KnownAlarm | undefined;
  /**
   * Keeps a new alarm; `suspect` flags it for the operator. A promise: the push is answered once
   * it settles (the alarm shared with the other members) or after `answerWithinMs`.
   */
  keep(alarm: PushedAlarm, suspect: boolean): void | Promise<unknown>;
  /** Flags an alarm already kept. */
  flag(messageId: string): void;
  /** Where pushes are set aside (one JSON line each). */
  setAsideFile: string;
  /** Tells the operator (a notice code and an English sentence). */
  notice(code: 'notice.alarmPushesSetAside' | 'notice.alarmPushSuspect', message: string): void;
  log(message: string): void;
  rate?: { burst: number; perSecond: number };
  /** Monotonic milliseconds (windows and rates: a clock step must not refuse the platform). */
  clock?: () => number;
  /** Epoch milliseconds (when a signature lapses, times in the set-aside file). */
  wallClock?: () => number;
  /** See ANSWER_WITHIN_MS. */
  answerWithinMs?: number;
}

interface Queued {
  body: Buffer;
  headers: Headers;
  at: number;
  /** Answers the platform (always 200). */
  answer(status: number): void;
}

export class PushIntake {
  received = 0;
  duplicates = 0;
  suspect = 0;
  setAside = 0;
  private readonly signatures = new Map<string, { firstAt: number; lapsesAt: number }>();
  private readonly queue: Queued[] = [];
  private readonly budget: ReturnType<typeof tokenBuckets>;
  private readonly clock: () => number;
  private readonly wallClock: () => number;
  private readonly file: SetAsideFile;
  private readonly notices = new Map<string, { count: number; timer: NodeJS.Timeout | null; last: string }>();
  private draining: NodeJS.Immediate | null = null;
  private idle: Array<() => void> = [];
  /** Pushes judged or waiting to be, not answered yet; who waits for none to be left. */
  private unanswered = 0;
  private quiet: Array<() => void> = [];
  private closed = false;

  constructor(private readonly o: PushIntakeOptions) {
    this.clock = o.clock ?? (() => performance.now());
    this.wallClock = o.wallClock ?? Date.now;
    this.budget = tokenBuckets(o.rate ?? ALARM_RATE, 1, this.clock);
    this.file = new SetAsideFile(o.setAsideFile, SET_ASIDE_MAX_BYTES);
  }

  /**
   * After the platform's signature check passed: a signature seen first more than
   * SIGNATURE_WINDOW_MS ago is a replay (the reason to refuse it), else null.
   */
  checkSignatureWindow(headers: Headers): string | null {
    const now = this.clock();
    // A lapsed signature is refused by the platform's own check (±300 s) before it gets here.
    const wall = this.wallClock();
    for (const [k, v] of this.signatures) if (v.lapsesAt < wall) this.signatures.delete(k);
    const sig = this.o.ops.signatureOf(headers);
    const seen = this.signatures.get(sig.key);
    if (!seen) {
      this.signatures.set(sig.key, { firstAt: now, lapsesAt: sig.lapsesAt });
      return null;
    }
    const late = now - seen.firstAt;
    return late > SIGNATURE_WINDOW_MS
      ? `a signature first used ${Math.round(late / 1000)} s ago was used again (the platform signs each second anew): a replay`
      : null;
  }

  /**
   * A signed push's body: queued, judged right after; the platform's answer (always 200), given
   * once the alarm is kept and shared. Answering only then leaves nothing that was answered in
   * this member's outbox alone: should it die before sharing, the platform's request fails, and a
   * failover proxy in front of two agents hands the same push to the other one.
   */
  accept(body: Buffer, headers: Headers): Promise<number> {
    if (this.closed) return Promise.resolve(200);
    // Judging keeps up with receiving; should it not (a stalled disk), memory stays bounded.
    if (this.queue.length >= MAX_QUEUED) {
      this.putAside('queue full', `more than ${MAX_QUEUED} pushes waiting to be judged`, '');
      return Promise.resolve(200);
    }
    return new Promise((resolve) => {
      let given = false;
      this.unanswered++;
      const answer = (status: number) => {
        if (given) return;
        given = true;
        resolve(status);
        if (--this.unanswered === 0) for (const done of this.quiet.splice(0)) done();
      };
      this.queue.push({ body, headers, at: this.wallClock(), answer });
      this.draining ??= setImmediate(() => this.drain());
    });
  }

  /** Settles once every push received so far has been answered (each within answerWithinMs of being judged). */
  answered(): Promise<void> {
    if (this.unanswered === 0) return Promise.resolve();
    return new Promise((resolve) => this.quiet.push(resolve));
  }

  /** A signed push too large to read: answered 200 (the platform counts anything else), noted. */
  tooLarge(reason: string): void {
    this.putAside('too large', reason, '');
  }

  /** Settles once every push received so far is judged. */
  settled(): Promise<void> {
    if (!this.queue.length) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Judges what is queued now, then takes no more (the receiver is stopping). */
  close(): void {
    this.drain(Infinity);
    this.closed = true;
    for (const n of this.notices.values()) if (n.timer) clearTimeout(n.timer);
    this.notices.clear();
  }

  /** A few at a time, so a burst does not hold the event loop (other sockets are answered in between). */
  private drain(max = 50): void {
    this.draining = null;
    for (let i = 0; i < max && this.queue.length; i++) {
      const item = this.queue.shift()!;
      let shared: void | Promise<unknown> = undefined;
      try {
        shared = this.judge(item);
      } catch (e) {
        // A fault of ours: the push is kept aside; a fault there too must not stop the queue.
        try {
          this.putAside('receiver fault', (e as Error).message, item.body.toString('utf8'));
        } catch {
          this.setAside++;
        }
      }
      if (!shared) item.answer(200);
      else this.answerOnce(shared, item);
    }
    if (this.queue.length) this.draining = setImmediate(() => this.drain());
    else for (const resolve of this.idle.splice(0)) resolve();
  }

  /** 200 once the alarm is shared, or after answerWithinMs (it waits on disk then), whichever is first. */
  private answerOnce(shared: Promise<unknown>, item: Queued): void {
    const timer = setTimeout(() => item.answer(200), this.o.answerWithinMs ?? ANSWER_WITHIN_MS);
    const done = () => {
      clearTimeout(timer);
      item.answer(200);
    };
    shared.then(done, done);
  }

  private judge({ body, at }: Queued): void | Promise<unknown> {
    const text = body.toString('utf8');
    const push = this.o.ops.readPush(text);
    if (push.kind === 'test') return;
    if (push.kind === 'invalid') return this.putAside('not understood', push.reason, text, at);
    this.received++;
    if (push.kind !== 'alarm') return;
    const alarm = push.alarm;
    // The platform never sends one message id twice (no retries): the same body again is a
    // replay and changes nothing; another body is kept beside it, both flagged.
    let variant = alarm.messageId;
    let known = this.o.known(variant);
    for (let n = 2; known && !sameAlarm(known, alarm); n++) {
      if (n > MAX_VARIANTS + 1)
        return this.putAside(
          'suspect',
          `message id ${alarm.messageId} came with more than ${MAX_VARIANTS} bodies`,
          text,
        );
      variant = `${alarm.messageId}-${n}`;
      known = this.o.known(variant);
    }
    if (known) {
      this.duplicates++;
      return;
    }
    if (!this.budget.take('alarms'))
      return this.putAside(
        'over the rate',
        `more than ${(this.o.rate ?? ALARM_RATE).perSecond} alarms a second (after ${(this.o.rate ?? ALARM_RATE).burst} at once)`,
        text,
        at,
      );
    if (variant === alarm.messageId) return this.o.keep(alarm, false);
    if (!this.o.known(alarm.messageId)?.suspect) this.o.flag(alarm.messageId);
    const shared = this.o.keep({ ...alarm, messageId: variant }, true);
    this.suspect++;
    this.tell(
      'notice.alarmPushSuspect',
      (count) =>
        `${count} alarm push(es) carried a message id already received with other content (latest: ${alarm.messageId}); both are kept and flagged. The platform never sends an id twice: check the camera before acting on them.`,
    );
    return shared;
  }

  private putAside(why: string, reason: string, text: string, at = this.wallClock()): void {
    this.setAside++;
    const written = this.file.append({
      at: new Date(at).toISOString(),
      why,
      reason,
      body: text.slice(0, SET_ASIDE_BODY_CHARS),
    });
    this.o.log(`alarm push set aside (${why}): ${reason}`);
    this.tell(
      'notice.alarmPushesSetAside',
      (count) =>
        `${count} alarm push(es) were set aside (latest: ${why}: ${reason}). They were answered, so the platform keeps pushing; ` +
        (written
          ? `their bodies are in ${path.basename(this.o.setAsideFile)} beside the alarm history.`
          : `the set-aside file is full (${SET_ASIDE_MAX_BYTES / 1024 / 1024} MB), so they were only counted.`),
    );
  }

  /** The first of a kind at once; more within NOTICE_EVERY_MS are counted and told at its end. */
  private tell(code: 'notice.alarmPushesSetAside' | 'notice.alarmPushSuspect', say: (count: number) => string): void {
    if (this.closed) return;
    const n = this.notices.get(code);
    if (n?.timer) {
      n.count++;
      n.last = say(n.count);
      return;
    }
    this.o.notice(code, say(1));
    const entry = { count: 0, last: '', timer: null as NodeJS.Timeout | null };
    entry.timer = setTimeout(() => {
      entry.timer = null;
      if (entry.count) this.o.notice(code, entry.last);
      this.notices.delete(code);
    }, NOTICE_EVERY_MS);
    entry.timer.unref();
    this.notices.set(code, entry);
  }
}

/** The platform's fields of two alarms agree (what the operator would act on). */
export function sameAlarm(a: KnownAlarm, b: KnownAlarm): boolean {
  const fields = (x: KnownAlarm) =>
    JSON.stringify([
      x.deviceId,
      x.channelId,
      x.channelName,
      x.type,
      x.typeName ?? null,
      x.classification ?? null,
      x.status ?? null,
      x.at,
      x.uuid,
      x.target ?? null,
    ]);
  return fields(a) === fields(b);
}

/** An append-only JSON-lines file that stops growing at a size (owner-only: alarm content). */
class SetAsideFile {
  private size: number | null = null;

  constructor(
    private readonly file: string,
    private readonly maxBytes: number,
  ) {}

  /** false when the file is full or cannot be written (the caller says so). */
  append(record: object): boolean {
    try {
      this.size ??= fs.existsSync(this.file) ? fs.statSync(this.file).size : 0;
      const line = `${JSON.stringify(record)}\n`;
      if (this.size + line.length > this.maxBytes) return false;
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.appendFileSync(this.file, line, { mode: 0o600 });
      this.size += Buffer.byteLength(line);
      return true;
    } catch {
      return false;
    }
  }
}
