import { create } from 'zustand';
import type { PaneAssignment, SavedView, TreeNode } from '../../../preload/contract';
import { invoke, type VigilError } from '../../ipc';
import { paneCount } from '../../model/layouts';
import { loadTree } from './actions';

/** The wall: trees per account, layout, what plays in each pane, views. */
export interface PaneContent {
  accountId: string;
  channelId: string;
  name: string;
}

interface WallState {
  trees: Record<string, { nodes: TreeNode[]; loading: boolean; error: string | null }>;
  layout: string;
  panes: Array<PaneContent | null>;
  selected: number;
  maximized: number | null;
  /** per-pane forced stream; absent = automatic by size */
  streamOverride: Record<number, 'main' | 'sub'>;
  showStats: boolean;
  views: SavedView[];
  startupViewId: string | null;
  activeViewId: string | null;
  error: VigilError | null;
  /** Favourite channels, pinned at the top of the tree (kept by main, shared by every window). */
  favourites: PaneAssignment[];
  /** Pane tours: the pane cycles through `items`, `seconds` on each. */
  tours: Record<number, PaneTour>;
  /** PTZ speed of the pad and the keyboard, 1–8. */
  ptzSpeed: number;
  /** Channels of panes past the layout's count (by pane index): a smaller layout hides them, a larger one brings them back. */
  parked: Record<number, PaneContent>;
  /** The wall before the last layout change that hid channels, for Undo. */
  layoutUndo: { layout: string; panes: Array<PaneContent | null>; parked: Record<number, PaneContent> } | null;
  loadTree(accountId: string, refresh?: boolean): Promise<void>;
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
  loadViews(): Promise<void>;
  openView(view: SavedView): void;
  saveView(name: string, id?: string): Promise<SavedView>;
  deleteView(id: string): Promise<void>;
  setStartup(id: string | null): Promise<void>;
  loadFavourites(): Promise<void>;
  toggleFavourite(channel: PaneContent): Promise<void>;
  /** Start cycling a pane through channels (from the first); a user's choice for the pane ends it. */
  startTour(index: number, items: PaneContent[], seconds: number): void;
  /** Moves every tour whose dwell is over to its next channel. */
  advanceTours(now: number): void;
  stopTour(index: number): void;
  setPtzSpeed(speed: number): void;
}

export interface PaneTour {
  items: PaneContent[];
  seconds: number;
  at: number;
  /** When the pane moves on (epoch ms). */
  dueAt: number;
}

const without = (tours: Record<number, PaneTour>, ...indexes: number[]) => {
  const next = { ...tours };
  for (const i of indexes) delete next[i];
  return next;
};

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

function resize(panes: Array<PaneContent | null>, n: number): Array<PaneContent | null> {
  return Array.from({ length: n }, (_, i) => panes[i] ?? null);
}

export const useWallStore = create<WallState>()((set, get) => ({
  trees: {},
  layout: '4',
  panes: [null, null, null, null],
  selected: 0,
  maximized: null,
  streamOverride: {},
  showStats: false,
  views: [],
  startupViewId: null,
  activeViewId: null,
  error: null,
  favourites: [],
  tours: {},
  ptzSpeed: 4,
  parked: {},
  layoutUndo: null,
  async loadTree(accountId, refresh = false) {
    set((s) => ({
      trees: { ...s.trees, [accountId]: { nodes: s.trees[accountId]?.nodes ?? [], loading: true, error: null } },
    }));
    try {
      const r = await loadTree({ accountId, refresh });
      set((s) => ({ trees: { ...s.trees, [accountId]: { nodes: r.nodes, loading: false, error: r.error } } }));
    } catch (e) {
      set((s) => ({
        trees: {
          ...s.trees,
          [accountId]: { nodes: s.trees[accountId]?.nodes ?? [], loading: false, error: (e as Error).message },
        },
      }));
    }
  },
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
  async loadViews() {
    const r = await invoke('views:list', {});
    set({ views: r.views, startupViewId: r.startupViewId });
  },
  openView(view) {
    set({
      layout: view.layout,
      panes: resize(view.panes, paneCount(view.layout)),
      parked: {},
      layoutUndo: null,
      maximized: null,
      selected: 0,
      activeViewId: view.id,
      streamOverride: {},
      tours: {},
    });
  },
  async saveView(name, id) {
    const { layout, panes } = get();
    const view = await invoke('views:save', { ...(id ? { id } : {}), name, layout, panes });
    await get().loadViews();
    set({ activeViewId: view.id });
    return view;
  },
  async deleteView(id) {
    await invoke('views:delete', { id });
    await get().loadViews();
  },
  async setStartup(id) {
    await invoke('views:setStartup', { id });
    await get().loadViews();
  },
  async loadFavourites() {
    set({ favourites: (await invoke('favourites:list', {})).favourites });
  },
  async toggleFavourite({ accountId, channelId, name }) {
    set({ favourites: (await invoke('favourites:toggle', { accountId, channelId, name })).favourites });
  },
  startTour(index, items, seconds) {
    if (items.length === 0) return;
    get().assign(index, items[0]!);
    set((s) => ({ tours: { ...s.tours, [index]: { items, seconds, at: 0, dueAt: Date.now() + seconds * 1000 } } }));
  },
  advanceTours(now) {
    const due = Object.entries(get().tours).filter(([, tour]) => tour.dueAt <= now);
    if (due.length === 0) return;
    set((s) => {
      const panes = [...s.panes];
      const tours = { ...s.tours };
      for (const [i, tour] of due) {
        const at = (tour.at + 1) % tour.items.length;
        panes[Number(i)] = tour.items[at]!;
        tours[Number(i)] = { ...tour, at, dueAt: now + tour.seconds * 1000 };
      }
      return { panes, tours };
    });
  },
  stopTour(index) {
    set((s) => ({ tours: without(s.tours, index) }));
  },
  setPtzSpeed(speed) {
    set({ ptzSpeed: Math.min(8, Math.max(1, Math.round(speed))) });
  },
}));
