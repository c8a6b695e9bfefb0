import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  blankRow,
  deviceNameProblem,
  gbIdProblem,
  gbPasswordProblem,
  gbType,
  ivcImportProblem,
} from '../../renderer/model/installer-rules';

test('GB28181 ids: 20 digits with the type in digits 11–13', () => {
  assert.equal(gbIdProblem('34020000001320000777'), null);
  assert.equal(gbType('34020000001320000777'), 'camera (IPC)');
  assert.equal(gbType('34020000001180000002'), 'NVR');
  assert.equal(gbType('34020000001110000002'), 'DVR');
  assert.match(gbIdProblem('3402000000132000077')!, /19\/20/);
  assert.match(gbIdProblem('34020000001310000777')!, /digits 11–13 are 131/);
});

test('passwords: 8–32, three kinds; VIS allows @ # _ * only', () => {
  assert.equal(gbPasswordProblem('Cam-pass-2024'), null);
  assert.match(gbPasswordProblem('password')!, /three of/);
  assert.match(gbPasswordProblem('Ab1')!, /8–32/);
  assert.equal(gbPasswordProblem('Cam#pass2024', /^[@#_*]*$/), null);
  assert.match(gbPasswordProblem('Cam-pass-2024', /^[@#_*]*$/)!, /@ # _ \*/);
  assert.equal(deviceNameProblem('大门 摄像机_1'), null);
  assert.ok(deviceNameProblem('a/b'));
});

test('a row with nothing in it (or only spaces) is blank: ignored, not a row to fix', () => {
  assert.equal(blankRow(['', ' ', '\t', undefined, null]), true);
  assert.equal(blankRow([]), true);
  assert.equal(blankRow(['', 'x']), false);
});

test("Tencent IVC import rows: the first problem by the platform's rules, names unique in the sheet", () => {
  const ok = { name: '大门_1', type: 'ipc', transport: 'tcp', password: '123456', description: '' };
  assert.equal(ivcImportProblem(ok, new Set()), null);
  assert.equal(ivcImportProblem({ ...ok, type: '2' }, new Set()), null);
  assert.equal(ivcImportProblem(ok, new Set(['大门_1'])), 'import.rule.nameTwice');
  assert.equal(ivcImportProblem({ ...ok, name: 'a b' }, new Set()), 'import.rule.name');
  assert.equal(ivcImportProblem({ ...ok, name: 'x'.repeat(33) }, new Set()), 'import.rule.name');
  assert.equal(ivcImportProblem({ ...ok, type: 'DVR' }, new Set()), 'import.rule.type');
  assert.equal(ivcImportProblem({ ...ok, transport: 'RTP' }, new Set()), 'import.rule.transport');
  assert.equal(ivcImportProblem({ ...ok, password: '12345' }, new Set()), 'import.rule.password');
  assert.equal(ivcImportProblem({ ...ok, password: '12345a' }, new Set()), 'import.rule.password');
  assert.equal(ivcImportProblem({ ...ok, description: 'd'.repeat(129) }, new Set()), 'import.rule.description');
});
