import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PlatformMedia } from './platform-media';

/**
 * A stand-in camera for emulator tests of media faults: an endless FLV-ish body at `/c.flv` and a
 * live playlist of one segment at `/c/index.m3u8` (`seg1.ts`), as a PlatformMedia for one channel.
 * No ffmpeg: the tests check what the platform does with a stream, not the pictures.
 */
export async function standInCamera(): Promise<{ media: PlatformMedia; flv: string; stop(): void }> {
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/c.flv')) {
      res.writeHead(200, { 'Content-Type': 'video/x-flv' });
      const t = setInterval(() => res.write(Buffer.alloc(100)), 50);
      res.on('close', () => clearInterval(t));
      return;
    }
    if (req.url?.startsWith('/c/index.m3u8'))
      return void res
        .writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl' })
        .end('#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:1\n#EXTINF:1.0,\nseg1.ts\n');
    if (req.url?.startsWith('/c/seg1.ts'))
      return void res.writeHead(200, { 'Content-Type': 'video/mp2t' }).end(Buffer.alloc(188 * 4, 0x47));
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    media: {
      flv: () => `${base}/c.flv`,
      hls: () => `${base}/c/index.m3u8`,
      recordings: () => [],
      channels: ['m1'],
    },
    flv: `${base}/c.flv`,
    stop: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** Reads an open stream until it ends (true) or `ms` pass (false). */
export async function endsWithin(reader: ReadableStreamDefaultReader<Uint8Array>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    const r = await Promise.race([
      reader.read().catch(() => ({ done: true as const })),
      new Promise<'late'>((res) => setTimeout(() => res('late'), Math.max(1, until - Date.now()))),
    ]);
    if (r === 'late') return false;
    if (r.done) return true;
  }
}
