import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainIvmCode } from '../../main/platforms/huawei-ivm/client';
import { ivmErrorTable } from '../../main/platforms/huawei-ivm/error-table';

test('the IVM error table holds every distinct code of the spec’s 655 rows', () => {
  // 655 rows, three codes listed twice (IVM.10000001, IVM.10022002, IVM.20060001).
  assert.equal(Object.keys(ivmErrorTable).length, 652);
  assert.deepEqual(ivmErrorTable['IVM.10000002'], [401, 'Token overdue', '']);
  assert.equal(ivmErrorTable['IVM.10000001']![1], 'Authentication failure', 'the first of duplicate rows is kept');
  for (const [code, [status]] of Object.entries(ivmErrorTable)) {
    assert.match(code, /^IVM\.\d+$/);
    assert.ok([200, 400, 401, 404, 405, 500].includes(status), `${code} has a plausible HTTP status (${status})`);
  }
});

test('explanations: ours first, then the table’s hint, then its English text when the reply differs', () => {
  assert.match(explainIvmCode('IVM.20000029')!, /another operator/);
  assert.equal(
    explainIvmCode('IVM.20001000'),
    'Enterprise default device organization (root) missing; create the default organization tree first',
  );
  assert.equal(
    explainIvmCode('IVM.20000036', 'The device is offline and cannot be operated.'),
    undefined,
    'no echo of the same English message',
  );
  assert.equal(explainIvmCode('IVM.20000036', '设备离线'), 'The device is offline and cannot be operated.');
  assert.equal(explainIvmCode('IVM.99999999'), undefined);
});
