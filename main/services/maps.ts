import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  MAX_MAP_IMAGE_BYTES,
  MAX_MAPS,
  MAX_PINS,
  MapDocument,
  MapPrefs,
  MapsReceived,
  type MapImage,
  type MapNode,
  type MapPin,
  type MapsState,
  type SiteFileImportReport,
} from '../../preload/contract';
import type { ControlRoomLink } from '../control-room/link';
import { MapSharing } from '../control-room/map-sharing';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import { PlanImageError, readPlanImage, type PlanType } from '../formats/map-image';
import { checkSite, readSiteFile, writeSiteFile, type SitePlan } from '../formats/site-file';
import type { HandlerSlice } from '../ipc/handlers';
import { log } from '../log';
import { tileSource, tileUrlProblem } from './map-tiles';

export { tileSource, tileUrlProblem };

const EXT: Record<PlanType, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/svg+xml': 'svg' };

/**
 * What `maps/maps.json` holds: the document (what a site file carries), this seat's choices and the
 * control-room publication it took last (files of older versions lack the later fields).
 */
const MapsFile = z.object({
  doc: MapDocument,
  prefs: MapPrefs.extend({ share: MapPrefs.shape.share.default('off'), source: MapPrefs.shape.source.default('') }),
  received: MapsReceived.nullable().default(null),
});
const EMPTY: MapsState = {
  doc: { version: 1, nodes: [], pins: [] },
  prefs: { bringForward: false, tileUrl: '', share: 'off', source: '' },
  received: null,
};

/**
 * Maps: a tree of sites, buildings and floors with their plans and camera pins, kept in the data
 * folder's `maps/` (one JSON written atomically, each plan its own file named by a fresh id). A plan
 * is read by its bytes and an SVG rebuilt from an allow-list before anything is written; an
 * unreadable `maps.json` is moved aside and said, never overwritten.
 */
export class MapsService {
  private readonly dir: string;
  private readonly file: string;
  private state: MapsState;
  /** The unreadable maps file moved aside at start, if any. */
  readonly setAside: string | null = null;

  /** The site's maps through the control room (when the core gives a link). */
  private readonly sharing: MapSharing | null = null;
  private readonly unsubscribe: () => void = () => undefined;

  constructor(
    dataDir: string,
    private readonly events: EventBus,
    control?: { link: ControlRoomLink; broker: () => string },
  ) {
    this.dir = path.join(dataDir, 'maps');
    this.file = path.join(this.dir, 'maps.json');
    fs.mkdirSync(this.dir, { recursive: true });
    let text: string | null = null;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      // No maps yet.
    }
    this.state = EMPTY;
    if (text !== null) {
      try {
        this.state = MapsFile.parse(JSON.parse(text));
      } catch {
        const aside = `${this.file}.unreadable-${Date.now()}`;
        fs.renameSync(this.file, aside);
        this.setAside = aside;
        log.warn(`maps: ${this.file} could not be read; moved to ${aside}`);
      }
    }
    if (control) {
      const sharing = new MapSharing(this.dir, this, control.link, control.broker, (code, message) =>
        events.emit('main:notice', { id: randomUUID(), level: 'warning', code, message, at: new Date().toISOString() }),
      );
      this.sharing = sharing;
      // Whenever the maps change or the control room (re)connects: publish, or follow.
      this.unsubscribe = events.subscribe((event, payload) => {
        if (event === 'main:maps') sharing.changed();
        else if (event === 'main:controlRoom') {
          const state = (payload as { state: string }).state;
          if (state === 'online' || state === 'connecting') sharing.changed();
        }
      });
      sharing.changed();
    }
  }

  close(): void {
    this.unsubscribe();
    this.sharing?.close();
  }

  get(): MapsState {
    return this.state;
  }

  /** What the renderer's CSP lets pictures come from for the geographic map (none until a tile address is set). */
  tileSources(): string[] {
    const source = tileSource(this.state.prefs.tileUrl);
    return source ? [source] : [];
  }

  /** On disk first (temp file, then rename), then told to every window. */
  private commit(next: MapsState, gone: readonly string[] = []): MapsState {
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, JSON.stringify(next), { mode: 0o600 });
      fs.renameSync(tmp, this.file);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw new AppError('INTERNAL', `The maps could not be saved: ${(e as Error).message}`);
    }
    this.state = next;
    // Plans no node uses any more: removed once the document no longer names them.
    for (const id of gone) for (const ext of Object.values(EXT)) fs.rmSync(this.imagePath(id, ext), { force: true });
    this.events.emit('main:maps', next);
    return next;
  }

  private imagePath(id: string, ext: string): string {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new AppError('BAD_REQUEST', 'Not a plan id');
    return path.join(this.dir, `${id}.${ext}`);
  }

  /**
   * A seat that takes the site's maps from another seat edits none itself: the next publication
   * would replace the change unseen. Said, and nothing changes.
   */
  private editable(): void {
    const { share, source } = this.state.prefs;
    if (share === 'follow')
      throw new AppError(
        'VALIDATION',
        `This seat takes the site's maps from seat ${source} through the control room: change them there, or stop taking them in Map settings`,
      );
  }

  private node(id: string): MapNode {
    const n = this.state.doc.nodes.find((x) => x.id === id);
    if (!n) throw new AppError('NOT_FOUND', 'No such map (it may have been deleted)');
    return n;
  }

  saveNode(req: { id?: string | undefined; name: string; kind: MapNode['kind']; parentId: string | null }): MapsState {
    this.editable();
    const { doc } = this.state;
    if (req.parentId !== null) this.node(req.parentId);
    if (req.kind === 'site' && req.parentId !== null)
      throw new AppError('VALIDATION', 'A site is at the top of the tree: it has no parent');
    if (req.kind !== 'site' && req.parentId === null)
      throw new AppError('VALIDATION', 'A building or floor belongs to a site or a building');
    if (req.id) {
      const old = this.node(req.id);
      // Moving a node under itself or one of its own would cut it off the tree.
      for (let p = req.parentId; p !== null; p = this.node(p).parentId)
        if (p === req.id) throw new AppError('VALIDATION', 'A map cannot be moved under itself');
      const next = { ...old, name: req.name, kind: req.kind, parentId: req.parentId };
      return this.commit({ ...this.state, doc: { ...doc, nodes: doc.nodes.map((n) => (n.id === req.id ? next : n)) } });
    }
    if (doc.nodes.length >= MAX_MAPS) throw new AppError('VALIDATION', `At most ${MAX_MAPS} maps are kept`);
    const node: MapNode = { id: randomUUID(), name: req.name, kind: req.kind, parentId: req.parentId, image: null };
    return this.commit({ ...this.state, doc: { ...doc, nodes: [...doc.nodes, node] } });
  }

  deleteNode(id: string): MapsState {
    this.editable();
    this.node(id);
    const { doc } = this.state;
    const doomed = new Set([id]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const n of doc.nodes)
        if (n.parentId !== null && doomed.has(n.parentId) && !doomed.has(n.id)) {
          doomed.add(n.id);
          grew = true;
        }
    }
    const gone = doc.nodes.filter((n) => doomed.has(n.id) && n.image).map((n) => n.image!.id);
    return this.commit(
      {
        ...this.state,
        doc: {
          ...doc,
          nodes: doc.nodes.filter((n) => !doomed.has(n.id)),
          pins: doc.pins.filter((p) => !doomed.has(p.mapId)),
        },
      },
      gone,
    );
  }

  /** A plan for a node: checked and (an SVG) rebuilt, written under a new id, then the document points at it. */
  setImage(mapId: string, fileName: string, base64: string): MapsState {
    this.editable();
    const old = this.node(mapId);
    let plan: { type: PlanType; bytes: Uint8Array };
    try {
      plan = readPlanImage(Buffer.from(base64, 'base64'), MAX_MAP_IMAGE_BYTES);
    } catch (e) {
      if (e instanceof PlanImageError)
        throw new AppError('VALIDATION', `${fileName.slice(0, 120) || 'The file'}: ${e.message}`);
      throw e;
    }
    const id = randomUUID();
    const file = this.imagePath(id, EXT[plan.type]);
    fs.writeFileSync(`${file}.tmp`, plan.bytes, { mode: 0o600 });
    fs.renameSync(`${file}.tmp`, file);
    const next: MapNode = { ...old, image: { id, type: plan.type, bytes: plan.bytes.length } };
    const { doc } = this.state;
    return this.commit(
      { ...this.state, doc: { ...doc, nodes: doc.nodes.map((n) => (n.id === mapId ? next : n)) } },
      old.image ? [old.image.id] : [],
    );
  }

  private readPlan(n: MapNode): SitePlan {
    if (!n.image) throw new AppError('NOT_FOUND', `“${n.name}” has no plan`);
    try {
      return { type: n.image.type, bytes: fs.readFileSync(this.imagePath(n.image.id, EXT[n.image.type])) };
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw new AppError('NOT_FOUND', `The plan of “${n.name}” is missing from the data folder; upload it again`);
    }
  }

  image(mapId: string): MapImage {
    const plan = this.readPlan(this.node(mapId));
    return { type: plan.type, data: Buffer.from(plan.bytes).toString('base64') };
  }

  /** Places new pins and moves known ones; a pin names a map that exists. */
  placePins(pins: ReadonlyArray<Omit<MapPin, 'id'> & { id?: string | undefined }>): MapsState {
    this.editable();
    const { doc } = this.state;
    const byId = new Map(doc.pins.map((p) => [p.id, p]));
    for (const p of pins) {
      this.node(p.mapId);
      const id = p.id ?? randomUUID();
      if (p.id && !byId.has(p.id)) throw new AppError('NOT_FOUND', 'No such pin (it may have been removed)');
      byId.set(id, { ...p, id });
    }
    if (byId.size > MAX_PINS) throw new AppError('VALIDATION', `At most ${MAX_PINS} pins are kept`);
    return this.commit({ ...this.state, doc: { ...doc, pins: [...byId.values()] } });
  }

  removePins(ids: readonly string[]): MapsState {
    this.editable();
    const doomed = new Set(ids);
    const { doc } = this.state;
    return this.commit({ ...this.state, doc: { ...doc, pins: doc.pins.filter((p) => !doomed.has(p.id)) } });
  }

  setPrefs(req: Partial<MapsState['prefs']>): MapsState {
    if (req.tileUrl !== undefined) {
      const problem = tileUrlProblem(req.tileUrl.trim());
      if (problem)
        throw new AppError('VALIDATION', problem, {
          fields: { tileUrl: { key: 'maps.tileUrlInvalid', message: problem } },
        });
    }
    const share = req.share ?? this.state.prefs.share;
    const source = req.source ?? this.state.prefs.source;
    if (share === 'follow' && !source)
      throw new AppError('VALIDATION', 'Name the seat whose maps this seat takes', {
        fields: { source: { key: 'maps.sourceMissing', message: 'Name the seat whose maps this seat takes' } },
      });
    const prefs = {
      ...this.state.prefs,
      ...req,
      ...(req.tileUrl !== undefined ? { tileUrl: req.tileUrl.trim() } : {}),
    };
    return this.commit({ ...this.state, prefs });
  }

  /** The plan a node of the document shows, by its image id (what this seat publishes). */
  planById(imageId: string): SitePlan {
    const n = this.state.doc.nodes.find((x) => x.image?.id === imageId);
    if (!n) throw new AppError('NOT_FOUND', 'No map shows this plan');
    return this.readPlan(n);
  }

  /**
   * The maps another seat published (assembled and hash-checked by the control room's receiver),
   * checked as a site file is, replacing this seat's: plans already here under the same id are
   * kept, new ones written before the document points at them. `plans` holds the plans that came.
   */
  applyPublished(
    from: MapsReceived,
    doc: MapDocument,
    plans: ReadonlyMap<string, Uint8Array>,
  ): { state: MapsState; skipped: string[] } {
    const local = new Map(this.state.doc.nodes.filter((n) => n.image).map((n) => [n.image!.id, n]));
    const site = checkSite(doc, (n) => {
      const came = plans.get(n.image!.id);
      if (came) return came;
      const here = local.get(n.image!.id);
      if (here) return this.readPlan(here).bytes;
      throw new PlanImageError('its picture has not arrived');
    });
    const written: string[] = [];
    try {
      const nodes = site.doc.nodes.map((n): MapNode => {
        if (!n.image) return n;
        const plan = site.images.get(n.image.id)!;
        const here = local.get(n.image.id)?.image;
        if (here && here.type === plan.type && here.bytes === plan.bytes.length) return n;
        // An id this seat uses for another picture is not overwritten: the plan gets a fresh one.
        const id = here ? randomUUID() : n.image.id;
        const file = this.imagePath(id, EXT[plan.type]);
        fs.writeFileSync(`${file}.tmp`, plan.bytes, { mode: 0o600 });
        fs.renameSync(`${file}.tmp`, file);
        written.push(id);
        return { ...n, image: { id, type: plan.type, bytes: plan.bytes.length } };
      });
      const keep = new Set(nodes.filter((n) => n.image).map((n) => n.image!.id));
      const gone = this.state.doc.nodes.filter((n) => n.image && !keep.has(n.image.id)).map((n) => n.image!.id);
      const state = this.commit(
        { ...this.state, doc: { version: 1, nodes, pins: site.doc.pins }, received: from },
        gone,
      );
      return { state, skipped: site.skipped };
    } catch (e) {
      for (const id of written)
        for (const ext of Object.values(EXT)) fs.rmSync(this.imagePath(id, ext), { force: true });
      throw e;
    }
  }

  exportSite(now = new Date()): { fileName: string; text: string } {
    const images = new Map<string, SitePlan>();
    for (const n of this.state.doc.nodes) if (n.image) images.set(n.image.id, this.readPlan(n));
    return {
      fileName: `vigil-site-${now.toISOString().slice(0, 10)}.json`,
      text: writeSiteFile(this.state.doc, images, now),
    };
  }

  /**
   * A site file: checked whole before anything changes. Merge: a map or pin with an id known here is
   * replaced by the file's, the others stay; replace: the file's maps are all there is.
   */
  importSite(text: string, mode: 'merge' | 'replace'): SiteFileImportReport {
    this.editable();
    let site;
    try {
      site = readSiteFile(text);
    } catch (e) {
      if (e instanceof PlanImageError) throw new AppError('VALIDATION', e.message);
      throw e;
    }
    const { doc } = this.state;
    const incoming = new Set(site.doc.nodes.map((n) => n.id));
    const incomingPins = new Set(site.doc.pins.map((p) => p.id));
    const keptNodes = mode === 'replace' ? [] : doc.nodes.filter((n) => !incoming.has(n.id));
    const keptPins = mode === 'replace' ? [] : doc.pins.filter((p) => !incomingPins.has(p.id));
    // A kept node whose parent the file replaced with another tree still has its parent: ids are stable.
    const nodes = [...keptNodes];
    const written: string[] = [];
    try {
      for (const n of site.doc.nodes) {
        if (!n.image) {
          nodes.push(n);
          continue;
        }
        // Every imported plan gets a fresh file: one already here is never overwritten in place.
        const plan = site.images.get(n.image.id)!;
        const id = randomUUID();
        const file = this.imagePath(id, EXT[plan.type]);
        fs.writeFileSync(file, plan.bytes, { mode: 0o600 });
        written.push(id);
        nodes.push({ ...n, image: { id, type: plan.type, bytes: plan.bytes.length } });
      }
      const pins = [...keptPins, ...site.doc.pins];
      if (nodes.length > MAX_MAPS || pins.length > MAX_PINS)
        throw new AppError(
          'VALIDATION',
          `With this file there would be more than ${MAX_MAPS} maps or ${MAX_PINS} pins`,
        );
      const ids = new Set(nodes.map((n) => n.id));
      const replaced = doc.nodes.filter((n) => n.image && (mode === 'replace' || incoming.has(n.id)));
      this.commit(
        {
          ...this.state,
          doc: { version: 1, nodes, pins: pins.filter((p) => ids.has(p.mapId)) },
        },
        replaced.map((n) => n.image!.id),
      );
    } catch (e) {
      for (const id of written)
        for (const ext of Object.values(EXT)) fs.rmSync(this.imagePath(id, ext), { force: true });
      throw e;
    }
    return { maps: site.doc.nodes.length, pins: site.doc.pins.length, skipped: site.skipped };
  }
}

export function mapsHandlers(maps: MapsService): HandlerSlice {
  return {
    'maps:get': () => maps.get(),
    'maps:saveNode': (req) => maps.saveNode(req),
    'maps:deleteNode': ({ id }) => maps.deleteNode(id),
    'maps:setImage': ({ mapId, fileName, data }) => maps.setImage(mapId, fileName, data),
    'maps:image': ({ id }) => maps.image(id),
    'maps:placePins': ({ pins }) => maps.placePins(pins),
    'maps:removePins': ({ ids }) => maps.removePins(ids),
    'maps:setPrefs': (req) => maps.setPrefs(req),
    'maps:export': () => maps.exportSite(),
    'maps:import': ({ text, mode }) => maps.importSite(text, mode),
  };
}
