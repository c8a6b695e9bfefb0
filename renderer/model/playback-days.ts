import type { RecordingSegment } from '../../preload/contract';

/**
 * Calendar days (pure): recordings are read one local day at a time, so the store, the calendar
 * and the timeline all count days the same way. Local midnights, so a DST day is 23 or 25 hours.
 */

/** Local midnight of the day holding `ms` (calendar days, so a DST day is 23 or 25 hours). */
export function dayStart(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** The local midnight after `start`. */
export function nextDay(start: number): number {
  const d = new Date(start);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
}

/**
 * Where playback opens at `nowMs`: an hour back, on the day that holds that moment. Just after
 * midnight that is yesterday — the day shown and the cursor must agree, or the timeline shows a
 * day the cursor is not on and the pane waits for a day nobody reads.
 */
export function openingPosition(nowMs: number): { dayStartMs: number; cursorMs: number } {
  const cursorMs = nowMs - 3600_000;
  return { dayStartMs: dayStart(cursorMs), cursorMs };
}

/**
 * Where the cursor goes once the shown day's recordings are known: it stays inside a recording,
 * else moves to the day's first recording; null when the day has none (or the cursor is in one).
 */
export function cursorOnDay(segments: RecordingSegment[], dayStartMs: number, cursorMs: number): number | null {
  const onDay = segments.filter((seg) => seg.endMs > dayStartMs && seg.startMs < nextDay(dayStartMs));
  if (!onDay.length || onDay.some((seg) => seg.startMs <= cursorMs && cursorMs < seg.endMs)) return null;
  return Math.max(dayStartMs, onDay[0]!.startMs);
}

/** Starts of the local days that intersect [fromMs, toMs), at most `max` of them. */
export function daysBetween(fromMs: number, toMs: number, max = 62): number[] {
  const out: number[] = [];
  for (let d = dayStart(fromMs); d < toMs && out.length < max; d = nextDay(d)) out.push(d);
  return out;
}

/** Starts of the local days of a month (`month` 0–11). */
export function monthDays(year: number, month: number): number[] {
  return daysBetween(new Date(year, month, 1).getTime(), new Date(year, month + 1, 1).getTime());
}

/**
 * Segments of several days merged into one sorted list: a recording that crosses midnight is
 * listed by both days' queries and must be drawn (and played) once.
 */
export function mergeSegments(lists: RecordingSegment[][]): RecordingSegment[] {
  const seen = new Map<string, RecordingSegment>();
  for (const list of lists)
    for (const s of list) {
      const key = `${s.kind}:${s.startMs}`;
      const had = seen.get(key);
      if (!had || s.endMs > had.endMs) seen.set(key, s);
    }
  return [...seen.values()].sort((a, b) => a.startMs - b.startMs || a.kind.localeCompare(b.kind));
}
