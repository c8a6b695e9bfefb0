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
  /** The start-up view of this window: not asked for yet, being opened, opened. */
  startupView: 'idle' | 'opening' | 'done';
  loadViews(): Promise<void>;
  /**
   * Lists the views and opens the start-up view, once per window: asked at launch with the
   * other first requests (stores/startup.ts), so the panes have their channels when the wall first
   * renders and ask for their sources as they mount. Asked again (the wall shown again), it only
   * lists the views afresh; a failed first listing is tried again then.
   */
  openStartupView(): Promise<void>;
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
  startupView: 'idle',
  async loadViews() {
    const r = await listViews();
    set({ views: r.views, startupViewId: r.startupViewId });
  },
  async openStartupView() {
    const at = get().startupView;
    if (at === 'opening') return;
    if (at === 'done') return get().loadViews();
    set({ startupView: 'opening' });
    try {
      await get().loadViews();
    } catch (e) {
      set({ startupView: 'idle', error: e as VigilError });
      return;
    }
    const s = get();
    const startup = s.views.find((v) => v.id === s.startupViewId);
    // Not over panes the operator (or an alarm) filled meanwhile.
    if (startup && s.activeViewId === null && s.panes.every((p) => p === null)) s.openView(startup);
    set({ startupView: 'done' });
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
