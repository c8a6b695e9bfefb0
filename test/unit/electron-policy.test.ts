import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  displayKey,
  externalUrlAllowed,
  isAppUrl,
  menuLabels,
  permissionAllowed,
  placeWindow,
  rememberWindow,
  restoreWindow,
} from '../../main/host/policy';
import { appRoot, findAppRoot, unpackedPath } from '../../main/host/paths';
import { resolveStatic } from '../../main/host/static';
import { tempDir } from '../helpers/core';

test('app URLs are compared by scheme and host, never by prefix', () => {
  for (const url of ['vigil://app/index.html', 'vigil://app/', 'vigil://app/index.html#/wall?x=1'])
    assert.ok(isAppUrl(url), url);
  for (const url of [
    'vigil://app.x/index.html',
    'vigil://app@evil/',
    'vigil://user:pw@app/',
    'vigil://app:81/',
    'vigil://other/',
    'vigilx://app/',
    'https://app/',
    'file:///app/',
    '',
    'not a url',
    undefined,
    null,
  ]) {
    assert.equal(isAppUrl(url), false, String(url));
  }
});

test("only https documentation/console pages and main's own print pages open in the system browser", () => {
  const print = 'http://127.0.0.1:41234';
  for (const url of [
    'https://support.huaweicloud.com/ivm/',
    'https://console.cloud.tencent.com/ivc',
    'https://help.aliyun.com/vcs',
    'https://aliyun.com/',
    `${print}/print/abc`,
  ])
    assert.ok(externalUrlAllowed(url, print), url);
  for (const url of [
    'http://support.huaweicloud.com/',
    'https://evil.example/',
    'https://huaweicloud.com.evil.example/',
    'https://evilhuaweicloud.com/',
    'https://user:pw@support.huaweicloud.com/',
    'https://support.huaweicloud.com:8443/',
    `${print}/other`,
    'http://127.0.0.1:1/print/abc',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'vigil://app/index.html',
    'not a url',
  ]) {
    assert.equal(externalUrlAllowed(url, print), false, url);
  }
  assert.equal(externalUrlAllowed(`${print}/print/abc`, null), false, 'no print server yet');
});

test('permissions: only full screen, only for the app', () => {
  assert.ok(permissionAllowed('fullscreen', 'vigil://app/index.html'));
  assert.equal(permissionAllowed('fullscreen', 'https://evil.example/'), false);
  for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal'])
    assert.equal(permissionAllowed(p, 'vigil://app/index.html'), false, p);
});

test('window placement: saved bounds on their display; a missing display sends the window to the primary one, shrunk to fit', () => {
  const primary = { x: 0, y: 0, width: 1920, height: 1040 };
  const right = { x: 1920, y: 0, width: 2560, height: 1400 };
  assert.deepEqual(placeWindow({ x: 2000, y: 100, width: 1600, height: 900 }, [primary, right], primary), {
    x: 2000,
    y: 100,
    width: 1600,
    height: 900,
  });
  // The right-hand display is unplugged: centred on the primary.
  assert.deepEqual(placeWindow({ x: 2000, y: 100, width: 1600, height: 900 }, [primary], primary), {
    x: 160,
    y: 70,
    width: 1600,
    height: 900,
  });
  // Larger than what is left: shrunk to the work area.
  assert.deepEqual(placeWindow({ x: 5000, y: 0, width: 2500, height: 1400 }, [primary], primary), {
    x: 0,
    y: 0,
    width: 1920,
    height: 1040,
  });
  // Hanging off the edge of its display: pulled inside so the title bar can be reached.
  assert.deepEqual(placeWindow({ x: 1800, y: -50, width: 1000, height: 800 }, [primary], primary), {
    x: 920,
    y: 0,
    width: 1000,
    height: 800,
  });
  assert.deepEqual(placeWindow(undefined, [primary], primary), { x: 240, y: 70, width: 1440, height: 900 });
});

test('menu labels follow the UI language (zh-CN by default)', () => {
  assert.equal(menuLabels('en').newWindow, 'New Wall Window');
  assert.equal(menuLabels('zh-CN').newWindow, '新建监控墙窗口');
  assert.equal(menuLabels('fr').newWindow, '新建监控墙窗口');
  assert.deepEqual(Object.keys(menuLabels('en')).sort(), Object.keys(menuLabels('zh-CN')).sort());
});

test("paths come from the app's own location; files in the archive map to the unpacked copy", () => {
  assert.equal(appRoot(), path.resolve(import.meta.dirname, '../..'));
  const installed = tempDir('vigil-installed-');
  fs.mkdirSync(path.join(installed, 'dist', 'main', 'host'), { recursive: true });
  fs.writeFileSync(path.join(installed, 'package.json'), JSON.stringify({ name: 'vigil' }));
  assert.equal(findAppRoot(path.join(installed, 'dist', 'main', 'host', 'web-cli.mjs')), installed);
  assert.equal(findAppRoot(path.join(installed, 'dist', 'main', 'index.mjs')), installed);
  assert.throws(() => findAppRoot(path.join(tempDir(), 'x.mjs')), /package\.json not found/);
  const sep = path.sep;
  assert.equal(
    unpackedPath(`${sep}opt${sep}Vigil${sep}resources${sep}app.asar${sep}node_modules${sep}ffmpeg`),
    `${sep}opt${sep}Vigil${sep}resources${sep}app.asar.unpacked${sep}node_modules${sep}ffmpeg`,
  );
  assert.equal(unpackedPath('/work/main/node_modules/x'), '/work/main/node_modules/x');
  assert.equal(unpackedPath('/opt/app.asar.unpacked/x'), '/opt/app.asar.unpacked/x');
});

test('static files: nothing outside the folder, symlinks included', () => {
  const dir = tempDir('vigil-static-');
  const root = path.join(dir, 'renderer');
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, 'index.html'), '<html>');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'secret');
  fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(root, 'link.txt'));
  fs.symlinkSync(dir, path.join(root, 'up'));
  assert.equal(resolveStatic(root, '/')?.file, fs.realpathSync(path.join(root, 'index.html')));
  for (const p of [
    '/../secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    `/${encodeURIComponent(path.join(dir, 'secret.txt'))}`,
    '/link.txt',
    '/up/secret.txt',
    '/%00',
    '/%zz',
  ])
    assert.equal(resolveStatic(root, p), null, p);
});

test('window state per display: back as it was on its display; when that display is gone, as it last was on the primary', () => {
  const laptop = {
    key: displayKey({ id: 1, bounds: { width: 1920, height: 1080 } }),
    workArea: { x: 0, y: 0, width: 1920, height: 1040 },
  };
  const monitor = {
    key: displayKey({ id: 7, bounds: { width: 2560, height: 1440 } }),
    workArea: { x: 1920, y: 0, width: 2560, height: 1400 },
  };
  assert.equal(laptop.key, '1:1920x1080');
  const onLaptop = { x: 100, y: 50, width: 1200, height: 800, maximized: false, display: laptop.key };
  const onMonitor = { x: 2000, y: 40, width: 2400, height: 1300, maximized: true, display: monitor.key };
  let remembered = rememberWindow([], onLaptop, 8);
  remembered = rememberWindow(remembered, onMonitor, 8);
  assert.deepEqual(
    remembered.map((s) => s.display),
    [monitor.key, laptop.key],
    'one per display, newest first',
  );
  assert.equal(
    rememberWindow(remembered, { ...onMonitor, maximized: false }, 8).length,
    2,
    'a display is remembered once',
  );

  // Docked: the monitor is there, the window comes back on it, maximized as it was.
  assert.deepEqual(restoreWindow(onMonitor, remembered, [laptop, monitor], laptop), {
    placement: { x: 2000, y: 40, width: 2400, height: 1300 },
    maximized: true,
  });
  // Undocked: the monitor is gone; the window comes back as it last was on the laptop (not maximized).
  assert.deepEqual(restoreWindow(onMonitor, remembered, [laptop], laptop), {
    placement: { x: 100, y: 50, width: 1200, height: 800 },
    maximized: false,
  });
  // Never seen on the primary (an older settings file): centred on it, shrunk to fit.
  assert.deepEqual(restoreWindow(onMonitor, [onMonitor], [laptop], laptop), {
    placement: { x: 0, y: 0, width: 1920, height: 1040 },
    maximized: true,
  });
  // A state saved before display keys existed still restores by its coordinates.
  const old = { x: 10, y: 10, width: 1000, height: 700, maximized: false };
  assert.deepEqual(restoreWindow(old, [], [laptop], laptop).placement, { x: 10, y: 10, width: 1000, height: 700 });
  assert.equal(
    rememberWindow(
      Array.from({ length: 8 }, (_, i) => ({ ...onLaptop, display: `d${i}` })),
      onMonitor,
      8,
    ).length,
    8,
    'bounded',
  );
});
