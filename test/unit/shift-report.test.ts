import assert from 'node:assert/strict';
import test from 'node:test';
import type { Fault } from '../bench/shift/faults';
import {
  availabilityPct,
  losses,
  quantile,
  recoveries,
  shiftReport,
  slopePerHour,
  steadyPoints,
  stuckPanes,
} from '../bench/shift/report';
import type { ScheduledFault } from '../bench/shift/schedule';
import { paneSeconds, playbackSeconds, runSchedule } from '../bench/shift/shift';

test('availability counts fresh seconds over counted ones; offline and hidden seconds do not count', () => {
  assert.equal(availabilityPct({ a: 'FFFF', b: 'FFSS' }), 75);
  assert.equal(availabilityPct({ a: 'FFXX', b: 'XXFF' }), 100);
  assert.equal(availabilityPct({ a: 'XXXX' }), 100);
});

test('recovery runs from the fault’s end to the last hurt pane’s first fresh second after its last bad one', () => {
  const fault: ScheduledFault = { kind: 'platform_5xx', at_s: 2, duration_s: 3, platform: 'ivc' };
  //            0123456789
  const seconds = { a: 'FFFSSSSSFF', b: 'FFFFFFSFFF', c: 'FFFFFFFFFF' };
  const [r] = recoveries([fault], seconds);
  assert.deepEqual(r!.panes, ['a', 'b']);
  assert.equal(r!.recovery_s, 3); // a is back at 8, the fault ended at 5
  // back before the fault ended: 0
  assert.equal(recoveries([fault], { a: 'FFSFFFFF' })[0]!.recovery_s, 0);
  // never back: null
  assert.equal(recoveries([fault], { a: 'FFFSSSSSSS' })[0]!.recovery_s, null);
  // a pane untouched: no panes, recovery 0
  assert.deepEqual(recoveries([fault], { a: 'FFFFFFFFFF' })[0]!.panes, []);
});

test('faults that overlap are one incident: recovery runs from the last one’s end', () => {
  // A media server restart (2–3) while a platform holds its requests (2–6): its panes cannot come
  // back before the platform answers again.
  const restart: ScheduledFault = { kind: 'media_server_restart', at_s: 2, duration_s: 1 };
  const hold: ScheduledFault = { kind: 'platform_hold', at_s: 2, duration_s: 4, platform: 'ivm' };
  const later: ScheduledFault = { kind: 'broker_restart', at_s: 20, duration_s: 1 };
  //          0123456789
  const s = { a: 'FFSSSSSSFFFFFFFFFFFFFFFF' };
  const [r1, r2, r3] = recoveries([restart, hold, later], s);
  assert.equal(r1!.recovery_s, 2, 'from the hold’s end (6) to fresh at 8, not from the restart’s (3)');
  assert.equal(r2!.recovery_s, 2);
  assert.deepEqual(r3!.panes, [], 'a fault apart is measured alone');
  // A lane closed 4 s after a 5xx ended: its pane's second is the lane's, not the 5xx's.
  const failing: ScheduledFault = { kind: 'platform_5xx', at_s: 0, duration_s: 3, platform: 'ivc' };
  const lane: ScheduledFault = { kind: 'relay_lane_closed', at_s: 7, duration_s: 0 };
  const [f, l] = recoveries([failing, lane], { a: 'FFFFFFFSFFFF' });
  assert.deepEqual(f!.panes, [], 'the 5xx hurt nothing');
  assert.equal(l!.recovery_s, 1);
  // A camera offline (2–12) holds back its own pane only: the restart is not measured from its end.
  const offline: ScheduledFault = { kind: 'camera_offline', at_s: 2, duration_s: 10, platform: 'ivc' };
  assert.equal(recoveries([restart, offline], { a: 'FFSSSSFFFFFFFFFFFF' })[0]!.recovery_s, 3);
});

test('the pane-seconds lost are each fault’s once: the latest-started fault whose window holds them and can touch the pane', () => {
  const restart: ScheduledFault = { kind: 'media_server_restart', at_s: 2, duration_s: 1 };
  const lapse: ScheduledFault = { kind: 'play_url_lapse', at_s: 4, duration_s: 0, platform: 'ivm' };
  const lane: ScheduledFault = { kind: 'relay_lane_closed', at_s: 30, duration_s: 0 };
  //           0         1         2         3
  //           0123456789012345678901234567890123
  const ivm = 'FFSSSSFFFFFFFFFFFFFFFFFFFFFFFFSSFF';
  const vcs = 'FFSSXSSFFFFFFFFFFSFFFFFFFFFFFFFFFF';
  const { byFault, unexplained } = losses([restart, lapse, lane], { ivm, vcs }, { ivm: 'ivm', vcs: 'vcs' });
  // ivm: 2–3 the restart's, 4–5 the lapse's; 30–31 the lane's. vcs: 2–3 the restart's (4 is not
  // counted). The restart's window ends where the lapse starts (as recoveries' does), and the lapse
  // touches IVM panes only: vcs' 5–6 are no fault's, as is 17, past every window.
  assert.deepEqual(byFault, [4, 2, 2]);
  assert.equal(unexplained, 3);
});

test('a platform’s own fault hurts its panes only: another platform’s pane bad then is not its', () => {
  // An IVM play URL lapse at 3 while a VCS pane comes back from its camera's offline time (X to 5).
  const lapse: ScheduledFault = { kind: 'play_url_lapse', at_s: 3, duration_s: 0, platform: 'ivm' };
  const token: ScheduledFault = { kind: 'vis_token_expiry', at_s: 3, duration_s: 0 };
  const restart: ScheduledFault = { kind: 'media_server_restart', at_s: 3, duration_s: 0 };
  //                 0123456789
  const seconds = { ivm: 'FFFFSFFFFFFF', vcs: 'XXXXXXSSSSSF' };
  const platformOf = { ivm: 'ivm', vcs: 'vcs' } as const;
  const [l, t, r] = recoveries([lapse, token, restart], seconds, platformOf);
  assert.deepEqual(l!.panes, ['ivm']);
  assert.equal(l!.recovery_s, 2, 'the IVM pane, back at 5; not the VCS pane, back at 11');
  assert.deepEqual(t!.panes, [], 'a VIS token touches no IVM or VCS pane');
  assert.deepEqual(r!.panes, ['ivm', 'vcs'], 'the media server carries every platform');
  // Without the platforms (a pane of unknown platform): every pane, as before.
  assert.deepEqual(recoveries([lapse], seconds)[0]!.panes, ['ivm', 'vcs']);
  const report = shiftReport({
    minutes: 1,
    seed: 1,
    faults: [lapse],
    seconds,
    platformOf,
    alarms: { sent: 0, lost: 0, duplicated: 0 },
    errorsLeft: 0,
    heap: [],
    rss: [],
    fds: [],
  });
  assert.equal(report.recovery_p95_s, 2, 'the report measures with the platforms');
});

test('a stuck pane has no fresh picture in its last counted seconds', () => {
  assert.deepEqual(stuckPanes({ a: `FFF${'S'.repeat(10)}`, b: `${'S'.repeat(10)}F`, c: `F${'S'.repeat(9)}XXX` }), [
    'a',
  ]);
});

test('quantiles by nearest rank; slopes per hour by least squares', () => {
  assert.equal(quantile([], 0.5), null);
  assert.equal(quantile([5, 1, 3], 0.5), 3);
  assert.equal(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95), 10);
  assert.equal(
    slopePerHour([
      [0, 100],
      [1800, 101],
      [3600, 102],
    ]),
    2,
  );
  assert.equal(slopePerHour([[0, 1]]), null);
  // the first 10 minutes of a long run are start-up, not a leak
  assert.deepEqual(
    steadyPoints(
      [
        [0, 1],
        [599, 2],
        [600, 3],
      ],
      120,
    ),
    [[600, 3]],
  );
  assert.deepEqual(
    steadyPoints(
      [
        [0, 1],
        [60, 2],
        [120, 3],
      ],
      6,
    ),
    [[120, 3]],
  );
});

test('the probe’s lines make the pane seconds: missed seconds are S, excluded ones X', () => {
  const t0 = 1000;
  const lines: Array<[number, string]> = [
    [1000, 'FF'],
    [1001, 'FS'],
    [1003, 'FF'],
    [1004, 'SF'],
    [1005, 'FF'],
  ];
  const schedule: ScheduledFault[] = [
    { kind: 'camera_offline', at_s: 3, duration_s: 2, platform: 'ivm' },
    { kind: 'window_hidden', at_s: 1, duration_s: 1 },
  ];
  const faults: Fault[] = [
    { start: async () => undefined, stop: async () => undefined, excludes: [0] },
    { start: async () => undefined, stop: async () => undefined },
  ];
  assert.deepEqual(paneSeconds(lines, t0, 2, schedule, faults), { 'pane-0': 'FXSXXF', 'pane-1': 'FXSFFF' });
  // The media server down (as run) takes every camera away: no pane counts; its seconds after do.
  const restart: ScheduledFault[] = [{ kind: 'media_server_restart', at_s: 3, duration_s: 1 }];
  assert.deepEqual(paneSeconds(lines, t0, 2, restart, [faults[1]!]), { 'pane-0': 'FFSXSF', 'pane-1': 'FSSXFF' });
});

test('the report has the issue’s fields', () => {
  const r = shiftReport({
    minutes: 3,
    seed: 1,
    faults: [{ kind: 'platform_5xx', at_s: 2, duration_s: 3, platform: 'ivc' }],
    seconds: { a: 'FFFSSSSSFF' },
    alarms: { sent: 10, lost: 0, duplicated: 0 },
    errorsLeft: 0,
    heap: [
      [0, 50],
      [60, 51],
      [120, 52],
      [180, 53],
    ],
    rss: [[0, 300]],
    fds: [[0, 100]],
  });
  assert.deepEqual(Object.keys(r), [
    'minutes',
    'panes',
    'seed',
    'faults',
    'pane_availability_pct',
    'recovery_p50_s',
    'recovery_p95_s',
    'stuck_panes',
    'alarms_sent',
    'alarms_lost',
    'alarms_duplicated',
    'errors_left',
    'heap_start_mb',
    'heap_end_mb',
    'heap_slope_mb_per_h',
    'main_rss_start_mb',
    'main_rss_end_mb',
    'fds_start',
    'fds_end',
  ]);
  // Each fault says its platform too (a field added, none renamed).
  assert.deepEqual(r.faults, [{ kind: 'platform_5xx', at_s: 2, duration_s: 3, platform: 'ivc' }]);
  assert.equal(r.recovery_p95_s, 3);
  assert.equal(r.heap_slope_mb_per_h, 60);
});

test('the playback window’s seconds: missed seconds are S, the seconds from each loop’s jump back are X', () => {
  const t0 = 1000;
  const lines: Array<[number, string]> = [
    [1000, 'FF'],
    [1001, 'SS'],
    [1002, 'SF'],
    [1004, 'FF'],
    [1010, 'FF'],
  ];
  // a loop at 1001: 1001–1006 not counted (LOOP_GRACE_S = 6)
  const s = playbackSeconds(lines, t0, [1001], 2);
  assert.deepEqual(s, { 'pane-0': 'FXXXXXXSSSF', 'pane-1': 'FXXXXXXSSSF' });
  assert.equal(availabilityPct(s), 40);
});

test('a fault lasts until what it broke is back: a restart that takes longer than scheduled ends when it is done', async () => {
  const t0 = Math.floor(Date.now() / 1000);
  const schedule: ScheduledFault[] = [
    { kind: 'media_server_restart', at_s: 0, duration_s: 1 },
    { kind: 'relay_lane_closed', at_s: 0, duration_s: 0 },
  ];
  // The server is back 2.1 s after the run's second 0 (its stop and start took longer than 1 s).
  const backAt = (t0 + 2) * 1000 + 100;
  const faults: Fault[] = [
    { start: () => new Promise((r) => setTimeout(r, backAt - Date.now())), stop: async () => undefined },
    { start: async () => undefined, stop: async () => undefined },
  ];
  const asRun = schedule.map((f) => ({ ...f }));
  await runSchedule(schedule, faults, t0, asRun);
  assert.deepEqual(
    asRun.map((f) => f.duration_s),
    [2, 0],
  );
  assert.deepEqual(schedule[0], { kind: 'media_server_restart', at_s: 0, duration_s: 1 }, 'the schedule stays');
});
