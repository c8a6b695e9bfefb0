import { z } from 'zod';
import { MAX_MAP_IMAGE_BYTES, MAX_MAPS, MAX_PINS, MAX_SITE_FILE_CHARS } from '../../common/map-limits';
import { base64Length } from './limits';

export * from '../../common/map-limits';

/**
 * Maps: floor plans (PNG, JPEG or sanitised SVG kept by main in the data folder) in a site →
 * building → floor tree, with camera pins placed on them. A pin's position is normalised to the
 * plan (0–1 on each axis, from the top left), so a plan replaced by a sharper scan keeps its pins.
 */

const Id = z.string().min(1).max(64);
/** Plan images are files named by their id: letters, digits, `-` and `_` only. */
const FileId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const Name = z.string().trim().min(1).max(120);

export const MapKind = z.enum(['site', 'building', 'floor']);
export type MapKind = z.infer<typeof MapKind>;
export const MapImageType = z.enum(['image/png', 'image/jpeg', 'image/svg+xml']);
export type MapImageType = z.infer<typeof MapImageType>;

/** One node of the tree; any node may have a plan (a site's aerial view, a floor's plan). */
export const MapNode = z.object({
  id: Id,
  name: Name,
  kind: MapKind,
  parentId: Id.nullable(),
  /** The plan's image: its file in the data folder is `<id>` plus the type's extension. */
  image: z
    .object({ id: FileId, type: MapImageType, bytes: z.number().int().min(1).max(MAX_MAP_IMAGE_BYTES) })
    .nullable(),
});
export type MapNode = z.infer<typeof MapNode>;

/** A camera on a plan: where it is, which way it looks and how wide. */
export const MapPin = z.object({
  id: Id,
  mapId: Id,
  accountId: z.string().min(1).max(64),
  channelId: z.string().min(1).max(256),
  name: z.string().max(256),
  x: z.number().min(0).max(1),
  y: z.number().min(0).max(1),
  /** Degrees clockwise from up (north on a plan drawn north-up). */
  direction: z.number().min(0).max(360),
  /** The field of view's width in degrees. */
  fov: z.number().min(5).max(360),
  /** The wedge's length as a share of the plan's larger side. */
  range: z.number().min(0.01).max(1),
});
export type MapPin = z.infer<typeof MapPin>;

export const MapDocument = z.object({
  version: z.literal(1),
  nodes: z.array(MapNode).max(MAX_MAPS),
  pins: z.array(MapPin).max(MAX_PINS),
});
export type MapDocument = z.infer<typeof MapDocument>;

/** What this seat chose (not part of a site file: another seat chooses for itself). */
export const MapPrefs = z.object({
  /** An alarm on a pinned camera opens its map on the Maps page. */
  bringForward: z.boolean(),
  /**
   * The geographic map's tile template (`https://…/{z}/{x}/{y}.png`); empty: no geographic map,
   * and no request leaves this machine for one.
   */
  tileUrl: z.string().max(512),
  /**
   * The control room: `publish`, this seat edits the site's maps and publishes them (retained);
   * `follow`, this seat takes the maps `source` publishes (and edits none itself); `off`, neither.
   */
  share: z.enum(['off', 'publish', 'follow']),
  /** The seat whose maps a following seat takes. */
  source: z.string().trim().max(64),
});
export type MapPrefs = z.infer<typeof MapPrefs>;

/** The publication a following seat took last: whose, which version, when. */
export const MapsReceived = z.object({ seat: z.string().max(64), version: z.number(), at: z.number() });
export type MapsReceived = z.infer<typeof MapsReceived>;

export const MapsState = z.object({ doc: MapDocument, prefs: MapPrefs, received: MapsReceived.nullable() });
export type MapsState = z.infer<typeof MapsState>;

export const MapNodeSaveRequest = z
  .object({ id: Id.optional(), name: Name, kind: MapKind, parentId: Id.nullable() })
  .strict();
export const MapIdRequest = z.object({ id: Id }).strict();
export const MapImageSetRequest = z
  .object({
    mapId: Id,
    /** The file's name, for messages only. */
    fileName: z.string().max(260),
    /** The file as base64; its type is read from its bytes, never from the name. */
    data: z.string().max(base64Length(MAX_MAP_IMAGE_BYTES) + 4),
  })
  .strict();
export const MapImage = z.object({ type: MapImageType, data: z.string() });
export type MapImage = z.infer<typeof MapImage>;
export const MapPinsPlaceRequest = z
  .object({
    pins: z
      .array(MapPin.partial({ id: true }))
      .min(1)
      .max(256),
  })
  .strict();
export const MapPinsRemoveRequest = z.object({ ids: z.array(Id).min(1).max(MAX_PINS) }).strict();
export const MapPrefsSetRequest = MapPrefs.partial().strict();

export const SiteFileExport = z.object({ fileName: z.string(), text: z.string() });
export const SiteFileImportRequest = z
  .object({ text: z.string().max(MAX_SITE_FILE_CHARS), mode: z.enum(['merge', 'replace']) })
  .strict();
export const SiteFileImportReport = z.object({
  maps: z.number(),
  pins: z.number(),
  /** what was left out, each in a sentence */
  skipped: z.array(z.string()),
});
export type SiteFileImportReport = z.infer<typeof SiteFileImportReport>;
