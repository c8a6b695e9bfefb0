import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { MediaSimulator } from './simulator';

/** The video tags of an FLV byte stream, up to its last whole tag: timestamp and whether a key frame. */
function videoTags(bytes: Buffer): Array<{ ms: number; key: boolean }> {
  const out: Array<{ ms: number; key: boolean }> = [];
  for (let p = 13; p + 15 <= bytes.length; ) {
    const size = (bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!;
    if (p + 15 + size > bytes.length) break;
    const ms = ((bytes[p + 7]! << 24) | (bytes[p + 4]! << 16) | (bytes[p + 5]! << 8) | bytes[p + 6]!) >>> 0;
    if (bytes[p] === 9 && bytes[p + 12] === 1) out.push({ ms, key: bytes[p + 11]! >> 4 === 1 });
    p += 15 + size;
  }
  return out;
}

/** Command lines of the processes running now that publish to the media server. */
function publishers(): string[] {
  const out: string[] = [];
  for (const d of fs.readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmd.includes('rtmp://127.0.0.1')) out.push(cmd);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

// The demo's cheap cameras: a loop encoded once and sent by copy, past its end without a break.
test('a live loop camera plays on past its loop, with key frames every second, from a copy (no live encoder)', async () => {
  const sim = await MediaSimulator.start({
    channels: [{ id: 'cam01', name: 'Camera 1', audio: true }],
    prepareRecordings: false,
    liveLoopS: 2,
  });
  const ctl = new AbortController();
  try {
    const res = await fetch(sim.flv('cam01', 'main'), { signal: ctl.signal });
    const chunks: Buffer[] = [];
    const until = Date.now() + 15_000;
    const reader = res.body!.getReader();
    // Past two loop ends: 5 s of pictures after the first.
    while (Date.now() < until) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value));
      const f = videoTags(Buffer.concat(chunks));
      if (f.length && f[f.length - 1]!.ms - f[0]!.ms >= 5_000) break;
    }
    const f = videoTags(Buffer.concat(chunks));
    assert.ok(f.length > 100, `pictures came (${f.length})`);
    const span = f[f.length - 1]!.ms - f[0]!.ms;
    assert.ok(span >= 5_000, `timestamps run on across the loop (${span} ms)`);
    for (let i = 1; i < f.length; i++) assert.ok(f[i]!.ms >= f[i - 1]!.ms, 'never back in time at the loop');
    const keys = f.filter((x) => x.key).length;
    assert.ok(keys >= 5, `a key frame a second (${keys})`);
    const running = publishers().filter((c) => c.includes('cam01_main'));
    assert.equal(running.length, 1, running.join('\n'));
    assert.match(running[0]!, / -c copy /, 'sent by copy');
    assert.doesNotMatch(running[0]!, /libx264/, 'no live encoder');
  } finally {
    ctl.abort();
    await sim.stop();
  }
});
