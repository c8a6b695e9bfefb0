import type { SavedView } from '../../../../preload/contract';
import { invoke, type VigilError } from '../../../ipc';
import { paneCount } from '../../../model/layouts';
import { resize } from './layout';
import type { WallSlice } from './types';

/**
 * Saved views (a layout and its panes), the one opened at startup, and the one on show. Each
 * request resolves with its failure (also kept in `error`, cleared by the next one) and never
 * rejects; after a change the list is read again, so the menu shows what main keeps.
 */
export interface ViewsSlice {
  views: SavedView[];
  startupViewId: string | null;
  activeViewId: string | null;
  error: VigilError | null;
  /** The start-up view of this window: not asked for yet, being opened, opened. */
  startupView: 'idle' | 'opening' | 'done';
  loadViews(): Promise<VigilError | null>;
  /**
   * Lists the views and opens the start-up view, once per window: asked at launch with the
   * other first requests (stores/startup.ts), so the panes have their channels when the wall first
   * renders and ask for their sources as they mount. Asked again (the wall shown again), it only
   * lists the views afresh; a failed first listing is tried again then.
   */
  openStartupView(): Promise<void>;
  openView(view: SavedView): void;
  /** Saves the wall as it is under `name` (replacing view `id`); it becomes the view on show. */
  saveView(name: string, id?: string): Promise<VigilError | null>;
  deleteView(id: string): Promise<VigilError | null>;
  setStartup(id: string | null): Promise<VigilError | null>;
}

export const viewsSlice: WallSlice<ViewsSlice> = (set, get) => {
  /** Runs a request; the list is read again after a change that worked (a failed read is kept, the change stands). */
  const request = async (work: () => Promise<unknown>, reload: boolean): Promise<VigilError | null> => {
    set({ error: null });
    try {
      await work();
    } catch (e) {
      set({ error: e as VigilError });
      return e as VigilError;
    }
    if (reload) await get().loadViews();
    return null;
  };
  return {
    views: [],
    startupViewId: null,
    activeViewId: null,
    error: null,
    startupView: 'idle',
    loadViews: () =>
      request(async () => {
        const r = await invoke('views:list', {});
        set({ views: r.views, startupViewId: r.startupViewId });
      }, false),
    async openStartupView() {
      const at = get().startupView;
      if (at === 'opening') return;
      if (at === 'done') {
        await get().loadViews();
        return;
      }
      set({ startupView: 'opening' });
      if (await get().loadViews()) {
        set({ startupView: 'idle' });
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
    saveView(name, id) {
      const { layout, panes } = get();
      return request(async () => {
        const view = await invoke('views:save', { ...(id ? { id } : {}), name, layout, panes });
        set({ activeViewId: view.id });
      }, true);
    },
    deleteView: (id) => request(() => invoke('views:delete', { id }), true),
    setStartup: (id) => request(() => invoke('views:setStartup', { id }), true),
  };
};
