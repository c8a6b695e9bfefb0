import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { spawnGroup } from './ffmpeg';

// A niced simulator process must yield to the client under test. Each one is detached and leads a
// session of its own; where Linux groups tasks by session (autogroup), nice alone orders nothing
// across sessions, so the session's own nice must be set as well.

const autogroup = (pid: number | string) => fs.readFileSync(`/proc/${pid}/autogroup`, 'utf8');
const hasAutogroup = (() => {
  try {
    return /nice/.test(autogroup('self'));
  } catch {
    return false;
  }
})();

test(
  'a niced process leads a session whose autogroup has the same nice',
  { skip: !hasAutogroup && 'no autogroup here' },
  async () => {
    const niced = spawnGroup('sleep', ['30'], { nice: 19 });
    const plain = spawnGroup('sleep', ['30']);
    try {
      // Set at once, or within a few tries where the kernel rate-limits it (no CAP_SYS_ADMIN).
      for (let i = 0; i < 10 && !/nice 19\b/.test(autogroup(niced.child.pid!)); i++)
        await new Promise((r) => setTimeout(r, 100));
      assert.match(autogroup(niced.child.pid!), /nice 19\b/);
      assert.match(autogroup(plain.child.pid!), /nice 0\b/);
      // Its own session, not the test's: the test process keeps its own group and nice.
      assert.notEqual(autogroup(niced.child.pid!).split(' ')[0], autogroup('self').split(' ')[0]);
    } finally {
      await Promise.all([niced.stop(), plain.stop()]);
    }
  },
);
