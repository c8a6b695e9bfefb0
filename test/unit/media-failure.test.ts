import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failureWhy } from '../../renderer/media/session/failure';
import { Backoff, playbackRetry } from '../../renderer/media/session/reconnect';

// What the panes say when a player fails, and how often playback tries again.

test('engine errors become a reason an operator can read', () => {
  assert.deepEqual(failureWhy('networkError: manifestLoadError (HTTP 404)'), { why: 'notFound', status: 404 });
  assert.deepEqual(failureWhy('NetworkError: HttpStatusCodeInvalid (Not Found) (HTTP 404)'), {
    why: 'notFound',
    status: 404,
  });
  assert.deepEqual(failureWhy('networkError: levelLoadTimeOut'), { why: 'timeout' });
  assert.deepEqual(failureWhy('networkError: fragLoadError (HTTP 403)'), { why: 'refused', status: 403 });
  assert.deepEqual(failureWhy('networkError: manifestLoadError (HTTP 502)'), { why: 'serverError', status: 502 });
  assert.deepEqual(failureWhy('no picture within 10 s'), { why: 'timeout' });
  assert.deepEqual(failureWhy('no picture within 7.5 s'), { why: 'timeout' }, 'a limit set to the tenth');
  assert.deepEqual(failureWhy('stalled for 5 s'), { why: 'network' });
  assert.deepEqual(failureWhy('networkError: manifestLoadError'), { why: 'network' });
  assert.deepEqual(failureWhy('IVC 41612: bad time'), { why: 'other' });
});

test('playback tries again after 1, 2, 4, 8 s, then gives up', () => {
  // (the same policy as a live pane's reconnects, with its own numbers: one Backoff for both)
  const b = new Backoff(playbackRetry);
  const tries = Array.from({ length: playbackRetry.maxTries }, () => b.failed(0));
  const delays = tries.map((t) => (t.final ? null : t.delayMs));
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, null]);
  // A recording that showed a picture starts the count afresh.
  b.playing(10);
  assert.deepEqual(b.failed(10), { attempt: 1, delayMs: 1000, final: false });
});
