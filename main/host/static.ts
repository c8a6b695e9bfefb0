import fs from 'node:fs';
import path from 'node:path';

/** Content Security Policy for every page Vigil serves, in both hosts. */
export function contentSecurityPolicy(wsOrigin?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // antd writes its CSS-in-JS into <style> tags
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    // video comes from MediaSource blobs; play URLs are fetched by hls.js/mpegts.js
    "media-src 'self' blob:",
    // hls.js and mpegts.js transmux in blob: workers
    "worker-src 'self' blob:",
    `connect-src 'self' ${wsOrigin ?? ''} http: https: ws: wss:`.replace(/\s+/g, ' '),
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
  const file = path.resolve(root, relative);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return null;
  return { file, mime: mimeTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream' };
}

/** Where the build puts the renderer and the browser-mode preload (dist/renderer, dist/preload). */
export function distDir(...parts: string[]): string {
  return path.resolve(process.env.VIGIL_DIST ?? path.join(process.cwd(), 'dist'), ...parts);
}
