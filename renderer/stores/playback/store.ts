import { create } from 'zustand';
import type { RecordingSegment } from '../../../preload/contract';
import { invoke } from '../../ipc';
import type { PaneContent } from '../wall/store';

/**
 * Playback: channels in 1 or 4 panes that all follow one time cursor and one speed (SYNC), the
 * selected day, and each channel's segments (cached per channel and day).
 */
interface PlaybackState {
  panes: Array<PaneContent | null>;
  layout: 1 | 4;
  selected: number;
  dayStartMs: number;
  cursorMs: number;
  playing: boolean;
  speed: number;
  segments: Record<string, { loading: boolean; list: RecordingSegment[]; error: string | null }>;
  setLayout(layout: 1 | 4): void;
  open(index: number, content: PaneContent): void;
  select(index: number): void;
  setDay(dayStartMs: number): void;
  seek(ms: number): void;
  setPlaying(playing: boolean): void;
  setSpeed(speed: number): void;
  tick(dtMs: number): void;
  loadSegments(content: PaneContent, keepCursor?: boolean): Promise<void>;
  /** Instant replay: one pane playing `content` from `atMs` (e.g. now − 30 s). */
  replay(content: PaneContent, atMs: number): void;
}

export const segmentKey = (c: PaneContent, dayStartMs: number) => `${c.accountId}|${c.channelId}|${dayStartMs}`;

const startOfToday = () => {
  const d = new Date();
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
};

export const usePlaybackStore = create<PlaybackState>()((set, get) => ({
  panes: [null],
  layout: 1,
  selected: 0,
  dayStartMs: startOfToday(),
  cursorMs: Date.now() - 3600_000,
  playing: false,
  speed: 1,
  segments: {},
  setLayout(layout) {
    set((s) => ({ layout, panes: Array.from({ length: layout }, (_, i) => s.panes[i] ?? null), selected: Math.min(s.selected, layout - 1) }));
  },
  open(index, content) {
    set((s) => {
      const panes = [...s.panes];
      panes[index] = content;
      return { panes };
    });
    void get().loadSegments(content);
  },
  select(index) {
    set({ selected: index });
  },
  setDay(dayStartMs) {
    set({ dayStartMs, cursorMs: dayStartMs, playing: false });
    for (const p of get().panes) if (p) void get().loadSegments(p);
  },
  seek(ms) {
    set({ cursorMs: ms });
  },
  setPlaying(playing) {
    set({ playing });
  },
  setSpeed(speed) {
    set({ speed });
  },
  tick(dtMs) {
    set((s) => (s.playing ? { cursorMs: Math.min(Date.now(), s.cursorMs + dtMs * s.speed) } : {}));
  },
  replay(content, atMs) {
    const d = new Date(atMs);
    set({ layout: 1, panes: [content], selected: 0, dayStartMs: new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime(), cursorMs: atMs, playing: true, speed: 1 });
    void get().loadSegments(content, true);
  },
  async loadSegments(content, keepCursor = false) {
    const day = get().dayStartMs;
    const key = segmentKey(content, day);
    set((s) => ({ segments: { ...s.segments, [key]: { loading: true, list: s.segments[key]?.list ?? [], error: null } } }));
    try {
      const r = await invoke('playback:recordings', { accountId: content.accountId, channelId: content.channelId, startMs: day, endMs: day + 86400_000 });
      set((s) => ({ segments: { ...s.segments, [key]: { loading: false, list: r.segments, error: null } } }));
      // Open on the first recording of the day if the cursor is not on one.
      const list = r.segments;
      const cursor = get().cursorMs;
      if (!keepCursor && list.length && !list.some((seg) => seg.startMs <= cursor && cursor < seg.endMs)) set({ cursorMs: list[0]!.startMs });
    } catch (e) {
      set((s) => ({ segments: { ...s.segments, [key]: { loading: false, list: [], error: (e as Error).message } } }));
    }
  },
}));
