import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { HuaweiIvmPlatform, beijing } from '../../main/platforms/huawei-ivm';
import { VcsApi } from '../../main/platforms/aliyun-vcs/api';
import { VcsClient } from '../../main/platforms/aliyun-vcs/client';
import { IvcApi } from '../../main/platforms/tencent-ivc/api';
import { IvcClient } from '../../main/platforms/tencent-ivc/client';
import { VcsEmulator } from '../emulators/aliyun-vcs/emulator';
import { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import { platformMedia } from '../emulators/media/platform-media';
import { MediaSimulator } from '../emulators/media/simulator';
import { IvcEmulator } from '../emulators/tencent-ivc/emulator';

// Each emulator's HLS is followed the way a player follows it: only the URL the platform hands
// out is known; every other address comes from the playlists, each URI resolved against the
// playlist that names it. Nothing here knows the simulator's paths.
// - Live (Tencent §3.5 `Hls`): every segment the playlist lists answers with MPEG-TS.
// - Recordings (Alibaba GetDeviceVideoUrl StorageType 0, Tencent E35, Huawei IVM §9.3): the
//   newest recording, never encoded (background preparation off), on a busy machine, read as a
//   player that starts near its end (an alarm a minute ago) and then goes back to its start. A
//   platform's storage answers every segment it lists at once: each segment's first byte within
//   FIRST_BYTE_MS.

const FIRST_BYTE_MS = 1000;

let sim: MediaSimulator;
let ivc: IvcEmulator;
let vcs: VcsEmulator;
let ivm: IvmEmulator;
let ivcApi: IvcApi;
let vcsApi: VcsApi;

before(async () => {
  sim = await MediaSimulator.start({
    channels: [
      { id: 'h1', name: 'Follow 1' },
      { id: 'h2', name: 'Follow 2' },
      { id: 'h3', name: 'Follow 3' },
    ],
    recordingsPerChannel: 2,
    recordingMinutes: 2,
    recordingEveryMinutes: 10,
    prepareRecordings: false,
  });
  ivc = await new IvcEmulator({ media: platformMedia(sim) }).start();
  vcs = await new VcsEmulator({ warmupMs: 0, media: platformMedia(sim) }).start();
  ivm = await new IvmEmulator({ media: platformMedia(sim) }).start();
  ivcApi = new IvcApi(
    new IvcClient(
      {
        platform: 'tencent-ivc',
        endpoint: ivc.baseUrl,
        appId: ivc.credentials.appId,
        secretId: ivc.credentials.secretId,
      },
      ivc.credentials.secretKey,
    ),
  );
  vcsApi = new VcsApi(
    new VcsClient(
      {
        platform: 'aliyun-vcs',
        regionId: 'cn-hangzhou',
        endpoint: vcs.baseUrl,
        accessKeyId: vcs.credentials.accessKeyId,
      },
      vcs.credentials.accessKeySecret,
    ),
  );
  // A busy machine: two 720p encoders run throughout.
  sim.flv('h1', 'main');
  sim.flv('h2', 'main');
});
after(async () => {
  await ivc?.stop();
  await vcs?.stop();
  await ivm?.stop();
  await sim?.stop();
});

interface Fetched {
  url: string;
  status: number;
  firstByteMs: number;
  bytes: Buffer;
}

/** GET with the time to the first body byte (or to the headers of an empty answer). */
async function get(url: string): Promise<Fetched> {
  const t0 = performance.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  const reader = res.body!.getReader();
  const chunks: Uint8Array[] = [];
  let firstByteMs = -1;
  for (;;) {
    const r = await reader.read();
    if (firstByteMs < 0) firstByteMs = performance.now() - t0;
    if (r.done) break;
    chunks.push(r.value);
  }
  return { url, status: res.status, firstByteMs, bytes: Buffer.concat(chunks) };
}

/** A playlist's URIs (segment lines and URI="…" attributes) resolved against its own URL. */
function uris(text: string, playlistUrl: string): { media: string[]; variants: string[] } {
  const media: string[] = [];
  const variants: string[] = [];
  let variantNext = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('#')) {
      if (line.startsWith('#EXT-X-STREAM-INF')) variantNext = true;
      continue;
    }
    (variantNext ? variants : media).push(new URL(line, playlistUrl).toString());
    variantNext = false;
  }
  return { media, variants };
}

/** The media playlist a player ends up with: a master's first variant is followed. */
async function mediaPlaylist(url: string): Promise<{ url: string; text: string }> {
  for (let depth = 0; depth < 3; depth++) {
    const r = await get(url);
    assert.equal(r.status, 200, `${url}: ${r.status}`);
    const text = r.bytes.toString('utf8');
    assert.match(text, /^#EXTM3U/);
    const { variants } = uris(text, url);
    if (variants.length === 0) return { url, text };
    url = variants[0]!;
  }
  throw new Error('nested playlists too deep');
}

/** MPEG-TS (sync byte every 188) or fragmented MP4 (a box type at offset 4). */
function isMedia(b: Buffer): boolean {
  if (b.length >= 188 * 2 && b[0] === 0x47 && b[188] === 0x47) return true;
  const box = b.subarray(4, 8).toString('latin1');
  return ['ftyp', 'styp', 'moof'].includes(box);
}

/** The order of a player started `fromEnd` segments before the end that then goes back to the start. */
function seekOrder(n: number, fromEnd: number): number[] {
  const from = Math.max(0, n - fromEnd);
  return [...Array.from({ length: n - from }, (_, i) => from + i), ...Array.from({ length: from }, (_, i) => i)];
}

async function followRecording(what: string, handedOut: string): Promise<void> {
  const playlist = await mediaPlaylist(handedOut);
  assert.match(playlist.text, /#EXT-X-ENDLIST/, `${what}: a VOD playlist`);
  const segments = uris(playlist.text, playlist.url).media;
  assert.equal(segments.length, 60, `${what}: the whole 2-minute recording in 2-s segments`);
  const slow: string[] = [];
  const times: number[] = [];
  for (const i of seekOrder(segments.length, 5)) {
    const r = await get(segments[i]!);
    assert.equal(r.status, 200, `${what}: segment ${i} (${r.url}) answered ${r.status}`);
    assert.ok(isMedia(r.bytes), `${what}: segment ${i} is not MPEG-TS or fMP4 (${r.bytes.length} bytes)`);
    times.push(r.firstByteMs);
    if (r.firstByteMs > FIRST_BYTE_MS) slow.push(`#${i} ${Math.round(r.firstByteMs)} ms`);
  }
  times.sort((a, b) => a - b);
  const p = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]!);
  process.stdout.write(`# ${what}: first byte p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, max ${p(1)} ms\n`);
  assert.deepEqual(slow, [], `${what}: segments whose first byte came after ${FIRST_BYTE_MS} ms`);
}

const newest = (channel: string) => sim.recordings(channel).at(-1)!;

test('Tencent §3.5 live Hls: every segment the playlist names, resolved against the playlist, is MPEG-TS', async () => {
  const plan = (await ivcApi.listRealtimePlans())[0]!;
  const ch = (await ivcApi.realtimePlanChannels({ PlanId: plan.PlanId, PageNumber: 1, PageSize: 1 })).List[0]!;
  const { Hls } = await ivcApi.liveUrls({ ChannelId: ch.ChannelId });
  assert.match(Hls, /\.m3u8\?/);
  const seen = new Set<string>();
  // Two reloads a few seconds apart, as a live player reloads: the window moves on and every
  // segment named in either answers.
  for (let reload = 0; reload < 2; reload++) {
    if (reload) await new Promise((r) => setTimeout(r, 2500));
    const playlist = await mediaPlaylist(Hls);
    const segments = uris(playlist.text, playlist.url).media.filter((s) => !seen.has(s));
    assert.ok(segments.length > 0, `reload ${reload}: no new segment in\n${playlist.text}`);
    for (const s of segments.slice(-3)) {
      seen.add(s);
      const r = await get(s);
      assert.equal(r.status, 200, `${s} answered ${r.status}`);
      assert.ok(isMedia(r.bytes), `${s}: not MPEG-TS (${r.bytes.length} bytes)`);
    }
  }
});

test('Tencent §3.5 live Hls with pull auth on: each segment the playlist names carries its own token', async () => {
  const saved = { ...ivc.authStream };
  Object.assign(ivc.authStream, { PullState: 1, PullSecret: 'pull-secret', PullExpired: 10 });
  try {
    const plan = (await ivcApi.listRealtimePlans())[0]!;
    const ch = (await ivcApi.realtimePlanChannels({ PlanId: plan.PlanId, PageNumber: 1, PageSize: 1 })).List[0]!;
    const { Hls } = await ivcApi.liveUrls({ ChannelId: ch.ChannelId });
    const playlist = await mediaPlaylist(Hls);
    const segment = uris(playlist.text, playlist.url).media.at(-1)!;
    const r = await get(segment);
    assert.equal(r.status, 200, `${segment} answered ${r.status}`);
    assert.ok(isMedia(r.bytes));
    const bare = new URL(segment);
    bare.search = '';
    assert.equal((await get(bare.toString())).status, 403, 'a segment without its token is refused');
  } finally {
    Object.assign(ivc.authStream, saved);
  }
});

test('Alibaba GetDeviceVideoUrl (StorageType 0, HLS): every segment of the newest recording starts within 1 s', async () => {
  const d = [...vcs.devices.values()].find((x) => x.DeviceType === 'IPC' && x.media === 'h1')!;
  const rec = newest('h1');
  const { Url } = await vcsApi.getDeviceVideoUrl({
    CorpId: d.CorpId,
    DeviceId: d.DeviceId,
    StartTime: rec.start,
    EndTime: rec.end,
    OutProtocol: 'hls',
  });
  await followRecording('Alibaba VCS', Url);
});

test('Tencent E35 cloud playback (HLS): every segment of the newest recording starts within 1 s', async () => {
  const plan = (await ivcApi.listRealtimePlans())[0]!;
  const planned = (await ivcApi.realtimePlanChannels({ PlanId: plan.PlanId, PageNumber: 1, PageSize: 100 })).List;
  const mediaOf = (id: string) =>
    [...ivc.devices.values()].flatMap((d) => d.channels).find((c) => c.ChannelId === id)?.media;
  // A camera of its own: a recording another test read would already be on disk.
  const ch = planned.find((c) => mediaOf(c.ChannelId) === 'h2');
  assert.ok(ch, 'a planned channel on simulated camera h2');
  const rec = newest('h2');
  const { Hls } = await ivcApi.cloudPlaybackUrl({
    ChannelId: ch.ChannelId,
    StartTime: Math.floor(rec.start / 1000),
    EndTime: Math.floor(rec.end / 1000),
  });
  await followRecording('Tencent IVC', Hls);
});

test('Huawei IVM §9.3 playback (HTTP_HLS, CLOUD): every segment of the newest recording starts within 1 s', async () => {
  const vigil = new HuaweiIvmPlatform(
    { platform: 'huawei-ivm', endpoint: ivm.baseUrl, userId: ivm.credentials.userId, ak: ivm.credentials.ak },
    ivm.credentials.sk,
  );
  const channel = [...ivm.devices.values()]
    .flatMap((d) => d.channels.map((c) => ({ d, c })))
    .find(({ d, c }) => d.device_state === 'ONLINE' && d.access_protocol === 'HOLO' && c.media === 'h3')!;
  const rec = newest('h3');
  const url = (
    await vigil.api.playbackConnection(channel.d.device_id, channel.c.channel_id, {
      playback_protocol: 'HTTP_HLS',
      start_time: beijing(rec.start),
      end_time: beijing(rec.end),
      record_position: 'CLOUD',
    })
  ).playback_connections.cloud_trans_connections!.playback_url!;
  await followRecording('Huawei IVM', url);
});
