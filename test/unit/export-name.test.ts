import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileName } from '../../main/services/export';

test('export file names carry channel and local time, with characters Windows and macOS refuse replaced', () => {
  const start = new Date(2026, 10, 22, 9, 5, 7).getTime();
  assert.equal(fileName('大门球机', start, start + 30_000, 'mp4'), '大门球机_20261122_090507-090537.mp4');
  assert.equal(fileName('a/b:c*?"<>|\u0001', start, start + 1000, 'ts'), 'a_b_c_______.ts'.replace('.ts', '_20261122_090507-090508.ts'));
  assert.equal(fileName('   ', start, start + 1000, 'mp4').startsWith('clip_'), true);
});
