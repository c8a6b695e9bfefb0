import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { startPushReceiver } from '../../main/net/push-receiver';
import { freePort } from '../emulators/media/simulator';

// IVM waits 5 s for a push's answer and never retries (§10.1); the agent may hold the answer up to
// 4.5 s for its broker (pushAnswerWithinMs). The receiver's own idle limits must not cut it short.

test('a push whose answer waits 4 s for the broker is answered 200, not cut by the receiver', async () => {
  const port = await freePort();
  const server = await startPushReceiver({
    port,
    checkHeaders: () => null,
    onBody: () => new Promise<number>((resolve) => setTimeout(() => resolve(200), 4_000)),
    onRefused: (status, reason) => assert.fail(`refused ${status}: ${reason}`),
  });
  try {
    const started = Date.now();
    const status = await new Promise<number | string>((resolve) => {
      const req = http.request(
        { host: '127.0.0.1', port, path: '/push', method: 'POST', headers: { 'Content-Type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.once('error', (e) => resolve(`error: ${e.message}`));
      req.end('{"message_type":"device_alarm"}');
    });
    assert.equal(status, 200);
    assert.ok(Date.now() - started >= 3_900);
  } finally {
    await new Promise((r) => server.close(r));
  }
});
