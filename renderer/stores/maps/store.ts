import { create } from 'zustand';
import { MAX_MAP_IMAGE_BYTES } from '../../../common/map-limits';
import type { MapNode, MapPin, MapsState, RequestOf, SiteFileImportReport } from '../../../preload/contract';
import { invoke, on, VigilError } from '../../ipc';
import { mapForAlarm, pinKey, spreadDrop } from '../../model/map-pins';
import { useAlarmsStore } from '../alarms/store';
import { useAppStore } from '../app/store';
import { useWallStore, type PaneContent } from '../wall/store';

/** A new pin's look until the operator turns it: facing up, 60° wide, a fifth of the plan long. */
const NEW_PIN = { direction: 0, fov: 60, range: 0.2 };

export interface MapsStoreState {
  state: MapsState | null;
  loading: boolean;
  error: string | null;
  /** The map shown on the Maps page. */
  current: string | null;
  /** Plans as data URLs, by their image id (a new upload is a new id). */
  images: Record<string, string>;
  imageErrors: Record<string, string>;
  /** Pins picked for a drag to the wall or a removal. */
  picked: string[];
  /** Setup mode: pins move, turn and widen; otherwise they play and drag to the wall. */
  editing: boolean;
  load(): Promise<void>;
  show(mapId: string | null): void;
  setEditing(on: boolean): void;
  pick(pinId: string, add: boolean): void;
  saveNode(req: RequestOf<'maps:saveNode'>): Promise<MapNode | undefined>;
  deleteNode(id: string): Promise<void>;
  /** A plan file for a map: too big is said before it is sent; main reads its type by its bytes. */
  uploadPlan(mapId: string, file: Blob & { name: string }): Promise<void>;
  loadImage(node: MapNode): Promise<void>;
  /** Cameras dropped on the shown map at (x, y), 0–1: a camera already on it moves there. */
  placeCameras(items: PaneContent[], x: number, y: number): Promise<void>;
  updatePin(pin: MapPin): Promise<void>;
  removePins(ids: string[]): Promise<void>;
  setPrefs(req: RequestOf<'maps:setPrefs'>): Promise<void>;
  exportSite(): Promise<{ fileName: string; text: string }>;
  importSite(file: Blob, mode: 'merge' | 'replace'): Promise<SiteFileImportReport>;
  /** A click plays in a pop-up player instead of the wall's selected pane (this window, this run). */
  popOut: boolean;
  /** The camera the pop-up player shows, if open. */
  popup: PaneContent | null;
  setPopOut(on: boolean): void;
  closePopup(): void;
  /** A pin's (or a geographic marker's) camera: in the wall's selected pane, or the pop-up player. */
  play(camera: PaneContent): void;
  /** Acknowledges every open alarm of the pin's camera, as the alarm list does. */
  acknowledge(pin: MapPin): Promise<void>;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export const useMapsStore = create<MapsStoreState>()((set, get) => {
  /** Runs a change main answers with the new maps; its failure is thrown for the caller to say. */
  const change = async (fn: () => Promise<MapsState>) => {
    const state = await fn();
    set({ state, error: null });
    return state;
  };
  return {
    state: null,
    loading: false,
    error: null,
    current: null,
    images: {},
    imageErrors: {},
    picked: [],
    editing: false,
    async load() {
      set({ loading: true });
      try {
        const state = await invoke('maps:get', {});
        const current = get().current;
        const still = current && state.doc.nodes.some((n) => n.id === current);
        set({ state, loading: false, error: null, current: still ? current : (state.doc.nodes[0]?.id ?? null) });
      } catch (e) {
        set({ loading: false, error: message(e) });
      }
    },
    show(mapId) {
      set({ current: mapId, picked: [] });
    },
    setEditing(on) {
      set({ editing: on, picked: [] });
    },
    pick(pinId, add) {
      const picked = get().picked;
      if (!add) set({ picked: picked.length === 1 && picked[0] === pinId ? [] : [pinId] });
      else set({ picked: picked.includes(pinId) ? picked.filter((p) => p !== pinId) : [...picked, pinId] });
    },
    async saveNode(req) {
      const before = new Set(get().state?.doc.nodes.map((n) => n.id));
      const state = await change(() => invoke('maps:saveNode', req));
      const node = req.id
        ? state.doc.nodes.find((n) => n.id === req.id)
        : state.doc.nodes.find((n) => !before.has(n.id));
      if (node && !req.id) set({ current: node.id });
      return node;
    },
    async deleteNode(id) {
      const state = await change(() => invoke('maps:deleteNode', { id }));
      if (!state.doc.nodes.some((n) => n.id === get().current)) set({ current: state.doc.nodes[0]?.id ?? null });
    },
    async uploadPlan(mapId, file) {
      if (file.size > MAX_MAP_IMAGE_BYTES)
        throw new VigilError({
          code: 'VALIDATION',
          message: `${file.name}: ${(file.size / 1048576).toFixed(1)} MB; plans of at most ${MAX_MAP_IMAGE_BYTES / 1048576} MB are kept`,
        });
      const data = base64(new Uint8Array(await file.arrayBuffer()));
      await change(() => invoke('maps:setImage', { mapId, fileName: file.name, data }));
    },
    async loadImage(node) {
      const image = node.image;
      if (!image || get().images[image.id]) return;
      try {
        const { type, data } = await invoke('maps:image', { id: node.id });
        set((s) => ({ images: { ...s.images, [image.id]: `data:${type};base64,${data}` } }));
      } catch (e) {
        set((s) => ({ imageErrors: { ...s.imageErrors, [image.id]: message(e) } }));
      }
    },
    async placeCameras(items, x, y) {
      const mapId = get().current;
      const doc = get().state?.doc;
      if (!mapId || !doc || !items.length) return;
      const at = spreadDrop(x, y, items.length);
      const pins = items.map((c, i) => {
        const known = doc.pins.find((p) => p.mapId === mapId && pinKey(p) === pinKey(c));
        return { ...NEW_PIN, ...known, mapId, accountId: c.accountId, channelId: c.channelId, name: c.name, ...at[i]! };
      });
      await change(() => invoke('maps:placePins', { pins }));
    },
    async updatePin(pin) {
      await change(() => invoke('maps:placePins', { pins: [pin] }));
    },
    async removePins(ids) {
      await change(() => invoke('maps:removePins', { ids }));
      set((s) => ({ picked: s.picked.filter((p) => !ids.includes(p)) }));
    },
    async setPrefs(req) {
      await change(() => invoke('maps:setPrefs', req));
    },
    exportSite: () => invoke('maps:export', {}),
    async importSite(file, mode) {
      const text = await file.text();
      const report = await invoke('maps:import', { text, mode });
      await get().load();
      return report;
    },
    popOut: false,
    popup: null,
    setPopOut(on) {
      set({ popOut: on });
    },
    closePopup() {
      set({ popup: null });
    },
    play(camera) {
      const content = { accountId: camera.accountId, channelId: camera.channelId, name: camera.name };
      if (get().popOut) return set({ popup: content });
      const wall = useWallStore.getState();
      wall.assign(wall.selected, content);
    },
    async acknowledge(pin) {
      const alarms = useAlarmsStore.getState();
      const open = alarms.alarms.filter(
        (a) => a.acknowledgedAt === undefined && a.accountId === pin.accountId && a.channelRef === pin.channelId,
      );
      for (const a of open) await alarms.acknowledge(a.id);
    },
  };
});

/**
 * Once per window: the maps as main changes them (another window, an import), and an alarm on a
 * pinned camera bringing its map forward when the operator chose so.
 */
export function listenToMaps(): () => void {
  const seen = new Set<string>();
  const offMaps = on('main:maps', (state) => useMapsStore.setState({ state }));
  const offAlarm = on('main:alarm', (alarm) => {
    if (alarm.acknowledgedAt !== undefined || !alarm.channelRef || seen.has(alarm.id)) return;
    // An alarm's later versions (assigned, closed) bring nothing forward again.
    if (seen.size > 10_000) seen.clear();
    seen.add(alarm.id);
    const { state, current } = useMapsStore.getState();
    if (!state?.prefs.bringForward) return;
    const mapId = mapForAlarm(state.doc.pins, new Set([`${alarm.accountId}|${alarm.channelRef}`]), current);
    if (!mapId) return;
    useMapsStore.getState().show(mapId);
    useAppStore.getState().navigate('maps');
  });
  void useMapsStore.getState().load();
  return () => {
    offMaps();
    offAlarm();
  };
}
