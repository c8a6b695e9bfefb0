import { z } from 'zod';
import { AppInfo, Empty, Notice, Preferences, SettingsSetRequest } from './app';
import {
  Account,
  AccountsAddRequest,
  AccountsIdRequest,
  AccountsListResponse,
  AccountsTestResponse,
  AccountsUpdateRequest,
} from './accounts';
import type { Channel, EventName } from './names';
import { DecodeRate, TranscodeAnswer, TranscodeList, TranscodeRequest, TranscodeStopRequest } from './media';
import {
  CruiseCopyRequest,
  CruiseCopyResponse,
  CruiseIdRequest,
  CruiseRunRequest,
  CruiseSaveRequest,
  CruiseSaveResponse,
  CruiseState,
} from './cruise';
import { ExportJob, ExportJobs, ExportRequest } from './exports';
import { MotionSearchJob, MotionSearchJobs, MotionSearchRequest, MotionSearchUpdate } from './motion';
import { EvidenceJob, EvidenceJobs, EvidenceKeyInfo, EvidenceRequest } from './evidence';
import { HealthRequest, HealthSummary } from './health';
import {
  PeopleFlow,
  PeopleFlowRequest,
  SpaceHeat,
  SpaceHeatRequest,
  StatsExport,
  StatsExportRequest,
  TimeHeat,
  TimeHeatRequest,
} from './statistics';
import {
  ChannelServices,
  ImportJobRequest,
  ImportProgress,
  ImportResult,
  ImportStartRequest,
  SheetContent,
  SheetReadRequest,
  HoloAddRequest,
  HoloAddResponse,
  ServiceDisableRequest,
  ServiceEnableRequest,
  ChannelRenameRequest,
  ChannelRequest,
  CredentialCreateRequest,
  CredentialsRequest,
  DeviceOutcomes,
  DevicesDeleteRequest,
  DevicesMoveRequest,
  DeviceStatus,
  DeviceStatusRequest,
  GbAddRequest,
  GbAddResponse,
  GbCredentials,
  GbSheet,
  GbSheetRequest,
  InstallerOptions,
  PasswordSetRequest,
  PasswordState,
  StreamSettings,
  StreamSettingsSave,
} from './installer';
import {
  ChannelOutcomes,
  ChannelPlanRequest,
  ChannelPlans,
  CloudPlanChannels,
  CloudPlanChannelsRequest,
  CloudPlanDeleteRequest,
  CloudPlanSaveRequest,
  CloudPlans,
  CloudPlansRequest,
  PlanClearRequest,
  PlanSaveRequest,
  RecordingTemplates,
  RetentionSaveRequest,
  TemplateDeleteRequest,
  TemplateSaveRequest,
  TemplatesRequest,
} from './plans';
import {
  LibraryScopes,
  LibraryScopesRequest,
  GroupCreateRequest,
  GroupIdRequest,
  GroupUpdateRequest,
  ItemOutcome,
  ItemOutcomes,
  LibraryRequest,
  LibraryState,
  TargetPictureRequest,
  TargetsAddRequest,
  TargetsDeleteRequest,
  TargetsRequest,
  TargetsResponse,
  TargetUpdateRequest,
} from './targets';
import {
  Alarm,
  AlarmAccountRequest,
  AlarmAckRequest,
  AlarmPictureRequest,
  AlarmReceiverRequest,
  AlarmReceiverState,
  AlarmAssignRequest,
  AlarmCloseRequest,
  AlarmHistory,
  AlarmIdRequest,
  AlarmListRequest,
  AlarmPage,
  AuditExport,
  AuditExportRequest,
} from './alarms';
import {
  ControlRoomSetRequest,
  ControlRoomState,
  ControlRoomStatus,
  PinnedKeys,
  PtzHoldRequest,
  RevokeKeyRequest,
  SeatCommand,
  SendToSeatRequest,
} from './control-room';
import {
  BookmarkChange,
  BookmarkCreateRequest,
  BookmarkHistory,
  BookmarkIdRequest,
  BookmarkList,
  BookmarkQuery,
  BookmarkUpdateRequest,
  BookmarkView,
} from './bookmarks';
import {
  MapIdRequest,
  MapImage,
  MapImageSetRequest,
  MapNodeSaveRequest,
  MapPinsPlaceRequest,
  MapPinsRemoveRequest,
  MapPrefsSetRequest,
  MapsState,
  SiteFileExport,
  SiteFileImportReport,
  SiteFileImportRequest,
} from './maps';
import { GamepadForgetRequest, GamepadMappings, GamepadSaveRequest } from './gamepad';
import { ThumbnailAnswer, ThumbnailCacheInfo, ThumbnailRequest } from './thumbnails';
import { SearchScopes, SearchScopesRequest, TargetSearchRequest, TargetSearchResponse } from './search';
import { UpdatesSetRequest, UpdateStatus } from './updates';
import {
  CloudSnapshot,
  CloudSnapshotRequest,
  LiveSource,
  LiveSourceRequest,
  PlaybackControlRequest,
  PlaybackSource,
  PlaybackSourceRequest,
  PresetGoRequest,
  PresetRenameRequest,
  PresetSaveRequest,
  PresetsRequest,
  PresetsResponse,
  PtzReleaseRequest,
  PtzRequest,
  RecordingsRequest,
  RecordingsResponse,
  SavedView,
  TreeLoadRequest,
  TreeLoadResponse,
  ViewSaveRequest,
  ViewsState,
  Favourites,
  FavouriteToggleRequest,
} from './wall';

export { channelNames, eventNames, type Channel, type EventName } from './names';

/**
 * The one map of every call the renderer can make: `domain:verb` → request and response schemas.
 * Main validates both sides; the preloads only forward names listed here.
 */
export const channels = {
  'app:info': { request: Empty, response: AppInfo },
  'app:dismissNotice': { request: z.object({ id: z.string() }).strict(), response: z.null() },
  /** Another wall window, on another display where there is one (Electron); `opened: false` tells the browser host's page to open a tab. */
  'app:openWindow': { request: Empty, response: z.object({ opened: z.boolean() }) },
  'accounts:list': { request: Empty, response: AccountsListResponse },
  'accounts:add': { request: AccountsAddRequest, response: Account },
  'accounts:update': { request: AccountsUpdateRequest, response: Account },
  'accounts:remove': { request: AccountsIdRequest, response: z.null() },
  'accounts:test': { request: AccountsIdRequest, response: AccountsTestResponse },
  /** An account set aside on upgrade, put back marked "this platform runs on my network" (the operator's click). */
  'accounts:restore': { request: AccountsIdRequest, response: Account },
  'settings:get': { request: Empty, response: Preferences },
  'settings:set': { request: SettingsSetRequest, response: Preferences },
  /** Developer mode (stream-test page, bench): a typed loopback stream URL → the same stream on a relay lane of main. */
  'media:relay': {
    request: z.object({ url: z.string().url().max(4096) }).strict(),
    response: z.object({ url: z.string() }),
  },
  /**
   * A wall pane's decode rate (issue 26): main's relay cuts the FLV stream at `url` (an address it
   * gave out) to key frames too, or to none while the pane is held unseen, so what the pane would
   * drop never reaches the renderer. `applied` false: not a stream of the relay (the renderer's own
   * filter does it all). `sound` false: the pane opened the stream without sound (nobody listens to
   * it), so the relay drops its audio too and a camera with sound can be cut like a silent one.
   */
  'media:rate': {
    request: z.object({ url: z.string().url().max(4096), rate: DecodeRate, sound: z.boolean().optional() }).strict(),
    response: z.object({ applied: z.boolean() }),
  },
  /** H.265 the runtime cannot decode → H.264 by main's ffmpeg, within the transcode budget (issue 24). */
  'media:transcode': { request: TranscodeRequest, response: TranscodeAnswer },
  'media:transcodeStop': { request: TranscodeStopRequest, response: z.null() },
  'media:transcodes': { request: Empty, response: TranscodeList },
  /** One account's device tree (groups, devices, channels), cached in main; `refresh` reloads. */
  'tree:load': { request: TreeLoadRequest, response: TreeLoadResponse },
  /** A fresh play source for a channel: asked again on every (re)connect. */
  'live:source': { request: LiveSourceRequest, response: LiveSource },
  /** The camera takes a picture through the platform (Huawei IVM §10.3, Alibaba GetDevicePicture). */
  'live:snapshot': { request: CloudSnapshotRequest, response: CloudSnapshot },
  'ptz:command': { request: PtzRequest, response: z.null() },
  'ptz:release': { request: PtzReleaseRequest, response: z.null() },
  'presets:list': { request: PresetsRequest, response: PresetsResponse },
  'presets:goto': { request: PresetGoRequest, response: z.null() },
  /** Stores the camera's current position as a preset; answers the new list. */
  'presets:save': { request: PresetSaveRequest, response: PresetsResponse },
  'presets:remove': { request: PresetGoRequest, response: PresetsResponse },
  'presets:rename': { request: PresetRenameRequest, response: PresetsResponse },
  /** Cruise tracks of a PTZ channel with their points and which one runs (NOT_AVAILABLE where the platform has none). */
  'cruise:list': { request: PresetsRequest, response: CruiseState },
  /** Validated against the platform's ranges and presets, sent, then re-read. */
  'cruise:save': { request: CruiseSaveRequest, response: CruiseSaveResponse },
  'cruise:remove': { request: CruiseIdRequest, response: CruiseState },
  /** Start (`on`) or stop a track; starting one stops any other on the channel. */
  'cruise:run': { request: CruiseRunRequest, response: CruiseState },
  'cruise:copy': { request: CruiseCopyRequest, response: CruiseCopyResponse },
  /** Online/offline counts per group and the platform's health lists (refreshed, never cached). */
  'health:summary': { request: HealthRequest, response: HealthSummary },
  /** People in and out of one camera per hour, day or month (Huawei IVM §10.4.1). */
  'statistics:peopleFlow': { request: PeopleFlowRequest, response: PeopleFlow },
  /** A week's or month's time heat map as days × 24 hours (§10.4.2, one DAY per row). */
  'statistics:timeHeat': { request: TimeHeatRequest, response: TimeHeat },
  /** The space heat map's grey grid for a period (§10.4.3); the page colours it (§20.3). */
  'statistics:spaceHeat': { request: SpaceHeatRequest, response: SpaceHeat },
  /** People flow as CSV or XLSX, read again from the platform. */
  'statistics:export': { request: StatsExportRequest, response: StatsExport },
  /** Pre-register GB28181 devices by the request's registration model, with the SIP values per device. */
  'installer:addGb': { request: GbAddRequest, response: GbAddResponse },
  /** Bind a HoloSens device by ID and verification code (IVM §6.6); it then connects by itself. */
  'installer:addHolo': { request: HoloAddRequest, response: HoloAddResponse },
  /** Import devices from a sheet through the platform's own template (Tencent IVC E27 → E24); answers the job. */
  'installer:import': { request: ImportStartRequest, response: z.object({ jobId: z.string() }) },
  'installer:importProgress': { request: ImportJobRequest, response: ImportProgress },
  'installer:importResult': { request: ImportJobRequest, response: ImportResult },
  /** The first sheet of an .xlsx the installer picked, as text (CSV is read in the page). */
  'installer:readSheet': { request: SheetReadRequest, response: SheetContent },
  /** Organizations and service nodes a new device can go to (Tencent IVC). */
  'installer:options': { request: CredentialsRequest, response: InstallerOptions },
  /** A device's registration state, polled while the installer configures the camera. */
  'installer:status': { request: DeviceStatusRequest, response: DeviceStatus },
  /** Ask an NVR for its channel catalogue again (Huawei VIS §4.3.6, asynchronous): answers the status to poll. */
  'installer:refreshChannels': { request: DeviceStatusRequest, response: DeviceStatus },
  /** A one-time URL of a device's printable GB28181 sheet with its generated password (served by main). */
  'installer:gbSheet': { request: GbSheetRequest, response: GbSheet },
  /** GB28181 credentials (VIS). */
  'installer:credentials': { request: CredentialsRequest, response: GbCredentials },
  'installer:createCredential': {
    request: CredentialCreateRequest,
    response: z.object({ username: z.string(), type: z.string().nullable() }),
  },
  /** A channel's stream settings and what its encoder offers (IVM §17). */
  'device:streams': { request: ChannelRequest, response: StreamSettings },
  /** Checked against the offers, written whole, answered by a re-read. */
  'device:setStreams': { request: StreamSettingsSave, response: StreamSettings },
  'device:renameChannel': { request: ChannelRenameRequest, response: z.null() },
  /** Whether the camera's own password is yet to be set or can be changed (IVM §16). */
  'device:passwordState': { request: ChannelRequest, response: PasswordState },
  'device:setPassword': { request: PasswordSetRequest, response: z.null() },
  /** A channel's paid services and the account's resources that can provide them (IVM §12–§13). */
  'device:services': { request: ChannelRequest, response: ChannelServices },
  /** Bind channels to a resource (switching from another of its type); a result per channel. */
  'device:enableService': { request: ServiceEnableRequest, response: ChannelOutcomes },
  /** Unbind a service type; MANAGE only after the others. */
  'device:disableService': { request: ServiceDisableRequest, response: ChannelOutcomes },
  /** Move devices into another group (up to 100), a result per device. */
  'device:move': { request: DevicesMoveRequest, response: DeviceOutcomes },
  /** Delete devices from the platform (up to 100), a result per device. */
  'device:delete': { request: DevicesDeleteRequest, response: DeviceOutcomes },
  /** A channel's cloud-recording plans (continuous, motion) and retention. */
  'plans:get': { request: ChannelPlanRequest, response: ChannelPlans },
  /** One schedule to one or more channels; a result per channel. */
  'plans:save': { request: PlanSaveRequest, response: ChannelOutcomes },
  'plans:clear': { request: PlanClearRequest, response: ChannelOutcomes },
  'plans:retention': { request: RetentionSaveRequest, response: ChannelOutcomes },
  /** Named weekly schedules (Tencent IVC templates); saves answer the re-read list. */
  'plans:templates': { request: TemplatesRequest, response: RecordingTemplates },
  'plans:saveTemplate': { request: TemplateSaveRequest, response: RecordingTemplates },
  'plans:deleteTemplate': { request: TemplateDeleteRequest, response: RecordingTemplates },
  /** Plans that record channels into the cloud on a template (Tencent IVC); changes answer the re-read list. */
  'plans:cloudPlans': { request: CloudPlansRequest, response: CloudPlans },
  'plans:cloudPlanChannels': { request: CloudPlanChannelsRequest, response: CloudPlanChannels },
  'plans:saveCloudPlan': { request: CloudPlanSaveRequest, response: CloudPlans },
  'plans:deleteCloudPlan': { request: CloudPlanDeleteRequest, response: CloudPlans },
  /** Where an account keeps target libraries: IVM devices, or the Alibaba account itself. */
  'targets:scopes': { request: LibraryScopesRequest, response: LibraryScopes },
  /** A device's target library: family, limits, groups with their target counts. */
  'targets:groups': { request: LibraryRequest, response: LibraryState },
  'targets:createGroup': { request: GroupCreateRequest, response: LibraryState },
  /** Rename and enable/disable (the platform's "modify group"). */
  'targets:updateGroup': { request: GroupUpdateRequest, response: LibraryState },
  'targets:deleteGroup': { request: GroupIdRequest, response: LibraryState },
  /** One index range of a group's targets, with the group's total. */
  'targets:list': { request: TargetsRequest, response: TargetsResponse },
  /** One target's picture (SDC lists carry none), as a data: URL. */
  'targets:picture': { request: TargetPictureRequest, response: z.object({ picture: z.string().nullable() }) },
  /** One batch within the device's limit; a result per target, in order. */
  'targets:add': { request: TargetsAddRequest, response: ItemOutcomes },
  'targets:update': { request: TargetUpdateRequest, response: ItemOutcome },
  'targets:delete': { request: TargetsDeleteRequest, response: ItemOutcomes },
  'views:list': { request: Empty, response: ViewsState },
  'views:save': { request: ViewSaveRequest, response: SavedView },
  'views:delete': { request: z.object({ id: z.string() }).strict(), response: z.null() },
  'views:setStartup': { request: z.object({ id: z.string().nullable() }).strict(), response: z.null() },
  'favourites:list': { request: Empty, response: Favourites },
  /** Adds the channel to the favourites, or removes it when it is one; answers the new list. */
  'favourites:toggle': { request: FavouriteToggleRequest, response: Favourites },
  /** Recorded segments (cloud and device-side) of a channel in a time range. */
  'playback:recordings': { request: RecordingsRequest, response: RecordingsResponse },
  /** A fresh source for recorded video of one kind from `startMs`. */
  'playback:source': { request: PlaybackSourceRequest, response: PlaybackSource },
  /** Pause, resume, change speed of or stop a device-side playback session (the source's `session`). */
  'playback:control': { request: PlaybackControlRequest, response: z.null() },
  /** Queue a clip export; answers the job (its file name carries channel and time). */
  'export:start': { request: ExportRequest, response: ExportJob },
  'export:list': { request: Empty, response: ExportJobs },
  /** Stops a queued or running export; nothing half-written stays. */
  'export:cancel': { request: z.object({ id: z.string().max(64) }).strict(), response: z.null() },
  /** Queue a signed evidence export (clips, notes, manifest, signature, verifier page). */
  'evidence:start': { request: EvidenceRequest, response: EvidenceJob },
  'evidence:list': { request: Empty, response: EvidenceJobs },
  /** Stops an evidence export: its clips are cancelled and its folder removed (nothing unsigned stays). */
  'evidence:cancel': { request: z.object({ id: z.string().max(64) }).strict(), response: z.null() },
  /** The evidence key's public half and fingerprint; the key is made on first use. */
  'evidence:key': { request: Empty, response: EvidenceKeyInfo },
  /** The alarm receiver of an account and what the platform has registered (Huawei IVM §10.1.3). */
  'alarms:state': { request: AlarmAccountRequest, response: AlarmReceiverState },
  /** Listen on a local port and register the public URL that forwards to it (a fresh signing key each time). */
  'alarms:start': { request: AlarmReceiverRequest, response: AlarmReceiverState },
  'alarms:stop': { request: AlarmAccountRequest, response: AlarmReceiverState },
  /** One page of this seat's alarm history (its database), newest first; a page holds at most 500. */
  'alarms:list': { request: AlarmListRequest, response: AlarmPage },
  'alarms:acknowledge': { request: AlarmAckRequest, response: Alarm },
  'alarms:acknowledgeAll': { request: Empty, response: AlarmPage },
  /** An alarm's picture (kept 7 days by the platform), as a data: URL or null. */
  'alarms:picture': { request: AlarmPictureRequest, response: z.object({ picture: z.string().nullable() }) },
  /** Lifecycle: assign to a seat or operator; close with a note (either acknowledges an unacknowledged alarm). */
  'alarms:assign': { request: AlarmAssignRequest, response: Alarm },
  'alarms:close': { request: AlarmCloseRequest, response: Alarm },
  /** The actions taken on an alarm, oldest first (who, when, what). */
  'alarms:history': { request: AlarmIdRequest, response: AlarmHistory },
  /** The audit trail as CSV or XLSX (every alarm received, every action). */
  'alarms:exportAudit': { request: AuditExportRequest, response: AuditExport },
  /** The control room's settings (no password: only whether the keychain holds one) and the broker's state. */
  'controlRoom:get': { request: Empty, response: ControlRoomState },
  'controlRoom:set': { request: ControlRoomSetRequest, response: ControlRoomState },
  /** Open a channel or a view on another seat's wall (queued while the broker is away). */
  'controlRoom:sendToSeat': { request: SendToSeatRequest, response: z.object({ id: z.string() }) },
  /** Commands other seats sent this seat that no window has carried out yet; taken by the window that asks. */
  'controlRoom:takeCommands': { request: Empty, response: z.object({ commands: z.array(SeatCommand) }) },
  /** Say this seat steers (or stopped steering) a channel's PTZ. */
  'controlRoom:ptz': { request: PtzHoldRequest, response: z.null() },
  /** The members' signing keys this seat pinned (trust on first sight), for a supervisor to review. */
  'controlRoom:keys': { request: Empty, response: PinnedKeys },
  /** Forgets a member's pinned key: the key it announces next (or the one it offered) is pinned instead. */
  'controlRoom:revokeKey': { request: RevokeKeyRequest, response: PinnedKeys },
  /** Where an account can search (Alibaba: its projects). */
  'search:scopes': { request: SearchScopesRequest, response: SearchScopes },
  /** Targets by attributes or by a query image, with crops fetched by main. */
  'search:targets': { request: TargetSearchRequest, response: TargetSearchResponse },
  /** The update feed from settings and the last check's outcome. */
  'updates:get': { request: Empty, response: UpdateStatus },
  /** Saves the feed (https only; http on this machine for tests); a refused address is a VALIDATION error. */
  'updates:set': { request: UpdatesSetRequest, response: UpdateStatus },
  /** Reads the feed now: up to date, downloading / installs on quit (desktop), available (browser host), or why not. */
  'updates:check': { request: Empty, response: UpdateStatus },
  /** Bookmarks that match a filter (text, tag, cameras, time), sorted by time, one page of them. */
  'bookmarks:list': { request: BookmarkQuery, response: BookmarkList },
  'bookmarks:get': { request: BookmarkIdRequest, response: BookmarkView },
  /** Kept (with its audit row) before the answer; refused in words by bookmark-rules. */
  'bookmarks:create': { request: BookmarkCreateRequest, response: BookmarkView },
  /** The author seat only. */
  'bookmarks:update': { request: BookmarkUpdateRequest, response: BookmarkView },
  'bookmarks:delete': { request: BookmarkIdRequest, response: z.null() },
  /** The bookmark's audit trail, oldest first. */
  'bookmarks:history': { request: BookmarkIdRequest, response: BookmarkHistory },
  /** Queue a motion search in a channel's recordings; answers the job (moments arrive as `main:motion`). */
  'motion:start': { request: MotionSearchRequest, response: MotionSearchJob },
  'motion:list': { request: Empty, response: MotionSearchJobs },
  /** Stops a queued or running search; what it found so far stays listed. */
  'motion:cancel': { request: z.object({ id: z.string().max(64) }).strict(), response: z.null() },
  /** The maps' tree and pins, and this seat's map choices. */
  'maps:get': { request: Empty, response: MapsState },
  /** Adds (no id) or renames a site, building or floor. */
  'maps:saveNode': { request: MapNodeSaveRequest, response: MapsState },
  /** Deletes a node, the nodes under it, their plans and their pins. */
  'maps:deleteNode': { request: MapIdRequest, response: MapsState },
  /** A plan's image: PNG, JPEG or SVG by its bytes, size-checked, an SVG sanitised before it is kept. */
  'maps:setImage': { request: MapImageSetRequest, response: MapsState },
  /** A node's plan image (base64). */
  'maps:image': { request: MapIdRequest, response: MapImage },
  /** Places or moves pins (a pin without id is new). */
  'maps:placePins': { request: MapPinsPlaceRequest, response: MapsState },
  'maps:removePins': { request: MapPinsRemoveRequest, response: MapsState },
  'maps:setPrefs': { request: MapPrefsSetRequest, response: MapsState },
  /** The site file: the tree, the pins and every plan embedded, one JSON. */
  'maps:export': { request: Empty, response: SiteFileExport },
  /** Reads a site file (validated, bounded); merge keeps what is here, replace starts again. */
  'maps:import': { request: SiteFileImportRequest, response: SiteFileImportReport },
  /** A timeline thumbnail: a key frame near the moment, from main's cache or made now (never blocks playback). */
  'thumbnails:get': { request: ThumbnailRequest, response: ThumbnailAnswer },
  /** How much the thumbnail cache holds, and its bound (Settings). */
  'thumbnails:cache': { request: Empty, response: ThumbnailCacheInfo },
  'thumbnails:clear': { request: Empty, response: ThumbnailCacheInfo },
  /** The joystick and gamepad mappings main keeps, one per device id (others use their ready-made one). */
  'gamepads:list': { request: Empty, response: GamepadMappings },
  /** Keeps a device's mapping (checked by gamepad-rules); answers the new list. */
  'gamepads:save': { request: GamepadSaveRequest, response: GamepadMappings },
  /** Back to the ready-made mapping: the kept one is forgotten; answers the new list. */
  'gamepads:forget': { request: GamepadForgetRequest, response: GamepadMappings },
} as const satisfies Record<Channel, { request: z.ZodType; response: z.ZodType }>;

/** Events main pushes to every window: `main:*`. */
export const events = {
  'main:notice': Notice,
  'main:accounts-changed': Empty,
  'main:settings-changed': Preferences,
  'main:export': ExportJob,
  'main:evidence': EvidenceJob,
  /** An alarm pushed by a platform (Huawei IVM §10.1.4.2), as it arrives. */
  'main:alarm': Alarm,
  /** The broker's state, the seats present and who steers which PTZ. */
  'main:controlRoom': ControlRoomStatus,
  /** Another seat asks this seat's wall to open a channel or a view. */
  'main:seatCommand': SeatCommand,
  /** The updater's status as it changes (checking, download progress, ready, failed). */
  'main:updates': UpdateStatus,
  /** A bookmark made, edited or deleted (here or by another seat). */
  'main:bookmark': BookmarkChange,
  /** A motion search's progress and the moments it found since the last one. */
  'main:motion': MotionSearchUpdate,
  /** The maps changed (in another window, or by an import). */
  'main:maps': MapsState,
  /** A gamepad mapping kept or forgotten (in another window too). */
  'main:gamepads': GamepadMappings,
} as const satisfies Record<EventName, z.ZodType>;

// Compile-time proof that names.ts lists every channel and event (and no others).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const channelsMatch: Same<keyof typeof channels, Channel> = true;
const eventsMatch: Same<keyof typeof events, EventName> = true;
void channelsMatch;
void eventsMatch;

export type RequestOf<C extends Channel> = z.input<(typeof channels)[C]['request']>;
export type ResponseOf<C extends Channel> = z.infer<(typeof channels)[C]['response']>;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;

/** `window.vigil`, implemented by preload/index.ts (Electron) and preload/web.ts (browser host). */
export interface VigilApi {
  /** Resolves with the response, rejects with a VigilError-like `{code, message, details}`. */
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** Returns an unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Which host carries this window. */
  readonly host: 'electron' | 'web';
}
