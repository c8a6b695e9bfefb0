/** What the Alibaba VCS emulator's Action handlers share: the error type and parameter readers. */

export class VcsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function required(p: Map<string, string>, name: string): string {
  const v = p.get(name);
  if (v === undefined || v === '') throw new VcsError(403, 'MissingParameter', `${name} is mandatory for this action.`);
  return v;
}

export function paging(p: Map<string, string>, pageName: string, maxSize: number): { page: number; size: number } {
  const page = Number(required(p, pageName));
  const size = Number(required(p, 'PageSize'));
  if (!Number.isInteger(page) || page < 1)
    throw new VcsError(400, 'InvalidParameter', `${pageName} must be a positive integer.`);
  if (!Number.isInteger(size) || size < 1 || size > maxSize)
    throw new VcsError(400, 'InvalidParameter', `PageSize must be between 1 and ${maxSize}.`);
  return { page, size };
}

/** Comma-separated IDs; the documents' examples use full-width commas and spaces too (§7.9). */
export function idList(v: string): string[] {
  return v
    .split(/[,，]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A structured parameter sent as JSON text (spec §1.3), e.g. `CameraIds=["1","2"]`. */
export function jsonParam(p: Map<string, string>, name: string): unknown {
  const raw = required(p, name);
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new VcsError(400, 'InvalidParameter', `${name} must be JSON text.`);
  }
}

/** A JSON array of ID strings (numbers accepted, as the documents' examples mix both). */
export function jsonIds(p: Map<string, string>, name: string, max: number): string[] {
  const v = jsonParam(p, name);
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' && typeof x !== 'number'))
    throw new VcsError(400, 'InvalidParameter', `${name} must be a JSON array of IDs.`);
  if (v.length === 0 || v.length > max)
    throw new VcsError(400, 'InvalidParameter', `${name}: between 1 and ${max} IDs.`);
  return v.map(String);
}

export function maxLength(p: Map<string, string>, name: string, max: number): void {
  const v = p.get(name);
  if (v !== undefined && [...v].length > max)
    throw new VcsError(400, 'InvalidParameter', `${name}: at most ${max} characters.`);
}

/** `HH:mm:ss` periods as ScheduleTimes carries them. */
export function scheduleTimes(
  v: unknown,
  name: string,
  allowInstant = false,
): Array<{ StartTime: string; EndTime: string }> {
  const time = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;
  const valid = (t: unknown) => {
    const { StartTime: s, EndTime: e } = (t ?? {}) as Record<string, unknown>;
    return (
      typeof s === 'string' && typeof e === 'string' && time.test(s) && time.test(e) && (allowInstant ? s <= e : s < e)
    );
  };
  if (!Array.isArray(v) || !v.every(valid))
    throw new VcsError(
      400,
      'InvalidParameter',
      `${name} must be a JSON array of {"StartTime":"HH:mm:ss","EndTime":"HH:mm:ss"} with StartTime before EndTime.`,
    );
  return (v as Array<{ StartTime: string; EndTime: string }>).map((t) => ({
    StartTime: t.StartTime,
    EndTime: t.EndTime,
  }));
}
