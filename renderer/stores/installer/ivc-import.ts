import Papa from 'papaparse';
import { create } from 'zustand';
import type { ImportProgress, IvcImportRow } from '../../../preload/contract';
import { invoke, type VigilError } from '../../ipc';
import { blankRow, ivcImportProblem, type IvcImportDraftRow } from '../../model/installer-rules';

const PROGRESS_POLL_MS = 500;
/** A job still running after this is left to the installer to follow again (Resume), not polled forever. */
export const PROGRESS_LIMIT_MS = 10 * 60_000;

/** Column names the installer may use (Vigil's own, or the platform template's). */
const ALIASES: Record<keyof IvcImportRow, string[]> = {
  name: ['name', '设备名称'],
  type: ['type', '设备类型'],
  transport: ['transport', '传输协议'],
  password: ['password', '设备密码'],
  description: ['description', '描述'],
};

/** A row of the installer's sheet and its first problem: a catalogue key, or the platform's words. */
export interface ImportDraft {
  line: number;
  row: IvcImportDraftRow;
  problem: { key: string } | { text: string } | null;
}

/** Where the platform's import should put the devices. */
export interface ImportTarget {
  accountId: string;
  organizationId: string;
  clusterId: string;
}

/**
 * Tencent IVC spreadsheet import: the installer's CSV or XLSX is checked row by row first (the
 * report), then the valid rows go into the platform's own template (E27 → E24), progress is
 * polled (E25) and each row's outcome read back (E26). Rows that failed stay to be fixed.
 */
export interface IvcImportState {
  drafts: ImportDraft[];
  /** why the file or the import as a whole failed: a catalogue key (with its values) or the platform's words */
  problem: { key: string; values?: Record<string, string | number> } | { text: string } | null;
  progress: ImportProgress | null;
  /** the platform's result sheet (base64 XLSX); the rows it refused are back in `drafts` */
  result: { file: string } | null;
  busy: boolean;
  /**
   * An import the platform took (E24 answered) whose outcome is not known yet: its rows may be
   * imported already, so they are not sent again; `resume` follows the same job (E25, E26).
   */
  pending: PendingImport | null;
  load(file: File): Promise<void>;
  start(target: ImportTarget): Promise<void>;
  resume(): Promise<void>;
}

export interface PendingImport {
  jobId: string;
  target: ImportTarget;
  /** the rows sent, in the order the platform answers them */
  sent: ImportDraft[];
}

/** An .xlsx read in main (first sheet, cells as text). */
export async function readSheetFile(file: File): Promise<{ header: string[]; rows: string[][] }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return invoke('installer:readSheet', { data: btoa(binary) });
}

async function readFile(file: File): Promise<{ header: string[]; rows: string[][] }> {
  if (/\.xlsx$/i.test(file.name)) return readSheetFile(file);
  const parsed = Papa.parse<string[]>((await file.text()).replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  return { header: parsed.data[0] ?? [], rows: parsed.data.slice(1) };
}

/** The sheet's rows under the platform's rules; empty lines are nothing to fix and are left out. */
function draftsOf(header: string[], rows: string[][]): ImportDraft[] | null {
  const norm = header.map((h) => h.trim().toLowerCase());
  const col = (k: keyof IvcImportRow) => norm.findIndex((h) => ALIASES[k].includes(h));
  if (col('name') < 0 || col('password') < 0) return null;
  const seen = new Set<string>();
  return rows.flatMap((cells, i) => {
    if (blankRow(cells)) return [];
    const row = Object.fromEntries(
      (Object.keys(ALIASES) as Array<keyof IvcImportRow>).map((k) => [
        k,
        col(k) >= 0 ? (cells[col(k)] ?? '').trim() : '',
      ]),
    ) as IvcImportDraftRow;
    const key = ivcImportProblem(row, seen);
    if (row.name) seen.add(row.name);
    return [{ line: i + 2, row, problem: key ? { key } : null }];
  });
}

function toRow(r: IvcImportDraftRow): IvcImportRow {
  const type = (r.type ?? '').toUpperCase();
  return {
    name: r.name!,
    type: type === 'NVR' || type === '2' ? 'NVR' : 'IPC',
    transport: (r.transport ?? '').toUpperCase() === 'TCP' ? 'TCP' : 'UDP',
    password: r.password!,
    ...(r.description ? { description: r.description } : {}),
  };
}

export const useIvcImportStore = create<IvcImportState>()((set, get) => {
  /** Polls the pending job (E25) to its end, for PROGRESS_LIMIT_MS at most, and reads each row's outcome (E26). */
  async function follow() {
    const { jobId, target, sent } = get().pending!;
    const ask = () => invoke('installer:importProgress', { accountId: target.accountId, jobId });
    try {
      const deadline = Date.now() + PROGRESS_LIMIT_MS;
      let p = await ask();
      set({ progress: p });
      while (!p.finished) {
        if (Date.now() > deadline)
          return set({ busy: false, problem: { key: 'import.slow', values: { minutes: PROGRESS_LIMIT_MS / 60_000 } } });
        await new Promise((r) => setTimeout(r, PROGRESS_POLL_MS));
        p = await ask();
        set({ progress: p });
      }
      const r = await invoke('installer:importResult', { accountId: target.accountId, jobId });
      const failed = sent.map((d, i) => ({ d, outcome: r.rows[i] })).filter((x) => !x.outcome?.ok);
      // Nothing is lost: invalid rows and rows the platform refused stay in the table to be fixed
      // (with the rows of a file loaded while the job was pending).
      set((s) => ({
        busy: false,
        pending: null,
        result: { file: r.file },
        drafts: [
          ...s.drafts.filter((d) => d.problem || !sent.includes(d)),
          ...failed.map((x) => ({
            ...x.d,
            problem: x.outcome?.message ? { text: x.outcome.message } : { key: 'import.noResult' },
          })),
        ],
      }));
    } catch (e) {
      // The platform has the job and may have imported the rows: they stay out of Start until Resume learns the outcome.
      set({ busy: false, problem: { key: 'import.interrupted', values: { reason: (e as VigilError).message } } });
    }
  }

  return {
    drafts: [],
    problem: null,
    progress: null,
    result: null,
    busy: false,
    pending: null,
    async load(file) {
      set({ result: null, progress: null });
      try {
        const { header, rows } = await readFile(file);
        const drafts = draftsOf(header, rows);
        if (!drafts) return set({ problem: { key: 'import.columns' } });
        set({ drafts, problem: null });
      } catch (e) {
        set({ problem: { text: (e as VigilError).message } });
      }
    },
    async start(target) {
      if (get().busy || get().pending) return;
      const sent = get().drafts.filter((d) => !d.problem);
      set({ busy: true, problem: null });
      try {
        const { jobId } = await invoke('installer:import', { ...target, rows: sent.map((d) => toRow(d.row)) });
        set({ pending: { jobId, target, sent } });
      } catch (e) {
        return set({ busy: false, problem: { text: (e as VigilError).message } });
      }
      await follow();
    },
    async resume() {
      if (get().busy || !get().pending) return;
      set({ busy: true, problem: null });
      await follow();
    },
  };
});
