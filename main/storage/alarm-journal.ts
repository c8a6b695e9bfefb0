import fs from 'node:fs';
import path from 'node:path';
import { Alarm } from '../../preload/contract';
import { log } from '../log';

/** Acknowledged alarms kept for the list; unacknowledged ones are never dropped. */
export const KEEP_ACKNOWLEDGED = 500;

type Line = { alarm: Alarm } | { ack: string; at: number };

/**
 * Alarms on disk, so a flood or a restart never loses one nobody has seen: an append-only
 * JSON-lines file in the data folder (`alarms.jsonl`), one line per alarm and per
 * acknowledgement, compacted (atomically) once acknowledged alarms pile up. Appends are
 * synchronous: an alarm is on disk before the platform's push is answered.
 */
export class AlarmJournal {
  private readonly file: string;
  /** Newest first. */
  private alarms: Alarm[] = [];
  private readonly byId = new Map<string, Alarm>();
  /** A crash can leave a last line without its newline: the next append starts a new line. */
  private torn = false;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'alarms.jsonl');
    this.load();
  }

  private load(): void {
    let text = '';
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        log.warn(`alarm journal not readable: ${(e as Error).message}`);
      return;
    }
    this.torn = text.length > 0 && !text.endsWith('\n');
    let bad = 0;
    const loaded: Alarm[] = [];
    for (const raw of text.split('\n')) {
      if (!raw.trim()) continue;
      try {
        const line = JSON.parse(raw) as Line;
        if ('alarm' in line) {
          const a = Alarm.safeParse(line.alarm);
          if (!a.success) bad++;
          else if (this.byId.has(a.data.id))
            replace(this.byId.get(a.data.id)!, a.data); // a later line replaces
          else {
            loaded.push(a.data);
            this.byId.set(a.data.id, a.data);
          }
        } else if (typeof line.ack === 'string') {
          const a = this.byId.get(line.ack);
          if (a) a.acknowledgedAt = line.at;
        }
      } catch {
        bad++; // a line cut by a crash: the others still count
      }
    }
    this.alarms = loaded.reverse();
    if (bad) log.warn(`alarm journal: ${bad} unreadable line(s) skipped`);
  }

  private remember(alarm: Alarm): void {
    this.alarms.unshift(alarm);
    this.byId.set(alarm.id, alarm);
  }

  get(id: string): Alarm | undefined {
    return this.byId.get(id);
  }

  /**
   * Keeps the alarm in memory and on disk; a new alarm with a known id replaces the old one.
   * Throws when the disk refuses (the alarm is still listed until Vigil closes).
   */
  add(alarm: Alarm): void {
    const known = this.byId.get(alarm.id);
    if (known) replace(known, alarm);
    else this.remember(alarm);
    this.append({ alarm });
    this.compactIfNeeded();
  }

  acknowledge(id: string, at = Date.now()): Alarm | null {
    const alarm = this.byId.get(id);
    if (!alarm) return null;
    if (alarm.acknowledgedAt === undefined) {
      alarm.acknowledgedAt = at;
      this.append({ ack: id, at });
      this.compactIfNeeded();
    }
    return alarm;
  }

  /** Every unacknowledged alarm at once (a flood is not acknowledged one row at a time). */
  acknowledgeAll(at = Date.now()): Alarm[] {
    const open = this.alarms.filter((a) => a.acknowledgedAt === undefined);
    if (open.length === 0) return open;
    for (const a of open) a.acknowledgedAt = at;
    this.append(...open.map((a) => ({ ack: a.id, at })));
    this.compactIfNeeded();
    return open;
  }

  /** Every unacknowledged alarm, and the newest acknowledged ones; newest first. */
  list(): Alarm[] {
    let acknowledged = 0;
    return this.alarms.filter((a) => a.acknowledgedAt === undefined || ++acknowledged <= KEEP_ACKNOWLEDGED);
  }

  private append(...lines: Line[]): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.appendFileSync(this.file, `${this.torn ? '\n' : ''}${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    this.torn = false;
  }

  /** Rewrites the file with what `list()` keeps once 100 acknowledged alarms too many are on it. */
  private compactIfNeeded(): void {
    const acknowledged = this.alarms.filter((a) => a.acknowledgedAt !== undefined).length;
    if (acknowledged <= KEEP_ACKNOWLEDGED + 100) return;
    const kept = this.list();
    const tmp = `${this.file}.${process.pid}.tmp`;
    const lines = [...kept].reverse().flatMap((a) => {
      const { acknowledgedAt, ...alarm } = a;
      return [
        JSON.stringify({ alarm }),
        ...(acknowledgedAt !== undefined ? [JSON.stringify({ ack: a.id, at: acknowledgedAt })] : []),
      ];
    });
    fs.writeFileSync(tmp, `${lines.join('\n')}\n`);
    fs.renameSync(tmp, this.file);
    this.alarms = kept;
    this.byId.clear();
    for (const a of kept) this.byId.set(a.id, a);
  }
}

/** In place (the list keeps its order): a replacing alarm is unacknowledged unless it says otherwise. */
function replace(known: Alarm, next: Alarm): void {
  delete known.acknowledgedAt;
  delete known.replayedSignature;
  Object.assign(known, next);
}
