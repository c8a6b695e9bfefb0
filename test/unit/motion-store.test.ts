import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MotionSearchJob } from '../../preload/contract';
import { applyUpdate } from '../../renderer/stores/motion/store';

// The motion store keeps each search current from main's events, which carry only new moments.

const job = (over: Partial<MotionSearchJob> = {}): MotionSearchJob => ({
  id: 'j1',
  accountId: 'a',
  channelId: 'c',
  name: 'Gate',
  kind: 'cloud',
  startMs: 0,
  endMs: 3600_000,
  regions: [{ x: 0.1, y: 0.1, w: 0.5, h: 0.5 }],
  sensitivity: 50,
  state: 'running',
  progress: 0.1,
  searchedMs: 0,
  recordedMs: 3600_000,
  moments: [],
  failures: [],
  message: null,
  ...over,
});
const moment = (id: string, startMs: number) => ({
  id,
  startMs,
  endMs: startMs + 4000,
  atMs: startMs + 1000,
  peak: 0.1,
  thumbnail: null,
});

test('an update replaces the job’s state and appends its new moments once; an unknown job is added', () => {
  const { moments: _m, ...rest } = job();
  let jobs = applyUpdate([], { job: rest, moments: [moment('m1', 1000)] });
  assert.equal(jobs.length, 1);
  jobs = applyUpdate(jobs, { job: { ...rest, progress: 0.5 }, moments: [moment('m2', 9000), moment('m1', 1000)] });
  assert.deepEqual(
    jobs[0]!.moments.map((m) => m.id),
    ['m1', 'm2'],
  );
  assert.equal(jobs[0]!.progress, 0.5);
  jobs = applyUpdate(jobs, { job: { ...rest, id: 'j2' }, moments: [] });
  assert.deepEqual(
    jobs.map((j) => j.id),
    ['j1', 'j2'],
  );
});
