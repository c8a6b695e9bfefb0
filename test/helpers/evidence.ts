import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

/** `npm run verify-evidence -- <args>` as a receiver runs it: exit code and output. */
export function runVerifier(args: string[], viaNpm = false): { code: number; out: string } {
  const r = viaNpm
    ? spawnSync('npm', ['run', '-s', 'verify-evidence', '--', ...args], { cwd: root, encoding: 'utf8' })
    : spawnSync(process.execPath, ['--import', 'tsx', 'main/evidence/verify-cli.ts', ...args], {
        cwd: root,
        encoding: 'utf8',
      });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}
