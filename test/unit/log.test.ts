import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redact, registerSecret } from '../../main/log';

test('registered secrets are replaced wherever they appear', () => {
  registerSecret('S3cr3t-Value-123');
  assert.equal(redact('failed with S3cr3t-Value-123 in url ?x=S3cr3t-Value-123'), 'failed with *** in url ?x=***');
});

test('credential-looking fields are masked even if never registered', () => {
  const out = redact('{"password":"abc","token": "t0k","q-signature=ffee&SecretKey=zz"}');
  assert.doesNotMatch(out, /abc|t0k|ffee|zz/);
});
