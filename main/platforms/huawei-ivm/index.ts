import type { AccountsTestResponse, LiveSource, PtzCommand } from '../../../preload/contract';
import { AppError } from '../../errors';
import {
  type Capability,
  capabilitySet,
  type CruiseOps,
  type LiveChannel,
  type Platform,
  type PlatformFactory,
  type PlatformNode,
  type PlaybackSource,
  type PresetOps,
  type PushAlarmOps,
  type RecordingSegment,
} from '../platform';
import { IvmApi, type Device, type PtzDirection } from './api';
import { IvmClient, itemError, type IvmConfig } from './client';
import { IvmDataFlowApi } from './api-dataflow';
import { IvmTargetLibrary } from './target-library';
import { channelNodeId, codecOfStreamDetail, parseChannel } from './map';
import { IvmStreamApi } from './streams';
import { checkSignature, readPush, signatureOf } from './push';
import { IvmDeviceAdmin } from './device-admin';
import { IvmRecordingPlans } from './recording-plans';
import { IvmStatistics } from './statistics';
import { LEASE_S, LiveLeases, type Lease } from './live-leases';
import { isTransient } from '../errors';
import { log } from '../../log';

const PAGE = 1000; // §5.2 / §9.2 maximum
/** The camera cannot take PTZ commands closer together than this (§8.3). */
const PTZ_SPACING_MS = 300;
/**
 * The control token lives 2 minutes from its last use (§8.1) and every command renews it (§8.3).
 * Its age is counted from the platform's answer, so a younger token is still held there: asking for
 * the lock again would be refused as "used by others" (IVM.20000029). An older one has lapsed.
 */
const LOCK_TTL_MS = 120_000;
/** §17.2's codec is a hint at live start (the stream says it too): never waited on longer than this. */
const CODEC_WAIT_MS = 1500;
/** A channel whose §17.2 failed or was late is not asked again at live start for this long. */
const CODEC_QUIET_MS = 60_000;
/** §17 answers these for devices it does not serve (GB28181 and other non-HOLO, unsupported model or version). */
const NO_STREAM_DETAIL = new Set(['IVM.20020011', 'IVM.10022000', 'IVM.20150004', 'IVM.20160001']);
/** With a lease to reconnect on, a pane waits this long for IVM to give a new live URL. */
const LEASE_PATIENCE_MS = 4000;
/** URLs revoked per §9.4 call, channels renewed per §9.1 call (the documents set no maximum). */
const URL_BATCH = 100;

/** §9.1's body for HTTPS-FLV leases of `channels`' `stream`: reusable (`use_times` 1) for LEASE_S. */
function leaseRequest(stream: 'main' | 'sub', channels: Array<{ deviceId: string; channelId: string }>) {
  return {
    channels: channels.map((c) => ({
      device_id: c.deviceId,
      channel_id: c.channelId,
      live_protocol: 'HTTPS_FLV' as const,
      stream_type: stream === 'main' ? ('PRIMARY_STREAM' as const) : ('SECONDARY_STREAM_1' as const),
    })),
    use_times: 1 as const,
    expire_time: LEASE_S,
  };
}

/**
 * Huawei IVM adapter. Tree: organizations from the root "0" (§5.1), each organization's own
 * devices with their channels (§5.2 `is_current_org=1`). Live: §9.1 HTTPS-FLV; recordings §9.2
 * and playback §9.3 HTTPS-HLS, all in Beijing time. PTZ takes the channel's control lock (§8.1),
 * sends continuous moves ended by the matching stop, ≥ 300 ms apart.
 */
export class HuaweiIvmPlatform implements Platform {
  readonly id = 'huawei-ivm' as const;
  /** What this adapter implements (read off its operations). */
  get capabilities(): ReadonlySet<Capability> {
    return capabilitySet(this);
  }
  readonly api: IvmApi;
  private readonly streamApi: IvmStreamApi;
  readonly targetLibrary: IvmTargetLibrary;
  readonly recordingPlans: IvmRecordingPlans;
  readonly deviceAdmin: IvmDeviceAdmin;
  readonly dataflow: IvmDataFlowApi;
  /** §10.4 people flow and heat maps (HOLO cameras; others are refused by the platform). */
  readonly statistics: IvmStatistics;
  private readonly locks = new Map<string, { token: string; at: number }>();
  /**
   * Per PTZ channel: when its last command went out (§8.3 spacing), the stops its moves since the
   * last stop need, and the number of the newest command asked for.
   */
  private readonly motion = new Map<string, { sentAt: number; stops: Set<PtzDirection>; newest: number }>();
  /** Channels of NVRs and IVS1800s: the device picks their preset slots (§15.2). Learnt from the tree. */
  private readonly behindRecorder = new Set<string>();
  /** Moves, preset and cruise calls reach the device itself: one at a time per channel (§8.3, §15.12). */
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Devices §17 does not serve (learnt from the tree's access_protocol or §17's answer): no codec lookup. */
  private readonly noStreamDetail = new Set<string>();
  /** Channels whose §17.2 lookup failed or was late, until when it is not tried again at live start. */
  private readonly codecQuiet = new Map<string, number>();
  /** Each channel's newest live URL, to reconnect on while IVM's API cannot answer. */
  private readonly leases: LiveLeases;

  constructor(
    config: IvmConfig,
    secret: string,
    fetchImpl?: typeof fetch,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    const client = new IvmClient(config, secret, fetchImpl);
    this.api = new IvmApi(client);
    this.streamApi = new IvmStreamApi(client);
    this.targetLibrary = new IvmTargetLibrary(client, this.api);
    this.recordingPlans = new IvmRecordingPlans(client, this.api);
    this.deviceAdmin = new IvmDeviceAdmin(this.api, client);
    this.dataflow = new IvmDataFlowApi(client);
    this.statistics = new IvmStatistics(this.dataflow);
    this.leases = new LiveLeases(now);
  }

  async tree(): Promise<PlatformNode[]> {
    const nodes: PlatformNode[] = [];
    const orgIds: string[] = ['0']; // every organization, each holding its own devices
    const toExpand: string[] = ['0']; // those with child organizations (is_leaf 0)
    while (toExpand.length) {
      const parent = toExpand.shift()!;
      for (const o of await this.api.subOrgs(parent)) {
        nodes.push({
          id: `org:${o.device_org_id}`,
          parentId: parent === '0' ? null : `org:${parent}`,
          kind: 'group',
          name: o.device_org_name,
          status: 'unknown',
          ptz: null,
        });
        orgIds.push(o.device_org_id);
        if (o.is_leaf !== 1) toExpand.push(o.device_org_id);
      }
    }
    for (const org of orgIds) {
      for (let page = 0; ; page++) {
        const r = await this.api.orgDevices(org, { limit: PAGE, offset: page, is_current_org: '1' });
        const devices = r.devices ?? [];
        for (const d of devices) {
          nodes.push(...deviceNodes(d, org === '0' ? null : `org:${org}`));
          if (d.access_protocol && d.access_protocol !== 'HOLO') this.noStreamDetail.add(d.device_id);
          // Only an IPC is direct-connected: an NVR's and an IVS1800's (MEdge) channels are not (§5.2).
          if (d.device_type === 'NVR' || d.device_type === 'MEdge')
            for (const c of d.channels ?? []) this.behindRecorder.add(`ch:${d.device_id}:${c.channel_id}`);
        }
        if (devices.length < PAGE) break;
      }
    }
    return nodes;
  }

  /**
   * §9.1 HTTPS-FLV (lowest latency the renderer plays): a new URL per (re)connect, kept as the
   * channel's lease (live-leases.ts) for a reconnect while IVM's API cannot answer; with a lease in
   * hand, IVM gets LEASE_PATIENCE_MS to answer before the pane plays on it.
   */
  async liveSource(nodeId: string, stream: 'main' | 'sub'): Promise<LiveSource> {
    const { deviceId, channelId } = parseChannel(nodeId);
    const key = `${nodeId}:${stream}`;
    const held = this.leases.held(key);
    const codec = this.streamCodec(deviceId, channelId, stream);
    let r: Awaited<ReturnType<IvmApi['liveConnections']>>;
    try {
      r = await this.api.liveConnections(
        leaseRequest(stream, [{ deviceId, channelId }]),
        held ? { timeoutMs: LEASE_PATIENCE_MS } : {},
      );
    } catch (e) {
      if (!held || !isTransient(e)) throw e;
      log.info(
        `Huawei IVM could not give ${nodeId} a live URL (${e instanceof Error ? e.message : 'failed'}): its lease plays`,
      );
      return { protocol: 'flv', ...held };
    }
    const item =
      r.live_connections.find((c) => c.device_id === deviceId && c.channel_id === channelId) ?? r.live_connections[0];
    const failure = itemError(item?.result, 'live URL');
    if (failure) throw failure;
    const url = item?.cloud_trans_connections?.live_url;
    if (!url) throw new AppError('PLATFORM_ERROR', 'Huawei IVM returned no live URL');
    const known = await codec;
    const lease: Lease = { url, ...(known ? { codec: known } : {}) };
    this.leases.take(key, lease);
    return { protocol: 'flv', ...lease };
  }

  /**
   * The leases of channels still on screen, renewed (the wall asks every RENEW_MS): one §9.1 call
   * per stream type and batch. A lease lapses an hour after it was given, however long its pane
   * has played since, and IVM may stop honouring one sooner; the client only learns when it
   * reconnects on it, which is when IVM is failing. A lease it replaces that nobody plays is
   * revoked (§9.4); one still played lapses in its hour. IVM failing leaves the leases as they
   * were (the next round tries again).
   */
  async renewLive(channels: LiveChannel[], playing: (url: string) => boolean): Promise<void> {
    const replaced: string[] = [];
    try {
      await this.renewBatches(channels, (old) => !playing(old) && replaced.push(old));
    } finally {
      for (let i = 0; i < replaced.length; i += URL_BATCH)
        await this.api
          .revokeUrls(replaced.slice(i, i + URL_BATCH))
          .catch((e: unknown) =>
            log.warn(`Huawei IVM: replaced live URLs not revoked (${e instanceof Error ? e.message : 'failed'})`),
          );
    }
  }

  /** §9.1 for `channels`, one call per stream type and batch; each lease it replaces is given to `replaced`. */
  private async renewBatches(channels: LiveChannel[], replaced: (url: string) => unknown): Promise<void> {
    for (const stream of ['main', 'sub'] as const) {
      const of = channels.filter((c) => c.stream === stream);
      for (let i = 0; i < of.length; i += URL_BATCH) {
        const batch = of.slice(i, i + URL_BATCH).map((c) => ({ node: c.channelId, ...parseChannel(c.channelId) }));
        const r = await this.api.liveConnections(leaseRequest(stream, batch), { timeoutMs: LEASE_PATIENCE_MS });
        for (const item of r.live_connections) {
          const url = item.cloud_trans_connections?.live_url;
          const c = batch.find((b) => b.deviceId === item.device_id && b.channelId === item.channel_id);
          if (!c || !url || itemError(item.result, 'live URL')) continue;
          const key = `${c.node}:${stream}`;
          const codec = this.leases.codecOf(key);
          const old = this.leases.take(key, { url, ...(codec ? { codec } : {}) });
          if (old) replaced(old);
        }
      }
    }
  }

  /** The account's adapter goes: the live URLs it holds are revoked (§9.4), a batch at a time. */
  async close(): Promise<void> {
    const urls = this.leases.drain();
    for (let i = 0; i < urls.length; i += URL_BATCH) await this.api.revokeUrls(urls.slice(i, i + URL_BATCH));
  }

  /**
   * §17.2's codec of a stream, asked beside the live URL: a hint (the stream says it too), so
   * bounded — one try, CODEC_WAIT_MS at most; devices §17 does not serve are not asked, a failed or
   * late channel not again for a minute. An answer is not cached: the operator may switch a sub
   * stream to H.264, and the next (re)connect should know.
   */
  private streamCodec(
    deviceId: string,
    channelId: string,
    stream: 'main' | 'sub',
  ): Promise<'h264' | 'h265' | undefined> {
    const key = `${deviceId}:${channelId}`;
    if (this.noStreamDetail.has(deviceId) || (this.codecQuiet.get(key) ?? 0) > this.now())
      return Promise.resolve(undefined);
    const quiet = () => this.codecQuiet.set(key, this.now() + CODEC_QUIET_MS);
    const lookup = this.streamApi
      .detail(deviceId, channelId, { retries: 0, timeoutMs: CODEC_WAIT_MS })
      .then((d) => codecOfStreamDetail(d, stream))
      .catch((e: unknown) => {
        if (NO_STREAM_DETAIL.has(e instanceof AppError ? (e.details?.vendorCode ?? '') : ''))
          this.noStreamDetail.add(deviceId);
        else quiet();
        return undefined;
      });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => {
        quiet();
        resolve(undefined);
      }, CODEC_WAIT_MS);
    });
    return Promise.race([lookup, late]).finally(() => clearTimeout(timer));
  }

  /** §10.1 DEVICE_ALARM callbacks and §10.2.2 pictures. */
  readonly pushAlarms: PushAlarmOps = {
    registration: async () => {
      const r = await this.dataflow.callback('DEVICE_ALARM');
      return r ? { url: r.callbackUrl, updated: r.updateTime || r.createTime } : null;
    },
    register: async (url, authKey) => {
      await this.dataflow.setCallback('DEVICE_ALARM', url, authKey);
    },
    unregister: () => this.dataflow.deleteCallback('DEVICE_ALARM'),
    picture: (uuid) => this.dataflow.alarmPicture(uuid),
    channelRef: channelNodeId,
    checkHeaders: (headers, url, authKey, now) => {
      const sig = checkSignature(headers, url, authKey, now);
      return sig.ok ? null : sig.reason;
    },
    signatureOf,
    readPush,
  };

  /** §10.3.1: the camera takes a picture now (one per channel per 10 s). */
  snapshot(nodeId: string): Promise<{ contentType: string; bytes: Buffer }> {
    const { deviceId, channelId } = parseChannel(nodeId);
    return this.dataflow.snapshot(deviceId, channelId);
  }

  /** §9.2 cloud and device-side recordings, merged; an offline device has no readable list. */
  async recordings(nodeId: string, startMs: number, endMs: number): Promise<RecordingSegment[]> {
    const { deviceId, channelId } = parseChannel(nodeId);
    const out: RecordingSegment[] = [];
    for (const position of ['CLOUD', 'DEVICE'] as const) {
      try {
        for (let page = 0; ; page++) {
          const r = await this.api.records(deviceId, channelId, {
            start_time: beijing(startMs),
            end_time: beijing(Math.min(endMs, this.now())),
            record_position: position,
            limit: PAGE,
            offset: page,
          });
          const records = r.records ?? [];
          for (const rec of records)
            out.push({
              kind: position === 'CLOUD' ? 'cloud' : 'device',
              startMs: fromBeijing(rec.start_time),
              endMs: fromBeijing(rec.end_time),
            });
          if (records.length < PAGE) break;
        }
      } catch (e) {
        if (
          position === 'DEVICE' &&
          e instanceof AppError &&
          ['IVM.20000036', 'IVM.20000043'].includes(e.details?.vendorCode ?? '')
        )
          continue;
        throw e;
      }
    }
    return out.sort((a, b) => a.startMs - b.startMs);
  }

  /** §9.3 HTTPS-HLS for the range (playback has no FLV). */
  async playbackSource(
    nodeId: string,
    kind: 'cloud' | 'device',
    startMs: number,
    endMs: number,
  ): Promise<PlaybackSource> {
    const { deviceId, channelId } = parseChannel(nodeId);
    if (!(endMs > startMs)) throw new AppError('VALIDATION', 'The playback range is empty');
    const r = await this.api.playbackConnection(deviceId, channelId, {
      playback_protocol: 'HTTPS_HLS',
      start_time: beijing(startMs),
      end_time: beijing(endMs),
      record_position: kind === 'cloud' ? 'CLOUD' : 'DEVICE',
    });
    const url = r.playback_connections.cloud_trans_connections?.playback_url;
    if (!url) throw new AppError('PLATFORM_ERROR', 'Huawei IVM returned no playback URL');
    return { protocol: 'hls', url };
  }

  /**
   * Moves run one at a time per channel, in the order asked, in the same queue as presets and
   * cruises: the pad, joystick and gamepad send without waiting for answers, and overlapping calls
   * would each ask for the control lock (the second refused as "used by others") or reach the
   * camera closer together than §8.3 allows.
   */
  async ptz(nodeId: string, command: PtzCommand, speed: number): Promise<void> {
    const motion = this.motionOf(nodeId);
    const asked = ++motion.newest;
    await this.serial(nodeId, async ({ deviceId, channelId }) => {
      if (command !== 'stop') {
        // A move overtaken by a newer command before its turn is not sent: the newer one says
        // where to go (a joystick's burst collapses into its last position).
        if (motion.newest !== asked) return;
        await this.sendPtz(nodeId, deviceId, channelId, directions[command], speed);
        motion.stops.add(stopOf(command));
        return;
      }
      // Each kind of move since the last stop has its own stop (§8.3): a pan is not stopped by
      // ZOOM_STOP, nor a zoom by STOP on most cameras.
      const stops = motion.stops.size ? [...motion.stops] : (['STOP'] as const);
      for (const direction of stops) {
        await this.sendPtz(nodeId, deviceId, channelId, direction, speed);
        motion.stops.delete(direction);
      }
    });
  }

  private sendPtz(nodeId: string, deviceId: string, channelId: string, direction: PtzDirection, speed: number) {
    return this.controlled(nodeId, deviceId, channelId, (token) =>
      this.api.ptz(deviceId, channelId, {
        direction,
        control_lock: token,
        speed: Math.max(1, Math.min(10, Math.round((speed * 10) / 8))),
        mode: 'NON_POINT',
      }),
    );
  }

  /**
   * `act` with the channel's control token, spaced from the previous command (§8.3); a token that
   * lapsed (2 min) or was replaced is taken again once. Each use renews it (§8.3).
   */
  private async controlled(
    nodeId: string,
    deviceId: string,
    channelId: string,
    act: (token: string) => Promise<unknown>,
  ): Promise<void> {
    const attempt = async (fresh: boolean) => {
      const token = await this.lock(nodeId, deviceId, channelId, fresh);
      await this.spaced(nodeId);
      await act(token);
      this.locks.set(nodeId, { token, at: this.now() });
    };
    try {
      await attempt(false);
    } catch (e) {
      if (!(e instanceof AppError && ['IVM.20002001', 'IVM.20002009'].includes(e.details?.vendorCode ?? ''))) throw e;
      await attempt(true);
    }
  }

  private motionOf(nodeId: string) {
    let m = this.motion.get(nodeId);
    if (!m) this.motion.set(nodeId, (m = { sentAt: -Infinity, stops: new Set(), newest: 0 }));
    return m;
  }

  /** §8.3: commands to one camera at least 300 ms apart, counted after any lock round trip. */
  private async spaced(nodeId: string): Promise<void> {
    const motion = this.motionOf(nodeId);
    const wait = motion.sentAt + PTZ_SPACING_MS - this.now();
    if (wait > 0) await this.sleep(wait);
    motion.sentAt = this.now();
  }

  /**
   * §15 presets (HOLO PTZ channels): slots 1–512, names editable. Adding stores the camera's
   * current position; going to one takes the PTZ control lock like a move.
   */
  readonly presets: PresetOps = {
    limits: { minIndex: 1, maxIndex: 512, maxCount: 512, nameEditable: true },
    list: (nodeId) =>
      this.serial(nodeId, async ({ deviceId, channelId }) =>
        (await this.api.presets(deviceId, channelId)).map((p) => ({
          index: p.preset_index,
          name: p.preset_name,
          ...thumbnail(p.jpg_base64),
        })),
      ),
    goTo: (nodeId, index) =>
      this.serial(nodeId, ({ deviceId, channelId }) =>
        this.controlled(nodeId, deviceId, channelId, (token) =>
          this.api.moveToPreset(deviceId, channelId, index, token),
        ),
      ),
    set: (nodeId, index, name) =>
      this.serial(nodeId, async ({ deviceId, channelId }) => {
        const existing = (await this.api.presets(deviceId, channelId)).find((p) => p.preset_index === index);
        // 15.4 re-stores the position and re-captures the preview of an existing slot.
        if (existing) return this.api.renamePreset(deviceId, channelId, index, name ?? existing.preset_name);
        await this.api.addPreset(
          deviceId,
          channelId,
          name ?? `Preset ${index}`,
          this.behindRecorder.has(nodeId) ? undefined : index,
        );
      }),
    rename: (nodeId, index, name) =>
      this.serial(nodeId, ({ deviceId, channelId }) => this.api.renamePreset(deviceId, channelId, index, name)),
    remove: (nodeId, index) =>
      this.serial(nodeId, ({ deviceId, channelId }) => this.api.deletePreset(deviceId, channelId, index)),
  };

  /** §15.6–15.11 cruise tracks: dwell 30–3600 s, speed 0 (slowest) – 10 (§15.0). */
  readonly cruise: CruiseOps = {
    limits: { minDwell: 30, maxDwell: 3600, minSpeed: 0, maxSpeed: 10 },
    list: (nodeId) =>
      this.serial(nodeId, async ({ deviceId, channelId }) => {
        const items = await this.api.cruises(deviceId, channelId);
        const tracks = [];
        for (const item of items) {
          const t = await this.api.cruise(deviceId, channelId, item.cruises_id);
          tracks.push({
            id: item.cruises_id,
            name: t.cruise_name,
            running: item.enable_cruise === 'OPEN',
            points: t.cruise_points.map((p) => ({
              presetIndex: p.preset_index,
              dwellSeconds: p.dwell_time,
              speed: p.speed_level,
            })),
          });
        }
        return tracks.sort((a, b) => a.id - b.id);
      }),
    save: (nodeId, id, track) =>
      this.serial(nodeId, async ({ deviceId, channelId }) => {
        const body = {
          name: track.name,
          points: track.points.map((p) => ({
            preset_index: p.presetIndex,
            dwell_time: p.dwellSeconds,
            speed_level: p.speed,
          })),
        };
        if (id === undefined) return this.api.addCruise(deviceId, channelId, body);
        await this.api.updateCruise(deviceId, channelId, id, body);
        return id;
      }),
    remove: (nodeId, id) =>
      this.serial(nodeId, ({ deviceId, channelId }) => this.api.deleteCruise(deviceId, channelId, id)),
    run: (nodeId, id, on) =>
      this.serial(nodeId, ({ deviceId, channelId }) => this.api.enableCruise(deviceId, channelId, id, on)),
  };

  private serial<T>(nodeId: string, work: (ids: { deviceId: string; channelId: string }) => Promise<T>): Promise<T> {
    const ids = parseChannel(nodeId);
    const run = (this.queues.get(nodeId) ?? Promise.resolve()).catch(() => undefined).then(() => work(ids));
    this.queues.set(nodeId, run);
    void run.catch(() => undefined).finally(() => this.queues.get(nodeId) === run && this.queues.delete(nodeId));
    return run;
  }

  /** Gives the PTZ control lock back (pane closed, PTZ panel closed). */
  async releasePtz(nodeId: string): Promise<void> {
    // After the moves already asked for (a release overtaking their stop would leave one unsent).
    await this.serial(nodeId, async ({ deviceId, channelId }) => {
      if (!this.locks.delete(nodeId)) return;
      await this.api.releaseLock(deviceId, channelId);
    });
  }

  private async lock(nodeId: string, deviceId: string, channelId: string, fresh: boolean): Promise<string> {
    const held = this.locks.get(nodeId);
    if (!fresh && held && this.now() - held.at < LOCK_TTL_MS) return held.token;
    const token = await this.api.controlLock(deviceId, channelId);
    this.locks.set(nodeId, { token, at: this.now() });
    return token;
  }

  /** Spec §20 "verify credentials": the token, then the root organization (§5.1). */
  async testConnection(): Promise<AccountsTestResponse> {
    const started = Date.now();
    try {
      const orgs = await this.api.subOrgs('0');
      const cameras = orgs.reduce((n, o) => n + (o.camera_count ?? 0), 0);
      return {
        status: 'ok',
        message: `Signed in; ${orgs.length} top-level organizations, ${cameras} devices in them.`,
        latencyMs: Date.now() - started,
      };
    } catch (e) {
      if (e instanceof AppError) return { status: 'failed', message: e.message, latencyMs: Date.now() - started };
      throw e;
    }
  }
}

function deviceNodes(d: Device, parentId: string | null): PlatformNode[] {
  const status = (s?: string) =>
    s === 'ONLINE' ? ('online' as const) : s ? ('offline' as const) : ('unknown' as const);
  const devicePtz = (d.device_ability ?? '').split(',').includes('ptz');
  const nodes: PlatformNode[] = [
    {
      id: `dev:${d.device_id}`,
      parentId,
      kind: 'device',
      name: d.device_name || d.device_id,
      status: status(d.device_state),
      ptz: null,
    },
  ];
  for (const c of d.channels ?? []) {
    const ability = c.channel_ability ? c.channel_ability.split(',').includes('ptz') : devicePtz;
    nodes.push({
      id: channelNodeId(d.device_id, c.channel_id),
      parentId: `dev:${d.device_id}`,
      kind: 'channel',
      name: c.channel_name || `${d.device_name} ${c.channel_id}`,
      status: status(c.channel_state),
      ptz: ability,
    });
  }
  return nodes;
}

/** `yyyy-MM-dd HH:mm:ss` in Beijing time (UTC+8), whatever this computer's zone (A.7). */
export function beijing(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** The reverse, tolerant of a trailing fraction (`…:16.0`). */
export function fromBeijing(text: string): number {
  const m = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(\.\d+)?$/.exec(text.trim());
  if (!m) throw new AppError('PLATFORM_ERROR', `Huawei IVM returned an invalid time: ${text}`);
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) - 8 * 3600_000;
}

const directions: Record<Exclude<PtzCommand, 'stop'>, PtzDirection> = {
  up: 'UP',
  down: 'DOWN',
  left: 'LEFT',
  right: 'RIGHT',
  upleft: 'UPPER_LEFT',
  upright: 'UPPER_RIGHT',
  downleft: 'LOWER_LEFT',
  downright: 'LOWER_RIGHT',
  zoomin: 'IN',
  zoomout: 'OUT',
  focusnear: 'FOCUS_NEAR',
  focusfar: 'FOCUS_FAR',
  irisopen: 'IRIS_OPEN',
  irisclose: 'IRIS_CLOSE',
};

/** The stop of each continuous move (§8.3: STOP does not stop zoom on most cameras). */
function stopOf(command: PtzCommand): PtzDirection {
  if (command === 'zoomin' || command === 'zoomout') return 'ZOOM_STOP';
  if (command === 'focusnear' || command === 'focusfar' || command === 'irisopen' || command === 'irisclose')
    return 'FI_STOP';
  return 'STOP';
}

export const huaweiIvmFactory: PlatformFactory = (config, secret) => {
  if (config.platform !== 'huawei-ivm') throw new AppError('INTERNAL', 'not a Huawei IVM account');
  return new HuaweiIvmPlatform(config, secret);
};

/** The platform's preset preview as a data: URL, if it is plausible base64 of a modest size. */
function thumbnail(jpg: string | null | undefined): { thumbnail?: string } {
  if (!jpg || jpg.length > 400_000 || !/^[A-Za-z0-9+/]+=*$/.test(jpg)) return {};
  return { thumbnail: `data:image/jpeg;base64,${jpg}` };
}
