import { z } from 'zod';
import { AccountId, msg, PlatformId } from './accounts';

/**
 * The live wall's vocabulary: one device tree across accounts, play sources, PTZ, saved views.
 * Node ids are opaque strings minted by main (`<kind>:<platform id>`), unique per account.
 */
export const NodeKind = z.enum(['account', 'group', 'device', 'channel']);
export const NodeStatus = z.enum(['online', 'offline', 'unknown']);

export const TreeNode = z.object({
  accountId: AccountId,
  id: z.string().max(300),
  parentId: z.string().max(300).nullable(),
  kind: NodeKind,
  name: z.string(),
  status: NodeStatus,
  /** channels: a PTZ camera (true/false), unknown (null); steered only where the account has `ptz` */
  ptz: z.boolean().nullable(),
  platform: PlatformId,
  /** channels: where the camera stands (WGS-84 degrees), when its platform says (Alibaba VCS) */
  geo: z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }).optional(),
});
export type TreeNode = z.infer<typeof TreeNode>;

export const TreeLoadRequest = z.object({ accountId: AccountId, refresh: z.boolean().optional() }).strict();
export const TreeLoadResponse = z.object({
  nodes: z.array(TreeNode),
  loadedAt: z.string(),
  error: z.string().nullable(),
});

export const StreamKind = z.enum(['main', 'sub']);
export const LiveSourceRequest = z
  .object({ accountId: AccountId, channelId: z.string().max(300), stream: StreamKind })
  .strict();
/** A stream's video codec: H.265 needs main's transcoder where the runtime cannot decode it (issue 24). */
export const VideoCodec = z.enum(['h264', 'h265']);
export type VideoCodec = z.infer<typeof VideoCodec>;
export const LiveSource = z.object({
  protocol: z.enum(['flv', 'hls']),
  url: z.string(),
  hasAudio: z.boolean().optional(),
  /** Play URLs may expire or be single-use: the player asks again on every reconnect. */
  expiresAt: z.string().optional(),
  /** Already on main's relay (main adds headers the renderer must not see): play as is. */
  relayed: z.boolean().optional(),
  /** The video codec as the platform documents it for this stream (absent: only the stream says). */
  codec: VideoCodec.optional(),
});
export type LiveSource = z.infer<typeof LiveSource>;

export const PtzCommand = z.enum([
  'up',
  'down',
  'left',
  'right',
  'upleft',
  'upright',
  'downleft',
  'downright',
  'zoomin',
  'zoomout',
  'focusnear',
  'focusfar',
  'irisopen',
  'irisclose',
  'stop',
]);
export type PtzCommand = z.infer<typeof PtzCommand>;
export const PtzRequest = z
  .object({
    accountId: AccountId,
    channelId: z.string().max(300),
    command: PtzCommand,
    speed: z.number().int().min(1).max(8),
  })
  .strict();
/** Done with PTZ on a channel (pad closed, pane closed): give back the platform's control lock. */
export const PtzReleaseRequest = z.object({ accountId: AccountId, channelId: z.string().max(300) }).strict();

/** A picture the camera takes now, through the platform (not the frame on screen). */
export const CloudSnapshotRequest = z.object({ accountId: AccountId, channelId: z.string().max(300) }).strict();
export const CloudSnapshot = z.object({ picture: z.string().startsWith('data:image/'), takenAt: z.number() });

/** PTZ presets of a channel (Tencent IVC 1–10 unnamed, Huawei IVM 1–512 named). */
export const PresetsRequest = z.object({ accountId: AccountId, channelId: z.string().max(300) }).strict();
export const Preset = z.object({
  index: z.number().int(),
  name: z.string(),
  /** The platform's preview of the stored position (Huawei IVM captures one), as a data: URL. */
  thumbnail: z.string().startsWith('data:image/').optional(),
});
export const PresetsResponse = z.object({
  presets: z.array(Preset),
  limits: z.object({
    minIndex: z.number().int(),
    maxIndex: z.number().int(),
    maxCount: z.number().int(),
    nameEditable: z.boolean(),
  }),
});
export const PresetGoRequest = PresetsRequest.extend({ index: z.number().int().min(0).max(1024) }).strict();
/** Preset and cruise names: the character set Huawei IVM documents (§15.0); Tencent presets are unnamed. */
export const PtzName = z
  .string()
  .trim()
  .min(1, msg('validation.required', 'Required'))
  .max(128, msg('validation.ptzName', 'Letters, digits, Chinese, space, . _ - only; at most 128'))
  .regex(
    /^[\p{Script=Han}A-Za-z0-9 ._-]+$/u,
    msg('validation.ptzName', 'Letters, digits, Chinese, space, . _ - only; at most 128'),
  );
/** Store the current position: at `index`, or at the lowest free slot when omitted. */
export const PresetSaveRequest = PresetsRequest.extend({
  index: z.number().int().min(0).max(1024).optional(),
  name: PtzName,
}).strict();
export const PresetRenameRequest = PresetsRequest.extend({
  index: z.number().int().min(0).max(1024),
  name: PtzName,
}).strict();

export const PaneAssignment = z.object({
  accountId: AccountId,
  channelId: z.string().max(300),
  name: z.string().max(200),
});
export type PaneAssignment = z.infer<typeof PaneAssignment>;
export const SavedView = z.object({
  id: z.string().regex(/^view_[0-9a-z]{12}$/),
  name: z.string().trim().min(1).max(64),
  layout: z.string().regex(/^(\d+|1\+5|1\+7|1\+12|\d+x\d+)$/),
  panes: z.array(PaneAssignment.nullable()).max(64),
});
export type SavedView = z.infer<typeof SavedView>;
export const ViewsState = z.object({ views: z.array(SavedView), startupViewId: z.string().nullable() });
export const ViewSaveRequest = z
  .object({
    id: SavedView.shape.id.optional(),
    name: SavedView.shape.name,
    layout: SavedView.shape.layout,
    panes: SavedView.shape.panes,
  })
  .strict();

/** Favourite channels, pinned at the top of the tree across accounts (the name is a fallback until the tree loads). */
export const MAX_FAVOURITES = 500;
export const Favourites = z.object({ favourites: z.array(PaneAssignment).max(MAX_FAVOURITES) });
export const FavouriteToggleRequest = PaneAssignment.strict();

export const RecordingsRequest = z
  .object({
    accountId: AccountId,
    channelId: z.string().max(300),
    startMs: z.number().int().nonnegative(),
    endMs: z.number().int().nonnegative(),
  })
  .strict();
export const RecordingSegment = z.object({ kind: z.enum(['cloud', 'device']), startMs: z.number(), endMs: z.number() });
export type RecordingSegment = z.infer<typeof RecordingSegment>;
/** `listed: false`: the platform cannot list recordings (Alibaba VCS); a chosen range still plays. */
export const RecordingsResponse = z.object({
  segments: z.array(RecordingSegment),
  capabilities: z.object({ cloud: z.boolean(), device: z.boolean(), listed: z.boolean() }),
});
export const PlaybackSourceRequest = RecordingsRequest.extend({ kind: z.enum(['cloud', 'device']) }).strict();
/** VCR control of a device-side playback session (Tencent E37): pause, resume, speed, stop. */
export const PlaybackControlRequest = z
  .object({
    accountId: AccountId,
    channelId: z.string().max(300),
    session: z.string().min(1).max(200),
    action: z.enum(['play', 'pause', 'stop']),
    scale: z
      .union([z.literal(0.25), z.literal(0.5), z.literal(1), z.literal(2), z.literal(4), z.literal(8)])
      .optional(),
  })
  .strict();
export type PlaybackControlRequest = z.infer<typeof PlaybackControlRequest>;
export const PlaybackSource = z.object({
  protocol: z.enum(['flv', 'hls']),
  url: z.string(),
  session: z.string().optional(),
  relayed: z.boolean().optional(),
  codec: VideoCodec.optional(),
});
