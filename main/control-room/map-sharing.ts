import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { MAX_MAPS, MapDocument, type MapsReceived, type MapsState } from '../../preload/contract';
import { PlanImageError, readPlanImage } from '../formats/map-image';
import type { SitePlan } from '../formats/site-file';
import { log } from '../log';
import type { ControlRoomLink } from './link';
import {
  Assembly,
  PublicationError,
  readChunk,
  readManifest,
  sha256,
  splitBlob,
  type BlobKind,
  type Chunk,
  type Manifest,
} from './map-publication';

/** What the sharing needs of the maps service. */
export interface MapsHost {
  get(): MapsState;
  planById(imageId: string): SitePlan;
  applyPublished(
    from: MapsReceived,
    doc: MapDocument,
    plans: ReadonlyMap<string, Uint8Array>,
  ): { state: MapsState; skipped: string[] };
}

/** Bytes a following seat holds while a publication arrives (chunks and joined plans waiting for the document). */
export const MAX_HELD_BYTES = 256 * 1024 * 1024;

/** What this seat published last, per destination (broker, site, seat), so it knows what to replace and clear. */
const Published = z.object({
  to: z.string(),
  docVersion: z.number(),
  docChunks: z.number(),
  docSha: z.string(),
  plans: z.record(z.string(), z.number()),
});
type Published = z.infer<typeof Published>;

const PLAN_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The site's maps through the control room, for one seat. A publishing seat (Map settings:
 * publish) shares its document and each plan as retained chunked blobs on its own branch and,
 * when a map or the publishing goes, clears what it had retained. A following seat takes only
 * the seat it names: it joins the chunks, checks each blob's SHA-256, and applies a newer
 * document once every plan it shows is here; anything malformed, oversized or not adding up is
 * refused with a notice, and this seat's maps stay as they were.
 */
export class MapSharing {
  private readonly file: string;
  private doc = new Assembly('doc');
  private readonly plans = new Map<string, Assembly>();
  /** Plans joined and checked, waiting for the document that shows them. */
  private readonly ready = new Map<string, Uint8Array>();
  /** The newest document joined and not applied yet (a plan it shows is still coming). */
  private pending: { from: MapsReceived; doc: MapDocument } | null = null;
  private following = '';
  private publishing = false;
  private readonly said = new Set<string>();

  constructor(
    dir: string,
    private readonly maps: MapsHost,
    private readonly link: ControlRoomLink,
    /** Where the control room's broker is: with the site and seat, where the maps went. */
    private readonly broker: () => string,
    private readonly notice: (code: string, message: string) => void,
  ) {
    this.file = path.join(dir, 'published.json');
    link.onMaps((seat, rest, text) => this.receive(seat, rest, text));
  }

  close(): void {
    this.link.onMaps(null);
  }

  /** The maps or the control room changed: publish what is new, or start following another seat. */
  changed(): void {
    const { share, source } = this.maps.get().prefs;
    const follow = share === 'follow' ? source : '';
    if (follow !== this.following) {
      this.following = follow;
      this.forget();
      // Subscribing again has the broker send every retained message of the branch anew.
      if (follow) this.link.onMaps((seat, rest, text) => this.receive(seat, rest, text));
    }
    try {
      this.publish(share === 'publish');
    } catch (e) {
      log.warn(`maps: not published: ${(e as Error).message}`);
    }
  }

  private forget(): void {
    this.doc = new Assembly('doc');
    this.plans.clear();
    this.ready.clear();
    this.pending = null;
  }

  private refuse(seat: string, what: string, why: string): void {
    const text = `Maps published by seat ${seat} refused: ${what}: ${why}. This seat's maps are unchanged.`;
    log.warn(`control room: ${text}`);
    if (this.said.has(text)) return;
    if (this.said.size > 100) this.said.clear();
    this.said.add(text);
    this.notice('notice.mapsRefused', text);
  }

  // ── publishing ────────────────────────────────────────────────────────────────────────────────

  private readPublished(): Published | null {
    try {
      return Published.parse(JSON.parse(fs.readFileSync(this.file, 'utf8')));
    } catch {
      return null;
    }
  }

  private writePublished(p: Published): void {
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(p), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }

  private send(rest: string[], payload: Manifest | Chunk | null): boolean {
    return this.link.shareMap(rest, payload ? JSON.stringify(payload) : '');
  }

  /** Every chunk, then the manifest: a seat that sees the manifest finds its chunks on the way. */
  private sendBlob(base: string[], blob: { manifest: Manifest; chunks: Chunk[] }): void {
    for (const c of blob.chunks) this.send([...base, String(c.n)], c);
    this.send(base, blob.manifest);
  }

  private clearBlob(base: string[], chunks: number, from = 0): void {
    if (from === 0) this.send(base, null);
    for (let n = from; n < chunks; n++) this.send([...base, String(n)], null);
  }

  /**
   * Shares the document and the plans the broker does not have from this seat yet, and clears
   * what it no longer shows; with `on` false, clears everything it published.
   */
  private publish(on: boolean): void {
    if (this.publishing || !this.link.sharing) return;
    this.publishing = true;
    try {
      const { site, seat } = this.link.status();
      const to = JSON.stringify([this.broker(), site, seat]);
      const before = this.readPublished();
      // Retained messages stay on the broker they went to: a new destination starts from nothing.
      const last: Published = before?.to === to ? before : { to, docVersion: 0, docChunks: 0, docSha: '', plans: {} };
      if (!on) {
        if (!last.docChunks && !Object.keys(last.plans).length) return;
        this.clearBlob(['doc'], last.docChunks);
        for (const [id, chunks] of Object.entries(last.plans)) this.clearBlob(['plan', id], chunks);
        this.writePublished({ to, docVersion: last.docVersion, docChunks: 0, docSha: '', plans: {} });
        return;
      }
      const { doc } = this.maps.get();
      const bytes = Buffer.from(JSON.stringify(doc), 'utf8');
      const sha = sha256(bytes);
      if (sha === last.docSha) return;
      const plans: Record<string, number> = {};
      for (const n of doc.nodes) {
        if (!n.image) continue;
        const id = n.image.id;
        if (last.plans[id]) {
          plans[id] = last.plans[id];
          continue;
        }
        const plan = this.maps.planById(id);
        const blob = splitBlob('plan', plan.bytes, 1, plan.type);
        this.sendBlob(['plan', id], blob);
        plans[id] = blob.chunks.length;
      }
      for (const [id, chunks] of Object.entries(last.plans)) if (!plans[id]) this.clearBlob(['plan', id], chunks);
      const version = Math.max(Date.now(), last.docVersion + 1);
      const blob = splitBlob('doc', bytes, version);
      this.sendBlob(['doc'], blob);
      if (last.docChunks > blob.chunks.length) this.clearBlob(['doc'], last.docChunks, blob.chunks.length);
      this.writePublished({ to, docVersion: version, docChunks: blob.chunks.length, docSha: sha, plans });
      log.info(`maps: published version ${version} (${doc.nodes.length} maps, ${Object.keys(plans).length} plans)`);
    } finally {
      this.publishing = false;
    }
  }

  // ── following ─────────────────────────────────────────────────────────────────────────────────

  private held(): number {
    let n = this.doc.held;
    for (const a of this.plans.values()) n += a.held;
    for (const b of this.ready.values()) n += b.length;
    return n;
  }

  /** A message on `maps/<seat>/…` (`text` '' when a retained copy was cleared). */
  private receive(seat: string, rest: readonly string[], text: string): void {
    if (!this.following || seat !== this.following) return;
    const [kind, a, b] = rest;
    let what = 'the map document';
    try {
      if (kind === 'doc' && rest.length <= 2) this.receiveBlob(this.doc, 'doc', a, text);
      else if (kind === 'plan' && a && rest.length <= 3) {
        what = `plan ${a.slice(0, 64)}`;
        if (!PLAN_ID.test(a)) throw new PublicationError('not a plan id');
        // A publisher never changes the picture under an id: one kept here already is not taken again.
        if (this.maps.get().doc.nodes.some((n) => n.image?.id === a)) return this.apply();
        let asm = this.plans.get(a);
        if (!asm) {
          if (!text) return;
          if (this.plans.size >= MAX_MAPS) throw new PublicationError(`more than ${MAX_MAPS} plans at once`);
          asm = new Assembly('plan');
          this.plans.set(a, asm);
        }
        this.receiveBlob(asm, 'plan', b, text);
        const joined = asm.complete();
        if (joined) {
          // Read by its bytes (an SVG sanitised) before it waits: the document applies it as read here.
          readPlanImage(joined, joined.length);
          this.ready.set(a, joined);
          this.plans.delete(a);
        }
      } else return;
      if (kind === 'doc') this.docJoined(seat);
      if (this.held() > MAX_HELD_BYTES) {
        this.forget();
        throw new PublicationError(
          `more than ${MAX_HELD_BYTES / 1048576} MB waiting to be joined; exchange the maps by site file`,
        );
      }
      this.apply();
    } catch (e) {
      if (!(e instanceof PublicationError || e instanceof PlanImageError)) throw e;
      if (kind === 'plan' && a) this.plans.delete(a);
      this.refuse(seat, what, e.message);
    }
  }

  private receiveBlob(asm: Assembly, kind: BlobKind, index: string | undefined, text: string): void {
    if (index === undefined) {
      if (!text) return asm.clear(); // cleared: nothing to join, nothing here changes
      asm.setManifest(readManifest(kind, text));
      return;
    }
    if (!text) return;
    const chunk = readChunk(text);
    if (String(chunk.n) !== index) throw new PublicationError(`chunk ${chunk.n} on the topic of chunk ${index}`);
    asm.addChunk(chunk);
  }

  private docJoined(seat: string): void {
    const bytes = this.doc.complete();
    const m = this.doc.manifest;
    if (!bytes || !m) return;
    const received = this.maps.get().received;
    if (received?.seat === seat && m.version <= received.version) return; // taken already
    if (this.pending && this.pending.from.version >= m.version) return;
    let doc: MapDocument;
    try {
      doc = MapDocument.parse(JSON.parse(bytes.toString('utf8')));
    } catch {
      throw new PublicationError('not a valid map document');
    }
    this.pending = { from: { seat, version: m.version, at: Date.now() }, doc };
  }

  /** The pending document, once every plan it shows is here (joined, or kept from before). */
  private apply(): void {
    const pending = this.pending;
    if (!pending) return;
    // A plan kept here under its id is the same picture (ids are fresh at every upload): not asked again.
    const local = new Set(this.maps.get().doc.nodes.map((n) => n.image?.id));
    for (const n of pending.doc.nodes) if (n.image && !this.ready.has(n.image.id) && !local.has(n.image.id)) return;
    this.pending = null;
    const { state, skipped } = this.maps.applyPublished({ ...pending.from, at: Date.now() }, pending.doc, this.ready);
    this.ready.clear();
    log.info(
      `maps: took version ${pending.from.version} of seat ${pending.from.seat} (${state.doc.nodes.length} maps, ${state.doc.pins.length} pins)`,
    );
    if (skipped.length)
      this.notice(
        'notice.mapsPartlyTaken',
        `Maps of seat ${pending.from.seat} taken, but not all of them: ${skipped.join('; ')}`.slice(0, 2000),
      );
  }
}
