import { gbPasswordKinds, IVM_NAME_CHARS, IVM_NAME_MAX, ivmNameLength } from '../../common/gb-rules';

/**
 * GB28181 input rules checked as the installer types (main and the platform check again):
 * device IDs, device passwords, names. Each returns the problem in words, or null.
 */
/** A spreadsheet or table row with nothing in it (or only spaces): ignored, neither ready nor to fix. */
export function blankRow(cells: ReadonlyArray<string | null | undefined>): boolean {
  return cells.every((c) => !c || !c.trim());
}

const TYPES: Record<string, string> = { '132': 'camera (IPC)', '111': 'DVR', '118': 'NVR' };

/** 20 digits; digits 11–13 say what the device is (IVM §0.4). */
export function gbIdProblem(id: string): string | null {
  if (!/^[0-9]{20}$/.test(id)) return `${id.length}/20 digits`;
  return TYPES[id.slice(10, 13)]
    ? null
    : `digits 11–13 are ${id.slice(10, 13)}: use 132 (camera), 111 (DVR) or 118 (NVR)`;
}

export function gbType(id: string): string | null {
  return /^[0-9]{20}$/.test(id) ? (TYPES[id.slice(10, 13)] ?? null) : null;
}

/** 8–32 characters with three of: lower case, upper case, digits, the documented symbols. */
export function gbPasswordProblem(p: string, allowedSymbols?: RegExp): string | null {
  if (p.length < 8 || p.length > 32) return '8–32 characters';
  if (allowedSymbols && /[^A-Za-z0-9]/.test(p) && !allowedSymbols.test(p.replace(/[A-Za-z0-9]/g, '')))
    return 'symbols: @ # _ * only';
  return gbPasswordKinds(p) >= 3
    ? null
    : 'three of: lower case, upper case, digits, symbols (~!@#$%^&*()-_+=[]{};:\'",.<>/?\\` or space)';
}

/** IVM §6.7 device name. */
export function deviceNameProblem(name: string): string | null {
  const n = name.trim();
  if (!n) return 'required';
  if (!IVM_NAME_CHARS.test(n)) return 'Chinese, letters, digits, space, _ - only';
  const length = ivmNameLength(n);
  return length > IVM_NAME_MAX
    ? `at most ${IVM_NAME_MAX} characters, a Chinese character counting as 2 (this one: ${length})`
    : null;
}

/** What to check when a device does not come online (GB28181 field experience). */
export const USUAL_FAILURES = ['transport', 'idOrPassword', 'digest', 'serverId', 'network', 'codec', 'clock'] as const;

/** A Tencent IVC import row as the installer's sheet gives it (every cell as text). */
export interface IvcImportDraftRow {
  name?: string;
  type?: string;
  transport?: string;
  password?: string;
  description?: string;
}

/** The platform's import rules on one row: the catalogue key of its first problem, or null. */
export function ivcImportProblem(r: IvcImportDraftRow, seen: ReadonlySet<string>): string | null {
  if (!r.name || !/^[\p{Script=Han}A-Za-z0-9_-]{1,32}$/u.test(r.name)) return 'import.rule.name';
  if (seen.has(r.name)) return 'import.rule.nameTwice';
  if (!['IPC', 'NVR', '1', '2'].includes((r.type ?? '').toUpperCase())) return 'import.rule.type';
  // E15: an empty transport is UDP (toRow sends it so).
  if (r.transport && !['UDP', 'TCP'].includes(r.transport.toUpperCase())) return 'import.rule.transport';
  if (!/^[0-9]{6,16}$/.test(r.password ?? '')) return 'import.rule.password';
  if ((r.description ?? '').length > 128) return 'import.rule.description';
  return null;
}
