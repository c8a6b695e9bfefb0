import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm start`: run the Electron host if an Electron binary is usable, else say so in one line
 * and start the browser host. Never imports `electron` (in plain Node that tries to download).
 */
export function findElectronBinary(root = process.cwd(), env = process.env): string | null {
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const exe =
      process.platform === 'darwin'
        ? 'Electron.app/Contents/MacOS/Electron'
        : process.platform === 'win32'
          ? 'electron.exe'
          : 'electron';
    const candidate = path.join(override, exe);
    return fs.existsSync(candidate) ? candidate : null;
  }
  const pkg = path.join(root, 'node_modules', 'electron');
  const pathTxt = path.join(pkg, 'path.txt');
  if (!fs.existsSync(pathTxt)) return null;
  const candidate = path.join(pkg, 'dist', fs.readFileSync(pathTxt, 'utf8').trim());
  return fs.existsSync(candidate) ? candidate : null;
}

async function main(): Promise<void> {
  const binary = findElectronBinary();
  if (!binary) {
    const where = process.env.ELECTRON_OVERRIDE_DIST_PATH
      ? `no binary in ELECTRON_OVERRIDE_DIST_PATH=${process.env.ELECTRON_OVERRIDE_DIST_PATH}`
      : 'no node_modules/electron/path.txt; its download is not possible on every machine';
    process.stderr.write(`Electron binary not available (${where}): starting the browser host instead.\n`);
    const { runWebHost } = await import('./host/web-cli');
    await runWebHost(process.argv.slice(2));
    return;
  }
  const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'index.mjs');
  const child = spawn(binary, [entry, ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

if (process.argv[1] && /launcher\.(c|m)?[jt]s$/.test(process.argv[1])) {
  void main();
}
