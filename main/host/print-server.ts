import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Printables } from '../services/printables';

/**
 * Pages main printed (`/print/<ticket>`, one-time 128-bit tickets) on a loopback port of their
 * own: another origin than the app's, so no script of the app can read a sheet (and with it a
 * generated device password) — the system browser (Electron) or a new tab (browser host) opens it.
 * The browser host also asks for its session cookie (cookies ignore the port). Only GET spends a ticket: a HEAD or a probe with another method answers 405 and leaves it.
 */
export async function startPrintServer(
  printables: Printables,
  authorized: (req: http.IncomingMessage) => boolean = () => true,
): Promise<{ origin: string; close(): void }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.setHeader('Cache-Control', 'no-store');
    if (!authorized(req))
      return void res.writeHead(401, { 'Content-Type': 'text/plain' }).end('Open the sheet from Vigil');
    if (!url.pathname.startsWith('/print/'))
      return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
    if (req.method !== 'GET')
      return void res.writeHead(405, { Allow: 'GET', 'Content-Type': 'text/plain' }).end('Open the page with GET');
    sendPrintable(res, printables.take(url.pathname));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  printables.base = origin;
  return {
    origin,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** Headers for a printed page: no scripts, nothing loaded from elsewhere, not cached. */
const PRINT_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

/** A page main printed (`/print/<ticket>`), once; both hosts serve it the same way. */
function sendPrintable(res: http.ServerResponse, page: string | null): void {
  if (page === null) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('This page was already opened or has expired: print it again from Vigil.');
    return;
  }
  res.writeHead(200, PRINT_HEADERS);
  res.end(page);
}
