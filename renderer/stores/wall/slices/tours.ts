import type { PaneContent, WallSlice } from './types';

export interface PaneTour {
  items: PaneContent[];
  seconds: number;
  at: number;
  /** When the pane moves on (epoch ms). */
  dueAt: number;
}

/** Pane tours: a pane cycles through channels, `seconds` on each. */
export interface ToursSlice {
  tours: Record<number, PaneTour>;
  /** Start cycling a pane through channels (from the first); a user's choice for the pane ends it. */
  startTour(index: number, items: PaneContent[], seconds: number): void;
  /** Moves every tour whose dwell is over to its next channel. */
  advanceTours(now: number): void;
  stopTour(index: number): void;
}

/** The tours without those of `indexes` (their panes were replaced, moved or hidden). */
export const without = (tours: Record<number, PaneTour>, ...indexes: number[]) => {
  const next = { ...tours };
  for (const i of indexes) delete next[i];
  return next;
};

export const toursSlice: WallSlice<ToursSlice> = (set, get) => ({
  tours: {},
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
});
