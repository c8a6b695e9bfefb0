import assert from 'node:assert/strict';
import { test } from 'node:test';
import { channels } from '../../preload/contract';
import { tooDeep } from '../../main/ipc/dispatch';
import { makeCore, MemoryVault } from '../helpers/core';

// Hostile requests are the request's fault: BAD_REQUEST or VALIDATION, never INTERNAL (which
// says "Vigil is broken" and logs an unexpected error).

const nest = (n: number, object: boolean): unknown => {
  let d: unknown = 1;
  for (let i = 0; i < n; i++) d = object ? { name: d } : [d];
  return d;
};

test('deep, cyclic and throwing requests answer BAD_REQUEST', async () => {
  const { core } = makeCore({ vault: new MemoryVault() });
  const cycle: Record<string, unknown> = { name: 'x' };
  cycle.config = cycle;
  const throwing = new Proxy(
    {},
    {
      get: () => {
        throw new Error('getter');
      },
      ownKeys: () => {
        throw new Error('keys');
      },
    },
  );
  const cases: [string, unknown, unknown][] = [
    ['100k nested arrays', 'accounts:add', nest(100_000, false)],
    ['100k nested objects', 'views:save', nest(100_000, true)],
    ['a cycle', 'accounts:add', cycle],
    ['a throwing proxy', 'accounts:add', throwing],
    [
      'a channel whose toString throws',
      {
        toString: () => {
          throw new Error('x');
        },
      },
      {},
    ],
  ];
  for (const [what, channel, payload] of cases) {
    const r = await core.call(channel as string, payload);
    assert.equal(r.ok ? 'ok' : r.error.code, 'BAD_REQUEST', what);
  }
});

test('no hostile value in any field of any channel answers INTERNAL', async () => {
  const { core } = makeCore({ vault: new MemoryVault() });
  const values: unknown[] = [
    null,
    -1,
    1e308,
    'x'.repeat(100_000),
    true,
    [],
    {},
    nest(40, false),
    nest(40, true),
    JSON.parse('{"__proto__":{"polluted":1}}'),
    [null],
    '',
  ];
  const codes = new Map<string, number>();
  for (const [channel, spec] of Object.entries(channels)) {
    const keys = Object.keys((spec.request as unknown as { shape?: object }).shape ?? {});
    for (const v of values) {
      for (const payload of [v, ...keys.map((k) => ({ [k]: v })), Object.fromEntries(keys.map((k) => [k, v]))]) {
        const r = await core.call(channel, payload);
        const code = r.ok ? 'ok' : r.error.code;
        codes.set(code, (codes.get(code) ?? 0) + 1);
        assert.notEqual(code, 'INTERNAL', `${channel} ${JSON.stringify(payload).slice(0, 100)}`);
      }
    }
  }
  assert.ok((codes.get('VALIDATION') ?? 0) > 1000, 'the sweep reached the schemas');
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was polluted');
});

test('the depth check is iterative and bounded', () => {
  assert.equal(tooDeep(nest(1_000_000, false), 32), true);
  assert.equal(tooDeep({ a: [{ b: [1, 2] }] }, 32), false);
  assert.equal(
    tooDeep(
      Array.from({ length: 2_000_000 }, () => []),
      32,
    ),
    true,
    'a frame of two million empty arrays spends the budget',
  );
  assert.equal(
    tooDeep(
      Array.from({ length: 2_000_000 }, () => 1),
      32,
    ),
    false,
    'primitives cost nothing',
  );
  const shared: unknown[] = [];
  let layer: unknown = shared;
  for (let i = 0; i < 30; i++) layer = [layer, layer]; // 2^30 paths through shared references
  assert.equal(tooDeep(layer, 32), true, 'the visit budget stops an exponential walk');
});
