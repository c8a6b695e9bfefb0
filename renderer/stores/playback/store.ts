import { create } from 'zustand';
import type { RecordingSegment, RequestOf, ResponseOf } from '../../../preload/contract';
import { cursorOnDay, dayStart, mergeSegments, nextDay, openingPosition } from '../../model/playback-days';
import { invoke, type VigilError } from '../../ipc';
import { useAppStore } from '../app/store';
import type { PaneContent } from '../wall/store';

/**
 * Playback: channels in 1, 4 or 9 panes that all follow one time cursor and one speed (SYNC), the
 * day shown, a selected range (for export), and each channel's recordings. No platform has a
 * REST recording calendar, so recordings are read one local day at a time, lazily (the days the
 * timeline shows, the month the calendar shows), at most two reads at once, and cached.
 */
export type Layout = 1 | 4 | 9;

export interface DayState {
  state: 'loading' | 'done' | 'error';
  /** recordings that day (cloud + device) */
  count: number;
  error?: string;
}

export interface PlaybackState {
  panes: Array<PaneContent | null>;
  layout: Layout;
  selected: number;
  dayStartMs: number;
  cursorMs: number;
  playing: boolean;
  speed: number;
  /** per channel (channelKey): the merged recordings of every day read so far */
  segments: Record<string, RecordingSegment[]>;
  /** per channel and day (dayKey): whether that day was read and how many recordings it has */
  days: Record<string, DayState>;
  /** per channel: false when the platform cannot list recordings (plays a chosen range instead) */
  listed: Record<string, boolean>;
  range: { startMs: number; endMs: number } | null;
  /** counts the user's seeks (and day changes): a pane that failed tries again on any of them */
  seekSeq: number;
  /** panes still loading the video at the cursor: the clock waits for them (SYNC means in step) */
  waiting: Record<number, boolean>;
  setLayout(layout: Layout): void;
  open(index: number, content: PaneContent): void;
  select(index: number): void;
  setDay(dayStartMs: number): void;
  seek(ms: number): void;
  setPlaying(playing: boolean): void;
  setSpeed(speed: number): void;
  setRange(range: { startMs: number; endMs: number } | null): void;
  setWaiting(index: number, waiting: boolean): void;
  tick(dtMs: number): void;
  /** Read the given days for every open pane (already read or future days are skipped). */
  ensureDays(dayStarts: number[]): void;
  /** Instant replay: one pane playing `content` from `atMs` (e.g. now − 30 s). */
  replay(content: PaneContent, atMs: number): void;
  /** `replay` on the playback page: instant replay, an alarm's or a search hit's recording. */
  replayOnPage(content: PaneContent, atMs: number): void;
  /**
   * The source of the recording a pane opens. The pane's media session owns what follows (its
   * loading, retries and error), so this only asks; a failure rejects with main's VigilError.
   */
  source(req: RequestOf<'playback:source'>): Promise<ResponseOf<'playback:source'>>;
  /** Tells a device's playback session its pace (Tencent E37): null when taken, else why not. */
  control(req: RequestOf<'playback:control'>): Promise<string | null>;
}

export const channelKey = (c: PaneContent) => `${c.accountId}|${c.channelId}`;
export const dayKey = (c: PaneContent, dayStartMs: number) => `${channelKey(c)}|${dayStartMs}`;

const paneCount: Record<Layout, number> = { 1: 1, 4: 4, 9: 9 };
const MAX_READS = 2;

export const usePlaybackStore = create<PlaybackState>()((set, get) => {
  /** Days waiting to be read, and how many reads are under way. */
  const queue: Array<{ content: PaneContent; day: number }> = [];
  let reading = 0;
  /** Reads queued days, two at a time; each answer merges into the channel's list. */
  const pump = () => {
    while (reading < MAX_READS && queue.length) {
      const { content, day } = queue.shift()!;
      reading++;
      void readDay(content, day).finally(() => {
        reading--;
        pump();
      });
    }
  };

  const readDay = async (content: PaneContent, day: number) => {
    const key = dayKey(content, day);
    try {
      const r = await invoke('playback:recordings', {
        accountId: content.accountId,
        channelId: content.channelId,
        startMs: day,
        endMs: nextDay(day),
      });
      const ch = channelKey(content);
      set((s) => ({
        segments: { ...s.segments, [ch]: mergeSegments([s.segments[ch] ?? [], r.segments]) },
        days: { ...s.days, [key]: { state: 'done', count: r.segments.length } },
        listed: { ...s.listed, [ch]: r.capabilities.listed },
      }));
      return r.segments;
    } catch (e) {
      set((s) => ({ days: { ...s.days, [key]: { state: 'error', count: 0, error: (e as Error).message } } }));
      return [];
    }
  };

  const enqueue = (content: PaneContent, day: number, first = false) => {
    const key = dayKey(content, day);
    if (get().days[key] || day > Date.now()) return false;
    set((s) => ({ days: { ...s.days, [key]: { state: 'loading', count: 0 } } }));
    if (first) queue.unshift({ content, day });
    else queue.push({ content, day });
    return true;
  };

  /** Resolves once the day `key` is no longer loading. */
  const dayRead = (key: string) =>
    get().days[key]?.state !== 'loading'
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const stop = usePlaybackStore.subscribe((s) => {
            if (s.days[key]?.state !== 'loading') {
              stop();
              resolve();
            }
          });
        });

  /**
   * Until the user picks a day or a time, playback opens where recordings are: the shown day
   * holds the cursor (an hour back), and when that day has none but today has (just after
   * midnight), the shown day and the cursor move to today together.
   */
  let opening = true;

  /** The shown day first (it decides where the cursor opens), then the rest in the background. */
  const openDay = async (content: PaneContent, keepCursor: boolean) => {
    const day = get().dayStartMs;
    const today = dayStart(Date.now());
    const alsoToday = opening && !keepCursor && today !== day;
    if (alsoToday) enqueue(content, today, true);
    enqueue(content, day, true);
    pump();
    await dayRead(dayKey(content, day));
    let s = get();
    if (keepCursor || s.dayStartMs !== day) return;
    const to = cursorOnDay(channelSegments(s, content), day, s.cursorMs);
    if (to !== null) return set({ cursorMs: to });
    if (!alsoToday || channelSegments(s, content).some((seg) => seg.endMs > day && seg.startMs < nextDay(day))) return;
    await dayRead(dayKey(content, today));
    s = get();
    const first = opening && s.dayStartMs === day ? cursorOnDay(channelSegments(s, content), today, today - 1) : null;
    if (first !== null) set({ dayStartMs: today, cursorMs: first });
  };

  return {
    panes: [null],
    layout: 1,
    selected: 0,
    ...openingPosition(Date.now()),
    playing: false,
    speed: 1,
    segments: {},
    days: {},
    listed: {},
    range: null,
    waiting: {},
    seekSeq: 0,
    setLayout(layout) {
      set((s) => ({
        layout,
        panes: Array.from({ length: paneCount[layout] }, (_, i) => s.panes[i] ?? null),
        selected: Math.min(s.selected, paneCount[layout] - 1),
      }));
    },
    open(index, content) {
      set((s) => {
        const panes = [...s.panes];
        panes[index] = content;
        return { panes };
      });
      void openDay(content, false);
    },
    select(index) {
      set({ selected: index });
    },
    setDay(dayStartMs) {
      opening = false;
      set((s) => ({ dayStartMs, cursorMs: dayStartMs, playing: false, range: null, seekSeq: s.seekSeq + 1 }));
      for (const p of get().panes) if (p) void openDay(p, false);
    },
    seek(ms) {
      opening = false;
      const day = dayStart(ms);
      set((s) => ({ cursorMs: ms, dayStartMs: day, seekSeq: s.seekSeq + 1 }));
      get().ensureDays([day]);
    },
    setPlaying(playing) {
      set({ playing });
    },
    setSpeed(speed) {
      set({ speed });
    },
    setRange(range) {
      set({ range });
    },
    setWaiting(index, waiting) {
      if (!!get().waiting[index] !== waiting) set((s) => ({ waiting: { ...s.waiting, [index]: waiting } }));
    },
    tick(dtMs) {
      const s = get();
      if (!s.playing || Object.entries(s.waiting).some(([i, w]) => w && Number(i) < s.panes.length)) return;
      const cursorMs = Math.min(Date.now(), s.cursorMs + dtMs * s.speed);
      // Crossing midnight moves the shown day with the cursor.
      if (cursorMs >= nextDay(s.dayStartMs)) s.seek(cursorMs);
      else set({ cursorMs });
    },
    ensureDays(dayStarts) {
      let added = false;
      for (const p of get().panes) if (p) for (const d of dayStarts) added = enqueue(p, d) || added;
      if (added) pump();
    },
    replay(content, atMs) {
      opening = false;
      set({
        layout: 1,
        panes: [content],
        selected: 0,
        dayStartMs: dayStart(atMs),
        cursorMs: atMs,
        playing: true,
        speed: 1,
        range: null,
      });
      void openDay(content, true);
    },
    replayOnPage(content, atMs) {
      get().replay(content, atMs);
      useAppStore.getState().navigate('playback');
    },
    source: (req) => invoke('playback:source', req),
    async control(req) {
      try {
        await invoke('playback:control', req);
        return null;
      } catch (e) {
        return (e as VigilError).message;
      }
    },
  };
});

/** A channel's recordings (every day read so far), or none. */
export function channelSegments(s: Pick<PlaybackState, 'segments'>, content: PaneContent | null): RecordingSegment[] {
  return content ? (s.segments[channelKey(content)] ?? []) : [];
}
