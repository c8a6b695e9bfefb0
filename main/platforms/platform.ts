import type {
  Capability,
  LibraryScope,
  ChannelServices,
  ImportProgress,
  IvcImportRow,
  HoloAddResponse,
  ServiceType,
  AccountConfig,
  AccountsTestResponse,
  AlarmTrigger,
  GbAddOf,
  GbAddResponse,
  HealthList,
  StreamSetting,
  StreamSettings,
  ChannelOutcomes,
  ChannelPlans,
  DeviceStatus,
  GbSettings,
  PlanKind,
  RecordingTemplate,
  TemplateSave,
  CloudPlanChannels,
  CloudPlans,
  CloudPlanSave,
  PlanSection,
  CruiseLimits,
  CruiseTrack,
  ItemOutcome,
  LibraryState,
  LiveSource,
  NewTarget,
  Target,
  TargetAttributes,
  PlatformId,
  PtzCommand,
  RegistrationModel,
  TargetSearchRequest,
  TargetSearchResponse,
  TreeNode,
} from '../../preload/contract';
import type { FlowQuery } from '../../common/stats-periods';

/** What Vigil can do with a platform (the contract's list: the renderer gates on the same names). */
export type { Capability } from '../../preload/contract';

/**
 * The capabilities of an adapter, read off the operations it implements: an optional member of
 * `Platform` present means the account can do that; nothing is declared beside the code. The UI
 * shows what an account's platform offers and says so when an action is unsupported.
 */
export function capabilitiesOf(p: PlatformOperations): Capability[] {
  const has = (op: unknown) => op !== undefined && op !== null;
  const admin = p.deviceAdmin;
  const pairs: Array<[Capability, unknown]> = [
    ['live', p.liveSource],
    // One operation plays both kinds (`kind` is a parameter); a platform that lists no recordings
    // still plays a chosen time.
    ['playback.cloud', p.playbackSource],
    ['playback.device', p.playbackSource],
    ['ptz', p.ptz],
    ['presets', p.presets],
    ['cruise', p.cruise],
    ['targets', p.targetLibrary],
    ['deviceAdmin', admin],
    ['alarms', p.pushAlarms],
    ['snapshot', p.snapshot],
    ['health', p.health],
    ['imageSearch', p.targetSearch],
    ['statistics', p.statistics],
    ['recordingPlans', p.recordingPlans],
    ['cloudPlans', p.cloudPlans && p.recordingTemplates],
    ['deviceAdmin.move', admin?.move],
    ['deviceAdmin.remove', admin?.remove],
    ['deviceAdmin.rename', admin?.renameChannel],
    ['deviceAdmin.streams', admin?.streams && admin.setStreams],
    ['deviceAdmin.password', admin?.passwordState && admin.setPassword],
    ['deviceAdmin.services', admin?.services],
    ['deviceAdmin.import', admin?.importDevices && admin.importProgress && admin.importResult],
    ['deviceAdmin.credentials', admin?.credentials && admin.createCredential],
    ['deviceAdmin.refreshChannels', admin?.refreshChannels],
  ];
  return pairs.filter(([, op]) => has(op)).map(([c]) => c);
}

/**
 * How an adapter takes new devices, read off its add operations the same way: the renderer picks
 * the add form by model, so a platform that registers devices like another reuses its form.
 * A model counts only with what its form needs besides (a credential to pick; where to put the device).
 */
export function registrationModelsOf(p: PlatformOperations): RegistrationModel[] {
  const admin = p.deviceAdmin;
  const ops: Record<RegistrationModel, unknown> = {
    installerIds: admin?.addInstallerIds,
    credential: admin?.addWithCredential && admin.credentials,
    generatedCode: admin?.addGeneratedCode && admin.options,
    projectDevice: admin?.addProjectDevice && admin.options,
    labelCode: admin?.addHolo,
  };
  return (Object.keys(ops) as RegistrationModel[]).filter((m) => ops[m] !== undefined && ops[m] !== null);
}

/** Everything of a platform adapter but its capabilities (which are derived from the rest). */
export type PlatformOperations = Omit<Platform, 'capabilities'>;

const derived = new WeakMap<object, ReadonlySet<Capability>>();
/** An adapter's capabilities as a set, derived once per adapter. */
export function capabilitySet(p: PlatformOperations): ReadonlySet<Capability> {
  let set = derived.get(p);
  if (!set) derived.set(p, (set = new Set(capabilitiesOf(p))));
  return set;
}

/** A channel's live stream, as the wall plays it. */
export interface LiveChannel {
  channelId: string;
  stream: 'main' | 'sub';
}

/** A platform adapter bound to one account: the operations it has are the capabilities it declares. */
export interface Platform {
  readonly id: PlatformId;
  /** Derived from the operations below (`capabilitySet(this)`), never declared beside them. */
  readonly capabilities: ReadonlySet<Capability>;
  /** The platform's cheapest authenticated call, to prove the account works. */
  testConnection(): Promise<AccountsTestResponse>;
  /** Groups, devices and channels as a flat list (accountId and platform are filled in by the caller). */
  tree(): Promise<PlatformNode[]>;
  /** A fresh play source for a channel node id; never cached (URLs expire). */
  liveSource(channelId: string, stream: 'main' | 'sub'): Promise<PlatformLiveSource>;
  /** Present only when the platform has PTZ. */
  ptz?(channelId: string, command: PtzCommand, speed: number): Promise<void>;
  /** A picture taken now by the camera through the platform (capability `snapshot`): JPEG or PNG bytes. */
  snapshot?(channelId: string): Promise<{ contentType: string; bytes: Buffer }>;
  /** The adapter goes (account changed or removed, app quit): gives back what it holds (IVM's live URLs, §9.4). */
  close?(): Promise<void>;
  /**
   * Renews what the adapter keeps to reconnect on for channels still on screen (IVM's leased live
   * URLs); `playing` says whether a URL is played now (main's relay). The wall calls it every few
   * minutes (services/live-renewal.ts); a failure leaves the old leases as they were.
   */
  renewLive?(channels: LiveChannel[], playing: (url: string) => boolean): Promise<void>;
  /** Gives back a PTZ control lock this client holds (Huawei IVM §8.1); nothing where there is none. */
  releasePtz?(channelId: string): Promise<void>;
  /** Presets of a PTZ channel (capability `presets`). */
  presets?: PresetOps;
  /** Cruise tracks over presets (capability `cruise`). */
  cruise?: CruiseOps;
  /** Recorded segments of a channel in [start, end) (ms), cloud and device-side (capability `playback.*`). */
  recordings?(channelId: string, startMs: number, endMs: number): Promise<RecordingSegment[]>;
  /** The platform's own download of a cloud clip, where it has one (Tencent IVC E38). */
  clipDownload?(channelId: string, startMs: number, endMs: number): Promise<{ url: string; ext: 'mp4' | 'ts' }>;
  /** Where a cloud clip is cut for clipDownload when one download cannot take it all (ms; Tencent E38). */
  clipPieces?(startMs: number, endMs: number): Array<[number, number]>;
  /** A fresh play source for recorded video from `startMs` (capability `playback.*`). */
  playbackSource?(channelId: string, kind: 'cloud' | 'device', startMs: number, endMs: number): Promise<PlaybackSource>;
  /** VCR control of a playback source's `session` (Tencent E37); `scale` changes the speed. */
  playbackControl?(
    channelId: string,
    session: string,
    action: 'play' | 'pause' | 'stop',
    scale?: number,
  ): Promise<void>;
  /** The platform's own health lists (capability `health`). */
  health?: HealthOps;
  /** Adding and watching devices (capability `deviceAdmin`). */
  deviceAdmin?: DeviceAdminOps;
  /** Named weekly schedules and the plans that bind channels to them, by kind (Tencent IVC: real-time recording, device-recording upload). */
  recordingTemplates?: Partial<Record<PlanKind, RecordingTemplateOps>>;
  cloudPlans?: Partial<Record<PlanKind, CloudPlanOps>>;
  /** Cloud-recording plans and retention of channels (capability `recordingPlans`). */
  recordingPlans?: RecordingPlanOps;
  /** Target (face) libraries on devices (capability `targets`). */
  targetLibrary?: TargetLibraryOps;
  /** Alarm pushes to a registered URL (capability `alarms`; Huawei IVM §10.1–10.2). */
  pushAlarms?: PushAlarmOps;
  /** Alarms the platform lists for the asking (Alibaba VCS events): polled by one seat per account. */
  eventAlarms?: EventAlarmOps;
  /** Target search over analysis results (capability `imageSearch`). */
  targetSearch?: TargetSearchOps;
  /** People flow and heat maps of a camera (capability `statistics`; Huawei IVM §10.4). */
  statistics?: StatisticsOps;
}

/**
 * The platform's own statistics, asked as its document words them; the period arithmetic (which
 * query covers a week, which bucket a value is) is common/stats-periods.ts, used by the service.
 */
export interface StatisticsOps {
  /** The platform's calendar (its days bucket the counts), minutes east of UTC. */
  readonly utcOffsetMinutes: number;
  /** §10.4.1 as sent: the platform's `in` and `out` series, unchecked in length. */
  peopleFlow(channelId: string, query: FlowQuery): Promise<{ in: number[]; out: number[] }>;
  /** §10.4.2 for the period of `type` holding `startTime` (`yyyy-MM-dd HH:mm:ss`). */
  timeHeat(channelId: string, type: FlowQuery['type'], startTime: string): Promise<number[]>;
  /** §10.4.3: the grey grid, row-major; `complete` false when the byte count did not match the size. */
  spaceHeat(
    channelId: string,
    type: FlowQuery['type'],
    startTime: string,
  ): Promise<{ width: number; height: number; cells: Uint8Array; complete: boolean }>;
}

export interface PushAlarmOps {
  /** The URL the platform posts alarms to now, if any. */
  registration(): Promise<{ url: string; updated: string } | null>;
  /** Registers the URL with a signing key; the platform tests the URL at once. */
  register(url: string, authKey: string): Promise<void>;
  unregister(): Promise<void>;
  /** An alarm's picture, or null when the platform has none (unknown, expired). */
  picture(alarmUuid: string): Promise<{ contentType: string; bytes: Buffer } | null>;
  /** Vigil's id of a pushed alarm's channel (for alarms kept from before pushes carried it). */
  channelRef(deviceId: string, channelId: string): string;
  /** The platform's signature check on a push's headers, before its body is read: null = accepted, else why not. */
  checkHeaders(
    headers: Record<string, string | string[] | undefined>,
    callbackUrl: string,
    authKey: string,
    nowMs: number,
  ): string | null;
  /** The identity of a push's signature (a repeat may carry a forged body), and when it lapses (epoch ms). */
  signatureOf(headers: Record<string, string | string[] | undefined>): { key: string; lapsesAt: number };
  /** A push body as the receiver acts on it. */
  readPush(body: string): PushRead;
}

export interface EventAlarmOps {
  /**
   * The events that happened in [sinceMs, untilMs] (the platform's clock), each with a messageId
   * that is the same every time the platform lists that event (polls overlap; the id de-duplicates).
   */
  events(sinceMs: number, untilMs: number): Promise<PushedAlarm[]>;
}

export type PushRead =
  | { kind: 'test' }
  | { kind: 'alarm'; alarm: PushedAlarm }
  | { kind: 'other' }
  | { kind: 'invalid'; reason: string };

/** An alarm as a platform pushed it; `messageId` is the platform's 64-bit id as text. */
export interface PushedAlarm {
  messageId: string;
  deviceId: string;
  channelId: string;
  /** Vigil's id of the channel (as the tree and the wall name it): the adapter builds it, not the renderer. */
  channelRef: string;
  channelName: string;
  type: string;
  typeName?: string;
  classification?: string;
  status?: string;
  /** epoch ms */
  at: number;
  uuid: string;
  target?: { id?: string; name?: string; similarity?: number; group?: string };
}

export interface TargetSearchOps {
  scopes(): Promise<LibraryScope[]>;
  search(query: Omit<TargetSearchRequest, 'accountId'>): Promise<TargetSearchResponse>;
}

export interface PresetOps {
  /** The platform's index range and name rules, checked before sending. */
  readonly limits: { minIndex: number; maxIndex: number; maxCount: number; nameEditable: boolean };
  list(channelId: string): Promise<Array<{ index: number; name: string; thumbnail?: string }>>;
  goTo(channelId: string, index: number): Promise<void>;
  /** Stores the current position at `index` (overwriting a preset there). */
  set(channelId: string, index: number, name?: string): Promise<void>;
  /** Present where presets have names (`limits.nameEditable`). */
  rename?(channelId: string, index: number, name: string): Promise<void>;
  remove(channelId: string, index: number): Promise<void>;
}

export interface HealthOps {
  lists(): Promise<{
    lists: HealthList[];
    packetRates: Array<{ deviceId: string; channelId: string; received: number; expected: number }>;
    problems: string[];
  }>;
}

/** A GB28181 password the platform generated for a new device: main keeps it, the renderer never sees it. */
export interface GeneratedPassword {
  deviceId: string;
  password: string;
}

/** An add's reply, with the passwords the platform generated (kept by main, never sent on). */
export type GbAdded = GbAddResponse & { generated?: GeneratedPassword[] };

/** What the printed GB28181 sheet of one device shows. */
export interface GbSheetEntry {
  settings: GbSettings;
  password: string;
  name: string | null;
}

export interface DeviceAdminOps {
  /** Paid services of a channel and the resources that provide them (Huawei IVM §12–§13). */
  services?(channelId: string): Promise<ChannelServices>;
  /** Binds channels to a resource; `storageDays` where a pay-per-use recording/data resource needs it. */
  enableService?(channelIds: string[], resourceId: string, storageDays?: number): Promise<ChannelOutcomes['results']>;
  disableService?(channelIds: string[], type: ServiceType): Promise<ChannelOutcomes['results']>;
  // GB28181 pre-registration: one operation per registration model the platform offers (see
  // `registrationModelsOf`), each answering a result and the SIP values per device.
  /** The installer's own GB IDs and passwords (Huawei IVM §6.7). */
  addInstallerIds?(req: GbAddOf<'installerIds'>): Promise<GbAdded>;
  /** IDs generated by the platform under a GB28181 credential (Huawei VIS §4.3.1). */
  addWithCredential?(req: GbAddOf<'credential'>): Promise<GbAdded>;
  /** One device whose code the platform generates (Tencent IVC E15). */
  addGeneratedCode?(req: GbAddOf<'generatedCode'>): Promise<GbAdded>;
  /** A device in a project, IDs and password assigned by the platform (Alibaba VCS §3.2.1). */
  addProjectDevice?(req: GbAddOf<'projectDevice'>): Promise<GbAdded>;
  /** Moves devices (platform ids) into a group (its platform id); a result per device. */
  move?(
    deviceIds: string[],
    groupId: string,
  ): Promise<Array<{ deviceId: string; ok: boolean; code?: string; message?: string }>>;
  /** Spreadsheet import through the platform's template (Tencent IVC E24–E27): a job to poll. */
  importDevices?(rows: IvcImportRow[], organizationId: string, clusterId: string): Promise<{ jobId: string }>;
  importProgress?(jobId: string): Promise<ImportProgress>;
  importResult?(jobId: string): Promise<{ rows: Array<{ ok: boolean; message: string }>; file: Buffer }>;
  /** Binds a HoloSens device with its label's verification code (Huawei IVM §6.6). */
  addHolo?(deviceId: string, verificationCode: string, description?: string): Promise<HoloAddResponse>;
  /** Organizations and service nodes for a new device (Tencent IVC). */
  options?(): Promise<{
    organizations: Array<{ id: string; name: string }>;
    clusters: Array<{ id: string; name: string }>;
  }>;
  /** GB28181 credentials (Huawei VIS). */
  credentials?(): Promise<Array<{ username: string; type: string | null }>>;
  createCredential?(
    type: 'NORMAL' | 'ANONYMOUS',
    password: string,
    username?: string,
  ): Promise<{ username: string; type: string | null }>;
  status(deviceId: string): Promise<DeviceStatus>;
  /** A device's GB28181 values with the password the platform keeps for it (Alibaba VCS lists it); null when it has none. */
  gbSheetData?(deviceId: string): Promise<GbSheetEntry | null>;
  /** Re-read an NVR's channel catalogue from the device (asynchronous; `status` tells when done). */
  refreshChannels?(deviceId: string): Promise<void>;
  /** Stream settings of a channel node (Huawei IVM §17). */
  streams?(channelId: string): Promise<StreamSettings>;
  setStreams?(channelId: string, streams: StreamSetting[]): Promise<void>;
  renameChannel?(channelId: string, name: string): Promise<void>;
  /** The camera's own password (Huawei IVM §16). */
  passwordState?(channelId: string): Promise<'SET' | 'MODIFY'>;
  setPassword?(channelId: string, next: string, current?: string): Promise<void>;
  /** Device ids as the platform knows them (not node ids). */
  remove?(deviceIds: string[]): Promise<Array<{ deviceId: string; ok: boolean; code?: string; message?: string }>>;
}

export interface RecordingTemplateOps {
  list(): Promise<RecordingTemplate[]>;
  save(id: string | undefined, template: TemplateSave): Promise<void>;
  remove(id: string): Promise<void>;
}

/** Plans that bind channels to a template (Tencent IVC E39–E53). Node ids in and out. */
export interface CloudPlanOps {
  list(): Promise<CloudPlans>;
  channels(planId: string): Promise<CloudPlanChannels>;
  /** Creates when `id` is absent; `remove` is applied before `add` (E41). */
  save(plan: CloudPlanSave): Promise<void>;
  remove(planId: string): Promise<void>;
}

export interface RecordingPlanOps {
  get(channelId: string): Promise<ChannelPlans>;
  save(
    channelIds: string[],
    kind: 'continuous' | 'motion',
    plan: { allDay: boolean; sections: PlanSection[]; alarms?: AlarmTrigger[] },
  ): Promise<ChannelOutcomes>;
  clear(channelIds: string[], kind: 'continuous' | 'motion'): Promise<ChannelOutcomes>;
  retention(channelIds: string[], days: { continuousDays?: number; motionDays?: number }): Promise<ChannelOutcomes>;
}

/** Device node ids (`dev:…`) name the device that holds the library. */
export interface TargetLibraryOps {
  /** Where libraries live (IVM: HOLO devices; Alibaba: the account). */
  scopes(): Promise<LibraryScope[]>;
  state(scope: string): Promise<LibraryState>;
  createGroup(scope: string, name: string, type?: string): Promise<void>;
  updateGroup(scope: string, groupId: string, name: string, enabled: boolean): Promise<void>;
  deleteGroup(scope: string, groupId: string): Promise<void>;
  targets(scope: string, groupId: string, start: number, count: number): Promise<{ targets: Target[]; total: number }>;
  picture(scope: string, groupId: string, id: string): Promise<string | null>;
  /** Absent where the platform cannot add or edit items (`actions`). */
  add?(scope: string, groupId: string, targets: NewTarget[]): Promise<ItemOutcome[]>;
  update?(
    scope: string,
    groupId: string,
    target: TargetAttributes & { id: string; picture?: string },
  ): Promise<ItemOutcome>;
  remove(scope: string, groupId: string, ids: string[]): Promise<ItemOutcome[]>;
}

export interface CruiseOps {
  /** The documented dwell and speed ranges, checked in main before sending. */
  readonly limits: CruiseLimits;
  /** Every track with its points and whether it runs. */
  list(channelId: string): Promise<CruiseTrack[]>;
  /** Adds (no `id`) or replaces a track; answers its id. */
  save(channelId: string, id: number | undefined, track: Pick<CruiseTrack, 'name' | 'points'>): Promise<number>;
  remove(channelId: string, id: number): Promise<void>;
  run(channelId: string, id: number, on: boolean): Promise<void>;
}

export interface RecordingSegment {
  kind: 'cloud' | 'device';
  startMs: number;
  endMs: number;
}

export interface PlaybackSource {
  protocol: 'flv' | 'hls';
  url: string;
  /** Device-local playback on Tencent has a session controlled by E37 (pause, seek, speed). */
  session?: string;
  /** Headers the media request needs (a VIS private stream's token): main relays it, adding them. */
  mediaHeaders?: Record<string, string>;
  /** The video codec where the platform documents it (issue 24). */
  codec?: 'h264' | 'h265';
}

/** A live source as a platform hands it out; `mediaHeaders` never leave main. */
export type PlatformLiveSource = LiveSource & { mediaHeaders?: Record<string, string> };

export type PlatformNode = Omit<TreeNode, 'accountId' | 'platform'>;

/** Builds the adapter for an account; `secret` comes from the vault and stays in main. */
export type PlatformFactory = (config: AccountConfig, secret: string) => Platform;
