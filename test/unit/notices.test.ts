import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  collectShipped,
  declaredLicence,
  ffmpegNotice,
  lockProduction,
  packagesOfModules,
  renderNotices,
  withoutLicenceText,
  type FfmpegNotice,
  type Shipped,
} from '../../scripts/notices';
import { tempDir } from '../helpers/core';

// The notices `npm run dist` ships, made by the same code as `npm run notices`: every installed
// production package of the lock file and every package bundled into the renderer and preload
// scripts is named with a licence text, and the ffmpeg binary with its licence and source.

const root = path.resolve(import.meta.dirname, '../..');
let shipped: Map<string, Shipped>;
let ffmpeg: FfmpegNotice;
let notices: string;

before(async () => {
  shipped = await collectShipped(root);
  ffmpeg = ffmpegNotice(root);
  notices = renderNotices(shipped, ffmpeg, root);
});

/** The section of one package in the notices (its heading line up to the next rule). */
function section(key: string): string | null {
  const at = notices.indexOf(`\n${key}\nLicence: `);
  if (at < 0) return null;
  const end = notices.indexOf(`\n${'='.repeat(78)}`, at + 1);
  return notices.slice(at, end < 0 ? undefined : end);
}

test('every installed production package of the lock file is in the notices with a licence text', () => {
  const production = lockProduction(root).filter((p) => p.dir);
  assert.ok(production.length > 50, `${production.length} production packages`);
  const missing: string[] = [];
  for (const p of production) {
    const s = section(`${p.name}@${p.version}`);
    if (!s) missing.push(`${p.name}@${p.version}: no section`);
    else if (!/--- |the same text as |the standard text of /.test(s) || s.includes('NO LICENCE TEXT FOUND'))
      missing.push(`${p.name}@${p.version}: no licence text`);
  }
  assert.deepEqual(missing, []);
  assert.deepEqual(withoutLicenceText(shipped, root), []);
});

test("the renderer bundle's packages (devDependencies included) are named, from what the bundler put in it", () => {
  const renderer = [...shipped.values()].filter((p) => p.shippedIn.has('renderer')).map((p) => p.name);
  for (const name of ['react', 'react-dom', 'antd', 'hls.js', 'mpegts.js', 'zustand', 'i18next', 'vite'])
    assert.ok(renderer.includes(name), `${name} is in the renderer bundle's notices`);
  assert.ok(!renderer.includes('electron') && !renderer.includes('typescript'), 'build tools are not in the bundle');
  // Cross-check against the sources: every package a renderer file imports for its values is named.
  const imported = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) walk(file);
      else if (/\.tsx?$/.test(e.name) && !/\.(test|d)\.tsx?$/.test(e.name) && e.name !== 'vite.config.ts')
        for (const m of fs.readFileSync(file, 'utf8').matchAll(/^import (?!type\b)[^'"]*['"]([^'".][^'"]*)['"]/gm)) {
          const spec = m[1]!;
          imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
        }
    }
  };
  walk(path.join(root, 'renderer'));
  assert.ok(imported.size > 5, [...imported].join(' '));
  assert.deepEqual(
    [...imported].filter((name) => !renderer.includes(name)),
    [],
    'packages imported by the renderer but missing from the notices',
  );
});

test('ffmpeg: the version that ships, its licence from its own configuration, and where its source is', () => {
  assert.match(ffmpeg.versionLine, /^ffmpeg version /);
  assert.match(ffmpeg.configuration, /--enable-gpl/);
  assert.equal(ffmpeg.licenceId, 'GPL-3.0');
  assert.match(notices, /STANDARD LICENCE TEXT: GPL-3\.0\n=+\n\n\s*GNU GENERAL PUBLIC LICENSE\s+Version 3/);
  assert.ok(
    ffmpeg.source.some((s) =>
      /git\.ffmpeg\.org\/gitweb\/ffmpeg\.git\/commit\/[0-9a-f]{7,}|ffmpeg\.org\/releases/.test(s),
    ),
    ffmpeg.source.join('\n'),
  );
  assert.ok(notices.includes(ffmpeg.configuration), 'the configuration (its libraries) is quoted');
  assert.ok(section(ffmpeg.package), `${ffmpeg.package} has its own section`);
});

let fixture: string;
after(() => fixture && fs.rmSync(fixture, { recursive: true, force: true }));

test('a shipped package with no licence file and no known licence text is reported, not passed over', () => {
  fixture = tempDir('vigil-notices-');
  const pkg = (name: string, json: object, files: Record<string, string> = {}) => {
    const dir = path.join(fixture, 'node_modules', name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', ...json }));
    for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
  };
  pkg('has-file', { license: 'Custom' }, { 'LICENSE.md': 'Custom terms' });
  pkg('mit-bare', { license: 'MIT', author: 'A. Author' });
  pkg('unknown', { license: 'SEE LICENSE IN terms.pdf' });
  pkg('nothing', {});
  pkg('dev-only', {});
  fs.mkdirSync(path.join(fixture, 'licenses'));
  fs.copyFileSync(path.join(root, 'licenses', 'MIT.txt'), path.join(fixture, 'licenses', 'MIT.txt'));
  fs.writeFileSync(
    path.join(fixture, 'package-lock.json'),
    JSON.stringify({
      packages: {
        '': {},
        'node_modules/has-file': { version: '1.0.0' },
        'node_modules/mit-bare': { version: '1.0.0' },
        'node_modules/unknown': { version: '1.0.0' },
        'node_modules/nothing': { version: '1.0.0' },
        'node_modules/dev-only': { version: '1.0.0', dev: true },
        'node_modules/other-os': { version: '2.0.0', license: 'MIT' },
      },
    }),
  );
  const found = new Map(lockProduction(fixture).map((p) => [`${p.name}@${p.version}`, p]));
  assert.deepEqual([...found.keys()].sort(), [
    'has-file@1.0.0',
    'mit-bare@1.0.0',
    'nothing@1.0.0',
    'other-os@2.0.0',
    'unknown@1.0.0',
  ]);
  assert.equal(found.get('other-os@2.0.0')!.dir, null, 'in the lock, not installed');
  assert.deepEqual(withoutLicenceText(found, fixture), [
    'nothing@1.0.0 (no licence declared)',
    'unknown@1.0.0 (SEE LICENSE IN terms.pdf)',
  ]);
  const text = renderNotices(found, { ...ffmpeg, licenceId: 'none' }, fixture);
  assert.match(text, /has-file@1\.0\.0\nLicence: Custom\n\n--- LICENSE\.md ---\nCustom terms/);
  assert.match(text, /mit-bare@1\.0\.0\nLicence: MIT\n\nThe package carries no licence file; the standard text of MIT/);
  assert.match(text, /nothing@1\.0\.0\nLicence: \(none declared\)\n\nNO LICENCE TEXT FOUND/);
  assert.match(text, /Platform packages for other systems[^]*other-os@2\.0\.0 {2}MIT/);
});

test('licence fields and module paths are read as packages write them', () => {
  assert.equal(declaredLicence({ license: 'MIT' }), 'MIT');
  assert.equal(declaredLicence({ license: { type: 'BSD-3-Clause' } }), 'BSD-3-Clause');
  assert.equal(declaredLicence({ licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] }), 'MIT OR Apache-2.0');
  assert.equal(declaredLicence({}), '');
  const mods = packagesOfModules(
    [
      path.join(root, 'node_modules/react/index.js'),
      path.join(root, 'node_modules/@ant-design/icons/es/index.js'),
      '\0vite/modulepreload-polyfill.js',
      path.join(root, 'renderer/App.tsx'),
    ],
    root,
  );
  const names = [...mods.keys()].map((k) => k.slice(0, k.lastIndexOf('@')));
  assert.deepEqual(names.sort(), ['@ant-design/icons', 'react', 'vite']);
});
