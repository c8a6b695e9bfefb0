import { create } from 'zustand';
import type {
  BookmarkAuditEntry,
  BookmarkCamera,
  BookmarkChange,
  BookmarkView,
  RequestOf,
} from '../../../preload/contract';
import { invoke, on, type VigilError } from '../../ipc';
import { useAppStore } from '../app/store';
import { usePlaybackStore } from '../playback/store';

/** The Bookmarks page's filter; the camera as `accountId|channelId`. */
export interface BookmarkFilter {
  text: string;
  tag: string | null;
  camera: string | null;
  fromMs: number | null;
  toMs: number | null;
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

/** Where the playback timeline's marks come from: its panes' cameras over the time it shows. */
export interface MarkWindow {
  cameras: Array<{ accountId: string; channelId: string }>;
  fromMs: number;
  toMs: number;
}

export interface BookmarksState {
  filter: BookmarkFilter;
  items: BookmarkView[];
  total: number;
  tags: string[];
  cameras: BookmarkCamera[];
  loading: boolean;
  error: VigilError | null;
  /** bookmarks on the playback timeline */
  marks: BookmarkView[];
  markWindow: MarkWindow | null;
  saving: boolean;
  /** The bookmark just opened in playback, until the playback page takes it (to show it on the timeline). */
  opened: BookmarkView | null;
  setOpened(b: BookmarkView | null): void;
  /**
   * Opens a bookmark as an alarm's recording is (one pane, its camera, from its start, playing) on
   * the playback page, with its range selected (a moment selects none: the cursor is on it).
   */
  openInPlayback(b: BookmarkView): void;
  setFilter(change: Partial<BookmarkFilter>): Promise<void>;
  load(): Promise<void>;
  loadMarks(window: MarkWindow): Promise<void>;
  /** Kept by main (or refused: the error, with its fields, is thrown for the form). */
  create(req: RequestOf<'bookmarks:create'>): Promise<BookmarkView>;
  update(req: RequestOf<'bookmarks:update'>): Promise<BookmarkView>;
  remove(id: string): Promise<void>;
  history(id: string): Promise<BookmarkAuditEntry[]>;
  /** A bookmark made, edited or deleted here or at another seat. */
  changed(change: BookmarkChange): void;
}

export const cameraKey = (c: { accountId: string; channelId: string }) => `${c.accountId}|${c.channelId}`;
const MAX_MARKS = 1000;

/** Whether a bookmark belongs on the timeline of `w`. */
const inWindow = (b: BookmarkView, w: MarkWindow | null) =>
  !!w && b.endMs >= w.fromMs && b.startMs <= w.toMs && w.cameras.some((c) => cameraKey(c) === cameraKey(b));

/**
 * Bookmarks as main keeps them: one page of the Bookmarks page's filtered list, and the marks of
 * the playback timeline (the panes' cameras over the time shown), both kept current by
 * `main:bookmark` (this seat's changes and other seats').
 */
export const useBookmarksStore = create<BookmarksState>()((set, get) => {
  /** Answers of a superseded request are dropped: the newest filter (or window) wins. */
  let listSeq = 0;
  let markSeq = 0;
  /** The Bookmarks page has been shown: its list follows changes from then on. */
  let listed = false;
  const query = (f: BookmarkFilter): RequestOf<'bookmarks:list'> => {
    const [accountId, channelId] = f.camera ? f.camera.split('|', 2) : [];
    return {
      ...(f.text.trim() ? { text: f.text.trim() } : {}),
      ...(f.tag ? { tag: f.tag } : {}),
      ...(accountId && channelId ? { cameras: [{ accountId, channelId }] } : {}),
      ...(f.fromMs !== null ? { fromMs: f.fromMs } : {}),
      ...(f.toMs !== null ? { toMs: f.toMs } : {}),
      order: f.order,
      offset: (f.page - 1) * f.pageSize,
      limit: f.pageSize,
    };
  };
  const saved = async (p: Promise<BookmarkView>) => {
    set({ saving: true });
    try {
      const b = await p;
      get().changed({ kind: 'saved', bookmark: b });
      return b;
    } finally {
      set({ saving: false });
    }
  };
  return {
    filter: { text: '', tag: null, camera: null, fromMs: null, toMs: null, order: 'desc', page: 1, pageSize: 50 },
    items: [],
    total: 0,
    tags: [],
    cameras: [],
    loading: false,
    error: null,
    marks: [],
    markWindow: null,
    saving: false,
    opened: null,
    setOpened: (opened) => set({ opened }),
    openInPlayback(b) {
      const playback = usePlaybackStore.getState();
      playback.replay({ accountId: b.accountId, channelId: b.channelId, name: b.cameraName }, b.startMs);
      playback.setRange(b.endMs > b.startMs ? { startMs: b.startMs, endMs: b.endMs } : null);
      set({ opened: b });
      useAppStore.getState().navigate('playback');
    },
    async setFilter(change) {
      // A new filter starts at its first page; paging alone keeps the rest.
      const page = change.page ?? (Object.keys(change).some((k) => k !== 'pageSize') ? 1 : get().filter.page);
      set({ filter: { ...get().filter, ...change, page } });
      await get().load();
    },
    async load() {
      const seq = ++listSeq;
      listed = true;
      set({ loading: true });
      try {
        const r = await invoke('bookmarks:list', query(get().filter));
        if (seq !== listSeq) return;
        set({ items: r.bookmarks, total: r.total, tags: r.tags, cameras: r.cameras, error: null });
      } catch (e) {
        if (seq === listSeq) set({ error: e as VigilError });
      } finally {
        if (seq === listSeq) set({ loading: false });
      }
    },
    async loadMarks(w) {
      const seq = ++markSeq;
      set({ markWindow: w });
      if (!w.cameras.length) return set({ marks: [] });
      try {
        const r = await invoke('bookmarks:list', {
          cameras: w.cameras,
          fromMs: Math.max(0, Math.floor(w.fromMs)),
          toMs: Math.max(0, Math.ceil(w.toMs)),
          order: 'asc',
          limit: MAX_MARKS,
        });
        if (seq === markSeq) set({ marks: r.bookmarks, tags: r.tags });
      } catch (e) {
        if (seq === markSeq) set({ error: e as VigilError });
      }
    },
    create: (req) => saved(invoke('bookmarks:create', req)),
    update: (req) => saved(invoke('bookmarks:update', req)),
    async remove(id) {
      await invoke('bookmarks:delete', { id });
      const gone = get().items.find((b) => b.id === id) ?? get().marks.find((b) => b.id === id);
      if (gone) get().changed({ kind: 'deleted', bookmark: gone });
    },
    history: async (id) => (await invoke('bookmarks:history', { id })).entries,
    changed({ kind, bookmark }) {
      const s = get();
      const marks = s.marks.filter((b) => b.id !== bookmark.id);
      if (kind === 'saved' && inWindow(bookmark, s.markWindow)) marks.push(bookmark);
      marks.sort((a, b) => a.startMs - b.startMs);
      set({ marks });
      // The page's sort, filter and paging are main's: the page (once shown) is asked again.
      if (listed) void get().load();
    },
  };
});

/** Subscribed by the pages that show bookmarks while they are open; answers the unsubscribe. */
export function listenToBookmarks(): () => void {
  return on('main:bookmark', (change) => useBookmarksStore.getState().changed(change));
}
