import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Alarm, ControlRoomStatus } from '../../preload/contract';
import { selectChannelAlarmed, selectPtzHolder, selectUnacknowledged } from '../../renderer/stores/alarms/selectors';
import type { useAlarmsStore } from '../../renderer/stores/alarms/store';

type State = ReturnType<typeof useAlarmsStore.getState>;

const alarm = (n: number, more: Partial<Alarm> = {}): Alarm => ({
  id: `acc/${n}`,
  messageId: String(n),
  accountId: 'acc',
  deviceId: 'dev',
  channelId: '0',
  channelRef: 'ch:dev:0',
  channelName: 'Gate',
  type: 'over_line_alarm',
  at: n,
  uuid: `u${n}`,
  ...more,
});
const room = (more: Partial<ControlRoomStatus> = {}): ControlRoomStatus => ({
  enabled: true,
  state: 'online',
  error: null,
  site: 's',
  seat: 'A',
  user: 'op-A',
  queued: 0,
  hasPassword: false,
  notices: [],
  seats: [
    { seat: 'A', user: 'op-A', online: true, at: 1 },
    { seat: 'B', user: 'op-B', online: true, at: 1 },
    { seat: 'C', user: 'op-C', online: false, at: 1 },
  ],
  ptz: [],
  ...more,
});
const state = (s: Partial<State>) => ({ alarms: [], room: null, unacknowledgedBeyond: 0, ...s }) as unknown as State;

test('a pane is marked by an unacknowledged alarm on its channel, by the id main hands (not one the renderer builds)', () => {
  const alarms = [alarm(1), alarm(2, { channelRef: 'ch:dev:1', acknowledgedAt: 5 })];
  const s = state({ alarms });
  assert.equal(selectChannelAlarmed('acc', 'ch:dev:0')(s), true);
  assert.equal(selectChannelAlarmed('acc', 'ch:dev:1')(s), false, 'acknowledged');
  assert.equal(selectChannelAlarmed('other', 'ch:dev:0')(s), false, 'another account');
  assert.equal(selectChannelAlarmed('acc', '0')(s), false, "the platform's raw channel id is not Vigil's");
  assert.equal(selectChannelAlarmed(undefined, undefined)(s), false, 'an empty pane');
  assert.equal(selectUnacknowledged(s), 1);
  assert.equal(selectUnacknowledged(state({ alarms: [...alarms, alarm(3)] })), 2, 'a new list is counted again');
});

test('the PTZ pad names the seat steering its camera: another seat, online', () => {
  const held = (seat: string) => ({ accountId: 'acc', channelId: 'ch:dev:0', seat, user: `op-${seat}`, at: 1 });
  const pad = selectPtzHolder('acc', 'ch:dev:0');
  assert.equal(pad(state({ room: room({ ptz: [held('B')] }) }))?.seat, 'B');
  assert.equal(pad(state({ room: room({ ptz: [held('A')] }) })), null, 'this seat itself');
  assert.equal(pad(state({ room: room({ ptz: [held('C')] }) })), null, 'a seat that went offline (its last will)');
  assert.equal(pad(state({ room: room({ ptz: [held('B')], enabled: false }) })), null, 'not in a control room');
  assert.equal(selectPtzHolder('acc', 'ch:dev:9')(state({ room: room({ ptz: [held('B')] }) })), null);
});

test('the unacknowledged count includes those main keeps on pages not loaded yet', () => {
  const alarms = [alarm(1), alarm(2, { acknowledgedAt: 5 })];
  assert.equal(selectUnacknowledged(state({ alarms, unacknowledgedBeyond: 40 })), 41);
});
