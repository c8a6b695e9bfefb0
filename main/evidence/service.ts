import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EvidenceJob, ExportJob, RequestOf } from '../../preload/contract';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import type { HandlerSlice } from '../ipc/handlers';
import { log, redact } from '../log';
import { findFfmpeg } from '../media/ffmpeg';
import type { AccountsService } from '../services/accounts';
import { fileName, safe, type ClipOutcome, type ExportService } from '../services/export';
import type { EvidenceKey } from './key';
import { EVIDENCE_FORMAT, isoWithOffset, manifestBytes, type ManifestFile } from './manifest';
import { hashFile } from './verify';
import { verifyPage } from './verify-html';
import { snapshotOf } from './ffmpeg-run';
import { burnWatermark, findWatermarkFont, watermarkText } from './watermark';
import { writeZip } from './zip';

type Request = Omit<RequestOf<'evidence:start'>, 'note' | 'zip' | 'watermark'> & {
  note?: string;
  zip?: boolean;
  watermark?: boolean;
};
type Item = Request['items'][number];

export interface EvidenceOptions {
  /** Who exports: the control room's seat and operator (else the OS user). */
  operator: () => { seat: string; user: string };
  ffmpeg?: () => string | null;
  font?: () => string | null;
  now?: () => number;
}

interface Job extends EvidenceJob {
  abort: AbortController;
  clipIds: string[];
}

const pad = (n: number) => String(n).padStart(2, '0');
/** `yyyyMMdd_HHmmss`, local time. */
export function stamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}_${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

/** A note's file: the clip's name with `.note.txt` for its extension. */
export const noteName = (clip: string) => `${clip.replace(/\.[^.]+$/, '')}.note.txt`;
/** A snapshot's file: the clip's name with `.snapshot.jpg`. */
export const snapshotName = (clip: string) => `${clip.replace(/\.[^.]+$/, '')}.snapshot.jpg`;

/**
 * Evidence export: each item's clip goes through the clip export queue (same naming, `.part`
 * until complete, progress, cancel) into a new folder `<root>/<case>_<time>/`; then notes, the
 * verifier page and the public key are written, and last the manifest and its signature, over
 * complete files only. A clip that fails is named in the job and left out; when none succeeds
 * the folder is removed. Cancelling removes the folder: nothing unsigned is left behind.
 */
export class EvidenceService {
  private readonly jobs: Job[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly ffmpeg: () => string | null;
  private readonly font: () => string | null;
  private readonly now: () => number;

  constructor(
    private readonly accounts: AccountsService,
    private readonly exports: ExportService,
    private readonly key: EvidenceKey,
    private readonly events: EventBus,
    /** `~/Downloads/Vigil/evidence` */
    private readonly root: string,
    private readonly options: EvidenceOptions,
  ) {
    this.ffmpeg = options.ffmpeg ?? findFfmpeg;
    this.font = options.font ?? (() => findWatermarkFont());
    this.now = options.now ?? Date.now;
  }

  list(): { jobs: EvidenceJob[] } {
    return { jobs: this.jobs.map(view) };
  }

  keyInfo(): Promise<{ publicKeyPem: string; fingerprint: string }> {
    return this.key.info();
  }

  async start(req: Request): Promise<EvidenceJob> {
    const records = this.accounts.records();
    for (const item of req.items)
      if (!records.some((r) => r.id === item.accountId))
        throw new AppError('NOT_FOUND', `No account with id ${item.accountId}`);
    if (req.watermark) {
      if (!this.ffmpeg()) throw new AppError('NOT_AVAILABLE', 'A watermark needs ffmpeg, which was not found');
      if (!this.font()) throw new AppError('NOT_AVAILABLE', 'No font for the watermark was found on this computer');
    }
    // The key first: a locked keychain stops the export before any clip is fetched.
    const { fingerprint } = await this.key.info();
    const created = this.now();
    const folder = this.makeFolder(req.case, created);
    const job: Job = {
      id: randomUUID(),
      case: req.case,
      state: 'running',
      progress: 0,
      folder,
      zip: null,
      items: req.items.map((i) => ({
        name: i.name,
        startMs: i.startMs,
        endMs: i.endMs,
        state: 'queued',
        progress: 0,
        file: null,
        message: null,
      })),
      fingerprint,
      message: null,
      abort: new AbortController(),
      clipIds: [],
    };
    this.jobs.push(job);
    const ended = this.jobs.findIndex((j) => j.state !== 'running');
    if (this.jobs.length > 20 && ended >= 0) this.jobs.splice(ended, 1);
    this.emit(job);
    const run = this.run(job, req, created)
      .catch((e: unknown) => {
        if (job.state === 'running') {
          job.state = 'failed';
          job.message = e instanceof AppError ? e.message : redact((e as Error).message);
          log.warn(`evidence ${job.id} failed: ${job.message}`);
        }
        this.removeOutputs(job); // failed or cancelled: nothing unsigned stays
      })
      .finally(() => {
        this.emit(job);
        this.running.delete(run);
      });
    this.running.add(run);
    return view(job);
  }

  cancel(id: string): void {
    const job = this.jobs.find((j) => j.id === id);
    if (!job) throw new AppError('NOT_FOUND', 'No such evidence export');
    if (job.state !== 'running' && job.state !== 'queued') return;
    job.state = 'cancelled';
    job.abort.abort();
    for (const clip of job.clipIds) {
      try {
        this.exports.cancel(clip);
      } catch {
        // already gone from the list
      }
    }
    this.emit(job);
  }

  /** On quit: every running export cancelled, and waited for (its folder removed). */
  async close(): Promise<void> {
    for (const j of this.jobs) if (j.state === 'running') this.cancel(j.id);
    await Promise.allSettled([...this.running]);
  }

  /** `<root>/<case>_<yyyyMMdd_HHmmss>`, or `… (2)` when taken; created here, so it is this job's own. */
  private makeFolder(caseName: string, at: number): string {
    fs.mkdirSync(this.root, { recursive: true });
    const base = `${safe(caseName).slice(0, 100) || 'case'}_${stamp(at)}`;
    for (let n = 1; n < 100; n++) {
      const dir = path.join(this.root, n === 1 ? base : `${base} (${n})`);
      try {
        fs.mkdirSync(dir);
        return dir;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
          throw new AppError(
            'INTERNAL',
            `The evidence folder could not be made in ${this.root}: ${(e as NodeJS.ErrnoException).code}`,
          );
      }
    }
    throw new AppError('VALIDATION', `Too many evidence folders named ${base}`);
  }

  private async run(job: Job, req: Request, created: number): Promise<void> {
    const folder = job.folder!;
    const signal = job.abort.signal;
    const operator = this.options.operator();
    const createdIso = isoWithOffset(created);
    const ffmpeg = this.ffmpeg();
    const font = this.font();
    const text = watermarkText({ user: operator.user, seat: operator.seat, created: createdIso, caseName: req.case });
    const postProcess =
      req.watermark && ffmpeg && font
        ? (part: string, s: AbortSignal) => burnWatermark(ffmpeg, part, text, s, font)
        : undefined;
    // Each clip's progress, from the export queue's events.
    const index = new Map<string, number>();
    const off = this.events.subscribe((event, payload) => {
      if (event !== 'main:export') return;
      const clip = payload as ExportJob;
      const i = index.get(clip.id);
      if (i === undefined) return;
      Object.assign(job.items[i]!, { state: clip.state, progress: clip.progress, message: clip.message });
      job.progress = (0.9 * job.items.reduce((a, it) => a + it.progress, 0)) / job.items.length;
      this.emit(job);
    });
    let outcomes: ClipOutcome[];
    try {
      // Queued one by one: a platform is asked about one item's recordings at a time.
      const started: Array<Promise<ClipOutcome>> = [];
      for (const [i, item] of req.items.entries()) {
        const kind = item.kind ?? (await this.kindAt(item));
        if (signal.aborted) break; // the clips queued so far are cancelled; their ends are awaited below
        const { job: clip, outcome } = this.exports.startClip(
          {
            accountId: item.accountId,
            channelId: item.channelId,
            name: item.name,
            kind,
            startMs: item.startMs,
            endMs: item.endMs,
          },
          { dir: folder, ...(postProcess ? { postProcess } : {}) },
        );
        index.set(clip.id, i);
        job.clipIds.push(clip.id);
        started.push(outcome);
      }
      outcomes = await Promise.all(started);
    } finally {
      off();
    }
    if (signal.aborted) return this.removeOutputs(job);

    const records = this.accounts.records();
    const files: ManifestFile[] = [];
    const failed: string[] = [];
    for (const [i, item] of req.items.entries()) {
      const o = outcomes[i]!;
      const state = job.items[i]!;
      Object.assign(state, {
        state: o.job.state,
        progress: o.job.state === 'done' ? 1 : state.progress,
        message: o.job.message,
      });
      const record = records.find((r) => r.id === item.accountId);
      const camera = {
        account: record?.name ?? '',
        platform: record?.config.platform ?? '',
        channelId: item.channelId,
        name: item.name,
      };
      const common = {
        camera,
        start: isoWithOffset(item.startMs),
        // A recording that stopped before the range did: the clip's real end, not the one asked for.
        end: isoWithOffset(o.job.state === 'done' ? o.endMs : item.endMs),
        source: o.kind,
        host: o.host ?? '',
      };
      let clipName: string;
      if (o.job.state === 'done' && o.job.file) {
        clipName = path.basename(o.job.file);
        state.file = clipName;
        const { bytes, sha256 } = await hashFile(o.job.file, signal);
        files.push({ name: clipName, bytes, sha256, ...common, requestIds: o.requestIds });
        if (item.snapshotMs !== undefined) {
          // A snapshot is the picture at one moment: its start and end are both that moment.
          const name = snapshotName(clipName);
          const file = path.join(folder, name);
          try {
            if (!ffmpeg) throw new AppError('NOT_AVAILABLE', 'no ffmpeg on this computer');
            await snapshotOf(ffmpeg, o.job.file, (item.snapshotMs - item.startMs) / 1000, file, signal);
            const shot = await hashFile(file, signal);
            const at = isoWithOffset(item.snapshotMs);
            files.push({ name, ...shot, ...common, start: at, end: at, requestIds: [] });
          } catch (e) {
            signal.throwIfAborted();
            fs.rmSync(file, { force: true });
            failed.push(`${item.name} snapshot (${(e as Error).message})`);
          }
        }
      } else {
        failed.push(`${item.name} (${o.job.message ?? o.job.state})`);
        clipName = fileName(item.name, item.startMs, item.endMs, 'mp4', item.channelId);
      }
      if (item.note) {
        const name = noteName(clipName);
        const body = [
          `Camera: ${item.name} (${camera.account}, ${item.channelId})`,
          `From: ${common.start}`,
          `To: ${common.end}`,
          '',
          item.note,
          '',
        ].join('\n');
        const file = path.join(folder, name);
        fs.writeFileSync(file, body, { encoding: 'utf8', flag: 'wx' });
        const { bytes, sha256 } = await hashFile(file, signal);
        files.push({ name, bytes, sha256, ...common, requestIds: [] });
      }
    }
    signal.throwIfAborted();
    if (!files.some((f) => outcomes.some((o) => o.job.file && path.basename(o.job.file) === f.name))) {
      job.state = 'failed';
      job.message = `No clip could be exported: ${failed.join('; ')}`;
      return this.removeOutputs(job);
    }
    // The means of checking, then the manifest and, last, its signature.
    const { publicKeyPem } = await this.key.info();
    fs.writeFileSync(path.join(folder, 'verify.html'), verifyPage(), { flag: 'wx' });
    fs.writeFileSync(path.join(folder, 'public-key.pem'), publicKeyPem, { flag: 'wx' });
    const bytes = manifestBytes({
      format: EVIDENCE_FORMAT,
      created: createdIso,
      case: req.case,
      note: req.note ?? '',
      operator,
      files,
    });
    const signature = await this.key.sign(bytes);
    signal.throwIfAborted();
    writeWhole(path.join(folder, 'manifest.json'), bytes);
    writeWhole(path.join(folder, 'manifest.sig'), Buffer.from(`${signature}\n`, 'ascii'));
    job.progress = 0.95;
    this.emit(job);
    if (req.zip) {
      const zip = `${folder}.zip`;
      const part = `${zip}.${process.pid}.part`;
      const top = path.basename(folder);
      const names = fs.readdirSync(folder).sort();
      await writeZip(
        part,
        names.map((n) => ({ name: `${top}/${n}`, file: path.join(folder, n) })),
        { signal },
      );
      try {
        // Never over an existing file: the folder's name was free, so its zip's normally is too.
        fs.linkSync(part, zip);
        job.zip = zip;
      } finally {
        fs.rmSync(part, { force: true });
      }
    }
    job.state = 'done';
    job.progress = 1;
    job.message = failed.length ? `Not exported (left out of the manifest): ${failed.join('; ')}` : null;
  }

  /** Cloud where the range starts, else device: the platform's own order of preference. */
  private async kindAt(item: Item): Promise<'cloud' | 'device'> {
    try {
      const platform = await this.accounts.platform(item.accountId);
      const segs = (await platform.recordings?.(item.channelId, item.startMs - 6 * 3600_000, item.endMs)) ?? [];
      const here = segs.filter((s) => s.startMs <= item.startMs && item.startMs < s.endMs);
      return here.find((s) => s.kind === 'cloud')?.kind ?? here[0]?.kind ?? 'cloud';
    } catch {
      return 'cloud'; // the clip's own export reports what is wrong
    }
  }

  private removeOutputs(job: Job): void {
    if (job.folder) fs.rmSync(job.folder, { recursive: true, force: true });
    job.folder = null;
    job.zip = null;
  }

  private emit(job: Job): void {
    this.events.emit('main:evidence', view(job));
  }
}

/** Written to `<file>.part`, flushed, then renamed: the final name only ever holds the whole file. */
function writeWhole(file: string, bytes: Buffer): void {
  const part = `${file}.part`;
  const fd = fs.openSync(part, 'wx');
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(part, file);
}

/** Seat and operator: the control room's, else this computer's user name. */
export function operatorOf(controlRoom: { seat: string; user: string }): { seat: string; user: string } {
  let user = controlRoom.user;
  if (!user)
    try {
      user = os.userInfo().username;
    } catch {
      user = '';
    }
  return { seat: controlRoom.seat, user };
}

function view(j: Job): EvidenceJob {
  return {
    id: j.id,
    case: j.case,
    state: j.state,
    progress: j.progress,
    folder: j.folder,
    zip: j.zip,
    items: j.items.map((i) => ({ ...i })),
    fingerprint: j.fingerprint,
    message: j.message,
  };
}

/** Evidence export and the key's public half. */
export function evidenceHandlers(evidence: EvidenceService): HandlerSlice {
  return {
    'evidence:start': (req) => evidence.start(req),
    'evidence:list': () => evidence.list(),
    'evidence:cancel': ({ id }) => {
      evidence.cancel(id);
      return null;
    },
    'evidence:key': () => evidence.keyInfo(),
  };
}
