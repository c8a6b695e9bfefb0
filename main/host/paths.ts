import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The settings folder. Same as Electron's app.getPath('userData') for productName "Vigil", so
 * both hosts read the same file; VIGIL_DATA_DIR overrides it (tests, portable installs).
 */
export function defaultDataDir(): string {
  if (process.env.VIGIL_DATA_DIR) return path.resolve(process.env.VIGIL_DATA_DIR);
  const home = os.homedir();
  switch (process.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Vigil');
    case 'win32':
      return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Vigil');
    default:
      return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Vigil');
  }
}

let root: string | undefined;

/**
 * The app's own folder: the nearest folder above this module that holds Vigil's package.json —
 * the checkout in development, `resources/app.asar` when packaged. Never the working directory,
 * which for an installed app is wherever the user launched it from. (Found by walking up because
 * this code runs from main/host/*.ts under tsx and from dist/main/{,host/}*.mjs once bundled;
 * Electron's app.getAppPath() is the entry's folder when started as `electron dist/main/index.mjs`.)
 */
export function appRoot(): string {
  return (root ??= findAppRoot(fileURLToPath(import.meta.url)));
}

export function findAppRoot(from: string): string {
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    try {
      if ((JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === 'vigil')
        return dir;
    } catch {
      // no package.json here (or not Vigil's): keep walking up
    }
    if (path.dirname(dir) === dir) throw new Error(`Vigil's package.json not found above ${from}`);
  }
}

/**
 * A path inside the packaged archive mapped to its unpacked copy: executables and native modules
 * listed in electron-builder's asarUnpack live in `app.asar.unpacked`, and the OS can only run
 * or load them from there. Paths outside an archive are returned unchanged.
 */
export function unpackedPath(p: string): string {
  return p.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}
