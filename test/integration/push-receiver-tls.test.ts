import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { test } from 'node:test';
import { startPushReceiver } from '../../main/net/push-receiver';
import { freePort } from '../emulators/media/simulator';
import { tempDir } from '../helpers/core';

// An agent without a proxy serves the platform's pushes over HTTPS itself, with the certificate
// and key it is given: the same receiver (signature before body, caps), behind TLS.

function post(port: number, ca: string, headers: Record<string, string>, body: string) {
  return new Promise<number>((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        path: '/push',
        method: 'POST',
        ca,
        headers: { ...headers, 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

test('a receiver given a certificate and key answers over HTTPS only, checking the signature first', async () => {
  const dir = tempDir();
  const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=agent',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  const ca = fs.readFileSync(cert, 'utf8');
  const port = await freePort();
  const bodies: string[] = [];
  const refused: number[] = [];
  const server = await startPushReceiver({
    port,
    tls: { cert: fs.readFileSync(cert), key: fs.readFileSync(key) },
    checkHeaders: (h) => (h['x-sig'] === 'good' ? null : 'bad signature'),
    onBody: (b) => {
      bodies.push(String(b));
      return 200;
    },
    onRefused: (status) => refused.push(status),
  });
  try {
    assert.equal(await post(port, ca, { 'x-sig': 'good' }, '{"a":1}'), 200);
    assert.equal(await post(port, ca, { 'x-sig': 'forged' }, '{"a":2}'), 401);
    assert.deepEqual(bodies, ['{"a":1}']);
    assert.deepEqual(refused, [401]);
    // Plain HTTP on the TLS port is no push.
    const plain = await fetch(`http://127.0.0.1:${port}/push`, { method: 'POST', body: '{}' }).then(
      (r) => r.status,
      () => 'refused',
    );
    assert.notEqual(plain, 200);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
