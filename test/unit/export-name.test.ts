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

test('bidi controls are stripped: a name cannot show its characters in another order than they have', () => {
  const start = new Date(2026, 10, 22, 9, 5, 7).getTime();
  // "gate", U+202E, "4pm.exe" shows as "gateexe.mp4": the override would make the clip look like another file.
  const controls = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c';
  assert.equal(
    fileName(`gate\u202e4pm.exe${controls}`, start, start + 1000, 'mp4'),
    'gate4pm.exe_20261122_090507-090508.mp4',
  );
  assert.equal(fileName('a', start, start + 1000, 'mp4', `ch:dev\u202e1:0`), 'a_dev1-0_20261122_090507-090508.mp4');
  assert.equal(fileName('\u202e\u2066', start, start + 1000, 'mp4').startsWith('clip_'), true, 'nothing left: "clip"');
  // DEL and C1 controls are control characters too; Arabic and Hebrew names are kept as they are.
  assert.equal(fileName('x\u007f\u0085y', start, start + 1000, 'ts'), 'x__y_20261122_090507-090508.ts');
  assert.equal(fileName('بوابة שער', start, start + 1000, 'ts'), 'بوابة שער_20261122_090507-090508.ts');
});

test('a long name is cut to whole characters: with a long channel id the file name stays within 255 bytes', () => {
  const start = new Date(2026, 10, 22, 9, 5, 7).getTime();
  const name = fileName('北门停车场'.repeat(40), start, start + 1000, 'mp4', `ch:${'D'.repeat(60)}:12`);
  assert.ok(Buffer.byteLength(name) <= 255, `${Buffer.byteLength(name)} bytes`);
  assert.match(name, /^(北门停车场)+北?门?停?车?_D+-12_20261122_090507-090508\.mp4$/);
  // A channel id in Chinese (or with emoji) is cut by bytes too, from its end, whole characters.
  const wide = fileName('北门停车场'.repeat(40), start, start + 1000, 'mp4', `ch:${'东'.repeat(60)}😀:12`);
  assert.ok(Buffer.byteLength(wide) <= 255, `${Buffer.byteLength(wide)} bytes`);
  assert.match(wide, /_东+😀-12_20261122_090507-090508\.mp4$/u);
  assert.doesNotMatch(wide, /[\ud800-\udfff]/u, 'no half of a surrogate pair');
});
