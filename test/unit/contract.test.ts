import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AccountConfig, AccountsAddRequest, channelNames, channels, eventNames, events } from '../../preload/contract';
import { dispatch, type Handlers } from '../../main/ipc/dispatch';
import { fieldIssues } from '../../main/errors';
import { samples } from '../helpers/core';

test('every platform sample config is valid and keeps its platform', () => {
  for (const sample of Object.values(samples)) {
    const parsed = AccountConfig.parse(sample);
    assert.equal(parsed.platform, sample.platform);
  }
});

test('IVM user_id must be 15–25 digits; the issue names the field with an i18n key', () => {
  const r = AccountsAddRequest.safeParse({ name: 'x', config: { ...samples.ivm, userId: '12ab' }, secret: 's' });
  assert.equal(r.success, false);
  const fields = fieldIssues(r.error!);
  assert.ok(
    Object.keys(fields).some((k) => k.endsWith('userId')),
    JSON.stringify(fields),
  );
  assert.ok(Object.values(fields).some((f) => f.key === 'validation.ivmUserId'));
});

test('VIS project_id must be 32 hex; token mode needs domain and user; aksk mode needs ak', () => {
  assert.equal(AccountConfig.safeParse({ ...samples.visToken, projectId: 'XYZ' }).success, false);
  assert.equal(AccountConfig.safeParse({ ...samples.visToken, domain: undefined }).success, false);
  assert.equal(AccountConfig.safeParse({ ...samples.visAksk, ak: '' }).success, false);
  assert.equal(AccountConfig.safeParse({ ...samples.visToken, region: 'mars-1' }).success, false);
});

test('endpoints must be http(s) URLs; a trailing slash is removed', () => {
  assert.equal(AccountConfig.safeParse({ ...samples.tencent, endpoint: 'ftp://x' }).success, false);
  assert.equal(AccountConfig.safeParse({ ...samples.tencent, endpoint: 'not a url' }).success, false);
  const ok = AccountConfig.parse({ ...samples.tencent, endpoint: 'http://127.0.0.1:8080/' });
  assert.equal((ok as { endpoint: string }).endpoint, 'http://127.0.0.1:8080');
});

test('add requests are strict: unknown top-level fields are refused, secrets are bounded', () => {
  assert.equal(
    AccountsAddRequest.safeParse({ name: 'a', config: samples.aliyun, secret: 's', extra: 1 }).success,
    false,
  );
  assert.equal(AccountsAddRequest.safeParse({ name: 'a', config: samples.aliyun, secret: '' }).success, false);
  assert.equal(
    AccountsAddRequest.safeParse({ name: 'a', config: samples.aliyun, secret: 'x'.repeat(5000) }).success,
    false,
  );
  assert.equal(AccountsAddRequest.safeParse({ name: '  ', config: samples.aliyun, secret: 's' }).success, false);
});

test('names.ts lists exactly the channels and events of the maps', () => {
  assert.deepEqual([...channelNames].sort(), Object.keys(channels).sort());
  assert.deepEqual([...eventNames].sort(), Object.keys(events).sort());
});

const okHandlers = {
  'settings:get': () => ({ language: 'en', theme: 'dark' }),
  'accounts:list': () => ({
    accounts: [
      {
        id: 'acc_0123456789abcdef',
        name: 'n',
        config: samples.tencent,
        secretConfigured: true,
        createdAt: 'now',
        capabilities: ['live'],
        registrationModels: ['generatedCode'],
        // a bug that tried to send a secret to the renderer:
        secret: 'TOPSECRET',
      },
    ],
    vault: { ok: true },
  }),
  'app:info': () => ({ name: 'Vigil', version: 1 }),
} as unknown as Handlers;

test('dispatch refuses unknown channels and invalid requests before any handler runs', async () => {
  const unknown = await dispatch(okHandlers, 'fs:readFile', {});
  assert.deepEqual(unknown.ok ? null : unknown.error.code, 'BAD_REQUEST');
  const proto = await dispatch(okHandlers, '__proto__', {});
  assert.equal(proto.ok, false);
  const bad = await dispatch(okHandlers, 'settings:get', { unexpected: true });
  assert.equal(bad.ok ? null : bad.error.code, 'VALIDATION');
});

test('dispatch checks responses: fields outside the contract never reach the renderer', async () => {
  const r = await dispatch(okHandlers, 'accounts:list', {});
  assert.ok(r.ok);
  assert.doesNotMatch(JSON.stringify(r), /TOPSECRET/);
  const broken = await dispatch(okHandlers, 'app:info', {});
  assert.equal(broken.ok ? null : broken.error.code, 'INTERNAL');
});

test('unexpected errors are hidden behind INTERNAL with no stack or message leak', async () => {
  const handlers = {
    'settings:get': () => {
      throw new Error('password=hunter2 at /secret/path');
    },
  } as unknown as Handlers;
  const r = await dispatch(handlers, 'settings:get', {});
  assert.equal(r.ok, false);
  assert.doesNotMatch(JSON.stringify(r), /hunter2|secret\/path|at /);
});
