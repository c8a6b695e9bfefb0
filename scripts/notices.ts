import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Third-party notices for what Vigil's installers carry: every production package from the lock
 * file that is installed (electron-builder copies exactly those), every package bundled into the
 * renderer and preload scripts (devDependencies such as react, antd, hls.js, found from the
 * bundlers' own module lists, not guessed), and the ffmpeg binary with its licence and where its
 * source is. Each package's own LICENSE/COPYING/NOTICE files are quoted; a package without one
 * gets the standard text of the licence it declares (licenses/<id>.txt), never nothing.
 *
 * `npm run notices` writes THIRD-PARTY-NOTICES.txt; `npm run dist` runs it first and
 * electron-builder puts the file next to the executable.
 */

export type ShippedIn = 'app' | 'renderer' | 'preload';

export interface Shipped {
  name: string;
  version: string;
  /** The licence as the package declares it (package.json `license`, or the lock's). */
  license: string;
  /** Where the package's files are; null when it is in the lock but not installed (another platform's binary). */
  dir: string | null;
  shippedIn: Set<ShippedIn>;
  /** Where the licence comes from when the package itself declares none (licenses/overrides.json). */
  note?: string;
}

export interface LicenceFile {
  file: string;
  text: string;
}

interface LockEntry {
  version?: string;
  dev?: boolean;
  license?: unknown;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The licence a package.json (or lock entry) declares, as one string. */
export function declaredLicence(pkg: { license?: unknown; licenses?: unknown }): string {
  const one = (l: unknown): string =>
    typeof l === 'string' ? l : l && typeof l === 'object' && 'type' in l ? String((l as { type: unknown }).type) : '';
  if (pkg.license) return one(pkg.license);
  if (Array.isArray(pkg.licenses)) return pkg.licenses.map(one).filter(Boolean).join(' OR ');
  return '';
}

/** A package's folder → the package it belongs to (name, from the last node_modules segment). */
export function packageOfPath(file: string): { name: string; dir: string } | null {
  const norm = file.split(path.sep).join('/');
  const m = /^(.*\/node_modules\/)((?:@[^/]+\/)?[^/]+)/.exec(norm);
  return m ? { name: m[2]!, dir: `${m[1]}${m[2]}` } : null;
}

/** Production packages from the lock file (everything not marked dev), installed or not. */
export function lockProduction(projectRoot = root): Shipped[] {
  const lock = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const out: Shipped[] = [];
  for (const [key, info] of Object.entries(lock.packages)) {
    if (!key.includes('node_modules/') || info.dev) continue;
    const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const dir = path.join(projectRoot, key);
    const installed = fs.existsSync(path.join(dir, 'package.json'));
    const pkg = installed ? readJson(path.join(dir, 'package.json')) : {};
    out.push({
      name,
      version: String(pkg.version ?? info.version ?? ''),
      license: declaredLicence(pkg) || declaredLicence(info),
      dir: installed ? dir : null,
      shippedIn: new Set(['app']),
    });
  }
  return out;
}

/**
 * Packages whose code the renderer bundle carries: vite's own build (in memory, nothing written)
 * and the modules its chunks actually render, mapped to their packages. Bundler runtimes that
 * vite injects (its module-preload polyfill, rolldown's runtime) count as their packages.
 */
export async function rendererPackages(projectRoot = root): Promise<Map<string, string>> {
  const { build } = await import('vite');
  const outDir = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'vigil-notices-'));
  try {
    const result = await build({
      configFile: path.join(projectRoot, 'renderer/vite.config.ts'),
      logLevel: 'silent',
      build: { write: false, emptyOutDir: false, outDir },
    });
    const outputs = (Array.isArray(result) ? result : [result]) as Array<{
      output: Array<{ type: string; modules?: Record<string, { renderedLength: number }> }>;
    }>;
    const ids: string[] = [];
    for (const o of outputs)
      for (const chunk of o.output)
        if (chunk.type === 'chunk')
          for (const [id, m] of Object.entries(chunk.modules ?? {})) if (m.renderedLength > 0) ids.push(id);
    return packagesOfModules(ids, projectRoot);
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

/** Packages bundled into the preload scripts (esbuild's metafile of the same entry points as build:preload). */
export async function preloadPackages(projectRoot = root): Promise<Map<string, string>> {
  const esbuild = await import('esbuild');
  const ids: string[] = [];
  for (const [entry, platform] of [
    ['preload/index.ts', 'node'],
    ['preload/web.ts', 'browser'],
  ] as const) {
    const r = await esbuild.build({
      entryPoints: [path.join(projectRoot, entry)],
      bundle: true,
      write: false,
      metafile: true,
      platform,
      external: ['electron'],
      outdir: 'out',
      logLevel: 'silent',
    });
    for (const out of Object.values(r.metafile.outputs))
      for (const [id, m] of Object.entries(out.inputs))
        if (m.bytesInOutput > 0) ids.push(path.resolve(projectRoot, id));
  }
  return packagesOfModules(ids, projectRoot);
}

/** Module ids → package name → its folder (virtual modules of the bundler map to the bundler). */
export function packagesOfModules(ids: string[], projectRoot = root): Map<string, string> {
  const out = new Map<string, string>();
  const req = createRequire(path.join(projectRoot, 'package.json'));
  for (const raw of ids) {
    const id = raw.replace(/^\0/, '').replace(/\?.*$/, '');
    const pkg = packageOfPath(id);
    if (pkg) {
      out.set(`${pkg.name}@${String(readJson(path.join(pkg.dir, 'package.json')).version ?? '')}`, pkg.dir);
      continue;
    }
    const virtual = /^(vite|rolldown)\//.exec(id)?.[1];
    if (virtual) {
      const dir = path.dirname(req.resolve(`${virtual}/package.json`));
      out.set(`${virtual}@${String(readJson(path.join(dir, 'package.json')).version)}`, dir);
    }
  }
  return out;
}

const LICENCE_FILE = /^(licen[cs]e|copying|notice|copyright|patents)([.\-_].*)?$/i;

/** A package's own licence files (top level of its folder), sorted by name. */
export function licenceFiles(dir: string): LicenceFile[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && LICENCE_FILE.test(e.name) && !/\.(js|cjs|mjs|ts|json|map)$/i.test(e.name))
    .map((e) => e.name)
    .sort()
    .map((file) => ({ file, text: fs.readFileSync(path.join(dir, file), 'utf8').replace(/\r\n/g, '\n').trim() }));
}

/** Spellings packages use for the licences kept in licenses/. */
const ALIASES: Record<string, string> = {
  GPLv3: 'GPL-3.0',
  'GPL-3.0-only': 'GPL-3.0',
  'GPL-3.0-or-later': 'GPL-3.0',
  'LGPL-2.1-only': 'LGPL-2.1',
  'LGPL-2.1-or-later': 'LGPL-2.1',
  'MIT/X11': 'MIT',
};

/** The standard texts (licenses/<id>.txt) that apply to a declared licence expression. */
export function standardTexts(license: string, projectRoot = root): string[] {
  const ids = license
    .replace(/[()]/g, ' ')
    .split(/\s+(?:OR|AND)\s+|\s+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((id) => ALIASES[id] ?? id);
  return [...new Set(ids)].filter((id) => fs.existsSync(path.join(projectRoot, 'licenses', `${id}.txt`)));
}

export interface FfmpegNotice {
  package: string;
  binary: string;
  versionLine: string;
  configuration: string;
  licence: string;
  licenceId: string;
  builder: string;
  source: string[];
}

/**
 * The ffmpeg binary that ships: its own `-version` (bounded: 10 s) says how it was configured, and
 * with that which licence applies (--enable-gpl: GPL; with --enable-version3: version 3).
 */
export function ffmpegNotice(projectRoot = root): FfmpegNotice {
  const req = createRequire(path.join(projectRoot, 'package.json'));
  const found = req('@ffmpeg-installer/ffmpeg') as { path: string; version: string; url: string };
  const platformPkg = packageOfPath(found.path)!;
  const r = spawnSync(found.path, ['-hide_banner', '-version'], { encoding: 'utf8', timeout: 10_000 });
  const lines = (r.stdout ?? '').split('\n');
  const versionLine = lines.find((l) => l.startsWith('ffmpeg version')) ?? `ffmpeg ${found.version}`;
  const configuration =
    lines
      .find((l) => l.startsWith('configuration:'))
      ?.slice('configuration:'.length)
      .trim() ?? '';
  const gpl = configuration.includes('--enable-gpl');
  const v3 = configuration.includes('--enable-version3');
  const nonfree = configuration.includes('--enable-nonfree');
  const licenceId = nonfree ? 'nonfree' : gpl ? (v3 ? 'GPL-3.0' : 'GPL-2.0') : v3 ? 'LGPL-3.0' : 'LGPL-2.1';
  const licence = nonfree
    ? 'NOT REDISTRIBUTABLE (configured with --enable-nonfree)'
    : gpl
      ? `GNU General Public License version ${v3 ? 3 : 2} or later (configured with --enable-gpl${v3 ? ' --enable-version3' : ''})`
      : `GNU Lesser General Public License version ${v3 ? 3 : 2.1} or later`;
  // A git build names its commit (N-<n>-g<hash>); a release build its version.
  const commit = /-g([0-9a-f]{7,40})\b/.exec(versionLine)?.[1];
  const release = /^ffmpeg version (\d+\.\d+(?:\.\d+)?)\b/.exec(versionLine)?.[1];
  const source = [
    commit
      ? `FFmpeg at commit ${commit}: https://git.ffmpeg.org/gitweb/ffmpeg.git/commit/${commit} (the same history at https://github.com/FFmpeg/FFmpeg/commit/${commit})`
      : release
        ? `FFmpeg ${release}: https://ffmpeg.org/releases/ffmpeg-${release}.tar.xz`
        : 'FFmpeg: https://ffmpeg.org/download.html',
    `The static build and the libraries linked into it (see its configuration): ${found.url}`,
    `Packaged for npm as ${platformPkg.name} (https://github.com/kribblo/node-ffmpeg-installer).`,
  ];
  return {
    package: `${platformPkg.name}@${String(readJson(path.join(platformPkg.dir, 'package.json')).version)}`,
    binary: path.basename(found.path),
    versionLine: versionLine.trim(),
    configuration,
    licence,
    licenceId,
    builder: found.url,
    source,
  };
}

/** Everything that ships, keyed name@version. */
export async function collectShipped(projectRoot = root): Promise<Map<string, Shipped>> {
  const all = new Map<string, Shipped>();
  for (const p of lockProduction(projectRoot)) {
    const key = `${p.name}@${p.version}`;
    const had = all.get(key);
    if (had) had.dir ??= p.dir;
    else all.set(key, p);
  }
  const bundled: Array<[ShippedIn, Map<string, string>]> = [
    ['renderer', await rendererPackages(projectRoot)],
    ['preload', await preloadPackages(projectRoot)],
  ];
  for (const [where, packages] of bundled)
    for (const [key, dir] of packages) {
      const had = all.get(key);
      if (had) {
        had.shippedIn.add(where);
        continue;
      }
      const pkg = readJson(path.join(dir, 'package.json'));
      all.set(key, {
        name: String(pkg.name),
        version: String(pkg.version),
        license: declaredLicence(pkg),
        dir,
        shippedIn: new Set([where]),
      });
    }
  const overrides = readJson(path.join(projectRoot, 'licenses', 'overrides.json')) as Record<
    string,
    { license?: string; note?: string }
  >;
  for (const [key, p] of all) {
    const o = overrides[key];
    if (o?.license && !p.license) Object.assign(p, { license: o.license, note: o.note });
  }
  return all;
}

/** The notices text: a summary table, each package's licence text, ffmpeg, then the standard texts used. */
export function renderNotices(shipped: Map<string, Shipped>, ffmpeg: FfmpegNotice, projectRoot = root): string {
  const installed = [...shipped.values()].filter((p) => p.dir).sort(byName);
  const absent = [...shipped.values()].filter((p) => !p.dir).sort(byName);
  const standard = new Set<string>([ffmpeg.licenceId]);
  const seen = new Map<string, string>();
  const where = (p: Shipped) =>
    [...p.shippedIn].map((w) => ({ app: 'app', renderer: 'renderer bundle', preload: 'preload bundle' })[w]).join(', ');
  const out: string[] = [
    'THIRD-PARTY NOTICES',
    '',
    'Vigil is licensed under the Apache License 2.0. It ships the third-party software listed',
    'below, each under its own licence. This file is generated by `npm run notices` from the lock',
    'file, the renderer and preload bundles as built, and the ffmpeg binary; do not edit it by hand.',
    '',
    'Electron and Chromium: their licences are in LICENSE.electron.txt and LICENSES.chromium.html',
    'next to the Vigil executable.',
    '',
    `ffmpeg: ${ffmpeg.versionLine}`,
    `  licence: ${ffmpeg.licence} (full text at the end of this file)`,
    `  from: ${ffmpeg.package}`,
    '',
    `${installed.length} packages:`,
    ...installed.map((p) => `  ${p.name}@${p.version}  ${p.license || '(no licence declared)'}  [${where(p)}]`),
    '',
  ];
  out.push('='.repeat(78), 'FFMPEG', '='.repeat(78), '');
  out.push(
    `Binary: ${ffmpeg.binary} (${ffmpeg.versionLine})`,
    `Licence: ${ffmpeg.licence}.`,
    `Configuration: ${ffmpeg.configuration || '(not read: the binary did not run on the machine that generated this file)'}`,
    '',
    'Corresponding source:',
    ...ffmpeg.source.map((s) => `  - ${s}`),
    '',
    'Vigil runs ffmpeg as a separate program (a child process) and does not link to it. The GNU GPL',
    'gives you the right to the complete corresponding source of this binary; ask the Vigil',
    'distributor you received it from if the addresses above no longer answer.',
    '',
  );
  for (const p of installed) {
    out.push('='.repeat(78), `${p.name}@${p.version}`, `Licence: ${p.license || '(none declared)'}`, '');
    if (p.note) out.push(p.note, '');
    const files = licenceFiles(p.dir!);
    for (const f of files) {
      const hash = crypto.createHash('sha256').update(f.text).digest('hex');
      const first = seen.get(hash);
      if (first) out.push(`${f.file}: the same text as ${first}'s.`, '');
      else {
        seen.set(hash, `${p.name}@${p.version}`);
        out.push(`--- ${f.file} ---`, f.text, '');
      }
    }
    if (files.length === 0) {
      const ids = standardTexts(p.license, projectRoot);
      for (const id of ids) standard.add(id);
      out.push(
        ids.length
          ? `The package carries no licence file; the standard text of ${ids.join(', ')} (at the end of this file) applies${authorOf(p.dir!)}.`
          : 'NO LICENCE TEXT FOUND',
        '',
      );
    }
  }
  if (absent.length)
    out.push(
      '='.repeat(78),
      'Platform packages for other systems (in the lock file, not installed where this file was made;',
      'an installer for that system carries them, and its notices are made there):',
      ...absent.map((p) => `  ${p.name}@${p.version}  ${p.license || '(no licence declared)'}`),
      '',
    );
  for (const id of [...standard].sort()) {
    const file = path.join(projectRoot, 'licenses', `${id}.txt`);
    if (!fs.existsSync(file)) continue;
    out.push(
      '='.repeat(78),
      `STANDARD LICENCE TEXT: ${id}`,
      '='.repeat(78),
      '',
      fs.readFileSync(file, 'utf8').trim(),
      '',
    );
  }
  return `${out.join('\n')}\n`;
}

/** Shipped packages (installed) without any licence text, own or standard: what the notices must not have. */
export function withoutLicenceText(shipped: Map<string, Shipped>, projectRoot = root): string[] {
  return [...shipped.values()]
    .filter((p) => p.dir && licenceFiles(p.dir).length === 0 && standardTexts(p.license, projectRoot).length === 0)
    .map((p) => `${p.name}@${p.version} (${p.license || 'no licence declared'})`)
    .sort();
}

function authorOf(dir: string): string {
  const a = readJson(path.join(dir, 'package.json')).author;
  const name = typeof a === 'string' ? a : a && typeof a === 'object' && 'name' in a ? String(a.name) : '';
  return name ? `; author named by the package: ${name}` : '';
}

function byName(a: Shipped, b: Shipped): number {
  return a.name === b.name ? a.version.localeCompare(b.version) : a.name < b.name ? -1 : 1;
}

function readJson(file: string): Record<string, unknown> {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

async function main(): Promise<void> {
  const shipped = await collectShipped();
  const missing = withoutLicenceText(shipped);
  if (missing.length) {
    console.error(
      `No licence text for:\n  ${missing.join('\n  ')}\nAdd the standard text to licenses/ or fix the package.`,
    );
    process.exit(1);
  }
  const target = path.join(root, 'THIRD-PARTY-NOTICES.txt');
  fs.writeFileSync(target, renderNotices(shipped, ffmpegNotice()));
  console.log(`${path.relative(process.cwd(), target)}: ${shipped.size} packages and ffmpeg`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
