import { paneCount } from '../../../model/layouts';
import { without } from './tours';
import type { PaneContent, WallSlice } from './types';

/** The layout and what plays in each pane: selection, maximized pane, stream choice, statistics. */
export interface LayoutSlice {
  layout: string;
  panes: Array<PaneContent | null>;
  selected: number;
  maximized: number | null;
  /** per-pane forced stream; absent = automatic by size */
  streamOverride: Record<number, 'main' | 'sub'>;
  showStats: boolean;
  /** Channels of panes past the layout's count (by pane index): a smaller layout hides them, a larger one brings them back. */
  parked: Record<number, PaneContent>;
  /** The wall before the last layout change that hid channels, for Undo. */
  layoutUndo: { layout: string; panes: Array<PaneContent | null>; parked: Record<number, PaneContent> } | null;
  /** Changes the layout; returns how many channels it hid (kept, and back when the layout grows or on undoLayout). */
  setLayout(layout: string): number;
  undoLayout(): void;
  assign(index: number, content: PaneContent | null): void;
  /** Fill free panes (from the selected one) with several channels, e.g. a dropped group. */
  fill(contents: PaneContent[]): void;
  swap(a: number, b: number): void;
  select(index: number): void;
  toggleMaximize(index: number): void;
  setStream(index: number, stream: 'main' | 'sub' | null): void;
  toggleStats(): void;
}

/**
 * A new pane count (pure): panes past it are parked, parked ones inside it come back to their
 * own pane (when that pane is still empty).
 */
export function relayout(
  panes: Array<PaneContent | null>,
  parked: Record<number, PaneContent>,
  n: number,
): { panes: Array<PaneContent | null>; parked: Record<number, PaneContent>; hidden: number } {
  const all: Record<number, PaneContent> = { ...parked };
  panes.forEach((p, i) => {
    if (p) all[i] = p;
  });
  const next = Array.from({ length: n }, (_, i) => all[i] ?? null);
  const rest: Record<number, PaneContent> = {};
  let hidden = 0;
  for (const [i, c] of Object.entries(all)) {
    if (Number(i) < n) continue;
    rest[Number(i)] = c;
    if (Number(i) < panes.length && panes[Number(i)]) hidden++;
  }
  return { panes: next, parked: rest, hidden };
}

export function resize(panes: Array<PaneContent | null>, n: number): Array<PaneContent | null> {
  return Array.from({ length: n }, (_, i) => panes[i] ?? null);
}

export const layoutSlice: WallSlice<LayoutSlice> = (set, get) => ({
  layout: '4',
  panes: [null, null, null, null],
  selected: 0,
  maximized: null,
  streamOverride: {},
  showStats: false,
  parked: {},
  layoutUndo: null,
  setLayout(layout) {
    const n = paneCount(layout);
    const s = get();
    const r = relayout(s.panes, s.parked, n);
    set({
      layout,
      panes: r.panes,
      parked: r.parked,
      layoutUndo: r.hidden ? { layout: s.layout, panes: s.panes, parked: s.parked } : s.layoutUndo,
      selected: Math.min(s.selected, n - 1),
      maximized: null,
      tours: without(
        s.tours,
        ...Object.keys(s.tours)
          .map(Number)
          .filter((i) => i >= n),
      ),
    });
    return r.hidden;
  },
  undoLayout() {
    const u = get().layoutUndo;
    if (u) set({ layout: u.layout, panes: u.panes, parked: u.parked, layoutUndo: null, maximized: null });
  },
  assign(index, content) {
    set((s) => {
      const panes = [...s.panes];
      panes[index] = content;
      const streamOverride = { ...s.streamOverride };
      delete streamOverride[index];
      return { panes, streamOverride, tours: without(s.tours, index) };
    });
  },
  fill(contents) {
    const { panes, selected } = get();
    const next = [...panes];
    let i = selected;
    for (const c of contents) {
      while (i < next.length && next[i]) i++;
      if (i >= next.length) break;
      next[i++] = c;
    }
    set({ panes: next });
  },
  swap(a, b) {
    set((s) => {
      const panes = [...s.panes];
      [panes[a], panes[b]] = [panes[b] ?? null, panes[a] ?? null];
      const tours = without(s.tours, a, b);
      if (s.tours[a]) tours[b] = s.tours[a];
      if (s.tours[b]) tours[a] = s.tours[b];
      return { panes, tours };
    });
  },
  select(index) {
    set({ selected: index });
  },
  toggleMaximize(index) {
    set((s) => ({ maximized: s.maximized === index ? null : index, selected: index }));
  },
  setStream(index, stream) {
    set((s) => {
      const streamOverride = { ...s.streamOverride };
      if (stream) streamOverride[index] = stream;
      else delete streamOverride[index];
      return { streamOverride };
    });
  },
  toggleStats() {
    set((s) => ({ showStats: !s.showStats }));
  },
});
