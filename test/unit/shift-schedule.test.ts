import assert from 'node:assert/strict';
import test from 'node:test';
import {
  FAULT_KINDS,
  faultSchedule,
  MAX_GAP_S,
  PLATFORMS,
  RECORDING_PLATFORMS,
  SETTLE_S,
} from '../bench/shift/schedule';

const seeds = Array.from({ length: 40 }, (_, i) => i * 7919 + 1);

test('the same seed gives the same schedule; another seed another', () => {
  assert.deepEqual(faultSchedule(120, 42), faultSchedule(120, 42));
  assert.notDeepEqual(faultSchedule(120, 42), faultSchedule(120, 43));
});

test('a fault starts at least every 2 minutes, from the start to the end', () => {
  for (const minutes of [3, 10, 120])
    for (const seed of seeds) {
      const s = faultSchedule(minutes, seed);
      assert.ok(s.length > 0, `seed ${seed}: no fault in ${minutes} min`);
      let last = 0;
      for (const f of s) {
        assert.ok(f.at_s - last <= MAX_GAP_S, `seed ${seed}: ${f.at_s - last} s without a fault before ${f.at_s}`);
        last = f.at_s;
      }
      assert.ok(minutes * 60 - last <= MAX_GAP_S + SETTLE_S, `seed ${seed}: last fault at ${last} s of ${minutes} min`);
    }
});

test('every kind starts at least once in any 60 minutes', () => {
  for (const seed of seeds) {
    const s = faultSchedule(180, seed);
    for (let from = 0; from + 3600 <= 180 * 60; from += 60) {
      const kinds = new Set(s.filter((f) => f.at_s >= from && f.at_s < from + 3600).map((f) => f.kind));
      const missing = FAULT_KINDS.filter((k) => !kinds.has(k));
      assert.deepEqual(missing, [], `seed ${seed}: minutes ${from / 60}–${from / 60 + 60} lack ${missing.join(', ')}`);
    }
  }
});

test('sometimes two faults at once, on different platforms when both hit one', () => {
  let pairs = 0;
  let overlaps = 0;
  for (const seed of seeds) {
    const s = faultSchedule(120, seed);
    for (let i = 1; i < s.length; i++) {
      const [a, b] = [s[i - 1]!, s[i]!];
      if (a.at_s === b.at_s) {
        pairs++;
        if (a.platform && b.platform)
          assert.notEqual(a.platform, b.platform, `seed ${seed}: a pair on one platform at ${a.at_s}`);
      } else if (a.at_s + a.duration_s > b.at_s) overlaps++;
    }
  }
  assert.ok(pairs > 0 && overlaps > 0, `pairs ${pairs}, overlaps ${overlaps}`);
  // ...but not most of the time: a shift is mostly quiet between faults
  const s = faultSchedule(120, 5);
  assert.ok(s.filter((f, i) => i > 0 && s[i - 1]!.at_s === f.at_s).length < s.length / 3);
});

test('every fault ends before the settle time; durations are the issue’s', () => {
  for (const seed of seeds)
    for (const f of faultSchedule(60, seed)) {
      assert.ok(f.at_s + f.duration_s <= 60 * 60 - SETTLE_S, `seed ${seed}: ${f.kind} runs into the end`);
      if (f.kind === 'camera_offline') assert.ok(f.duration_s >= 30 && f.duration_s <= 120);
      if (f.kind === 'platform_5xx' || f.kind === 'host_paused' || f.kind === 'window_hidden')
        assert.equal(f.duration_s, 60);
      if (f.kind === 'platform_hold') assert.equal(f.duration_s, 20);
      if (f.kind === 'keychain_locked') assert.equal(f.duration_s, 30);
      const platformKinds = ['platform_5xx', 'platform_hold', 'host_paused', 'export_while_failing'];
      if ([...platformKinds, 'camera_offline', 'play_url_lapse'].includes(f.kind))
        assert.ok(f.platform, `${f.kind} names its platform`);
    }
});

test('cameras go offline and play URLs lapse on every platform, not on IVM alone', () => {
  for (const kind of ['camera_offline', 'play_url_lapse'] as const) {
    const hit = new Set(
      seeds.flatMap((seed) => faultSchedule(120, seed).filter((f) => f.kind === kind)).map((f) => f.platform),
    );
    assert.deepEqual([...hit].sort(), [...PLATFORMS].sort(), `${kind} hits ${[...hit].join(', ')}`);
  }
});

test('an export while a platform fails is of a platform with recordings: VIS offers none to export', () => {
  const hit = new Set(
    seeds
      .flatMap((seed) => faultSchedule(120, seed).filter((f) => f.kind === 'export_while_failing'))
      .map((f) => f.platform),
  );
  assert.deepEqual([...hit].sort(), [...RECORDING_PLATFORMS].sort(), `exports on ${[...hit].join(', ')}`);
});
