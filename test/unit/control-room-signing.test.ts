import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AlarmAction } from '../../preload/contract';
import {
  actionTimeRefused,
  actionValid,
  CLOCK_SKEW,
  envelopeValid,
  exportSeatKey,
  fingerprint,
  importSeatKey,
  newSeatKey,
  openEnvelope,
  PublicKey,
  seal,
  signAction,
} from '../../main/control-room/signing';

const action: AlarmAction = {
  id: 'act-0000001',
  alarmId: 'acc/1',
  kind: 'close',
  seat: 'seat-a',
  user: 'op-a',
  at: 1_800_000_000_000,
  note: 'checked',
};

test('an envelope verifies with its member’s key only, and only for its topic, member and body', () => {
  const a = newSeatKey();
  const m = newSeatKey();
  const topic = 'vigil/site/actions/seat-a';
  const e = openEnvelope(seal(topic, '{"x":1}', 'seat-a', a))!;
  assert.equal(e.by, 'seat-a');
  assert.equal(envelopeValid(topic, e, a.publicKey), true);
  assert.equal(envelopeValid(topic, e, m.publicKey), false, 'another key');
  assert.equal(envelopeValid('vigil/site/actions/seat-b', e, a.publicKey), false, 'moved to another topic');
  assert.equal(envelopeValid(topic, { ...e, by: 'seat-b' }, a.publicKey), false, 'another member named');
  assert.equal(envelopeValid(topic, { ...e, body: '{"x":2}' }, a.publicKey), false, 'another body');
  assert.equal(envelopeValid(topic, { ...e, sig: 'AAAA' }, a.publicKey), false, 'a short signature');
  assert.equal(openEnvelope('{"id":"x"}'), null, 'plain JSON is no envelope');
  assert.equal(openEnvelope('not json'), null);
});

test('an action is signed by its seat; any field changed breaks it', () => {
  const a = newSeatKey();
  const signed = signAction(action, a);
  assert.equal(actionValid(signed, a.publicKey), true);
  assert.equal(actionValid(action, a.publicKey), false, 'unsigned');
  assert.equal(actionValid(signed, newSeatKey().publicKey), false, 'another seat’s key');
  for (const change of [{ at: 1 }, { kind: 'acknowledge' }, { seat: 'seat-b' }, { note: 'other' }, { to: 'x' }])
    assert.equal(actionValid({ ...signed, ...change } as AlarmAction, a.publicKey), false, JSON.stringify(change));
  assert.equal(signAction(signed, a).sig, signed.sig, 'deterministic (Ed25519): re-signing gives the same');
});

test('a key survives the keychain round trip; a public key is 32 bytes; fingerprints are short and stable', () => {
  const a = newSeatKey();
  const back = importSeatKey(exportSeatKey(a));
  assert.equal(back.publicKey, a.publicKey);
  assert.equal(PublicKey.safeParse(a.publicKey).success, true);
  assert.equal(PublicKey.safeParse(Buffer.alloc(31).toString('base64')).success, false);
  assert.match(fingerprint(a.publicKey), /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
  assert.throws(() => importSeatKey('bm90IGEga2V5'));
});

test('action times: before the alarm or in the future are refused, clock skew allowed', () => {
  const now = 1_800_000_000_000;
  assert.equal(actionTimeRefused(now, now - 1000, now), null);
  assert.equal(actionTimeRefused(now - 1000 - CLOCK_SKEW + 1, now - 1000, now), null, 'within skew');
  assert.match(actionTimeRefused(1, now - 1000, now) ?? '', /1970-01-01T00:00:00\.001Z, before its alarm/);
  assert.match(actionTimeRefused(now + CLOCK_SKEW + 1, null, now) ?? '', /in the future/);
  assert.equal(actionTimeRefused(1, null, now), null, 'no alarm yet: checked when it comes');
});
