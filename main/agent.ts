import { z } from 'zod';
import { runAgent } from './agent/cli';
import { log } from './log';

/**
 * `npm run agent` / `node dist/main/agent.mjs`: the control room's headless member. A problem at
 * start (a refused credentials file, a bad agent.json, a data folder in use) is one sentence on
 * stderr and exit code 2; the ready line and command answers are JSON on stdout.
 */
function sentence(e: unknown): string {
  if (e instanceof z.ZodError) return e.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ');
  return e instanceof Error ? e.message : String(e);
}

runAgent(process.argv.slice(2)).then(
  (result) => {
    if (typeof result === 'number') process.exit(result);
  },
  (e: unknown) => {
    log.error(`vigil-agent did not start: ${sentence(e)}`);
    process.exit(2);
  },
);
