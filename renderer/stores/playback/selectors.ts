import type { RecordingSegment } from '../../../preload/contract';
import { dayStart } from '../../model/playback-days';
import { segmentAt, unlistedWindow } from '../../model/timeline';
import type { PaneContent } from '../wall/store';
import { channelKey, channelSegments, dayKey, type PlaybackState } from './store';

/**
 * Named selectors of the playback store. The cursor moves every animation frame while playing:
 * only what draws it (the timeline, the clock) reads `cursorMs` in render; a pane selects what
 * the cursor means to it (the recording under it, whether its day was read), which changes a
 * few times a minute, and follows the cursor itself through a store subscription.
 */

export const selectCursorMs = (s: PlaybackState) => s.cursorMs;
export const selectSeekSeq = (s: PlaybackState) => s.seekSeq;
/** The shared speed (a pane's sound is heard at 1× only). */
export const selectSpeed = (s: PlaybackState) => s.speed;

/** What the page shows besides the cursor (use with useShallow). */
export const selectPlaybackPage = (s: PlaybackState) => ({
  panes: s.panes,
  layout: s.layout,
  selected: s.selected,
  dayStartMs: s.dayStartMs,
  playing: s.playing,
  speed: s.speed,
  segments: s.segments,
  days: s.days,
  listed: s.listed,
  range: s.range,
});

/** Every action (stable: use with useShallow, or read once). */
export const selectPlaybackActions = (s: PlaybackState) => ({
  setLayout: s.setLayout,
  open: s.open,
  select: s.select,
  setDay: s.setDay,
  seek: s.seek,
  setPlaying: s.setPlaying,
  setSpeed: s.setSpeed,
  setRange: s.setRange,
  setWaiting: s.setWaiting,
  tick: s.tick,
  ensureDays: s.ensureDays,
});

/** What the export dialog needs besides the cursor (use with useShallow). */
export const selectExportSource = (s: PlaybackState) => ({
  panes: s.panes,
  selected: s.selected,
  range: s.range,
  segments: s.segments,
});

export const selectIsSelected = (index: number) => (s: PlaybackState) => s.selected === index;

/** Whether the platform of a pane's channel cannot list recordings (it plays a chosen window). */
export const selectUnlisted = (content: PaneContent | null) => (s: PlaybackState) =>
  !!content && s.listed[channelKey(content)] === false;

/**
 * The recording a pane plays at the cursor, or null in a gap. For a channel that cannot be
 * listed, a window from the cursor that stays put (`windowStartMs`) while the cursor is inside it.
 */
export function paneSegment(
  s: PlaybackState,
  content: PaneContent | null,
  windowStartMs: number | undefined,
): RecordingSegment | null {
  if (!content) return null;
  if (s.listed[channelKey(content)] === false) return unlistedWindow(s.cursorMs, windowStartMs);
  return segmentAt(channelSegments(s, content), s.cursorMs);
}

/** The pane's segment as a key (`kind:startMs`): it changes when the pane must load another recording. */
export const selectSegmentKey =
  (content: PaneContent | null, windowStartMs: number | undefined) =>
  (s: PlaybackState): string | null => {
    const seg = paneSegment(s, content, windowStartMs);
    return seg ? `${seg.kind}:${seg.startMs}` : null;
  };

/** In a gap: whether the cursor's day was read for this channel ("loading" until it was, then "no recording"). */
export const selectGapRead =
  (content: PaneContent | null, windowStartMs: number | undefined) =>
  (s: PlaybackState): string | null =>
    content && !paneSegment(s, content, windowStartMs)
      ? (s.days[dayKey(content, dayStart(s.cursorMs))]?.state ?? 'unread')
      : null;
