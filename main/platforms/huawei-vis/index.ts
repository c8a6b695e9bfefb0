import type { AccountsTestResponse } from '../../../preload/contract';
import { AppError } from '../../errors';
import {
  type Capability,
  capabilitySet,
  type Platform,
  type PlatformFactory,
  type PlatformLiveSource,
  type PlatformNode,
} from '../platform';
import { VisApi } from './api';
import { VisClient, type VisConfig } from './client';
import { VisHealthLists } from './health';
import { VisDeviceAdmin } from './device-admin';
import { codecOfEncodeType, liveSourceFromEndpoint } from './map';

/** Huawei VIS adapter: what Vigil can do with a VIS account. */
export class HuaweiVisPlatform implements Platform {
  readonly id = 'huawei-vis' as const;
  /** What this adapter implements (read off its operations). */
  get capabilities(): ReadonlySet<Capability> {
    return capabilitySet(this);
  }
  readonly api: VisApi;
  readonly deviceAdmin: VisDeviceAdmin;
  readonly health: VisHealthLists;

  private readonly client: VisClient;

  constructor(
    private readonly config: VisConfig,
    secret: string,
    fetchImpl?: typeof fetch,
  ) {
    this.client = new VisClient(config, secret, fetchImpl);
    this.api = new VisApi(this.client);
    this.deviceAdmin = new VisDeviceAdmin(this.api);
    this.health = new VisHealthLists(this.api);
  }

  /** Tree: GB28181 devices → channels (their linked streams), plus RTMP/HTTP-FLV streams in a group. */
  async tree(): Promise<PlatformNode[]> {
    const [devices, streams] = await Promise.all([this.api.listDevices(), this.api.listStreams()]);
    const nodes: PlatformNode[] = [
      { id: 'group:gb28181', parentId: null, kind: 'group', name: 'GB28181', status: 'unknown', ptz: null },
    ];
    for (const d of devices.items) {
      nodes.push({
        id: `dev:${d.device_id}`,
        parentId: 'group:gb28181',
        kind: 'device',
        name: d.description ? `${d.device_id} ${d.description}` : d.device_id,
        status: d.state === 'ONLINE' ? 'online' : 'offline',
        ptz: null,
      });
      for (const c of d.channels) {
        const online = ['ONLINE', 'INVITING', 'INVITE_SUCCESS', 'CANCELING'].includes(c.invitation_status);
        nodes.push({
          id: `ch:${d.device_id}:${c.channel_id}`,
          parentId: `dev:${d.device_id}`,
          kind: 'channel',
          name: c.stream_name || c.channel_id,
          status: online ? 'online' : 'offline',
          ptz: false,
        });
      }
    }
    const direct = streams.items.filter((s) => s.access_type !== 'GB28181');
    if (direct.length)
      nodes.push({
        id: 'group:streams',
        parentId: null,
        kind: 'group',
        name: 'RTMP / HTTP-FLV',
        status: 'unknown',
        ptz: null,
      });
    for (const s of direct)
      nodes.push({
        id: `stream:${s.name}`,
        parentId: 'group:streams',
        kind: 'channel',
        name: s.name,
        status: s.state === 'ACTIVE' ? 'online' : 'offline',
        ptz: false,
      });
    return nodes;
  }

  /**
   * GB28181 channels are invited first (PUT state ACTIVE, then wait for INVITE_SUCCESS), stopped
   * streams activated; the play address is fetched fresh every time (it may change, §4.2.7).
   */
  async liveSource(nodeId: string): Promise<PlatformLiveSource> {
    let streamName: string;
    let shareType: string | undefined;
    let encodeType: string | undefined;
    if (nodeId.startsWith('stream:')) {
      streamName = nodeId.slice('stream:'.length);
      const s = await this.api.getStream(streamName);
      shareType = s.share_type;
      encodeType = s.encode_type;
      if (s.state !== 'ACTIVE') await this.api.updateStream(streamName, { state: 'ACTIVE' });
    } else {
      const [, deviceId, channelId] = nodeId.split(':');
      if (!deviceId || !channelId) throw new AppError('VALIDATION', `Not a VIS channel: ${nodeId}`);
      let channel = (await this.api.getDevice(deviceId)).channels.find((c) => c.channel_id === channelId);
      if (!channel) throw new AppError('NOT_FOUND', `VIS channel ${channelId} is gone`);
      if (channel.invitation_status === 'ONLINE')
        await this.api.updateChannel(deviceId, channelId, { state: 'ACTIVE' });
      for (let i = 0; i < 25 && channel.invitation_status !== 'INVITE_SUCCESS'; i++) {
        if (['UNREGISTERED', 'OFFLINE', 'TEMPORARY_OFFLINE'].includes(channel.invitation_status))
          throw new AppError(
            'PLATFORM_ERROR',
            `The channel is ${channel.invitation_status.toLowerCase().replace('_', ' ')}`,
          );
        await new Promise((r) => setTimeout(r, 200));
        channel = (await this.api.getDevice(deviceId)).channels.find((c) => c.channel_id === channelId) ?? channel;
      }
      if (channel.invitation_status !== 'INVITE_SUCCESS')
        throw new AppError('PLATFORM_ERROR', 'The device did not start sending video (invitation timed out)');
      streamName = channel.stream_name ?? '';
      const s = await this.api.getStream(streamName).catch(() => null);
      shareType = s?.share_type;
      encodeType = s?.encode_type;
    }
    const source = liveSourceFromEndpoint(await this.api.getStreamEndpoint(streamName));
    if (!source) throw new AppError('PLATFORM_ERROR', 'VIS returned no play address');
    // §3.3 encode_type: an H.265 GB28181 stream is known before it plays (and comes as HLS, §4.2.7).
    const codec = codecOfEncodeType(encodeType);
    return {
      protocol: source.protocol,
      url: source.url,
      ...(codec ? { codec } : {}),
      ...(await this.mediaAuth(shareType)),
    };
  }

  /**
   * PRIVATE streams (the default, §4.2.1) play only with the creator's IAM token in
   * `X-Auth-Token` on the media request (§4.2.7): main's relay adds it, the renderer never sees
   * it, and only over https (or to this computer: the emulator). The token goes only where the
   * stream is known to be PRIVATE: it opens the whole account's API for a day.
   */
  private async mediaAuth(shareType: string | undefined): Promise<{ mediaHeaders?: Record<string, string> }> {
    const isPrivate = shareType?.toUpperCase() === 'PRIVATE';
    if (this.config.authMode === 'token')
      return isPrivate ? { mediaHeaders: { 'X-Auth-Token': await this.client.accessToken() } } : {};
    if (isPrivate) {
      throw new AppError(
        'NOT_AVAILABLE',
        'This VIS stream is private: playing it needs the IAM token of the user who created it, and this account signs with AK/SK. Sign in with that IAM user (token) or share the stream as PUBLIC.',
      );
    }
    return {};
  }

  /** §6: GET /subscription is the cheapest authenticated, project-scoped read. */
  async testConnection(): Promise<AccountsTestResponse> {
    const started = Date.now();
    try {
      const s = await this.api.getSubscription();
      const latencyMs = Date.now() - started;
      if (!s.is_subscribed)
        return { status: 'failed', message: 'Signed in, but VIS is not subscribed for this project.', latencyMs };
      const devices = s.quota?.device;
      return {
        status: 'ok',
        message: `Signed in; SIP registrar ${s.sip_ip ?? '?'}:${s.sip_port ?? '?'}${devices ? `, devices ${devices.used}/${devices.total}` : ''}.`,
        latencyMs,
      };
    } catch (e) {
      if (e instanceof AppError) return { status: 'failed', message: e.message, latencyMs: Date.now() - started };
      throw e;
    }
  }
}

export const huaweiVisFactory: PlatformFactory = (config, secret) => {
  if (config.platform !== 'huawei-vis') throw new AppError('INTERNAL', 'not a VIS account');
  return new HuaweiVisPlatform(config, secret);
};
