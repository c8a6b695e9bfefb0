import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './core';

// The headless agent as a site runs it: its own process (main/agent.ts through tsx, or the built
// dist/main/agent.mjs), a data folder, agent.json and a credentials file of mode 0600.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface AgentProcess {
  child: ChildProcess;
  ready: Record<string, unknown> & { health: string };
  stderr: () => string;
  health(): Promise<
    Record<string, unknown> & {
      receiving: string[];
      standby: string[];
      standingBy: string[];
      broker: string;
      queued: number;
      unacknowledged: number;
    }
  >;
  /** SIGTERM and the exit code. */
  stop(): Promise<number | null>;
}

export interface AgentFiles {
  dataDir: string;
  credentials: string;
}

/** A data folder with agent.json and a credentials file (mode 0600 unless `mode`). */
export function agentFiles(config: unknown, secrets: Record<string, string>, mode = 0o600): AgentFiles {
  const dataDir = tempDir('vigil-agent-');
  fs.writeFileSync(path.join(dataDir, 'agent.json'), JSON.stringify(config));
  const credentials = path.join(dataDir, '..', `${path.basename(dataDir)}-credentials.json`);
  fs.writeFileSync(credentials, JSON.stringify(secrets), { mode });
  fs.chmodSync(credentials, mode);
  return { dataDir, credentials };
}

/** Runs one agent command to its end: exit code, stdout and stderr. */
export function agentCommand(
  args: string[],
  stdin = '',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'main/agent.ts'), ...args], {
      cwd: root,
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    child.stdin.end(stdin);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `vigil-agent run` and waits for its ready line. */
export async function startAgent(files: AgentFiles, timeoutMs = 30_000): Promise<AgentProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'main/agent.ts'), '--data', files.dataDir, '--credentials', files.credentials],
    // Its info lines are read by the tests (where keys went), whatever level the suite logs at.
    {
      cwd: root,
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: '', VIGIL_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += String(d);
    if (process.env.VIGIL_TEST_VERBOSE) process.stderr.write(`[agent] ${String(d)}`);
  });
  const ready = await new Promise<AgentProcess['ready']>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`agent not ready within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      out += String(d);
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line && out.includes('\n')) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as AgentProcess['ready']);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`agent exited (${code}) before ready: ${stderr}`));
    });
  });
  return {
    child,
    ready,
    stderr: () => stderr,
    health: async () => (await fetch(ready.health)).json() as ReturnType<AgentProcess['health']>,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}
