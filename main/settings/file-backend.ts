import fs from 'node:fs';
import path from 'node:path';
import type { BackendFactory } from './settings';

/**
 * Browser host, agent and tests: the settings file written as electron-store writes it (the same
 * `<configName>.json`, tab-indented), without `conf`'s schema engine, which cost the browser host
 * ~0.15 s of start-up for a file Settings validates itself. The Electron host keeps electron-store.
 */
export const fileBackend: BackendFactory = ({ cwd, configName }) => {
  const file = path.join(cwd, `${configName}.json`);
  return {
    get store(): Record<string, unknown> {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    },
    set store(value: Record<string, unknown>) {
      writeAtomically(file, JSON.stringify(value, null, '\t'));
    },
  };
};

/**
 * Temp file, flushed to disk, then renamed over the file: a crash or a power cut leaves the old
 * file or the new one, never half of one; a full disk fails the write and leaves the old file.
 */
export function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.writeFileSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // nothing was made, or it cannot be removed either: the write's own error says why
    }
    throw e;
  }
}
