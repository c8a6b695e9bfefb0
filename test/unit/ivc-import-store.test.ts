import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import type { VigilApi } from '../../preload/contract';

// The Tencent IVC import store (renderer/stores/installer/ivc-import.ts) once the platform has
// taken the job (E24): a failed progress read (E25) or result read (E26), or a job that does not
// finish, keeps the job, and Resume follows that same job; the rows are never sent twice.
// Main is a stand-in `window.vigil` answering from `answers`.

const sent: Array<{ channel: string; request: Record<string, unknown> }> = [];
let answers: Record<string, (request: Record<string, unknown>) => unknown> = {};
const api = {
  host: 'web',
  invoke: async (channel: string, request: Record<string, unknown>) => {
    sent.push({ channel, request });
    return answers[channel]!(request);
  },
  on: () => () => undefined,
} as unknown as VigilApi;
(globalThis as { window?: unknown }).window = { vigil: api };

const { useIvcImportStore, PROGRESS_LIMIT_MS } = await import('../../renderer/stores/installer/ivc-import');

const JOB = '0b9c4c1e-6f0e-4a53-9d1b-2f4a3c5d6e7f';
const target = { accountId: 'acc_000000000001', organizationId: '1', clusterId: 'c1' };
const asked = (channel: string) => sent.filter((s) => s.channel === channel);
const down = () => {
  throw { code: 'UNAVAILABLE', message: 'Tencent IVC did not answer' };
};
const done = { finished: true, rate: 1, total: 2, succeeded: 1, failed: 1 };
const result = () => ({
  rows: [
    { ok: true, message: '' },
    { ok: false, message: '设备数量已达上限' },
  ],
  file: 'eGxzeA==',
});

beforeEach(async () => {
  sent.length = 0;
  answers = { 'installer:import': () => ({ jobId: JOB }) };
  useIvcImportStore.setState({ drafts: [], problem: null, progress: null, result: null, busy: false, pending: null });
  const csv = [
    'name,type,transport,password',
    '西门-1,IPC,UDP,12345678',
    '西门-2,NVR,TCP,87654321',
    'bad name!,IPC,UDP,1',
  ];
  await useIvcImportStore.getState().load(new File([csv.join('\n')], 'ivc.csv'));
  assert.equal(useIvcImportStore.getState().drafts.filter((d) => !d.problem).length, 2);
});

test('a failed progress read keeps the job: Start does not send the rows again; Resume reads the same job to its end', async () => {
  answers['installer:importProgress'] = down;
  const store = useIvcImportStore.getState();
  await store.start(target);
  let s = useIvcImportStore.getState();
  assert.equal(s.busy, false);
  assert.equal(s.pending?.jobId, JOB);
  assert.deepEqual(s.problem, { key: 'import.interrupted', values: { reason: 'Tencent IVC did not answer' } });

  await store.start(target);
  assert.equal(asked('installer:import').length, 1, 'the rows the platform may have imported are not sent again');

  answers['installer:importProgress'] = () => done;
  answers['installer:importResult'] = result;
  await store.resume();
  s = useIvcImportStore.getState();
  assert.deepEqual(
    asked('installer:importResult').map((a) => a.request.jobId),
    [JOB],
  );
  assert.ok(asked('installer:importProgress').every((a) => a.request.jobId === JOB));
  assert.equal(s.pending, null);
  assert.equal(s.problem, null);
  assert.deepEqual(s.result, { file: 'eGxzeA==' });
  assert.deepEqual(
    s.drafts.map((d) => [d.row.name, d.problem]),
    [
      ['bad name!', { key: 'import.rule.name' }],
      ['西门-2', { text: '设备数量已达上限' }],
    ],
  );
  assert.equal(asked('installer:import').length, 1);
});

test('a failed result read keeps the job too; Resume reads the result of that job', async () => {
  answers['installer:importProgress'] = () => done;
  answers['installer:importResult'] = down;
  const store = useIvcImportStore.getState();
  await store.start(target);
  assert.equal(useIvcImportStore.getState().pending?.jobId, JOB);
  answers['installer:importResult'] = result;
  await store.resume();
  assert.equal(useIvcImportStore.getState().pending, null);
  assert.deepEqual(
    asked('installer:importResult').map((a) => a.request.jobId),
    [JOB, JOB],
  );
  assert.equal(asked('installer:import').length, 1);
});

test('a job still running after the time limit stops the polling with a message naming it; Resume follows it again', async (t) => {
  let now = Date.now();
  t.mock.method(Date, 'now', () => now);
  answers['installer:importProgress'] = () => {
    now += PROGRESS_LIMIT_MS + 1; // each answer comes past the limit
    return { finished: false, rate: 0.5, total: 2, succeeded: 1, failed: 0 };
  };
  const store = useIvcImportStore.getState();
  await store.start(target);
  let s = useIvcImportStore.getState();
  assert.equal(s.busy, false);
  assert.deepEqual(s.problem, { key: 'import.slow', values: { minutes: PROGRESS_LIMIT_MS / 60_000 } });
  assert.equal(s.pending?.jobId, JOB);

  answers['installer:importProgress'] = () => done;
  answers['installer:importResult'] = result;
  await store.resume();
  s = useIvcImportStore.getState();
  assert.equal(s.pending, null);
  assert.equal(s.progress?.finished, true);
});
