import { create } from 'zustand';
import type { RecordingSegment, ThumbnailAnswer, ThumbnailCacheInfo } from '../../../preload/contract';
import { invoke } from '../../ipc';
import { filmstripSlots, hoverBucket, recordingAt, recordingNear } from '../../model/thumbnails';
import { MIN_SEGMENT_PX, type View } from '../../model/timeline';

/**
 * Timeline thumbnails: the picture under the pointer on a timeline row (asked after the pointer
 * rests a moment, a newer hover superseding the older in main) and the filmstrip under the
 * timeline at close zoom (asked for the view shown, after it stops moving). Pictures come from
 * main (`thumbnails:get`), which caches them on disk; answers are also kept here for the window.
 */

/** One timeline row's camera and what it recorded. */
export interface ThumbRow {
  accountId: string;
  channelId: string;
  segments: RecordingSegment[];
  unlisted: boolean;
}

/** A picture as the components show it. */
export type Picture =
  | { state: 'loading' }
  | { state: 'ok'; image: string }
  /** `reason`: main's words; absent: no recording at that moment. */
  | { state: 'none'; reason?: string };

export interface HoverPicture {
  row: number;
  atMs: number;
  /** Where the pointer is (viewport px) and the top of the timeline: the picture shows above it. */
  clientX: number;
  top: number;
  picture: Picture;
}

export interface ThumbnailsState {
  /** Rows of the timeline (by index), the view and its width: published by the timeline. */
  rows: Array<ThumbRow | null>;
  view: View | null;
  width: number;
  hover: HoverPicture | null;
  /** Filmstrip pictures by slot key (`camera|step|time`). */
  strip: Record<string, Picture>;
  setTimeline(rows: Array<ThumbRow | null>, view: View, width: number): void;
  /** The pointer over row `row` at `atMs` (null row: over the ruler); asks after a short rest. */
  hoverAt(row: number | null, atMs: number, clientX: number, top: number): void;
  leave(): void;
  /** Asks for the filmstrip of row `row` over the view shown (after it stops moving). */
  loadStrip(row: number): void;
  /** The disk cache's use (Settings), and the last error asking for it. */
  cache: ThumbnailCacheInfo | null;
  cacheError: string | null;
  loadCache(): Promise<void>;
  clearCache(): Promise<void>;
}

/** The pointer rests this long before a picture is asked for (a sweep across the row asks for none on the way). */
export const HOVER_DEBOUNCE_MS = 60;
/** The view stops moving this long before the filmstrip is asked for. */
export const STRIP_DEBOUNCE_MS = 150;
/** Filmstrip pictures kept in the window (main keeps them on disk). */
const MAX_STRIP = 400;

export const stripKey = (row: ThumbRow, stepMs: number, atMs: number) =>
  `${row.accountId}|${row.channelId}|${stepMs}|${atMs}`;

const pictureOf = (a: ThumbnailAnswer): Picture | null =>
  a.state === 'ok' ? { state: 'ok', image: a.image } : a.state === 'none' ? { state: 'none', reason: a.reason } : null;

export const useThumbnailsStore = create<ThumbnailsState>()((set, get) => {
  // One requester per window: main supersedes this window's older hovers only.
  const requester = `w-${Math.random().toString(36).slice(2, 10)}`;
  let hoverTimer: ReturnType<typeof setTimeout> | undefined;
  let stripTimer: ReturnType<typeof setTimeout> | undefined;
  let hoverSeq = 0;

  const ask = (row: ThumbRow, atMs: number, bucketMs: number, purpose: 'hover' | 'strip') => {
    const at = recordingAt(row.segments, atMs, row.unlisted);
    if (!at) return null;
    return invoke('thumbnails:get', {
      accountId: row.accountId,
      channelId: row.channelId,
      kind: at.kind,
      atMs: Math.round(atMs),
      bucketMs,
      ...(at.recording ? { recording: at.recording } : {}),
      purpose,
      requester,
    });
  };

  return {
    rows: [],
    view: null,
    width: 0,
    hover: null,
    strip: {},
    cache: null,
    cacheError: null,

    async loadCache() {
      try {
        set({ cache: await invoke('thumbnails:cache', {}), cacheError: null });
      } catch (e) {
        set({ cacheError: (e as Error).message });
      }
    },

    async clearCache() {
      try {
        set({ cache: await invoke('thumbnails:clear', {}), cacheError: null, strip: {} });
      } catch (e) {
        set({ cacheError: (e as Error).message });
      }
    },

    setTimeline(rows, view, width) {
      set({ rows, view, width });
    },

    hoverAt(row, pointerMs, clientX, top) {
      const target = row === null ? null : get().rows[row];
      if (row === null || !target) return get().leave();
      const { view, width } = get();
      const spanMs = view?.spanMs ?? 86400_000;
      const bucketMs = hoverBucket(spanMs, width);
      // Over a short recording drawn wider than it lasts, the pointer means that recording.
      const near = recordingNear(
        target.segments,
        pointerMs,
        target.unlisted,
        width > 0 ? (spanMs / width) * MIN_SEGMENT_PX : 0,
      );
      const atMs = near?.atMs ?? pointerMs;
      const bucket = Math.floor(atMs / bucketMs) * bucketMs;
      const prev = get().hover;
      // The same picture under a moving pointer: it follows the pointer, nothing is asked again.
      if (prev && prev.row === row && Math.floor(prev.atMs / bucketMs) * bucketMs === bucket)
        return set({ hover: { ...prev, atMs, clientX, top } });
      clearTimeout(hoverTimer);
      if (!near) return set({ hover: { row, atMs, clientX, top, picture: { state: 'none' } } });
      const seq = ++hoverSeq;
      set({ hover: { row, atMs, clientX, top, picture: { state: 'loading' } } });
      hoverTimer = setTimeout(() => {
        const asked = ask(target, atMs, bucketMs, 'hover');
        void asked
          ?.then((a) => {
            const picture = pictureOf(a);
            if (picture && seq === hoverSeq && get().hover) set({ hover: { ...get().hover!, picture } });
          })
          .catch((e: Error) => {
            if (seq === hoverSeq && get().hover)
              set({ hover: { ...get().hover!, picture: { state: 'none', reason: e.message } } });
          });
      }, HOVER_DEBOUNCE_MS);
    },

    leave() {
      clearTimeout(hoverTimer);
      hoverSeq++;
      set({ hover: null });
    },

    loadStrip(rowIndex) {
      clearTimeout(stripTimer);
      stripTimer = setTimeout(() => {
        const { rows, view, width } = get();
        const row = rows[rowIndex];
        const slots = view && row ? filmstripSlots(view, width) : null;
        if (!row || !slots) return;
        const wanted: Record<string, Picture> = {};
        const asks: Array<[string, number]> = [];
        for (const t of slots.times) {
          const key = stripKey(row, slots.stepMs, t);
          const known = get().strip[key];
          if (known) continue;
          if (!recordingAt(row.segments, t, row.unlisted)) wanted[key] = { state: 'none' };
          else {
            wanted[key] = { state: 'loading' };
            asks.push([key, t]);
          }
        }
        if (!Object.keys(wanted).length) return;
        set((s) => ({ strip: trimmed({ ...s.strip, ...wanted }) }));
        for (const [key, t] of asks)
          void ask(row, t, slots.stepMs, 'strip')
            ?.then((a) => {
              const picture = pictureOf(a);
              // Superseded: forgotten, so a later view asks again.
              set((s) => {
                const strip = { ...s.strip };
                if (picture) strip[key] = picture;
                else delete strip[key];
                return { strip };
              });
            })
            .catch((e: Error) => set((s) => ({ strip: { ...s.strip, [key]: { state: 'none', reason: e.message } } })));
      }, STRIP_DEBOUNCE_MS);
    },
  };
});

/** The newest MAX_STRIP answers (insertion order is age). */
function trimmed(strip: Record<string, Picture>): Record<string, Picture> {
  const keys = Object.keys(strip);
  if (keys.length <= MAX_STRIP) return strip;
  const out: Record<string, Picture> = {};
  for (const k of keys.slice(keys.length - MAX_STRIP)) out[k] = strip[k]!;
  return out;
}
