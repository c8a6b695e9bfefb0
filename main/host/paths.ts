import os from 'node:os';
import path from 'node:path';

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
