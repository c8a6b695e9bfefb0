import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MediaSimulator } from './simulator';

// A restarted media server: the cameras come back on their own, and camerasBack says when (the
// shift bench counts no camera's seconds until then).

async function flvBytes(url: string, ms: number): Promise<number> {
  const res = await fetch(url, { signal: AbortSignal.timeout(ms + 2000) }).catch(() => null);
  if (!res?.ok || !res.body) return 0;
  const reader = res.body.getReader();
  let bytes = 0;
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const r = await Promise.race([
      reader.read(),
      new Promise<null>((ok) => setTimeout(() => ok(null), end - Date.now())),
    ]);
    if (!r || r.done) break;
    bytes += r.value.length;
  }
  await reader.cancel().catch(() => undefined);
  return bytes;
}

test('camerasBack resolves once every wanted camera publishes again after a restart', async () => {
  const sim = await MediaSimulator.start({
    channels: [
      { id: 'r1', name: 'Restart 1' },
      { id: 'r2', name: 'Restart 2' },
    ],
    sharedSubEncoder: true,
    prepareRecordings: false,
  });
  try {
    const urls = [sim.flv('r1', 'sub'), sim.flv('r2', 'main')];
    for (const url of urls) {
      const end = Date.now() + 20_000;
      while ((await flvBytes(url, 500)) === 0) assert.ok(Date.now() < end, `${url} never played`);
    }
    await sim.restartServer(300);
    const ms = await sim.camerasBack(10_000);
    assert.ok(ms < 10_000, `the cameras came back (${ms} ms after the server listened)`);
    // Published again: each stream answers at once with video (NMS sends the GOP it holds).
    for (const url of urls) assert.ok((await flvBytes(url, 800)) > 0, `${url} plays once camerasBack resolved`);
  } finally {
    await sim.stop();
  }
});
