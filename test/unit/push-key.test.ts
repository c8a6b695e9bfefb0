import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pushKeyRefusal, pushKeySecret } from '../../main/services/alarms/receivers';

// The shared push key two agents behind one failover proxy register (IVM's auth_key: 6–18 characters).

test('a shared push key is 12–18 letters, digits, - or _; a refusal says why without the key', () => {
  assert.equal(pushKeySecret('acc_1'), 'alarm-push-key:acc_1');
  assert.equal(pushKeyRefusal('shared-push-Key_01'), null);
  assert.equal(pushKeyRefusal('abcdefghijkl'), null);
  assert.match(pushKeyRefusal('k9x7q') ?? '', /12 to 18 letters.*has 5 characters/);
  assert.match(pushKeyRefusal('a'.repeat(19)) ?? '', /has 19 characters/);
  const spaced = pushKeyRefusal('has spaces in it');
  assert.match(spaced ?? '', /some of them others/);
  assert.ok(!spaced!.includes('has spaces in it'));
});
