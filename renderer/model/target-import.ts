import Papa from 'papaparse';
import type { AttributeKey, LibraryLimits, NewTarget } from '../../preload/contract';
import type { PictureCheck } from './target-pictures';

/**
 * Bulk import of targets from a CSV (one row per person: `file,name,gender,…` with the
 * documented attribute names as headers) and a folder of pictures: parse, validate every row
 * into a report, cut the good rows into batches within the device's limits.
 */
export interface ImportRow {
  /** 1-based line in the CSV (the header is line 1). */
  line: number;
  name: string;
  file: string;
  /** Stable per row: sent as external_target_id, so a re-run skips rows already imported. */
  key: string;
  problems: string[];
  /** Attributes the device family does not keep (ignored, not an error). */
  ignored: string[];
  target?: NewTarget;
  status: 'ready' | 'invalid' | 'skipped' | 'added' | 'failed' | 'cancelled';
  targetId?: string;
  code?: string;
  message?: string;
}

const ATTRIBUTE_KEYS: AttributeKey[] = [
  'age',
  'country',
  'nation',
  'native',
  'occupation',
  'work_no',
  'phone',
  'email',
  'domicile',
  'remark',
];
const TEXT_MAX: Partial<Record<AttributeKey, number>> = {
  country: 128,
  nation: 32,
  native: 128,
  occupation: 128,
  work_no: 64,
  domicile: 256,
  remark: 512,
};
const NAME = /^[\p{Script=Han}A-Za-z0-9_\- ]{1,128}$/u;
const GENDERS: Record<string, 'male' | 'female'> = {
  male: 'male',
  female: 'female',
  m: 'male',
  f: 'female',
  男: 'male',
  女: 'female',
};

export function parseCsv(text: string): { rows: Array<Record<string, string>>; error: string | null } {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim().toLowerCase(),
  });
  const fields = parsed.meta.fields ?? [];
  if (!fields.includes('name') || !fields.includes('file'))
    return { rows: [], error: 'The CSV needs a header row with at least the columns file and name' };
  const fatal = parsed.errors.find((e) => e.type === 'Quotes' || e.type === 'Delimiter');
  return { rows: parsed.data, error: fatal ? `CSV line ${(fatal.row ?? 0) + 2}: ${fatal.message}` : null };
}

/** A short stable key of letters and digits (FNV-1a, 2×32 bits) for `external_target_id`. */
export function rowKey(name: string, file: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (const ch of `${name}\u0000${file}`) {
    const c = ch.codePointAt(0)!;
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x811c9dc5) >>> 0;
  }
  return `vigil_${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}

/** Checks a person's text fields (as typed or read from CSV) against the documented rules. */
export function checkAttributes(
  raw: Record<string, string | undefined>,
  attributes: readonly AttributeKey[],
): { target: Omit<NewTarget, 'picture' | 'externalId'>; problems: Record<string, string>; ignored: string[] } {
  const problems: Record<string, string> = {};
  const ignored: string[] = [];
  const name = (raw.name ?? '').trim();
  if (!NAME.test(name)) problems.name = name ? 'Letters, digits, Chinese, space, _ - only; at most 128' : 'Required';
  const gender = GENDERS[(raw.gender ?? '').trim().toLowerCase()];
  if (!gender) problems.gender = `“${raw.gender ?? ''}”: male or female`;
  const target: Record<string, unknown> = { name, gender };
  for (const k of ATTRIBUTE_KEYS) {
    const v = (raw[k] ?? '').trim();
    if (!v) continue;
    if (!attributes.includes(k)) {
      ignored.push(k);
      continue;
    }
    if (k === 'age') {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 255) problems.age = `“${v}”: 1–255`;
      else target.age = n;
    } else if (k === 'phone' && !/^[0-9]{11}$/.test(v)) problems.phone = `“${v}”: exactly 11 digits`;
    else if (k === 'email' && !/^[^@\s]+@[^@\s]+$/.test(v)) problems.email = `“${v}”: not an e-mail address`;
    else if (TEXT_MAX[k] && [...v].length > TEXT_MAX[k]!) problems[k] = `At most ${TEXT_MAX[k]} characters`;
    else target[k] = v;
  }
  return { target: target as Omit<NewTarget, 'picture' | 'externalId'>, problems, ignored };
}

export function validateRows(
  rows: Array<Record<string, string>>,
  pictures: ReadonlyMap<string, PictureCheck>,
  attributes: readonly AttributeKey[],
  imported: ReadonlySet<string>,
): ImportRow[] {
  const seen = new Set<string>();
  return rows.map((raw, i) => {
    const name = (raw.name ?? '').trim();
    const file = (raw.file ?? '').trim();
    const key = rowKey(name, file);
    const checked = checkAttributes(raw, attributes);
    const problems = Object.entries(checked.problems).map(([field, problem]) => `${field}: ${problem}`);
    const picture = pictures.get(file);
    if (!file) problems.push('file is empty');
    else if (!picture) problems.push(`no picture named “${file}” was chosen`);
    else if (picture.problem) problems.push(`${file}: ${picture.problem}`);
    if (seen.has(key)) problems.push('the same name and file appear on an earlier line');
    seen.add(key);
    const row: ImportRow = { line: i + 2, name, file, key, problems, ignored: checked.ignored, status: 'ready' };
    if (problems.length) row.status = 'invalid';
    else if (imported.has(key)) row.status = 'skipped';
    else row.target = { ...checked.target, picture: picture!.base64!, externalId: key };
    return row;
  });
}

/** Ready rows cut into calls: at most `batch` targets and `batchImageBytes` of pictures each. */
export function batches(rows: ImportRow[], limits: Pick<LibraryLimits, 'batch' | 'batchImageBytes'>): ImportRow[][] {
  const out: ImportRow[][] = [];
  let current: ImportRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    if (row.status !== 'ready' || !row.target) continue;
    const size = Math.floor((row.target.picture.length * 3) / 4);
    if (
      current.length &&
      (current.length >= limits.batch || (limits.batchImageBytes !== null && bytes + size > limits.batchImageBytes))
    ) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length) out.push(current);
  return out;
}

/** The per-row result file written after an import. */
export function resultsCsv(rows: ImportRow[]): string {
  return Papa.unparse(
    rows.map((r) => ({
      line: r.line,
      name: r.name,
      file: r.file,
      status: r.status,
      target_id: r.targetId ?? '',
      code: r.code ?? '',
      message: r.message ?? r.problems.join('; '),
    })),
    // The platform's messages and the file's names: a leading = + - @ is text, not a formula.
    { escapeFormulae: true },
  );
}
