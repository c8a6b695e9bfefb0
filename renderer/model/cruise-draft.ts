import type { CruiseLimits, CruisePoint } from '../../preload/contract';

/**
 * A cruise track being edited: pure helpers for the editor's rows. Main checks the same rules
 * again before sending; these let the UI refuse a bad value where it is typed.
 */
export interface Draft {
  id?: number;
  name: string;
  points: CruisePoint[];
}

/** The character set Huawei IVM documents for preset and track names (§15.0), as the contract's PtzName. */
export const NAME_RULE = /^[\p{Script=Han}A-Za-z0-9 ._-]+$/u;
/** Their documented length in characters (code points, as main's check counts); name boxes take it from here. */
export const NAME_MAX = 128;

export function nameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (!trimmed) return 'A name is required';
  return [...trimmed].length <= NAME_MAX && NAME_RULE.test(trimmed)
    ? null
    : `Letters, digits, Chinese, space, . _ - only; at most ${NAME_MAX}`;
}

/** Problems per row and field (`dwellSeconds`, `speed`, `presetIndex`), empty when the row is fine. */
export function pointProblems(
  points: CruisePoint[],
  limits: CruiseLimits,
  presets: ReadonlySet<number>,
): Array<Partial<Record<keyof CruisePoint, string>>> {
  return points.map((p) => {
    const out: Partial<Record<keyof CruisePoint, string>> = {};
    if (!presets.has(p.presetIndex)) out.presetIndex = `Preset ${p.presetIndex} does not exist on this camera`;
    if (!Number.isInteger(p.dwellSeconds) || p.dwellSeconds < limits.minDwell || p.dwellSeconds > limits.maxDwell)
      out.dwellSeconds = `${limits.minDwell}–${limits.maxDwell} s`;
    if (!Number.isInteger(p.speed) || p.speed < limits.minSpeed || p.speed > limits.maxSpeed)
      out.speed = `${limits.minSpeed}–${limits.maxSpeed}`;
    return out;
  });
}

export function isValid(draft: Draft, limits: CruiseLimits, presets: ReadonlySet<number>): boolean {
  return (
    draft.points.length > 0 &&
    nameProblem(draft.name) === null &&
    pointProblems(draft.points, limits, presets).every((p) => Object.keys(p).length === 0)
  );
}

/** Moves row `from` to position `to` (drag to reorder, or the ↑/↓ buttons). */
export function movePoint(points: CruisePoint[], from: number, to: number): CruisePoint[] {
  if (from === to || from < 0 || to < 0 || from >= points.length || to >= points.length) return points;
  const next = points.slice();
  const [moved] = next.splice(from, 1);
  next.splice(to, 0, moved!);
  return next;
}

/**
 * A name for a copy that no existing track has: "Gate - 2", "Gate - 3"… The suffix stays inside
 * NAME_RULE (brackets are not in the documented set) and the name within NAME_MAX.
 */
export function copyName(name: string, taken: ReadonlyArray<string>): string {
  const base = name.trim().replace(/ - \d+$/, '');
  for (let n = 2; ; n++) {
    const suffix = ` - ${n}`;
    // Cut by characters: a cut through a surrogate pair would leave half a character, which the rule refuses.
    const candidate = [...base].slice(0, NAME_MAX - suffix.length).join('') + suffix;
    if (!taken.includes(candidate)) return candidate;
  }
}

/** Field errors from main (`points.<i>.<field>`) → the same per-row shape as pointProblems. */
export function serverProblems(
  fields: Record<string, { message: string }> | undefined,
  count: number,
): Array<Partial<Record<keyof CruisePoint, string>>> {
  const rows: Array<Partial<Record<keyof CruisePoint, string>>> = Array.from({ length: count }, () => ({}));
  for (const [path, issue] of Object.entries(fields ?? {})) {
    const m = /^points\.(\d+)\.(presetIndex|dwellSeconds|speed)$/.exec(path);
    if (m && rows[Number(m[1])]) rows[Number(m[1])]![m[2] as keyof CruisePoint] = issue.message;
  }
  return rows;
}
