import { randomBytes } from 'node:crypto';
import type { SavedView } from '../../preload/contract';
import { AppError } from '../errors';
import type { Settings } from '../settings/settings';
import type { HandlerSlice } from '../ipc/handlers';

/** Saved wall views in the settings file: name, layout, channel per pane; one may open at start-up. */
export class ViewsService {
  constructor(private readonly settings: Settings) {}

  list(): { views: SavedView[]; startupViewId: string | null } {
    const s = this.settings.get();
    return { views: s.views, startupViewId: s.startupViewId };
  }

  save(req: Omit<SavedView, 'id'> & { id?: string }): SavedView {
    const id = req.id ?? `view_${randomBytes(6).toString('hex')}`;
    const view: SavedView = { id, name: req.name, layout: req.layout, panes: req.panes };
    this.settings.update((s) => {
      const exists = s.views.some((v) => v.id === id);
      if (req.id && !exists) throw new AppError('NOT_FOUND', `No view with id ${id}`);
      return { ...s, views: exists ? s.views.map((v) => (v.id === id ? view : v)) : [...s.views, view] };
    });
    return view;
  }

  remove(id: string): void {
    this.settings.update((s) => ({
      ...s,
      views: s.views.filter((v) => v.id !== id),
      startupViewId: s.startupViewId === id ? null : s.startupViewId,
    }));
  }

  setStartup(id: string | null): void {
    if (id !== null && !this.settings.get().views.some((v) => v.id === id))
      throw new AppError('NOT_FOUND', `No view with id ${id}`);
    this.settings.update((s) => ({ ...s, startupViewId: id }));
  }
}

export function viewsHandlers(views: ViewsService): HandlerSlice {
  return {
    'views:list': () => views.list(),
    'views:save': (req) => views.save(req),
    'views:delete': ({ id }) => {
      views.remove(id);
      return null;
    },
    'views:setStartup': ({ id }) => {
      views.setStartup(id);
      return null;
    },
  };
}
