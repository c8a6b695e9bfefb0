import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Channel, EventName, VigilApi } from '../../preload/contract';
import { FIRST_CHANNELS, withFirstAnswers } from '../../preload/first-answers';

// Both preloads wrap their bridge in withFirstAnswers: the first screen's answers are asked for
// before the page's scripts run, each handed out once, and dropped when main says something changed.

/** A bridge that records every request and answers each with its channel and a serial number. */
function recordingBridge(fail: Channel[] = []) {
  const asked: Array<{ channel: Channel; request: unknown }> = [];
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const api: VigilApi = {
    host: 'web',
    invoke(channel, request) {
      asked.push({ channel, request });
      if (fail.includes(channel)) return Promise.reject({ code: 'INTERNAL', message: `${channel} failed` });
      return Promise.resolve({ channel, serial: asked.length } as never);
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
  const emit = (event: EventName) => {
    for (const l of listeners.get(event) ?? []) l({});
  };
  const watchers = () => [...listeners.values()].reduce((n, s) => n + s.size, 0);
  return { api, asked, emit, watchers };
}

test('the first screen is asked for at once, and each early answer is handed out once', async () => {
  const bridge = recordingBridge();
  const api = withFirstAnswers(bridge.api);
  assert.deepEqual(
    bridge.asked.map((a) => a.channel),
    [...FIRST_CHANNELS],
    'asked for before any store asks',
  );

  assert.deepEqual(await api.invoke('accounts:list', {}), { channel: 'accounts:list', serial: 3 });
  assert.equal(bridge.asked.length, 4, 'the early answer, not a new request');
  // A refresh later is a new request: main's state may have moved on.
  assert.deepEqual(await api.invoke('accounts:list', {}), { channel: 'accounts:list', serial: 5 });
  assert.equal(bridge.asked.length, 5);
});

test('a request with a payload, or on another channel, goes to main', async () => {
  const bridge = recordingBridge();
  const api = withFirstAnswers(bridge.api);
  await api.invoke('views:save', { name: 'x', layout: '4', panes: [] } as never);
  await api.invoke('views:list', {});
  assert.deepEqual(
    bridge.asked.slice(4).map((a) => a.channel),
    ['views:save'],
  );
});

test('an event from main before an answer is taken drops the answers not yet taken', async () => {
  const bridge = recordingBridge();
  const api = withFirstAnswers(bridge.api);
  await api.invoke('app:info', {});
  bridge.emit('main:accounts-changed');
  const accounts = await api.invoke('accounts:list', {});
  assert.deepEqual(accounts, { channel: 'accounts:list', serial: 5 }, 'asked again, after the change');
  assert.equal(bridge.watchers(), 0, 'no longer watching once the answers are dropped');
});

test('once every early answer is taken, nothing is left watching main', async () => {
  const bridge = recordingBridge();
  const api = withFirstAnswers(bridge.api);
  assert.ok(bridge.watchers() > 0);
  for (const channel of FIRST_CHANNELS) await api.invoke(channel, {});
  assert.equal(bridge.watchers(), 0);
  // Stores' own listeners pass through.
  let heard = 0;
  const off = api.on('main:notice', () => heard++);
  bridge.emit('main:notice');
  off();
  bridge.emit('main:notice');
  assert.equal(heard, 1);
});

test('a failed early answer reaches the store that takes it, and is never an unhandled rejection', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  try {
    const api = withFirstAnswers(recordingBridge(['settings:get']).api);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(unhandled, []);
    await assert.rejects(api.invoke('settings:get', {}), { code: 'INTERNAL', message: 'settings:get failed' });
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
