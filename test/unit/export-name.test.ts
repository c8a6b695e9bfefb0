import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileName } from '../../main/services/export';

test('export file names carry channel and local time, with characters Windows and macOS refuse replaced', () => {
  const start = new Date(2026, 10, 22, 9, 5, 7).getTime();
  assert.equal(fileName('大门球机', start, start + 30_000, 'mp4'), '大门球机_20261122_090507-090537.mp4');
  assert.equal(
    fileName('a/b:c*?"<>|\u0001', start, start + 1000, 'ts'),
    'a_b_c_______.ts'.replace('.ts', '_20261122_090507-090508.ts'),
  );
  assert.equal(fileName('   ', start, start + 1000, 'mp4').startsWith('clip_'), true);
});

test('the channel id is in the name, so two channels of one name never share a file', () => {
  const start = new Date(2026, 10, 22, 9, 5, 7).getTime();
  assert.equal(
    fileName('大门', start, start + 30_000, 'mp4', 'ch:21A0123456SMY02:0'),
    '大门_21A0123456SMY02-0_20261122_090507-090537.mp4',
  );
  assert.notEqual(
    fileName('大门', start, start + 30_000, 'mp4', 'ch:dev:1'),
    fileName('大门', start, start + 30_000, 'mp4', 'ch:dev:2'),
  );
  // Long ids keep their end (device and channel), and nothing a file system refuses.
  const long = fileName('x', start, start + 1000, 'mp4', `ch:${'9'.repeat(60)}:a/b`);
  assert.match(long, /^x_9{44}-a_b_20261122_090507-090508\.mp4$/, 'the last 48 characters of the id');
});
