import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  adapt,
  allowanceOf,
  BIG_WALL_START,
  COOL_S,
  cutReason,
  HUGE_WALL_START,
  DecodeBudget,
  freshBudget,
  LONG_GOP_MS,
  planRates,
  mustBeFull,
  reopened,
  priorityOf,
  QUIET_HOLD_S,
  SETTLE_S,
  startAllowance,
  type BudgetState,
  type PaneNeeds,
  type PlanPane,
  wallKey,
  WINDOW_S,
} from '../../renderer/media/budget/decode-budget';
import type { DecodeRate } from '../../preload/contract';

const wall = (n: number, needs: Record<number, PaneNeeds> = {}, fixed: number[] = []): PlanPane[] =>
  Array.from({ length: n }, (_, i) => ({ id: i, order: i, needs: needs[i] ?? {}, reducible: !fixed.includes(i) }));
const fullOf = (plan: Map<number, DecodeRate>) => [...plan].filter(([, r]) => r === 'full').map(([id]) => id);

test('walls up to 25 panes start all at full rate; a 36-pane wall with 9, bigger ones with 4', () => {
  assert.equal(startAllowance(25), 25);
  assert.equal(startAllowance(9), 9);
  assert.equal(startAllowance(36), BIG_WALL_START);
  assert.equal(BIG_WALL_START, 9);
  assert.equal(startAllowance(49), HUGE_WALL_START);
  assert.equal(startAllowance(64), HUGE_WALL_START);
  assert.equal(HUGE_WALL_START, 4);
});

test("the start counts are a 2-core machine's: they hold up to 4 logical processors and scale past them, never past the wall", () => {
  assert.equal(startAllowance(36, 1), 9, 'one thread: the 2-core counts');
  assert.equal(startAllowance(36, 2), 9);
  // Review R3: hardwareConcurrency counts threads — a 2-core/4-thread laptop is the 2-core machine.
  assert.equal(startAllowance(36, 4), 9, 'four threads: still the 2-core counts');
  assert.equal(startAllowance(64, 4), 4);
  assert.equal(startAllowance(49, 7), 4, 'seven count as four');
  assert.equal(startAllowance(36, 8), 36, 'eight threads: a 36-pane wall is within 2 × 25');
  assert.equal(startAllowance(64, 8), 8);
  assert.equal(startAllowance(64, 16), 64, 'sixteen threads: every pane of a 64-pane wall');
  assert.equal(startAllowance(9, 16), 9);
  assert.equal(allowanceOf(freshBudget(), 64, 8), 8);
  assert.equal(
    new DecodeBudget(60_000, 8).allowance,
    0,
    'an empty budget has no panes to give full rate (and reads the cores it was given)',
  );
});

/** A budget over `n` panes whose frame counters the test advances, with what it applied to each. */
function measuredWall(n: number, opts: { hls?: boolean; needs?: PaneNeeds[] } = {}) {
  const budget = new DecodeBudget(60_000, 4);
  const applied = new Map<number, DecodeRate>();
  const needs: PaneNeeds[] = opts.needs ?? Array.from({ length: n }, () => ({}));
  const frames = Array.from({ length: n }, () => ({ decoded: 0, dropped: 0 }));
  const members = needs.map((_, i) =>
    budget.join({
      order: () => i,
      needs: () => needs[i]!,
      reducible: () => true,
      hls: () => opts.hls ?? false,
      quality: () => ({ ...frames[i]! }),
      apply: (r) => applied.set(i, r),
    }),
  );
  /** One second: full-rate panes decode 25 frames and drop `dropped` each; key-frame panes decode 1. */
  const second = (dropped = 0) => {
    frames.forEach((f, i) => {
      const full = applied.get(i) === 'full';
      f.decoded += full ? 25 : 1;
      f.dropped += full ? dropped : 0;
    });
    budget.tick();
  };
  const full = () => [...applied].filter(([, r]) => r === 'full').map(([i]) => i);
  const close = () => members.forEach((m) => m.leave());
  return { budget, applied, needs, members, second, full, close };
}

test('no measured pressure: a 16- or 25-pane wall keeps every pane at full rate, HLS as FLV', () => {
  assert.equal(startAllowance(25), 25);
  assert.equal(startAllowance(16), 16);
  for (const n of [16, 25])
    for (const hls of [false, true]) {
      const w = measuredWall(n, { hls });
      try {
        for (let i = 0; i < 120; i++) w.second(0);
        assert.equal(w.full().length, n, `${n} ${hls ? 'HLS' : 'FLV'} panes, two minutes`);
      } finally {
        w.close();
      }
    }
});

test("a pane's first seconds of frames are not measured, however long it took to connect (the demo's 9 panes: 7 at full rate)", () => {
  const w = measuredWall(9);
  try {
    // Connecting: the panes are in the budget, no frame yet (the demo's took 4–6 s).
    for (let i = 0; i < 5; i++) w.budget.tick();
    // Their first frames come in a burst with drops (the server's GOP cache, every pane starting at once).
    for (let i = 0; i < SETTLE_S - 1; i++) w.second(3);
    assert.equal(w.full().length, 9, 'the start-up burst is no need');
    for (let i = 0; i < 30; i++) w.second(0);
    assert.equal(w.full().length, 9);
    // Behind once settled: that is need.
    for (let i = 0; i < 2; i++) w.second(3);
    assert.equal(w.full().length, 7);
  } finally {
    w.close();
  }
});

test('pressure cuts the least recently used panes first; the maximized, most recently used one last', () => {
  const needs: PaneNeeds[] = Array.from({ length: 16 }, () => ({}));
  const w = measuredWall(16, { needs });
  try {
    // The operator looks at pane 12, then pane 3 (and maximizes it), then leaves the grid alone.
    needs[12] = { hovered: true };
    w.members[12]!.changed();
    needs[12] = {};
    w.members[12]!.changed();
    needs[3] = { maximized: true };
    w.members[3]!.changed();
    needs[3] = {};
    w.members[3]!.changed();
    for (let i = 0; i <= SETTLE_S; i++) w.second(0);
    w.second(2);
    w.second(2); // two seconds behind: a cut of a sixth (3 panes)
    assert.equal(w.full().length, 13);
    assert.deepEqual(
      [...w.applied].filter(([, r]) => r === 'key').map(([i]) => i),
      [13, 14, 15],
      'the panes never looked at, last in wall order',
    );
    // Still behind after the cut has had time: more go, the recently used ones still full.
    for (let i = 0; i < 40 && w.full().length > 2; i++) w.second(2);
    assert.deepEqual(
      w.full().sort((a, b) => a - b),
      [3, 12],
      'the last two used are the last two cut',
    );
    w.second(2);
    w.second(2);
    w.second(2);
    w.second(2);
    assert.deepEqual(w.full(), [3], 'the most recently used, maximized a moment ago, is the last');
  } finally {
    w.close();
  }
});

test('pressure gone: panes come back after a quiet hold, a third of the cut at a time, all of them in the end', () => {
  const w = measuredWall(16);
  try {
    for (let i = 0; i <= SETTLE_S; i++) w.second(0);
    for (let i = 0; i < 2 + COOL_S + 2; i++) w.second(2);
    const cut = 16 - w.full().length;
    assert.ok(cut >= 5, `cut twice (${cut})`);
    // Hysteresis: no pane back before the hold (doubled by each overload).
    for (let i = 0; i < QUIET_HOLD_S; i++) w.second(0);
    assert.equal(16 - w.full().length, cut, 'not within the first hold');
    for (let i = 0; i < 300; i++) w.second(0);
    assert.equal(w.full().length, 16, 'every pane back once the machine keeps up');
  } finally {
    w.close();
  }
});

test('a view just opened starts at full rate whatever was cut before; it degrades only on what it measures', () => {
  const w = measuredWall(16);
  for (let i = 0; i <= SETTLE_S; i++) w.second(0);
  for (let i = 0; i < 2 + COOL_S + 2; i++) w.second(3);
  assert.ok(w.full().length < 16, 'the machine was busy');
  w.close();
  // A saved 16-pane view opened later (the same wall size): every pane full, the dome among them.
  const again = measuredWall(16);
  try {
    assert.equal(again.full().length, 16);
    for (let i = 0; i < 30; i++) again.second(0);
    assert.equal(again.full().length, 16);
  } finally {
    again.close();
  }
  // Most of a wall's panes new at once (another view with the same layout) is a view opened too.
  const budget = new DecodeBudget(60_000, 4);
  const frames = Array.from({ length: 16 }, () => ({ decoded: 0, dropped: 0 }));
  const applied = new Map<number, DecodeRate>();
  const pane = (i: number) => ({
    order: () => i,
    needs: () => ({}),
    reducible: () => true,
    quality: () => ({ ...frames[i]! }),
    apply: (r: DecodeRate) => applied.set(i, r),
  });
  const members = Array.from({ length: 16 }, (_, i) => budget.join(pane(i)));
  const second = (dropped: number) => {
    frames.forEach((f) => {
      f.decoded += 25;
      f.dropped += dropped;
    });
    budget.tick();
  };
  for (let i = 0; i <= SETTLE_S; i++) second(0);
  for (let i = 0; i < 2; i++) second(3);
  assert.equal(budget.allowance, 13);
  second(0);
  for (const i of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) {
    members[i]!.leave();
    members[i] = budget.join(pane(i));
  }
  assert.equal(budget.allowance, 16, 'ten of sixteen panes new: a view opened');
  for (const m of members) m.leave();
});

test("a wall at its machine's limit does not probe past it again for ten minutes (review R4)", () => {
  // A 36-pane wall on a machine that drops frames with 13 or more full-rate panes.
  let s: BudgetState = freshBudget();
  const second = () => {
    const full = allowanceOf(s, 36);
    s = adapt(s, { panes: 36, decoded: full * 25, dropped: full >= 13 ? 10 : 0 });
    return full;
  };
  const seen: number[] = [];
  let overloads = 0;
  for (let t = 0; t < 20 * 60; t++) {
    const before = s.sinceCutS;
    seen.push(second());
    if (s.sinceCutS === 0 && before !== 0) overloads++;
  }
  assert.equal(overloads, 2, `one overload at first and one probe after ten minutes, not one a minute (${overloads})`);
  assert.ok(Math.max(...seen.slice(5 * 60, 10 * 60)) <= 12, 'between them it stays one short of the limit');
  assert.ok(
    seen.slice(-60).every((n) => n >= 10),
    `it keeps most of its headroom: ${seen.slice(-60).join(' ')}`,
  );
});

test('quiet spells raise a big wall past its start count, one pane at a time, up to the whole wall; drops cut back', () => {
  let s: BudgetState = freshBudget();
  const calm = { panes: 36, decoded: 225, dropped: 0 };
  for (let i = 0; i < QUIET_HOLD_S - 1; i++) s = adapt(s, calm);
  assert.equal(allowanceOf(s, 36), 9, 'not before a quiet spell');
  s = adapt(s, calm);
  assert.equal(allowanceOf(s, 36), 10, 'one more after it');
  for (let i = 0; i < 90; i++) s = adapt(s, calm);
  assert.equal(allowanceOf(s, 36), 19, '100 calm seconds: 10 more than the start');
  // Nothing decoded at full rate (all panes settling, or none full): no evidence of headroom.
  let idle = freshBudget();
  for (let i = 0; i < 100; i++) idle = adapt(idle, { panes: 36, decoded: 0, dropped: 0 });
  assert.equal(allowanceOf(idle, 36), 9);
  // Up to the whole wall, not past it.
  let up = freshBudget();
  for (let i = 0; i < 40 * QUIET_HOLD_S; i++) up = adapt(up, calm);
  assert.equal(allowanceOf(up, 36), 36);
  assert.equal(up.cut, 9 - 36);
  // The raise overshot: drops (two seconds running) cut a sixth of the full-rate panes at once, and the next raise waits twice as long.
  up = adapt(up, { panes: 36, decoded: 900, dropped: 40 });
  up = adapt(up, { panes: 36, decoded: 900, dropped: 40 });
  assert.equal(allowanceOf(up, 36), 36 - 6);
  assert.equal(up.holdS, 2 * QUIET_HOLD_S);
});

test('priority: selected (and pinned, hovered) > maximized > large > alarm > others', () => {
  const order = [{ selected: true }, { maximized: true }, { large: true }, { alarm: true }, {}].map(priorityOf);
  assert.deepEqual(
    order,
    [...order].sort((a, b) => b - a),
  );
  assert.ok(order.every((p, i) => i === 0 || p < order[i - 1]!));
  assert.equal(priorityOf({ pinned: true }), priorityOf({ selected: true }));
  assert.equal(priorityOf({ hovered: true }), priorityOf({ selected: true }));
});

test('plan: the allowance goes to the highest priority, then wall order; panes the operator looks at are always full', () => {
  const needs = { 40: { large: true }, 50: { alarm: true }, 63: { selected: true }, 62: { pinned: true } };
  const plan = planRates(wall(64, needs), 4);
  assert.deepEqual(
    fullOf(plan).sort((a, b) => a - b),
    [40, 50, 62, 63],
  );
  assert.equal(plan.size, 64);
  // No allowance left: selected, pinned, hovered and maximized panes stay full regardless.
  const none = planRates(wall(64, { 1: { hovered: true }, 2: { maximized: true }, 3: { selected: true } }), 0);
  assert.deepEqual(
    fullOf(none).sort((a, b) => a - b),
    [1, 2, 3],
  );
  // Streams that cannot be reduced (audio, HLS) are full and use the budget first.
  const fixed = planRates(wall(36, {}, [30, 31]), 3);
  assert.deepEqual(
    fullOf(fixed).sort((a, b) => a - b),
    [0, 30, 31],
  );
});

test('plan: between panes of one priority, cameras with long GOPs get the full-rate places first (their key frames are far apart)', () => {
  const panes = wall(16, { 15: { large: true } }).map((p) => ({
    ...p,
    gopMs: p.id === 9 || p.id === 12 ? 10_000 : p.id === 3 ? LONG_GOP_MS : 1000,
  }));
  // Large first; then the 10-s GOPs; a 2-s GOP is short enough to wait for; then wall order.
  assert.deepEqual(
    fullOf(planRates(panes, 4)).sort((a, b) => a - b),
    [0, 9, 12, 15],
  );
  // Rank still comes first: a long GOP does not outrank a large pane, and unknown GOPs count as short.
  assert.deepEqual(fullOf(planRates(panes, 1)), [15]);
  assert.deepEqual(
    fullOf(
      planRates(
        wall(4).map((p) => ({ ...p, gopMs: p.id === 3 ? null : 1000 })),
        1,
      ),
    ),
    [0],
  );
});

test('adapt: falling behind takes full-rate panes away at once, a quiet spell brings one back, up to the start', () => {
  let s: BudgetState = freshBudget();
  const calm = { panes: 25, decoded: 500, dropped: 0 };
  s = adapt(s, { panes: 25, decoded: 500, dropped: 20 });
  assert.equal(allowanceOf(s, 25), 25, 'one second behind is a blip');
  s = adapt(s, { panes: 25, decoded: 500, dropped: 20 });
  assert.equal(allowanceOf(s, 25), 25 - 5, 'two in a row: a sixth of the full-rate panes');
  assert.equal(s.holdS, 2 * QUIET_HOLD_S, 'the next restore waits longer');
  // Drops go on while the cut takes effect: no second cut for COOL_S seconds.
  for (let i = 0; i < COOL_S - 1; i++) s = adapt(s, { panes: 25, decoded: 500, dropped: 20 });
  assert.equal(allowanceOf(s, 25), 20, 'cooling down');
  for (let i = 0; i < 2 * QUIET_HOLD_S - 1; i++) s = adapt(s, calm);
  assert.equal(allowanceOf(s, 25), 20, 'not before the hold');
  s = adapt(s, calm);
  assert.equal(allowanceOf(s, 25), 22, 'a third of the cut back after the hold');
  // A few dropped frames (under 1 %, or fewer than 3) are noise.
  assert.equal(allowanceOf(adapt(s, { panes: 25, decoded: 1000, dropped: 2 }), 25), 22);
  assert.equal(allowanceOf(adapt(s, { panes: 25, decoded: 1000, dropped: 9 }), 25), 22);
  for (let i = 0; i < 2 * QUIET_HOLD_S; i++) s = adapt(s, calm);
  assert.equal(allowanceOf(s, 25), 23);
  // A wall of 25 is all at full rate already: nothing to raise. (Which wall a state belongs to: wallKey.)
  let top = freshBudget();
  for (let i = 0; i < 100; i++) top = adapt(top, calm);
  assert.equal(allowanceOf(top, 25), 25);
  assert.equal(top.cut, 0);
  assert.equal(allowanceOf(top, 64), 4);
  assert.equal(allowanceOf(s, 24), 24 - 2);
  // Down to no reducible pane at full rate, not below.
  let low: BudgetState = { ...freshBudget(), cut: 24, holdS: 60 };
  low = adapt(low, { panes: 25, decoded: 100, dropped: 50 });
  low = adapt(low, { panes: 25, decoded: 100, dropped: 50 });
  for (let i = 0; i < COOL_S; i++) low = adapt(low, { panes: 25, decoded: 100, dropped: 50 });
  assert.equal(allowanceOf(low, 25), 0);
  assert.equal(low.holdS, 60, 'the hold stops doubling at a minute');
});

test('a one-second blip cuts nothing; blips that do not run two seconds in a row never add up to a cut', () => {
  let s: BudgetState = freshBudget();
  const calm = { panes: 25, decoded: 625, dropped: 0 };
  const blip = { panes: 25, decoded: 500, dropped: 125 }; // a 200-ms stall: a fifth of a second's frames
  for (let i = 0; i < 60; i++) s = adapt(s, i % 3 === 0 ? blip : calm);
  assert.equal(allowanceOf(s, 25), 25, 'a blip every 3 s: all panes stay at full rate');
  assert.equal(s.cut, 0);
  // A blip still makes the wall wait for its quiet spell before raising anything.
  let big = freshBudget();
  for (let i = 0; i < QUIET_HOLD_S - 1; i++) big = adapt(big, { panes: 36, decoded: 225, dropped: 0 });
  big = adapt(big, { panes: 36, decoded: 200, dropped: 25 });
  big = adapt(big, { panes: 36, decoded: 225, dropped: 0 });
  assert.equal(allowanceOf(big, 36), 9, 'no raise right after a blip');
});

test('two seconds of a burst among quiet ones cut nothing (under 1 % over ten seconds); an overload that goes on does', () => {
  // 25 live HLS panes here: ~625 frames a second, and every 5–10 s one or two seconds with 13–33 dropped.
  const calm = { panes: 25, decoded: 625, dropped: 0 };
  const burst = { panes: 25, decoded: 600, dropped: 25 };
  let s: BudgetState = freshBudget();
  for (let i = 0; i < 60; i++) s = adapt(s, i % 10 >= 8 ? burst : calm);
  assert.equal(allowanceOf(s, 25), 25, 'a burst of two seconds every 10 s: all 25 panes stay at full rate');
  // 2 % dropped every second: a cut once the last ten seconds pass 1 %, within seconds.
  const over = { panes: 25, decoded: 612, dropped: 13 };
  let seconds = 0;
  while (allowanceOf(s, 25) === 25 && seconds < 30) {
    s = adapt(s, over);
    seconds++;
  }
  assert.equal(allowanceOf(s, 25), 20, 'a sixth cut');
  assert.ok(seconds <= 6, `cut after ${seconds} s of 2 % dropped`);
  // The same 2 % goes on after the cut: it cuts again once the cool-down is over.
  for (let i = 0; i <= COOL_S; i++) s = adapt(s, over);
  assert.equal(allowanceOf(s, 25), 20 - 4, 'a second cut, right after the cool-down');
  // A view just opened measures afresh: two bad seconds from its start are enough.
  let opened = freshBudget();
  for (let i = 0; i < WINDOW_S - 1; i++) opened = adapt(opened, calm);
  opened = reopened(opened);
  opened = adapt(opened, over);
  opened = adapt(opened, over);
  assert.equal(allowanceOf(opened, 25), 25 - 5);
});

test('the ten-second window starts again with each change of the plan: a cut is not weighed with the drops that made it, nor a restore with the calm before it', () => {
  const calm = { panes: 25, decoded: 625, dropped: 0 };
  const over = { panes: 25, decoded: 612, dropped: 13 }; // 2 % dropped
  let s: BudgetState = freshBudget();
  for (let i = 0; i < WINDOW_S; i++) s = adapt(s, calm);
  while (allowanceOf(s, 25) === 25) s = adapt(s, over);
  assert.equal(allowanceOf(s, 25), 20, 'a sixth cut');
  // The cut has taken effect: calm through the cool-down, then two seconds at 2 %: 0.8 % since the
  // cut, no second cut (weighed with the seconds before the cut it would be 1.5 %).
  for (let i = 0; i < COOL_S; i++) s = adapt(s, calm);
  s = adapt(adapt(s, over), over);
  assert.equal(allowanceOf(s, 25), 20, 'the drops that made the cut do not make a second one');
  // Calm until a third of the cut comes back; two seconds at 2 % right after the restore are all the
  // restored plan has measured: a cut (weighed with the calm before the restore, 0.4 %: none).
  while (allowanceOf(s, 25) === 20) s = adapt(s, calm);
  const restored = allowanceOf(s, 25);
  assert.ok(restored > 20, `restored to ${restored}`);
  s = adapt(adapt(s, over), over);
  assert.equal(allowanceOf(s, 25), restored - Math.ceil(restored / 6), 'the restored plan, overloaded, is cut');
});

test('DecodeBudget applies the plan to panes, replans at once when needs change, and adapts to dropped frames', () => {
  const budget = new DecodeBudget(60_000);
  const applied = new Map<number, DecodeRate>();
  const needs: PaneNeeds[] = Array.from({ length: 36 }, () => ({}));
  const frames = Array.from({ length: 36 }, () => ({ decoded: 0, dropped: 0 }));
  const handles = needs.map((_, i) =>
    budget.join({
      order: () => i,
      needs: () => needs[i]!,
      reducible: () => true,
      quality: () => ({ ...frames[i]! }),
      apply: (r) => applied.set(i, r),
    }),
  );
  const full = () => [...applied].filter(([, r]) => r === 'full').length;
  assert.equal(full(), 9);
  assert.equal(applied.get(35), 'key');
  needs[35] = { selected: true };
  handles[35]!.changed();
  assert.equal(applied.get(35), 'full', 'selected: full at once');
  assert.equal(applied.get(8), 'key', 'the last of the others made room');
  needs[35] = {};
  handles[35]!.changed();
  assert.equal(applied.get(35), 'full', 'no longer selected: the most recently used keeps its place');
  assert.equal(applied.get(8), 'key');
  // The first seconds of a connection (the GOP-cache burst) do not count.
  budget.tick(); // first read of the counters
  frames.forEach((f) => {
    f.decoded += 25;
    f.dropped += 5;
  });
  for (let i = 0; i < SETTLE_S - 1; i++) budget.tick();
  assert.equal(budget.allowance, 9, 'settling');
  frames.forEach((f) => (f.decoded += 25));
  // Key-frame panes drop their GOP's second frame often (the <video> waits between key frames): not an overload.
  frames.forEach((f, i) => {
    if (applied.get(i) === 'key') {
      f.decoded += 2;
      f.dropped += 1;
    } else f.decoded += 25;
  });
  budget.tick();
  assert.equal(budget.allowance, 9, 'drops of key-frame panes do not count');
  // The renderer falls behind: frames dropped across panes, two seconds running.
  for (let i = 0; i < 2; i++) {
    frames.forEach((f) => {
      f.decoded += 25;
      f.dropped += 2;
    });
    budget.tick();
  }
  assert.equal(budget.allowance, 9 - 2);
  assert.equal(full(), 7);
  // A camera or four less: the same wall, the same cut.
  for (const h of handles.slice(32)) h.leave();
  assert.equal(budget.allowance, 9 - 2, 'a 32-pane wall');
  budget.tick();
  // The window hidden: every pane leaves but one whose sound is on (it plays on, alone, for seconds).
  for (const h of handles.slice(1, 32)) h.leave();
  for (let i = 0; i < 5; i++) budget.tick();
  assert.equal(budget.allowance, 1);
  handles[0]!.leave();
  // Shown again: what the 36-pane wall learned is still there.
  const pane = (i: number) => ({
    order: () => i,
    needs: () => ({}),
    reducible: () => true,
    quality: () => null,
    apply: (r: DecodeRate) => applied.set(i, r),
  });
  const again = needs.map((_, i) => budget.join(pane(i)));
  assert.equal(budget.allowance, 9, 'the wall back: a view just opened starts at its start count, the cut forgotten');
  assert.equal(full(), 9);
  // Another layout (16 panes) is another wall: all at full rate, not all but the 2 the 36-pane wall lost —
  // also when it is reached a few panes a second (each step within a quarter of the one before).
  for (let n = 35; n >= 16; n--) {
    again[n]!.leave();
    budget.tick();
  }
  assert.equal(budget.allowance, 16);
  assert.equal([...applied].filter(([id, r]) => id < 16 && r === 'full').length, 16);
  for (const h of again.slice(0, 16)) h.leave();
});

test('seconds behind run on one wall: a blip before a switch of layout and one after it are not two in a row (review 13)', () => {
  // The panes that stay through the switch keep their counters (panes are the wall's places, by index),
  // so the first tick back on a wall measures at once: the run must restart there.
  const budget = new DecodeBudget(60_000);
  const frames = Array.from({ length: 25 }, () => ({ decoded: 0, dropped: 0 }));
  const pane = (i: number) => ({
    order: () => i,
    needs: () => ({}),
    reducible: () => true,
    quality: () => ({ ...frames[i]! }),
    apply: () => undefined,
  });
  const first = Array.from({ length: 16 }, (_, i) => budget.join(pane(i)));
  const second = (dropped: number) => {
    frames.forEach((f) => {
      f.decoded += 25;
      f.dropped += dropped;
    });
    budget.tick();
  };
  try {
    for (let i = 0; i <= SETTLE_S; i++) second(0);
    second(5); // one second behind on the 16-pane wall
    assert.equal(budget.allowance, 16);
    const more = Array.from({ length: 9 }, (_, i) => budget.join(pane(16 + i))); // the 25-pane layout
    second(0);
    for (const h of more) h.leave(); // back to 16
    second(5); // one second behind again: a blip, not the second of a run
    assert.equal(budget.allowance, 16, 'no cut');
    second(5);
    assert.equal(budget.allowance, 16 - Math.ceil(16 / 6), 'two in a row on this wall: the cut');
  } finally {
    for (const h of first) h.leave(); // stops the budget's timer whatever failed
  }
});

test('wallKey: a wall within a quarter of a size it learned on is that wall; the nearest one if two are', () => {
  assert.equal(wallKey([], 36), 36, 'a new wall');
  assert.equal(wallKey([36], 32), 36);
  assert.equal(wallKey([36], 27), 36);
  assert.equal(wallKey([36], 26), 26, 'past a quarter: another wall');
  assert.equal(wallKey([64, 36], 49), 64);
  assert.equal(wallKey([64, 36], 44), 36, 'the nearest');
  assert.equal(wallKey([64], 4), 4);
  assert.equal(wallKey([64], 0), 0);
});

test('a digitally zoomed pane is one the operator looks at: full rate, ranked with the selected one', () => {
  assert.equal(mustBeFull({ zoomed: true }), true);
  assert.equal(priorityOf({ zoomed: true }), priorityOf({ selected: true }));
  assert.equal(mustBeFull({}), false);
});

test('why panes are at key frames, for their badge: a cut on dropped frames, or a wall past the start count', () => {
  assert.equal(cutReason(freshBudget(), 25), null, 'a 25-pane wall with no cut: none reduced');
  assert.equal(cutReason(freshBudget(), 36), 'bigWall');
  assert.equal(cutReason({ ...freshBudget(), cut: 3 }, 16), 'behind');
  assert.equal(
    cutReason({ ...freshBudget(), cut: -2 }, 36),
    'bigWall',
    'raised past the start, still short of the wall',
  );
  const w = measuredWall(16);
  try {
    assert.equal(w.budget.reason, null);
    for (let i = 0; i <= SETTLE_S; i++) w.second(0);
    w.second(2);
    w.second(2);
    assert.equal(w.budget.reason, 'behind');
  } finally {
    w.close();
  }
});
