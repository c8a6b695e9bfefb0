import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import {
  canonicalizedQuery,
  percentEncode,
  rpcSign,
  rpcTimestamp,
  signedQuery,
  stringToSign,
} from '../../main/platforms/aliyun-vcs/sign';

type Vector = {
  id: string;
  verifiable: boolean;
  method: string;
  params: Record<string, string>;
  secret: string | null;
  assert_signature?: string | null;
  expected_signature?: string | null;
  expected_canonicalized_query_string?: string | null;
  expected_string_to_sign?: string | null;
  computed_canonicalized_query_string?: string;
  computed_string_to_sign?: string;
  computed_signature?: string;
  computed_signed_query?: string;
};
const vectors: Vector[] = JSON.parse(
  fs.readFileSync(new URL('../vectors/aliyun-sign-vectors.json', import.meta.url), 'utf8'),
);

test('percentEncode: RFC 3986, UTF-8, space %20, * %2A, ~ kept, upper-case hex', () => {
  assert.equal(percentEncode('a b*c~d'), 'a%20b%2Ac~d');
  assert.equal(percentEncode("!'()"), '%21%27%28%29');
  assert.equal(percentEncode('2016-02-23T12:46:24Z'), '2016-02-23T12%3A46%3A24Z');
  assert.equal(percentEncode('某公司'), '%E6%9F%90%E5%85%AC%E5%8F%B8');
  assert.equal(percentEncode('/+='), '%2F%2B%3D');
  assert.equal(percentEncode('-_.AZaz09'), '-_.AZaz09');
});

test('the documented DescribeRegions example signs to the recomputed value (doc prints 0 for O twice)', () => {
  const v = vectors.find((x) => x.id === 'seed000-worked-describeregions')!;
  const r = rpcSign({ method: v.method, params: v.params, accessKeySecret: v.secret! });
  assert.equal(r.canonicalizedQuery, v.computed_canonicalized_query_string);
  assert.equal(r.stringToSign, v.computed_string_to_sign);
  assert.equal(r.signature, v.assert_signature);
  assert.equal(r.signature, 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  assert.equal(
    signedQuery({ method: v.method, params: v.params, accessKeySecret: v.secret! }),
    v.computed_signed_query,
  );
});

test('every verifiable vector reproduces canonical query, string-to-sign and signature', () => {
  const verifiable = vectors.filter((v) => v.verifiable && v.secret);
  assert.ok(verifiable.length >= 6);
  for (const v of verifiable) {
    const r = rpcSign({ method: v.method, params: v.params, accessKeySecret: v.secret! });
    assert.equal(
      r.canonicalizedQuery,
      v.expected_canonicalized_query_string ?? v.computed_canonicalized_query_string,
      v.id,
    );
    assert.equal(r.stringToSign, v.expected_string_to_sign ?? v.computed_string_to_sign, v.id);
    assert.equal(r.signature, v.assert_signature ?? v.expected_signature ?? v.computed_signature, v.id);
  }
});

test('Signature is excluded from the canonical query; order of input does not matter', () => {
  assert.equal(canonicalizedQuery({ b: '2', a: '1', Signature: 'x' }), 'a=1&b=2');
  assert.equal(canonicalizedQuery({ B: '1', a: '2' }), 'B=1&a=2', 'byte order: upper case first');
  assert.equal(stringToSign('post', 'a=1'), 'POST&%2F&a%3D1');
});

test('Timestamp format is ISO 8601 UTC without milliseconds', () => {
  assert.equal(rpcTimestamp(new Date(Date.UTC(2016, 1, 23, 12, 46, 24, 789))), '2016-02-23T12:46:24Z');
});
