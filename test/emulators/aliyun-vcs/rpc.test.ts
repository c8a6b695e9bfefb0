import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rpcTimestamp, signedQuery } from '../../../main/platforms/aliyun-vcs/sign';
import { VcsEmulator } from './emulator';

// Rules of the Alibaba RPC front door (common parameters, signature, envelope, paging) checked against
// the vendor documents (seed 001 "公共参数", seed 000 "公共请求参数"/"签名机制"), by hand-signed requests.

let emu: VcsEmulator;
before(async () => {
  emu = await new VcsEmulator().start();
});
after(() => emu.stop());

let n = 0;
function params(extra: Record<string, string | undefined>): Record<string, string> {
  const all: Record<string, string | undefined> = {
    Action: 'ListCorps',
    Format: 'JSON',
    Version: '2020-05-15',
    AccessKeyId: emu.credentials.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: `rpc-test-${process.pid}-${++n}`,
    Timestamp: rpcTimestamp(new Date()),
    PageNumber: '1',
    PageSize: '10',
    ...extra,
  };
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
}
function query(extra: Record<string, string | undefined>, method = 'GET'): string {
  return signedQuery({ method, params: params(extra), accessKeySecret: emu.credentials.accessKeySecret });
}
async function get(extra: Record<string, string | undefined>) {
  const res = await fetch(`${emu.baseUrl}/?${query(extra)}`);
  const text = await res.text();
  return { status: res.status, text, type: res.headers.get('content-type') ?? '' };
}

describe('common request parameters (seed 001 §3 公共参数, seed 000 表 4-1)', () => {
  test('Format is optional (是否必须: 否) and defaults to JSON (取值: JSON（默认值）)', async () => {
    const r = await get({ Format: undefined });
    assert.equal(r.status, 200, r.text);
    assert.match(r.type, /json/);
    const body = JSON.parse(r.text) as { Code: string; RequestId: string };
    assert.equal(body.Code, '200');
    assert.ok(body.RequestId);
  });
});
