import fs from 'node:fs';
import path from 'node:path';
import { appRoot } from './paths';

/** Main's relay lanes and the emulators' media servers: loopback on any port. */
export const LOOPBACK_SOURCES = ['http://127.0.0.1:*', 'ws://127.0.0.1:*', 'http://localhost:*', 'ws://localhost:*'];

/**
 * Content Security Policy for every page Vigil serves, in both hosts. `tiles`: the geographic
 * map's tile origin the user set (main/services/maps.ts `tileSource`), the one place beyond this
 * machine a picture may come from; none until one is set.
 */
export function contentSecurityPolicy(wsOrigin?: string, tiles: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // antd writes its CSS-in-JS into <style> tags
    "style-src 'self' 'unsafe-inline'",
    ['img-src', "'self'", 'data:', 'blob:', ...tiles].join(' '),
    // video comes from MediaSource blobs; play URLs are fetched by hls.js/mpegts.js
    "media-src 'self' blob:",
    // hls.js and mpegts.js transmux in blob: workers
    "worker-src 'self' blob:",
    // Loopback only: every platform stream comes through main's relay (main/media/relay.ts), so a
    // page script cannot reach the network, and the stream-test page plays loopback addresses.
    ['connect-src', "'self'", wsOrigin, ...LOOPBACK_SOURCES].filter(Boolean).join(' '),
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** Map a URL path to a file under `root`; null for anything outside it or missing. */
export function resolveStatic(root: string, urlPath: string): { file: string; mime: string } | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const inside = (base: string, p: string) => p === base || p.startsWith(base + path.sep);
  const file = path.resolve(root, relative);
  if (!inside(root, file)) return null;
  // A symlink inside the folder must not lead out of it: compare the real paths too.
  let real: string;
  try {
    real = fs.realpathSync(file);
    if (!inside(fs.realpathSync(root), real) || !fs.statSync(real).isFile()) return null;
  } catch {
    return null;
  }
  return { file: real, mime: mimeTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream' };
}

/**
 * Where the build puts the renderer and the preloads (dist/renderer, dist/preload), found from the
 * app's own location (never the working directory); VIGIL_DIST overrides it.
 */
export function distDir(...parts: string[]): string {
  return path.resolve(process.env.VIGIL_DIST ?? path.join(appRoot(), 'dist'), ...parts);
}
