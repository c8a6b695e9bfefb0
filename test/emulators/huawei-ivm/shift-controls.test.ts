import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { IvmEmulator } from './emulator';

// The controls the shift bench's faults drive: a host that stops answering, play URLs that lapse
// under the wall, a camera going offline and back.

test('paused: requests are held without a reply until the host answers again', async () => {
  const emu = await new IvmEmulator().start();
  try {
    emu.faults.paused = 1;
    let answered = false;
    const reply = fetch(`${emu.baseUrl}/v1/x/y`).then((r) => {
      answered = true;
      return r.status;
    });
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(answered, false, 'a paused host answered');
    emu.faults.paused = 0;
    // then it answers as it would have
    assert.equal(await reply, (await fetch(`${emu.baseUrl}/v1/x/y`)).status);
  } finally {
    await emu.stop();
  }
});

test('lapsePlayUrls: an unopened URL is expired and an opened one used up; setChannelOnline(false) ends its streams', async () => {
  // a stand-in camera: an endless FLV-ish body
  const cam = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'video/x-flv' });
    const t = setInterval(() => res.write(Buffer.alloc(100)), 50);
    res.on('close', () => clearInterval(t));
  });
  await new Promise<void>((r) => cam.listen(0, '127.0.0.1', () => r()));
  const target = `http://127.0.0.1:${(cam.address() as AddressInfo).port}/c.flv`;
  const emu = await new IvmEmulator().start();
  try {
    const fresh = emu.mediaGate.issue(target, 30, 0, '21A0123456SMY01/0');
    const open = emu.mediaGate.issue(target, 30, 1, '21A0123456SMY01/0');
    const playing = await fetch(open);
    assert.equal(playing.status, 200);
    const reader = playing.body!.getReader();
    await reader.read();
    emu.lapsePlayUrls();
    assert.equal((await fetch(fresh)).status, 403, 'an unopened URL outlives the lapse');
    assert.equal((await fetch(open)).status, 403, 'a multi-use URL is reusable after the lapse');
    // the stream already open goes on, as a platform's does
    assert.equal((await reader.read()).done, false);
    emu.setChannelOnline('21A0123456SMY01', '0', false);
    for (;;) {
      const r = await reader.read().catch(() => ({ done: true }));
      if (r.done) break;
    }
    emu.setChannelOnline('21A0123456SMY01', '0', true);
  } finally {
    await emu.stop();
    cam.closeAllConnections();
    cam.close();
  }
});
