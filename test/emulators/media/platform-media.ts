import type { MediaSimulator, SimChannel } from './simulator';

/**
 * What a platform emulator needs from the media simulator: play URLs and HLS VOD recordings
 * (start/end in epoch ms) per simulated channel, and the channels to map cameras onto.
 */
export interface PlatformMedia {
  flv(channel: string, stream: 'main' | 'sub'): string;
  hls(channel: string, stream: 'main' | 'sub'): string;
  recordings(channel: string): Array<{ start: number; end: number; url: string }>;
  channels: string[];
  /** The simulated camera's video codec, for the fields a platform documents it in (IVM §17 encode_type). */
  codec?(channel: string): 'h264' | 'h265';
  /** The simulated camera's sound as it sends it (undefined: none): a device's FLV recording sends G.711 where the camera does. */
  audioCodec?(channel: string): SimChannel['audioCodec'] | undefined;
}

/** The simulator seen through that interface (every channel it runs, unless narrowed). */
export function platformMedia(sim: MediaSimulator, channels: string[] = [...sim.channels.keys()]): PlatformMedia {
  return {
    flv: (c, s) => sim.flv(c, s),
    hls: (c, s) => sim.hls(c, s),
    recordings: (c) => sim.recordings(c),
    channels,
    codec: (c) => sim.channels.get(c)?.codec ?? 'h264',
    audioCodec: (c) => {
      const ch = sim.channels.get(c);
      return ch?.audio ? (ch.audioCodec ?? 'aac') : undefined;
    },
  };
}
