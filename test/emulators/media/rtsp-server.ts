import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ffmpegPath } from './ffmpeg';

/**
 * A small RTSP server (RFC 2326) for platforms that hand out `rtsp://` URLs: OPTIONS, DESCRIBE,
 * SETUP, PLAY, TEARDOWN, with RTP interleaved on the RTSP connection (TCP; a UDP transport is
 * answered 461, and ffmpeg and VLC then ask for TCP). DESCRIBE starts ffmpeg sending the source
 * (an HTTP HLS URL, from an offset) as RTP to a local UDP port in real time; its SDP answers the
 * DESCRIBE and its packets go to the client from PLAY on. Video only. 127.0.0.1 only.
 */
export type RtspResolve = (path: string) => { source: string; offsetS: number } | null;

interface Session {
  ffmpeg: ChildProcess;
  udp: dgram.Socket;
  queue: Buffer[];
  playing: boolean;
  sdpFile: string;
}

export class RtspServer {
  private server: net.Server | null = null;
  port = 0;
  private readonly sessions = new Set<Session>();

  constructor(private readonly resolve: RtspResolve) {}

  async listen(): Promise<void> {
    this.server = net.createServer((socket) => this.connection(socket));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const s of this.sessions) end(s);
    this.sessions.clear();
    if (!this.server) return;
    await new Promise<void>((r) => this.server!.close(() => r()));
    this.server = null;
  }

  private connection(socket: net.Socket): void {
    let buf = Buffer.alloc(0);
    let session: Session | null = null;
    const id = randomBytes(8).toString('hex');
    const close = () => {
      if (session) {
        end(session);
        this.sessions.delete(session);
        session = null;
      }
    };
    socket.on('close', close);
    socket.on('error', close);
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        // Interleaved data from the client (RTCP receiver reports): skip it.
        if (buf[0] === 0x24) {
          if (buf.length < 4 || buf.length < 4 + buf.readUInt16BE(2)) return;
          buf = buf.subarray(4 + buf.readUInt16BE(2));
          continue;
        }
        const headEnd = buf.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const head = buf.subarray(0, headEnd).toString('utf8');
        const length = Number(/^content-length:\s*(\d+)/im.exec(head)?.[1] ?? 0);
        if (buf.length < headEnd + 4 + length) return;
        buf = buf.subarray(headEnd + 4 + length);
        void this.request(
          head,
          socket,
          id,
          () => session,
          (s) => (session = s),
        );
      }
    });
  }

  private async request(
    head: string,
    socket: net.Socket,
    id: string,
    current: () => Session | null,
    set: (s: Session) => void,
  ): Promise<void> {
    const [line, ...rest] = head.split('\r\n');
    const [method, url] = (line ?? '').split(' ');
    const headers = new Map(
      rest.map((h) => [h.slice(0, h.indexOf(':')).trim().toLowerCase(), h.slice(h.indexOf(':') + 1).trim()]),
    );
    const cseq = headers.get('cseq') ?? '0';
    const reply = (status: string, extra: Record<string, string> = {}, body = '') => {
      const lines = [
        `RTSP/1.0 ${status}`,
        `CSeq: ${cseq}`,
        'Server: vigil-media-simulator',
        ...Object.entries(extra).map(([k, v]) => `${k}: ${v}`),
      ];
      if (body) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
      if (!socket.destroyed) socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
    };
    if (method === 'OPTIONS') return reply('200 OK', { Public: 'OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN' });
    if (method === 'DESCRIBE') {
      const target = url ? this.resolve(new URL(url).pathname) : null;
      if (!target) return reply('404 Not Found');
      const s = await this.start(target);
      if (!s) return reply('503 Service Unavailable');
      set(s);
      // ffmpeg's SDP file begins with an "SDP:" line of its own; the media port is ours to hide.
      const sdp = fs
        .readFileSync(s.sdpFile, 'utf8')
        .replace(/^SDP:\s*\n/, '')
        .replace(/^c=IN IP4 .*$/m, 'c=IN IP4 0.0.0.0')
        .replace(/^m=video \d+ /m, 'm=video 0 ');
      return reply(
        '200 OK',
        { 'Content-Base': `${url}/`, 'Content-Type': 'application/sdp' },
        `${sdp.trimEnd()}\r\na=control:trackID=0\r\n`,
      );
    }
    if (method === 'SETUP') {
      if (!current()) return reply('455 Method Not Valid in This State');
      if (!/interleaved/.test(headers.get('transport') ?? '')) return reply('461 Unsupported Transport');
      return reply('200 OK', { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1', Session: `${id};timeout=60` });
    }
    if (method === 'PLAY') {
      const s = current();
      if (!s) return reply('455 Method Not Valid in This State');
      reply('200 OK', { Session: id, Range: 'npt=0.000-' });
      s.playing = true;
      for (const packet of s.queue.splice(0)) send(socket, packet);
      s.udp.on('message', (packet) => send(socket, packet));
      return;
    }
    if (method === 'TEARDOWN') {
      reply('200 OK', { Session: id });
      socket.end();
      return;
    }
    reply('405 Method Not Allowed', { Allow: 'OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN' });
  }

  /** ffmpeg sends the source as RTP to a local port; resolves once it has written the SDP. */
  private async start(target: { source: string; offsetS: number }): Promise<Session | null> {
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
    const sdpFile = path.join(os.tmpdir(), `vigil-rtsp-${randomBytes(6).toString('hex')}.sdp`);
    const ffmpeg = spawn(
      ffmpegPath(),
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-nostdin',
        '-re',
        '-ss',
        String(target.offsetS),
        '-i',
        target.source,
        '-map',
        '0:v:0',
        '-c',
        'copy',
        '-f',
        'rtp',
        '-sdp_file',
        sdpFile,
        `rtp://127.0.0.1:${udp.address().port}?pkt_size=1400&rtcpport=${udp.address().port}`,
      ],
      { stdio: 'ignore' },
    );
    const s: Session = { ffmpeg, udp, queue: [], playing: false, sdpFile };
    udp.on('message', (packet) => {
      if (!s.playing && s.queue.length < 5000) s.queue.push(packet);
    });
    // RTCP (sender reports) comes to the same port and goes out on the odd channel.
    this.sessions.add(s);
    for (const until = Date.now() + 15_000; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
      if (ffmpeg.exitCode !== null) break;
      if (fs.existsSync(sdpFile) && fs.readFileSync(sdpFile, 'utf8').includes('m=video')) return s;
    }
    end(s);
    this.sessions.delete(s);
    return null;
  }
}

function send(socket: net.Socket, packet: Buffer): void {
  if (socket.destroyed) return;
  const rtcp = packet.length > 1 && packet[1]! >= 200 && packet[1]! <= 204;
  const header = Buffer.from([0x24, rtcp ? 1 : 0, 0, 0]);
  header.writeUInt16BE(packet.length, 2);
  socket.write(Buffer.concat([header, packet]));
}

function end(s: Session): void {
  s.ffmpeg.kill('SIGKILL');
  try {
    s.udp.close();
  } catch {
    /* closed */
  }
  fs.rmSync(s.sdpFile, { force: true });
}
