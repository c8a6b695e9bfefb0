import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAttributes } from '../../renderer/model/search-attributes';

test('attribute filters parse key=value lists and refuse what the platform would', () => {
  assert.deepEqual(parseAttributes(''), { ok: true, filters: [] });
  assert.deepEqual(parseAttributes('GenderCode=1; HairColor=4,1'), {
    ok: true,
    filters: [
      { key: 'GenderCode', values: ['1'] },
      { key: 'HairColor', values: ['4', '1'] },
    ],
  });
  assert.deepEqual(parseAttributes('HairColor = 4，1\n'), {
    ok: true,
    filters: [{ key: 'HairColor', values: ['4', '1'] }],
  });
  assert.equal(parseAttributes('GenderCode').ok, false);
  assert.equal(parseAttributes('GenderCode=1;GenderCode=2').ok, false);
  assert.equal(parseAttributes('K=' + Array.from({ length: 21 }, (_, i) => i).join(',')).ok, false);
  assert.equal(parseAttributes(Array.from({ length: 21 }, (_, i) => `K${i}=1`).join(';')).ok, false);
});
