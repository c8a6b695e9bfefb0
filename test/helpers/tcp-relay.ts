import net, { type AddressInfo } from 'node:net';

/**
 * A TCP relay to a local port that a test can hold: `pause()` stops carrying what clients send
 * (their messages reach no one, nothing is answered: a member whose broker link stalls), `cut()`
 * drops every connection without carrying what was held (a process that died with it unsent).
 */
export interface TcpRelay {
  port: number;
  url(scheme: string): string;
  pause(): void;
  resume(): void;
  cut(): void;
  close(): Promise<void>;
}

export async function startTcpRelay(targetPort: number): Promise<TcpRelay> {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  let paused = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    const pair = { client, upstream };
    pairs.add(pair);
    if (paused) client.pause();
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => client.write(d));
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (scheme) => `${scheme}://127.0.0.1:${port}`,
    pause() {
      paused = true;
      for (const p of pairs) p.client.pause();
    },
    resume() {
      paused = false;
      for (const p of pairs) p.client.resume();
    },
    cut() {
      for (const p of pairs) {
        p.client.destroy();
        p.upstream.destroy();
      }
      pairs.clear();
    },
    close: () =>
      new Promise((resolve) => {
        for (const p of pairs) {
          p.client.destroy();
          p.upstream.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
