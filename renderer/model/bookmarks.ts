/** Pure helpers of the bookmark screens. */

/** A range's length as h:mm:ss (m:ss under an hour). */
export function formatSpan(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/**
 * Where a bookmark sits on a timeline row `width` px wide showing [startMs, startMs + spanMs]: a
 * moment is a tick at x, a range a band from x (at least `minPx` wide, so a short one stays
 * clickable in a whole-day view); null when it is outside the view.
 */
export function markGeometry(
  mark: { startMs: number; endMs: number },
  view: { startMs: number; spanMs: number },
  width: number,
  minPx = 4,
): { x: number; w: number; moment: boolean } | null {
  const toX = (ms: number) => ((ms - view.startMs) / view.spanMs) * width;
  const moment = mark.endMs <= mark.startMs;
  const x1 = toX(mark.startMs);
  const x2 = toX(mark.endMs);
  if (x2 < -minPx || x1 > width + minPx) return null;
  if (moment) return { x: x1, w: 0, moment };
  const left = Math.max(0, x1);
  const right = Math.min(width, x2);
  return { x: left, w: Math.max(minPx, right - left), moment };
}

/** Around a bookmark opened in playback, the timeline shows it whole: 3× a range, at least 10 minutes. */
export function focusView(mark: { startMs: number; endMs: number }): { startMs: number; spanMs: number } {
  const spanMs = Math.min(30 * 86_400_000, Math.max(10 * 60_000, 3 * (mark.endMs - mark.startMs)));
  return { startMs: Math.round((mark.startMs + mark.endMs) / 2 - spanMs / 2), spanMs };
}

/** Around a moment bookmark, the clip its evidence carries: what led up to it and what followed. */
export const MOMENT_BEFORE_MS = 10_000;
export const MOMENT_AFTER_MS = 20_000;

/**
 * The evidence item of a bookmark: its range (a moment: 10 s before to 20 s after), a picture at
 * its start, and its name and note beside the clip.
 */
export function evidenceItemOf(b: {
  accountId: string;
  channelId: string;
  cameraName: string;
  startMs: number;
  endMs: number;
  name: string;
  note: string;
}): {
  accountId: string;
  channelId: string;
  name: string;
  startMs: number;
  endMs: number;
  note: string;
  snapshotMs: number;
} {
  const moment = b.endMs <= b.startMs;
  return {
    accountId: b.accountId,
    channelId: b.channelId,
    name: b.cameraName || b.channelId,
    startMs: moment ? Math.max(0, b.startMs - MOMENT_BEFORE_MS) : b.startMs,
    endMs: moment ? b.startMs + MOMENT_AFTER_MS : b.endMs,
    note: b.note ? `${b.name}\n\n${b.note}` : b.name,
    snapshotMs: b.startMs,
  };
}
