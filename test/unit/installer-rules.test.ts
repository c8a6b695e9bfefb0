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
import { GbPassword, IvmGbDevice } from '../../preload/contract';

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
  // E15: "不填写则默认 UDP 协议" (empty means UDP), in a sheet with or without the column.
  assert.equal(ivcImportProblem({ ...ok, transport: '' }, new Set()), null);
  assert.equal(ivcImportProblem({ name: '大门_1', type: 'IPC', password: '123456' }, new Set()), null);
  assert.equal(ivcImportProblem({ ...ok, password: '12345' }, new Set()), 'import.rule.password');
  assert.equal(ivcImportProblem({ ...ok, password: '12345a' }, new Set()), 'import.rule.password');
  assert.equal(ivcImportProblem({ ...ok, description: 'd'.repeat(129) }, new Set()), 'import.rule.description');
});

test('IVM §6.7 device name: 1–128 with a Chinese character counting as 2, in the form and at the contract alike', () => {
  const device = (name: string) => ({
    deviceId: '34020000001320000777',
    name,
    password: 'Cam-pass-2024',
    algorithm: 'SHA256' as const,
  });
  const contractSays = (name: string) => {
    const r = IvmGbDevice.safeParse(device(name));
    return r.success ? null : r.error.issues.map((i) => i.message).join('; ');
  };
  for (const fine of ['x'.repeat(128), '中'.repeat(64), `${'中'.repeat(30)}${'a'.repeat(68)}`]) {
    assert.equal(deviceNameProblem(fine), null, fine);
    assert.equal(contractSays(fine), null, fine);
  }
  for (const [long, length] of [
    ['x'.repeat(129), 129],
    ['中'.repeat(65), 130],
    [`${'中'.repeat(30)}${'a'.repeat(69)}`, 129],
  ] as const) {
    assert.match(deviceNameProblem(long)!, new RegExp(`at most 128 .*Chinese.*2 \\(this one: ${length}\\)`));
    assert.match(contractSays(long)!, /^validation\.deviceNameLength\|At most 128/);
  }
  assert.match(contractSays('a/b')!, /^validation\.deviceName\|/);
});

test('IVM §6.7 GB password: only the documented special characters (and space) count as the symbol kind', () => {
  for (const p of ['abcdefg1中', 'abcdefg1€', 'abcdefg1é', 'abcdefg1\t', 'abcdefg1§']) {
    assert.match(gbPasswordProblem(p)!, /three of/, p);
    assert.equal(GbPassword.safeParse(p).success, false, p);
  }
  for (const p of ['abcdefg1 ', "abcdefg1'", 'abcdefg1\\', 'abcdefg1`', 'abcdefg1"', 'abcdefg1.', 'abcdefg1-']) {
    assert.equal(gbPasswordProblem(p), null, p);
    assert.equal(GbPassword.safeParse(p).success, true, p);
  }
});
