import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  channelFile,
  checkFeed,
  describeUpdateError,
  isNewer,
  updateFeedUrl,
  verifyDownload,
} from '../../main/host/updater';
import { tempDir } from '../helpers/core';

// The update feed as electron-builder publishes it (latest-linux.yml: version, files with sha512),
// served on loopback by this test: a good feed, a file that does not match its sha512, a broken
// feed, a missing one, and a server that is gone.

const installer = Buffer.from('Vigil 0.2.0 AppImage (stand-in bytes)\n'.repeat(1000));
const sha512 = createHash('sha512').update(installer).digest('base64');
const yml = (version: string, sum: string) =>
  `version: ${version}\nfiles:\n  - url: Vigil-${version}.AppImage\n    sha512: ${sum}\n    size: ${installer.length}\npath: Vigil-${version}.AppImage\nsha512: ${sum}\nreleaseDate: '2026-11-20T10:00:00.000Z'\n`;
let server: http.Server;
let base: string;
let closedPort: number;

before(async () => {
  server = http.createServer((req, res) => {
    const routes: Record<string, () => void> = {
      '/good/latest-linux.yml': () => res.end(yml('0.2.0', sha512)),
      '/good/Vigil-0.2.0.AppImage': () => res.end(installer),
      '/tampered/latest-linux.yml': () => res.end(yml('0.2.0', sha512)),
      '/tampered/Vigil-0.2.0.AppImage': () => res.end(Buffer.concat([installer.subarray(0, -1), Buffer.from('X')])),
      '/broken/latest-linux.yml': () => res.end('version: [\n  nope'),
      '/noversion/latest-linux.yml': () => res.end(`files:\n  - url: a.AppImage\n    sha512: ${sha512}\n`),
      '/nosha/latest-linux.yml': () => res.end('version: 0.3.0\nfiles:\n  - url: a.AppImage\n'),
    };
    const route = routes[req.url ?? ''];
    if (route) route();
    else res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const gone = http.createServer();
  await new Promise<void>((ok) => gone.listen(0, '127.0.0.1', ok));
  closedPort = (gone.address() as AddressInfo).port;
  await new Promise((ok) => gone.close(ok));
});

after(() => server?.close());

test('feed URL from settings: none by default; https, or http only on loopback', () => {
  assert.equal(updateFeedUrl(null), null);
  assert.equal(updateFeedUrl(''), null);
  assert.equal(updateFeedUrl('http://updates.example.com/vigil/'), null, 'plain http off loopback');
  assert.equal(updateFeedUrl('ftp://updates.example.com/'), null);
  assert.equal(updateFeedUrl('https://user:pw@updates.example.com/'), null);
  assert.equal(updateFeedUrl('not a url'), null);
  assert.equal(updateFeedUrl('https://updates.example.com/vigil')?.href, 'https://updates.example.com/vigil/');
  assert.equal(updateFeedUrl(`${base}/good/`)?.href, `${base}/good/`);
  assert.equal(channelFile('linux'), 'latest-linux.yml');
  assert.equal(channelFile('darwin'), 'latest-mac.yml');
  assert.equal(channelFile('win32'), 'latest.yml');
});

test('versions compare as semver', () => {
  assert.ok(isNewer('0.2.0', '0.1.0'));
  assert.ok(isNewer('0.10.0', '0.9.9'));
  assert.ok(isNewer('1.0.0', '1.0.0-beta.2'));
  assert.ok(isNewer('1.0.0-beta.10', '1.0.0-beta.2'));
  assert.equal(isNewer('0.1.0', '0.1.0'), false);
  assert.equal(isNewer('0.1.0', '0.2.0'), false);
  assert.equal(isNewer('1.0.0-rc.1', '1.0.0'), false);
});

test('a good feed: a newer version is offered, and its download matches the sha512', async () => {
  const feed = updateFeedUrl(`${base}/good/`)!;
  const { available, info } = await checkFeed(feed, '0.1.0', { platform: 'linux' });
  assert.equal(available, true);
  assert.equal(info.version, '0.2.0');
  assert.equal(info.files[0]!.sha512, sha512);
  assert.equal((await checkFeed(feed, '0.2.0', { platform: 'linux' })).available, false, 'same version: nothing to do');
  const file = path.join(tempDir(), 'Vigil-0.2.0.AppImage');
  fs.writeFileSync(file, Buffer.from(await (await fetch(new URL(info.files[0]!.url, feed))).arrayBuffer()));
  await verifyDownload(file, info.files[0]!.sha512);
  assert.ok(fs.existsSync(file));
});

test("a download that does not match the feed's sha512 is refused and removed: nothing half-installed", async () => {
  const feed = updateFeedUrl(`${base}/tampered/`)!;
  const { info } = await checkFeed(feed, '0.1.0', { platform: 'linux' });
  const file = path.join(tempDir(), 'Vigil-0.2.0.AppImage');
  fs.writeFileSync(file, Buffer.from(await (await fetch(new URL(info.files[0]!.url, feed))).arrayBuffer()));
  await assert.rejects(
    verifyDownload(file, info.files[0]!.sha512),
    /does not match the sha512 in the update feed; it was discarded and nothing was installed/,
  );
  assert.equal(fs.existsSync(file), false);
});

test('a broken, incomplete or missing feed and a server that is gone are clear messages', async () => {
  const check = (p: string) => checkFeed(new URL(`${base}/${p}/`), '0.1.0', { platform: 'linux' });
  await assert.rejects(check('broken'), /update feed's latest-linux\.yml cannot be read/);
  await assert.rejects(check('noversion'), /latest-linux\.yml (cannot be read|has no valid version)/);
  await assert.rejects(check('nosha'), /latest-linux\.yml (cannot be read|lists no file with a sha512)/);
  await assert.rejects(check('missing'), /update server answered HTTP 404 for latest-linux\.yml/);
  await assert.rejects(
    checkFeed(new URL(`http://127.0.0.1:${closedPort}/`), '0.1.0', { platform: 'linux' }),
    /update server cannot be reached \(ECONNREFUSED\)/,
  );
});

test("electron-updater's own errors become one sentence that says nothing was installed", () => {
  const runtime = createRequire(import.meta.url)('builder-util-runtime') as {
    newError(message: string, code: string): Error;
    HttpError: new (status: number, description?: string) => Error;
  };
  assert.match(
    describeUpdateError(runtime.newError('sha512 checksum mismatch, expected abc, got def', 'ERR_CHECKSUM_MISMATCH')),
    /does not match the sha512.*nothing was installed/,
  );
  assert.match(
    describeUpdateError(
      runtime.newError(
        'New version 0.2.0 is not signed by the application owner: publisherNames: Vigil',
        'ERR_UPDATER_INVALID_SIGNATURE',
      ),
    ),
    /not signed by Vigil's publisher.*nothing was installed/,
  );
  assert.match(describeUpdateError(new runtime.HttpError(404, 'Not Found')), /HTTP 404; nothing was installed/);
  assert.match(
    describeUpdateError(new Error('net::ERR_INTERNET_DISCONNECTED')),
    /cannot be reached \(ERR_INTERNET_DISCONNECTED\)/,
  );
  assert.match(
    describeUpdateError(Object.assign(new Error('getaddrinfo ENOTFOUND updates.example.com'), { code: 'ENOTFOUND' })),
    /cannot be reached \(ENOTFOUND\)/,
  );
  const odd = describeUpdateError(new Error('something odd at https://updates.example.com/x?token=SECRET123'));
  assert.match(odd, /^Updating failed: something odd at <url>$/);
});
