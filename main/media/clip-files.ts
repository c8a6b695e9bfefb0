import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';
import { log } from '../log';

// The files of an exported clip: a reserved final name, a `.part` written beside it, renamed only
// when complete, so nothing half-written ever carries the final name.

/** Parts this process is writing now: a second service on the same folder must not clean them. */
const writing = new Set<string>();

/**
 * Reserves `name` in `dir`, lets `write` fill `<final>.<pid>.part`, renames the part over the
 * (empty) reservation when complete and answers the final path; on any failure, or when `signal`
 * was aborted meanwhile, removes both and throws.
 */
export async function writeClip(
  dir: string,
  name: string,
  signal: AbortSignal,
  write: (part: string) => Promise<void>,
): Promise<string> {
  const file = reserveFile(dir, name);
  const part = `${file}.${process.pid}.part`;
  writing.add(part);
  let done = false;
  try {
    // The part exists from the start, so a crash at any point leaves the pair the next start removes.
    fs.closeSync(fs.openSync(part, 'w'));
    await write(part);
    if (signal.aborted) throw new Error('cancelled');
    fs.renameSync(part, file);
    done = true;
    return file;
  } finally {
    writing.delete(part);
    fs.rmSync(part, { force: true });
    if (!done) fs.rmSync(file, { force: true });
  }
}

/**
 * Takes `name`, or `name (2)`, `name (3)`… — the first that does not exist, created empty with
 * 'wx' so the check and the claim are one step: no two jobs (or two Vigils) get the same name,
 * and nothing already there is replaced.
 */
export function reserveFile(dir: string, name: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const ext = path.extname(name);
  const base = name.slice(0, name.length - ext.length);
  for (let n = 1; n <= 999; n++) {
    const file = path.join(dir, n === 1 ? name : `${base} (${n})${ext}`);
    try {
      fs.closeSync(fs.openSync(file, 'wx'));
      return file;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new AppError(
          'INTERNAL',
          `The clip could not be created in ${dir}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
        );
    }
  }
  throw new AppError('VALIDATION', `999 clips named ${name} already exist in ${dir}`);
}

/**
 * An interrupted run (crash, kill, power cut) leaves `<final>.<pid>.part` and the empty `<final>` it
 * reserved: remove both, unless that pid is a live process still writing (another Vigil on the same
 * folder). `<final>.part` is the name older builds used.
 */
export function cleanInterrupted(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = /^(.+\.(?:mp4|ts))(?:\.(\d+))?\.part$/.exec(name);
    if (!m) continue;
    const part = path.join(dir, name);
    const pid = m[2] ? Number(m[2]) : null;
    if (writing.has(part) || (pid !== null && pid !== process.pid && alive(pid))) continue;
    try {
      fs.rmSync(part, { force: true });
      removed.push(name);
      const reserved = path.join(dir, m[1]!);
      if (pid !== null && fs.statSync(reserved, { throwIfNoEntry: false })?.size === 0)
        fs.rmSync(reserved, { force: true });
    } catch (e) {
      log.warn(`export: could not remove the interrupted ${name}: ${(e as Error).message}`);
    }
  }
  if (removed.length) log.info(`export: removed ${removed.length} part file(s) an interrupted export left in ${dir}`);
  return removed;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A file write stream whose errors (disk full, folder removed) fail the job: a write waits for
 * 'drain' or the error, never for a 'drain' a failed stream will not send.
 */
export function fileWriter(file: string): { write(chunk: Uint8Array): Promise<void>; close(): Promise<void> } {
  const out = fs.createWriteStream(file);
  let failure: Error | null = null;
  const closed = new Promise<void>((resolve) => out.once('close', resolve));
  out.on('error', (e) => (failure = e));
  const check = () => {
    if (failure)
      throw new AppError(
        'INTERNAL',
        `The clip could not be written: ${(failure as NodeJS.ErrnoException).code ?? failure.message}`,
      );
  };
  return {
    async write(chunk) {
      check();
      if (!out.write(chunk))
        await new Promise<void>((resolve) => {
          const go = () => {
            out.off('drain', go).off('close', go);
            resolve();
          };
          out.on('drain', go).on('close', go);
        });
      check();
    },
    async close() {
      if (!out.destroyed) out.end();
      await closed;
      check();
    },
  };
}
