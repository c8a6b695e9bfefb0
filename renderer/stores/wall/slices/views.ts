import type { SavedView } from '../../../../preload/contract';
import type { VigilError } from '../../../ipc';
import { paneCount } from '../../../model/layouts';
import { deleteView, listViews, saveView, setStartupView } from '../actions';
import { resize } from './layout';
import type { WallSlice } from './types';

/** Saved views (a layout and its panes), the one opened at startup, and the one on show. */
export interface ViewsSlice {
  views: SavedView[];
  startupViewId: string | null;
  activeViewId: string | null;
  error: VigilError | null;
  loadViews(): Promise<void>;
  openView(view: SavedView): void;
  saveView(name: string, id?: string): Promise<SavedView>;
  deleteView(id: string): Promise<void>;
  setStartup(id: string | null): Promise<void>;
}

export const viewsSlice: WallSlice<ViewsSlice> = (set, get) => ({
  views: [],
  startupViewId: null,
  activeViewId: null,
  error: null,
  async loadViews() {
    const r = await listViews();
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
    const view = await saveView({ ...(id ? { id } : {}), name, layout, panes });
    await get().loadViews();
    set({ activeViewId: view.id });
    return view;
  },
  async deleteView(id) {
    await deleteView({ id });
    await get().loadViews();
  },
  async setStartup(id) {
    await setStartupView({ id });
    await get().loadViews();
  },
});
