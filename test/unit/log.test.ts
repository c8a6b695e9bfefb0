import assert from 'node:assert/strict';
import { test } from 'node:test';
import { log, redact, registerSecret } from '../../main/log';

test('registered secrets are replaced wherever they appear', () => {
  registerSecret('S3cr3t-Value-123');
  assert.equal(redact('failed with S3cr3t-Value-123 in url ?x=S3cr3t-Value-123'), 'failed with *** in url ?x=***');
});

test('credential-looking fields are masked even if never registered', () => {
  const out = redact('{"password":"abc","token": "t0k","q-signature=ffee&SecretKey=zz"}');
  assert.doesNotMatch(out, /abc|t0k|ffee|zz/);
});

test("the token parameters of the platforms' play and download URLs are masked, the rest kept", () => {
  const lines = [
    // Alibaba VCS (CDN URL auth, type A)
    'rtmp://vec-space-test-1.aliyunvcs.cn/live/test1?auth_key=1640232029-0-0-d92f910ad2ce84c0e96e266584d5bb20',
    // Tencent IVC download (E38): res is a resource token, sign its signature
    'https://somedomain.com/video.mp4?source=4dfb%3B1668996000&res=ba639f7f4f9b9d635fad97c589bc1e02&expires=600&signTime=1671000320&sign=3563a7f6401e9130e4204462d99bca3f',
    // Tencent IVC playback, Huawei IVM live and VOD
    'https://somedomain.com/record/streamid/hls.m3u8?starttime=1662114146&endtime=1662114846&token=TencentTok1',
    'https://1.2.3.4:7081/vod/vod.m3u8?token=HuaweiTok2&device_id=219123456CYP&channel_id=0',
    // Alibaba OSS pictures, Tencent CSS and Huawei live CDN, S3-style presigned
    'http://b.oss-cn-shanghai.aliyuncs.com/o.jpg?Expires=1563937360&OSSAccessKeyId=LTAIWshnEfiYqcgw&Signature=5IaQKKUz1W4W4grsMvFBhBma7m4%3D',
    'http://play.example.com/live/s.flv?txSecret=c0ffee0123&txTime=5F5E0FF&hwSecret=beef4567&hwTime=5F5E0FF',
    'https://s3.example.com/o?X-Amz-Credential=AKID%2F20240101&X-Amz-Signature=deadbeef99&X-Amz-Security-Token=FQoGZXIvYXdz',
    // a play URL inside another request's query, percent-encoded
    'Url=rtmp%3A%2F%2Fh%2Flive%2Ftest1%3Fauth_key%3D1640232162-0-0-d0a0a2f2f741',
  ];
  const out = redact(lines.join('\n'));
  for (const secret of [
    'd92f910ad2ce84c0e96e266584d5bb20',
    'ba639f7f4f9b9d635fad97c589bc1e02',
    '3563a7f6401e9130e4204462d99bca3f',
    'TencentTok1',
    'HuaweiTok2',
    '5IaQKKUz1W4W4grsMvFBhBma7m4',
    'c0ffee0123',
    'beef4567',
    'deadbeef99',
    'FQoGZXIvYXdz',
    'd0a0a2f2f741',
  ])
    assert.ok(!out.includes(secret), `${secret} masked in ${out}`);
  for (const kept of [
    'signTime=1671000320',
    'device_id=219123456CYP',
    'txTime=5F5E0FF',
    'starttime=1662114146',
    'expires=600',
  ])
    assert.ok(out.includes(kept), `${kept} kept`);
  assert.equal(redact('resolution=6&design=a&dress=b'), 'resolution=6&design=a&dress=b', 'only whole parameter names');
});

test('a logged value cannot start a line of its own or steer the terminal: control characters are escaped', (t) => {
  const written: string[] = [];
  t.mock.method(process.stderr, 'write', (chunk: string) => written.push(chunk) > 0);
  // A broker topic (anyone who may publish on the site's topics chooses it) with a forged line in it.
  const topic = 'vigil/site/seats/a\r\n2026-01-01T00:00:00.000Z ERROR control room: seat b\u001b[2K\u202e\u2028lost';
  log.warn(`control room: message on ${topic} not handled`);
  // warn, not info: the test runner sets VIGIL_LOG_LEVEL=warn, and an info line would not be written.
  log.warn('tab\there, NUL\u0000, DEL\u007f, C1\u009b; 大门 and "quotes" as they are');
  assert.equal(written.length, 2);
  assert.ok(
    written.every((w) => w.indexOf('\n') === w.length - 1),
    'one line per call',
  );
  assert.match(
    written[0]!,
    /message on vigil\/site\/seats\/a\\r\\n2026-01-01T00:00:00\.000Z ERROR control room: seat b\\u001b\[2K\\u202e\\u2028lost not handled\n$/,
  );
  assert.match(written[1]!, /tab\\there, NUL\\u0000, DEL\\u007f, C1\\u009b; 大门 and "quotes" as they are\n$/);
});

test('sk (a Huawei AK/SK secret key) is masked as a whole name only: task=, disk: and the like are kept', () => {
  const out = redact('sk=SkQuery1&x=1 {"sk":"SkJson2","ak":"AK"} SK: SkHeader3 u?a=1%26sk%3DSkEncoded4');
  for (const secret of ['SkQuery1', 'SkJson2', 'SkHeader3', 'SkEncoded4'])
    assert.ok(!out.includes(secret), `${secret} masked in ${out}`);
  const plain = 'task=5 disk: 3 {"mask":"255.255.255.0","risk": "low"} ?desk=2&Task=7';
  assert.equal(redact(plain), plain);
});

test('secret_key and private_key are masked in every spelling (Huawei VIS answers a push key as secret_key)', () => {
  const out = redact(
    '{"access_key":"AK1","secret_key":"VisKey1"} secretKey=Camel2 private_key: "Pem3" privateKey=Pem4',
  );
  for (const secret of ['VisKey1', 'Camel2', 'Pem3', 'Pem4'])
    assert.ok(!out.includes(secret), `${secret} masked in ${out}`);
  assert.ok(out.includes('AK1'), 'an access key id is not a secret');
});

test('a PEM private key is masked whole, in a JSON string (escaped line ends) or cut short before its END line', () => {
  const body = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\nBKcwggSjAgEAAoIBAQC7 VJTUt9Us8cKj';
  const json = `{"private_key":"-----BEGIN RSA PRIVATE KEY-----\\n${body}\\n-----END RSA PRIVATE KEY-----\\n","id":7}`;
  const out = redact(json);
  assert.ok(!out.includes('MIIEv') && !out.includes('VJTUt9'), out);
  assert.ok(out.includes('"id":7'), 'what follows the key is kept');
  const cut = redact(`upload failed: -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg kqhkiG9w0B`);
  assert.equal(cut, 'upload failed: [private key]');
});
