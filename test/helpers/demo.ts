import { spawn, type ChildProcess } from 'node:child_process';

// `npm run demo` as the demo e2e tests start it: its own process group (private D-Bus session,
// encoders, servers), its log collected, ready when the log says so.

const demos: ChildProcess[] = [];

/**
 * Starts `test/emulators/demo.ts --web --port 0 <args>` with `env`; resolves with what `ready`
 * reads from the log once it reads something (within 90 s), and the whole log so far.
 */
export async function startDemo<T>(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: (log: string) => T | null,
): Promise<{ value: T; log: () => string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/emulators/demo.ts', '--web', '--port', '0', ...args],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  demos.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const value = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo not ready in 90 s:\n${out}`)), 90_000);
    const check = () => {
      const v = ready(out);
      if (v === null) return;
      clearTimeout(timer);
      resolve(v);
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`demo exited (${code}):\n${out}`)));
  });
  return { value, log: () => out };
}

/** Ends every demo started here, its whole process group, and waits for each to exit. */
export async function stopDemos(): Promise<void> {
  for (const d of demos) if (d.exitCode === null && d.pid) process.kill(-d.pid, 'SIGTERM');
  await Promise.all(demos.map((d) => (d.exitCode === null ? new Promise((r) => d.once('exit', r)) : null)));
  demos.length = 0;
}
