import fs from 'node:fs';
import path from 'node:path';
import { SettingsStartupError } from './startup-error';

export const LOCK_NAME = 'vigil.lock';

export interface DataFolderLock {
  readonly file: string;
  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): void;
}

/** Lock files this process holds (its own pid in a file not listed here is a previous run's). */
const held = new Set<string>();

interface Holder {
  pid: number;
  host?: string;
  since?: string;
}

/**
 * One Vigil per data folder: two hosts on one settings file would each write their own copy and
 * lose the other's changes. The lock is `<dir>/vigil.lock`, created with 'wx' and holding the
 * owner's pid; a lock whose pid no longer runs (a crash, a kill -9) is stale and taken over.
 * Electron's single-instance lock covers two Electron windows of one user; this one covers the
 * browser host, Electron beside a browser host, and VIGIL_DATA_DIR folders.
 * Throws SettingsStartupError('DATA_FOLDER_IN_USE') naming the folder and the pid.
 */
export function acquireDataFolderLock(
  dir: string,
  host: 'electron' | 'web' | 'agent',
  isAlive: (pid: number) => boolean = alive,
): DataFolderLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_NAME);
  const mine = JSON.stringify({ pid: process.pid, host, since: new Date().toISOString() } satisfies Holder);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      try {
        fs.writeSync(fd, mine);
      } finally {
        fs.closeSync(fd);
      }
      held.add(file);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        held.delete(file);
        try {
          // Only our own lock: never one a later process took over after ours was judged stale.
          if (fs.readFileSync(file, 'utf8') === mine) fs.rmSync(file, { force: true });
        } catch {
          // already gone
        }
      };
      return { file, release };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const text = readText(file);
    if (text === null) continue; // removed meanwhile: try again
    const holder = parse(text);
    if (!holder) {
      // Created but not yet written by a process starting right now, or garbage left by a crash.
      if (Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) < 2000) {
        sleep(100);
        continue;
      }
    } else if (holder.pid === process.pid ? held.has(file) : isAlive(holder.pid)) {
      throw new SettingsStartupError(
        'DATA_FOLDER_IN_USE',
        `The data folder ${dir} is in use by another Vigil (${holder.host ?? 'host'}, pid ${holder.pid}${holder.since ? `, since ${holder.since}` : ''}). Close it or start this one with another --data-dir; if no Vigil is running, delete ${file}.`,
      );
    }
    takeOverStale(file, text);
  }
  throw new SettingsStartupError(
    'DATA_FOLDER_IN_USE',
    `The data folder ${dir} is being locked and unlocked by other processes; try again, or delete ${file} if no Vigil is running.`,
  );
}

/**
 * Removes a stale lock without removing a fresh one another process made meanwhile: the file is
 * moved to a private name (one mover wins) and put back if what was moved is not what we judged.
 */
function takeOverStale(file: string, judged: string): void {
  const moved = `${file}.stale-${process.pid}`;
  try {
    fs.renameSync(file, moved);
  } catch {
    return; // someone else moved or removed it: just try again
  }
  if (readText(moved) !== judged) {
    try {
      fs.linkSync(moved, file); // back, unless yet another lock appeared (then that one stands)
    } catch {
      // EEXIST: a newer lock is in place
    }
  }
  fs.rmSync(moved, { force: true });
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function parse(text: string): Holder | null {
  try {
    const v = JSON.parse(text) as Holder;
    return Number.isInteger(v.pid) && v.pid > 0 ? v : null;
  } catch {
    return null;
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
